import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DevlakeError } from '../core/errors';
import { isSecretQueryParam, redact } from '../core/redact';
import { isRetryableStatus } from '../helpers/api-retry';

/**
 * The cassette file of `--record` / `--replay` (format in docs/cassettes.md):
 * every request (method, URL, body hash) with its response (status, headers,
 * body), secrets removed. Requests are matched by method + URL + body hash.
 */

/** Cassette format version; bumped only on an incompatible change. */
export const CASSETTE_VERSION = 1;

/** One recorded request and its response. */
export interface CassetteInteraction {
  request: {
    method: string;
    /** The URL with token query parameters removed and registered secrets masked. */
    url: string;
    /** sha256 of the (redacted) request body, when there was one. */
    bodySha256?: string;
  };
  response: {
    status: number;
    headers: Record<string, string>;
    /** A JSON body, stored parsed so that cassettes read and diff well. */
    json?: unknown;
    /** A text body that is not JSON. */
    body?: string;
    /** A binary body (e.g. gzip), base64. */
    bodyBase64?: string;
  };
}

/** The whole file. */
export interface Cassette {
  version: number;
  interactions: CassetteInteraction[];
}

/** Headers never written: credentials and connection details. */
const DROPPED_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);

/** The URL as it is stored and matched: credentials removed, secrets masked. */
export function cassetteUrl(url: string): string {
  let out = url;
  try {
    const u = new URL(url);
    for (const name of [...u.searchParams.keys()]) if (isSecretQueryParam(name)) u.searchParams.delete(name); // removed from recorded and replayed URLs alike
    u.username = '';
    u.password = '';
    out = u.toString();
  } catch {
    // Not a URL: keep it, redacted.
  }
  return redact(out);
}

/** sha256 of a request body after redaction, or undefined for no body. */
export function bodyHash(body: string | Buffer | undefined): string | undefined {
  if (body === undefined || body.length === 0) return undefined;
  const text = typeof body === 'string' ? body : body.toString('utf8');
  return createHash('sha256').update(redact(text)).digest('hex');
}

/** The match key of a request. */
export function interactionKey(method: string, url: string, bodySha256: string | undefined): string {
  return `${method.toUpperCase()} ${url} ${bodySha256 ?? ''}`;
}

/** Response headers as stored: credentials, hop-by-hop and length dropped, values redacted. */
export function storedHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    const name = k.toLowerCase();
    if (!DROPPED_HEADERS.has(name)) out[name] = redact(v);
  }
  return out;
}

/** Stores a body as JSON when it parses, as text when it is UTF-8, else as base64; text is redacted. */
export function storedBody(headers: Record<string, string>, body: Buffer): Pick<CassetteInteraction['response'], 'json' | 'body' | 'bodyBase64'> {
  if (body.length === 0) return { body: '' };
  if (headers['content-encoding'] && headers['content-encoding'] !== 'identity') return { bodyBase64: body.toString('base64') };
  const text = body.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(body)) return { bodyBase64: body.toString('base64') };
  const safe = redact(text);
  if (/json/i.test(headers['content-type'] ?? '') || /^\s*[[{]/.test(safe)) {
    try {
      return { json: JSON.parse(safe) };
    } catch {
      // Not JSON after all: keep the text.
    }
  }
  return { body: safe };
}

/** The body bytes of a stored response. */
export function responseBody(res: CassetteInteraction['response']): Buffer {
  if (res.bodyBase64 !== undefined) return Buffer.from(res.bodyBase64, 'base64');
  if (res.json !== undefined) return Buffer.from(JSON.stringify(res.json), 'utf8');
  return Buffer.from(res.body ?? '', 'utf8');
}

/**
 * Drops transient failures (429, 5xx) of a request that later succeeded, so a
 * replay does not wait through the retries the recording went through.
 */
export function withoutRetriedFailures(interactions: readonly CassetteInteraction[]): CassetteInteraction[] {
  const answered = new Set<string>();
  for (const i of interactions) {
    if (!isRetryableStatus(i.response.status)) answered.add(interactionKey(i.request.method, i.request.url, i.request.bodySha256));
  }
  return interactions.filter(
    (i) => !isRetryableStatus(i.response.status) || !answered.has(interactionKey(i.request.method, i.request.url, i.request.bodySha256)),
  );
}

/**
 * Reads a cassette; a missing or malformed file fails with `DEVLAKE_E_REPLAY_FILE`.
 * `plugin` names the plugin in the hint's record command (default: a generic `<plugin>`).
 */
export function loadCassette(file: string, plugin?: string): Cassette {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new DevlakeError('DEVLAKE_E_REPLAY_FILE', `Cannot read cassette ${file}: ${(err as Error).message}`, {
      cause: err,
      hint: plugin ? `Record one first with: devlake run ${plugin} --record ${file}` : 'Record one first with: devlake run <plugin> --record <file>',
      data: { file },
    });
  }
  let parsed: Cassette;
  try {
    parsed = JSON.parse(text) as Cassette;
  } catch (err) {
    throw new DevlakeError('DEVLAKE_E_REPLAY_FILE', `Cassette ${file} is not valid JSON: ${(err as Error).message}`, {
      cause: err,
      hint: 'Record it again with --record, or fix the JSON.',
      data: { file },
    });
  }
  if (parsed?.version !== CASSETTE_VERSION || !Array.isArray(parsed.interactions)) {
    throw new DevlakeError('DEVLAKE_E_REPLAY_FILE', `Cassette ${file} is not a version ${CASSETTE_VERSION} cassette`, {
      hint: 'Record it again with --record.',
      data: { file },
    });
  }
  return parsed;
}

/** Checks before a run that the cassette can be written (directories created); fails with `DEVLAKE_E_RECORD_FILE`. */
export function checkCassetteWritable(file: string): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.accessSync(path.dirname(file), fs.constants.W_OK);
    if (fs.existsSync(file)) fs.accessSync(file, fs.constants.W_OK);
  } catch (err) {
    throw new DevlakeError('DEVLAKE_E_RECORD_FILE', `Cannot write cassette ${file}: ${(err as Error).message}`, {
      cause: err,
      hint: 'Pass a writable path to --record.',
      data: { file },
    });
  }
}

/** Writes a cassette (directories created); failures are `DEVLAKE_E_RECORD_FILE`. */
export function saveCassette(file: string, cassette: Cassette): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify(cassette, null, 2)}\n`);
    // Rename: a crash while writing never leaves half a cassette behind.
    fs.renameSync(tmp, file);
  } catch (err) {
    throw new DevlakeError('DEVLAKE_E_RECORD_FILE', `Cannot write cassette ${file}: ${(err as Error).message}`, {
      cause: err,
      hint: 'Pass a writable path to --record.',
      data: { file },
    });
  }
}
