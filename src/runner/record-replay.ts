import type { Dispatcher } from 'undici';
import { Agent, Dispatcher as DispatcherBase } from '../helpers/undici-classes';
import type { HttpSettings } from '../core/context';
import { DevlakeError } from '../core/errors';
import type { Logger } from '../core/logger';
import { redact } from '../core/redact';
import { flattenHeaders } from '../helpers/api-response';
import {
  bodyHash,
  CASSETTE_VERSION,
  cassetteUrl,
  checkCassetteWritable,
  interactionKey,
  loadCassette,
  responseBody,
  saveCassette,
  storedBody,
  storedHeaders,
  withoutRetriedFailures,
  type CassetteInteraction,
} from './cassette';

/**
 * `devlake run --record <file>` and `--replay [file]`: the run's HTTP goes
 * through a dispatcher that either saves every exchange to a cassette or
 * answers from one with no network. ApiClient picks the dispatcher up from
 * `taskCtx.http`.
 */

/** Options of `openHttpMode`. */
export interface HttpModeOptions {
  mode: 'live' | 'record' | 'replay';
  /** The cassette path; required to record or replay. */
  cassette?: string;
  logger: Logger;
  /** The plugin being run, named in hints (`devlake run <plugin> --record …`). */
  plugin?: string;
}

/** The run's HTTP settings and how to end them (a recording is written by `close()`). */
export interface HttpMode {
  http: HttpSettings;
  close(): Promise<void>;
}

/** Opens the HTTP mode of a run. Replay loads the cassette now, so a missing file fails before anything runs. */
export async function openHttpMode(options: HttpModeOptions): Promise<HttpMode> {
  if (options.mode === 'live') return { http: { mode: 'live' }, close: async () => undefined };
  if (!options.cassette) {
    throw new DevlakeError(options.mode === 'record' ? 'DEVLAKE_E_RECORD_FILE' : 'DEVLAKE_E_REPLAY_FILE', `--${options.mode} needs a cassette file`, {
      hint: `Pass a path: --${options.mode} fixtures/cassette.json`,
    });
  }
  const file = options.cassette;
  if (options.mode === 'replay') {
    const dispatcher = new ReplayDispatcher(loadCassette(file, options.plugin).interactions, file);
    options.logger.debug(`cassette ${file}: ${dispatcher.size} recorded requests`);
    return { http: { mode: 'replay', dispatcher }, close: () => dispatcher.close() };
  }
  checkCassetteWritable(file);
  const interactions: CassetteInteraction[] = [];
  const agent = new Agent({ keepAliveTimeout: 30_000 });
  const dispatcher = agent.compose((dispatch) => (opts, handler) => dispatch(opts, new RecordingHandler(opts, handler, (i) => interactions.push(i))));
  return {
    http: { mode: 'record', dispatcher },
    async close() {
      await agent.close();
      const kept = withoutRetriedFailures(interactions);
      saveCassette(file, { version: CASSETTE_VERSION, interactions: kept });
      options.logger.info(`recorded ${kept.length} HTTP requests to ${file}`);
    },
  };
}

/** Passes everything through to the real handler and keeps a copy of the exchange. */
class RecordingHandler implements Dispatcher.DispatchHandler {
  readonly #inner: Dispatcher.DispatchHandler;
  readonly #request: CassetteInteraction['request'];
  readonly #save: (i: CassetteInteraction) => void;
  #status = 0;
  #headers: Record<string, string> = {};
  readonly #chunks: Buffer[] = [];

  constructor(opts: Dispatcher.DispatchOptions, inner: Dispatcher.DispatchHandler, save: (i: CassetteInteraction) => void) {
    this.#inner = inner;
    this.#save = save;
    const body = typeof opts.body === 'string' || Buffer.isBuffer(opts.body) ? opts.body : undefined;
    const url = new URL(opts.path, String(opts.origin)).toString();
    this.#request = { method: opts.method.toUpperCase(), url: cassetteUrl(url), bodySha256: bodyHash(body) };
    if (this.#request.bodySha256 === undefined) delete this.#request.bodySha256;
  }

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    this.#inner.onRequestStart?.(controller, context);
  }

  onRequestUpgrade(controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>, socket: import('node:stream').Duplex): void {
    this.#inner.onRequestUpgrade?.(controller, statusCode, headers, socket);
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>, statusMessage?: string): void {
    this.#status = statusCode;
    this.#headers = flattenHeaders(headers);
    this.#inner.onResponseStart?.(controller, statusCode, headers, statusMessage);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#chunks.push(Buffer.from(chunk));
    this.#inner.onResponseData?.(controller, chunk);
  }

  onResponseEnd(controller: Dispatcher.DispatchController, trailers: Record<string, string | string[] | undefined>): void {
    const body = Buffer.concat(this.#chunks);
    this.#save({ request: this.#request, response: { status: this.#status, headers: storedHeaders(this.#headers), ...storedBody(this.#headers, body) } });
    this.#inner.onResponseEnd?.(controller, trailers);
  }

  onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    this.#inner.onResponseError?.(controller, error);
  }
}

/**
 * Answers from a cassette: the recorded responses of a request are served in
 * order, the last one again once they run out. An unrecorded request fails
 * with `DEVLAKE_E_REPLAY_MISS`.
 */
class ReplayDispatcher extends DispatcherBase {
  readonly #byKey = new Map<string, { list: CassetteInteraction[]; next: number }>();
  readonly #file: string;
  #closed = false;

  constructor(interactions: readonly CassetteInteraction[], file: string) {
    super();
    this.#file = file;
    for (const i of interactions) {
      const key = interactionKey(i.request.method, i.request.url, i.request.bodySha256);
      const slot = this.#byKey.get(key) ?? { list: [], next: 0 };
      slot.list.push(i);
      this.#byKey.set(key, slot);
    }
  }

  get size(): number {
    let n = 0;
    for (const slot of this.#byKey.values()) n += slot.list.length;
    return n;
  }

  override dispatch(opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const body = typeof opts.body === 'string' || Buffer.isBuffer(opts.body) ? opts.body : undefined;
    const method = opts.method.toUpperCase();
    const url = cassetteUrl(new URL(opts.path, String(opts.origin)).toString());
    const slot = this.#closed ? undefined : this.#byKey.get(interactionKey(method, url, bodyHash(body)));
    const found = slot?.list[Math.min(slot.next, slot.list.length - 1)];
    if (slot) slot.next++;
    const error = found
      ? undefined
      : new DevlakeError('DEVLAKE_E_REPLAY_MISS', `${method} ${redact(url)} is not in the cassette ${this.#file}`, {
          hint: 'Record the cassette again with --record <file>, or fix the request the plugin makes.',
          data: { method, url: redact(url), file: this.#file },
        });
    // Answer asynchronously, as a socket would.
    setImmediate(() => deliver(handler, found, error));
    return true;
  }

  override async close(): Promise<void> {
    this.#closed = true;
  }

  override async destroy(): Promise<void> {
    this.#closed = true;
  }
}

/** Plays a recorded response (or an error) into either style of undici handler. */
function deliver(handler: Dispatcher.DispatchHandler, found: CassetteInteraction | undefined, error: Error | undefined): void {
  let aborted: Error | undefined;
  const controller: Dispatcher.DispatchController = {
    get aborted() {
      return aborted !== undefined;
    },
    get paused() {
      return false;
    },
    get reason() {
      return aborted ?? null;
    },
    abort(reason: Error) {
      aborted = reason;
    },
    pause() {},
    resume() {},
  };
  const modern = typeof handler.onRequestStart === 'function';
  const fail = (err: Error): void => {
    if (modern) handler.onResponseError?.(controller, err);
    else handler.onError?.(err);
  };
  try {
    if (modern) handler.onRequestStart?.(controller, {});
    else handler.onConnect?.((reason?: Error) => controller.abort(reason ?? new Error('aborted')));
    if (aborted) return fail(aborted);
    if (error || !found) return fail(error ?? new Error('no response'));
    const res = found.response;
    const body = responseBody(res);
    const headers: Record<string, string> = { ...res.headers, 'content-length': String(body.length) };
    if (modern) {
      handler.onResponseStart?.(controller, res.status, headers, '');
      if (aborted) return fail(aborted);
      if (body.length > 0) handler.onResponseData?.(controller, body);
      if (aborted) return fail(aborted);
      handler.onResponseEnd?.(controller, {});
      return;
    }
    const raw: Buffer[] = [];
    for (const [k, v] of Object.entries(headers)) raw.push(Buffer.from(k, 'latin1'), Buffer.from(v, 'latin1'));
    handler.onHeaders?.(res.status, raw, () => undefined, '');
    if (aborted) return fail(aborted);
    if (body.length > 0) handler.onData?.(body);
    if (aborted) return fail(aborted);
    handler.onComplete?.([]);
  } catch (err) {
    fail(err as Error);
  }
}
