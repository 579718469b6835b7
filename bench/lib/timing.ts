/** Wall-clock timing, alternating our path and the ceiling so both see the same machine load. */

/** Milliseconds `fn` takes. */
export async function time(fn: () => Promise<unknown> | unknown): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** A trial does its own set-up and returns the milliseconds of the timed part only. */
export type Trial = (round: number) => Promise<number>;

/** Best (shortest) times of both sides over `rounds` alternating rounds. */
export interface Comparison {
  oursMs: number;
  ceilingMs: number;
  /** Every round's times, for the notes. */
  samples: { ours: number[]; ceiling: number[] };
}

/**
 * Runs the ceiling and our path alternately (ceiling first in even rounds, ours
 * first in odd ones) and keeps the best of each: on a shared machine the best
 * time is the one least disturbed by others.
 */
export async function compare(rounds: number, ours: Trial, ceiling: Trial): Promise<Comparison> {
  const samples = { ours: [] as number[], ceiling: [] as number[] };
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      samples.ceiling.push(await ceiling(r));
      samples.ours.push(await ours(r));
    } else {
      samples.ours.push(await ours(r));
      samples.ceiling.push(await ceiling(r));
    }
  }
  return { oursMs: Math.min(...samples.ours), ceilingMs: Math.min(...samples.ceiling), samples };
}

/** Per-second rate of `count` items done in `ms`. */
export function perSecond(count: number, ms: number): number {
  return (count * 1000) / ms;
}
