import type { FlakyServer } from './flaky-server';
import { spawnDevlake, type RunningCli } from '../../cli/helpers';

/** The flaky plugin's subtasks a run can be interrupted in. */
export type Phase = 'collect' | 'extract' | 'convert';
export const SUBTASK: Record<Phase, string> = { collect: 'Collect Items', extract: 'Extract Items', convert: 'Convert Items' };

/** Where a run is interrupted. */
export interface InterruptPoint {
  phase: Phase;
  /** collect: the request (1-based) during which the signal is sent; extract/convert: the record (1-based) being processed. */
  at: number;
}

/**
 * Runs `devlake run flaky` and sends it `signal` once, at `point`: during the
 * `at`-th request the server gets from this run (collect; that request and any
 * later one are answered only after the run ends), or when the plugin
 * says it holds at record `at` (extract/convert; it holds inside the subtask's
 * transaction until interrupted). The server outlives the run, so its
 * per-request hook is handed in through `watchRequests` and removed after.
 */
export async function runInterrupted(opts: {
  point: InterruptPoint;
  signal: NodeJS.Signals;
  pageSize: number;
  cwd: string;
  env: Record<string, string | undefined>;
  server: FlakyServer;
  watchRequests: (hook: ((n: number) => void | Promise<void>) | undefined) => void;
}): Promise<{ sent: boolean; result: Awaited<RunningCli['done']> }> {
  const { point } = opts;
  let sent = false;
  const send = () => {
    if (sent) return;
    sent = true;
    running.child.kill(opts.signal);
  };
  const requestsBefore = opts.server.stats.requests;
  const holdAt = point.phase === 'collect' ? undefined : { subtask: SUBTASK[point.phase], record: point.at };
  const holding = holdAt && `holding at ${holdAt.subtask} record ${holdAt.record}`;
  const running = spawnDevlake(['run', 'flaky', '--options', JSON.stringify({ pageSize: opts.pageSize, holdAt })], {
    cwd: opts.cwd,
    env: opts.env,
    onStderr: (_chunk, _child, all) => {
      if (holding && all.includes(holding)) send();
    },
  });
  // From the aimed request on, the server answers only once the run has ended: otherwise the last
  // pages and the fast extract/convert can finish before the signal is handled (seen on a loaded CI
  // machine), and the cancel lands after the phase it was aimed at.
  const ended = new Promise<void>((resolve) => {
    const settle = () => resolve();
    running.done.then(settle, settle);
  });
  opts.watchRequests(async (n) => {
    if (point.phase !== 'collect' || n - requestsBefore < point.at) return;
    send();
    await ended;
  });
  try {
    const result = await running.done;
    return { sent, result };
  } finally {
    opts.watchRequests(undefined);
  }
}
