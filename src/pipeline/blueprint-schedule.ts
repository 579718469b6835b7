import { DevlakeError } from '../core/errors';

/** A blueprint running on its cron. */
export interface BlueprintSchedule {
  /** When the next run is due, if ever. */
  nextRun(): Date | null;
  /** Stops the schedule: no run starts any more; a run in progress has its signal aborted and is waited for. */
  stop(): Promise<void>;
}

/** Options of `scheduleBlueprint`. */
export interface ScheduleOptions {
  /** Named in the error of a bad cron expression. */
  file?: string;
  /** A run that throws is reported here; the schedule goes on. */
  onError?: (err: unknown) => void;
}

/**
 * Calls `runOnce` on `cron` (5 or 6 fields, croner), never twice at once: a
 * tick due while the previous run is still going is skipped (croner's
 * `protect`), so a slow run never overlaps the next.
 */
export function scheduleBlueprint(cron: string, runOnce: (signal: AbortSignal) => Promise<unknown>, opts: ScheduleOptions = {}): BlueprintSchedule {
  const { Cron } = require('croner') as typeof import('croner');
  const controller = new AbortController();
  let current: Promise<unknown> | undefined;
  let job: import('croner').Cron;
  try {
    job = new Cron(cron, { protect: true, catch: (err) => opts.onError?.(err) }, async () => {
      if (controller.signal.aborted) return;
      current = runOnce(controller.signal);
      try {
        await current;
      } finally {
        current = undefined;
      }
    });
  } catch (err) {
    throw new DevlakeError('DEVLAKE_E_BLUEPRINT', `${opts.file ? `${opts.file}: ` : ''}"cron" ${JSON.stringify(cron)} is not a cron expression: ${(err as Error).message}`, {
      hint: 'Five or six fields, e.g. "0 2 * * *".',
    });
  }
  return {
    nextRun: () => job.nextRun(),
    async stop() {
      job.stop();
      controller.abort();
      await current?.catch(() => undefined);
    },
  };
}
