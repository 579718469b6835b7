/**
 * A signal that aborts when any source aborts or a timeout passes, with an
 * explicit `dispose()`. Used per request instead of `AbortSignal.any`, whose
 * listeners on a long-lived run signal pile up when made per request.
 */
export interface LinkedSignal {
  readonly signal: AbortSignal;
  /** True when the timeout (not a source) aborted it. */
  timedOut(): boolean;
  /** Removes the callbacks and the timer. Call when the operation ends. */
  dispose(): void;
}

type AbortCallback = (reason: unknown) => void;

/**
 * Callbacks per signal behind ONE real listener: every in-flight request of
 * a run watches the run's signal, and one EventTarget listener each would
 * trip Node's MaxListenersExceededWarning past 10 (and cost an add/remove
 * per request).
 */
const watchers = new WeakMap<AbortSignal, Set<AbortCallback>>();

/**
 * Calls `callback(signal.reason)` once when `signal` aborts; returns the
 * function that stops watching. Whatever the number of watchers, the signal
 * carries one listener. Does nothing for a signal that has already aborted
 * (check `signal.aborted` first).
 */
export function onAbort(signal: AbortSignal, callback: AbortCallback): () => void {
  if (signal.aborted) return () => undefined;
  let set = watchers.get(signal);
  if (!set) {
    const callbacks = new Set<AbortCallback>();
    watchers.set(signal, callbacks);
    signal.addEventListener(
      'abort',
      () => {
        watchers.delete(signal);
        for (const cb of callbacks) cb(signal.reason);
        callbacks.clear();
      },
      { once: true },
    );
    set = callbacks;
  }
  const own = set;
  own.add(callback);
  return () => {
    own.delete(callback);
  };
}

export function linkSignals(sources: ReadonlyArray<AbortSignal | undefined>, timeoutMs?: number): LinkedSignal {
  const controller = new AbortController();
  let timedOut = false;
  const stops: Array<() => void> = [];
  const abort = (reason: unknown): void => controller.abort(reason);
  for (const s of sources) {
    if (!s) continue;
    if (s.aborted) {
      controller.abort(s.reason);
      break;
    }
    stops.push(onAbort(s, abort));
  }
  const timer =
    timeoutMs === undefined || controller.signal.aborted
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          controller.abort(new Error(`timed out after ${timeoutMs} ms`));
        }, timeoutMs);
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    dispose() {
      if (timer) clearTimeout(timer);
      for (const stop of stops) stop();
    },
  };
}
