import { hasErrorCode } from '../../src/core/errors';
import { scheduleBlueprint } from '../../src/pipeline/blueprint-schedule';

/**
 * `devlake blueprint schedule`'s scheduler on croner, with a cron of every
 * second and runs that last longer than that: ticks due during a run are
 * skipped (never two runs at once), stop() aborts the run in progress and
 * waits for it, and nothing runs after it.
 */
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });

describe('blueprint schedule (croner)', () => {
  it('runs every second without overlapping a slow run, and stops cleanly', async () => {
    const runs: Array<{ start: number; end?: number; aborted?: boolean }> = [];
    let active = 0;
    let peak = 0;
    const schedule = scheduleBlueprint('* * * * * *', async (signal) => {
      const run: { start: number; end?: number; aborted?: boolean } = { start: Date.now() };
      runs.push(run);
      active++;
      peak = Math.max(peak, active);
      await sleep(1500, signal); // longer than the cron's period
      run.aborted = signal.aborted;
      run.end = Date.now();
      active--;
    });
    expect(schedule.nextRun()).toBeInstanceOf(Date);
    await sleep(5200);
    await schedule.stop();
    const stoppedAt = Date.now();
    expect(active).toBe(0); // stop() waited for the run in progress
    expect(peak).toBe(1);
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs.length).toBeLessThanOrEqual(3); // 5.2 s of 1.5 s runs, each starting on a whole second
    for (let i = 1; i < runs.length; i++) expect(runs[i]!.start).toBeGreaterThanOrEqual(runs[i - 1]!.end!);
    expect(runs.every((r) => r.end !== undefined)).toBe(true);
    await sleep(1500);
    expect(runs.every((r) => r.start < stoppedAt)).toBe(true);
    expect(schedule.nextRun()).toBeNull();
  });

  it('a run that throws is reported and the schedule goes on', async () => {
    const errors: unknown[] = [];
    let n = 0;
    const schedule = scheduleBlueprint(
      '* * * * * *',
      async () => {
        n++;
        throw new Error(`run ${n} failed`);
      },
      { onError: (err) => errors.push(err) },
    );
    await sleep(2600);
    await schedule.stop();
    expect(n).toBeGreaterThanOrEqual(2);
    expect(errors.map((e) => (e as Error).message).slice(0, 2)).toEqual(['run 1 failed', 'run 2 failed']);
  });

  it('a bad cron expression fails with DEVLAKE_E_BLUEPRINT naming the file', () => {
    let err: unknown;
    try {
      scheduleBlueprint('every night', async () => undefined, { file: 'nightly.yaml' });
    } catch (e) {
      err = e;
    }
    expect(hasErrorCode(err, 'DEVLAKE_E_BLUEPRINT')).toBe(true);
    expect((err as Error).message).toMatch(/^nightly\.yaml: "cron" "every night" is not a cron expression/);
  });
});
