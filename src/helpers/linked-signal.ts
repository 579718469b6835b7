/**
 * A signal that aborts when any source aborts or a timeout passes, with an
 * explicit `dispose()`. Used per request instead of `AbortSignal.any`, whose
 * listeners on a long-lived run signal pile up when made per request.
 */
export interface LinkedSignal {
  readonly signal: AbortSignal;
  /** True when the timeout (not a source) aborted it. */
  timedOut(): boolean;
  /** Removes the listeners and the timer. Call when the operation ends. */
  dispose(): void;
}

export function linkSignals(sources: ReadonlyArray<AbortSignal | undefined>, timeoutMs?: number): LinkedSignal {
  const controller = new AbortController();
  let timedOut = false;
  const live = sources.filter((s): s is AbortSignal => s !== undefined);
  const onAbort = (event: Event): void => controller.abort((event.target as AbortSignal).reason);
  for (const s of live) {
    if (s.aborted) {
      controller.abort(s.reason);
      break;
    }
    s.addEventListener('abort', onAbort, { once: true });
  }
  const timer =
    timeoutMs === undefined
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
      for (const s of live) s.removeEventListener('abort', onAbort);
    },
  };
}
