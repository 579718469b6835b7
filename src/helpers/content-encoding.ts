import * as zlib from 'node:zlib';
import { DevlakeError } from '../core/errors';

/**
 * Decodes a body sent with `Content-Encoding` (gzip, deflate, br; a list is
 * undone last to first), as browsers and fetch do. undici's `request` hands
 * the bytes over as sent, and its decompress interceptor is experimental (it
 * prints a warning on every run), so zlib does it here. `identity` or no header
 * returns the body as is.
 */
export function decodeContentEncoding(body: Buffer, contentEncoding: string | undefined, safeUrl: string): Buffer {
  if (!contentEncoding || body.length === 0) return body;
  const codings = contentEncoding
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  let out = body;
  for (const coding of codings.reverse()) {
    const decode = DECODERS[coding];
    if (!decode) {
      throw new DevlakeError('DEVLAKE_E_API_RESPONSE', `${safeUrl} answered with Content-Encoding "${coding}", which devlake-ts cannot decode`, {
        hint: 'Ask the API for gzip, deflate, br or no encoding (an Accept-Encoding header in the client options).',
        data: { url: safeUrl, contentEncoding },
      });
    }
    try {
      out = decode(out);
    } catch (err) {
      throw new DevlakeError('DEVLAKE_E_API_RESPONSE', `${safeUrl} answered with a body that is not valid ${coding} (Content-Encoding: ${contentEncoding})`, {
        cause: err,
        hint: 'Check the endpoint and any proxy in between: the body does not match its Content-Encoding header.',
        data: { url: safeUrl, contentEncoding },
      });
    }
  }
  return out;
}

const DECODERS: Record<string, (b: Buffer) => Buffer> = {
  gzip: (b) => zlib.gunzipSync(b),
  'x-gzip': (b) => zlib.gunzipSync(b),
  // Servers send `deflate` both zlib-wrapped (RFC 9110) and raw: inflate reads whichever it is.
  deflate: (b) => (b.length > 0 && (b[0] & 0x0f) === 8 ? zlib.inflateSync(b) : zlib.inflateRawSync(b)),
  br: (b) => zlib.brotliDecompressSync(b),
};
