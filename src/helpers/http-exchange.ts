import type { Dispatcher } from 'undici';
import { onAbort } from './linked-signal';

/** One request as sent: the URL with its query, upper-case method, final headers. */
export interface HttpExchangeRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

/** A response read whole: status, headers as undici parsed them (lower-case names), raw body bytes. */
export interface HttpExchangeResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/**
 * Sends one request through `dispatcher` and reads its body whole; rejects
 * with the dispatcher's error, or with `signal`'s reason when it aborts.
 *
 * A handler of our own rather than undici's `request()`: given a signal,
 * `request()` watches it until its body stream emits 'close', and in a process
 * that also runs requests without one that costs ~2× the time of a page in
 * garbage collection (collect_http.client 0.67 → see bench/README.md). Here
 * the body is a list of chunks, and the signal is watched until the response
 * ends, through one shared listener (`onAbort`).
 */
export function httpExchange(dispatcher: Dispatcher, req: HttpExchangeRequest, signal: AbortSignal): Promise<HttpExchangeResponse> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(asError(signal.reason));
      return;
    }
    const box: AbortBox = {};
    let status = 0;
    let headers: Record<string, string | string[] | undefined> = {};
    let chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const unwatch = onAbort(signal, abortVia(box));
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      unwatch();
      return true;
    };
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        box.controller = c;
        if (signal.aborted) c.abort(asError(signal.reason));
      },
      onResponseStart(_c, statusCode, h) {
        // A 1xx informational answer comes before the real one: only the last counts.
        status = statusCode;
        headers = h;
        chunks = [];
        size = 0;
      },
      onResponseData(_c, chunk) {
        chunks.push(chunk);
        size += chunk.length;
      },
      onResponseEnd() {
        box.controller = undefined;
        if (settle()) resolve({ status, headers, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) });
      },
      onResponseError(_c, err) {
        box.controller = undefined;
        if (settle()) reject(err);
      },
    };
    try {
      dispatcher.dispatch({ origin: req.url.origin, path: `${req.url.pathname}${req.url.search}`, method: req.method as Dispatcher.HttpMethod, headers: req.headers, body: req.body }, handler);
    } catch (err) {
      if (settle()) reject(err);
    }
  });
}

interface AbortBox {
  controller?: Dispatcher.DispatchController;
}

/**
 * The abort callback, made outside httpExchange's scope so that its closure
 * holds the box alone: a closure made inside would share the scope of the
 * response's handler (its chunks, its promise), and the long-lived signal's
 * list of callbacks would then keep that state alive through every young
 * collection the request spans.
 */
function abortVia(box: AbortBox): (reason: unknown) => void {
  return (reason) => box.controller?.abort(asError(reason));
}

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason ?? 'aborted'));
}
