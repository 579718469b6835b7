/** Wall-clock timing, alternating our paths and the ceiling so all see the same machine load. */

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
  /** Every round's times, for the log. */
  samples: { ours: number[]; ceiling: number[] };
}

/**
 * Runs every trial once per round, rotating which goes first, and keeps each
 * trial's best time: on a shared machine the best time is the one least
 * disturbed by others.
 */
export async function bestOf<K extends string>(rounds: number, trials: Record<K, Trial>): Promise<Record<K, { best: number; samples: number[] }>> {
  const names = Object.keys(trials) as K[];
  const out = Object.fromEntries(names.map((n) => [n, { best: Infinity, samples: [] as number[] }])) as Record<K, { best: number; samples: number[] }>;
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + r) % names.length]!;
      const ms = await trials[name](r);
      out[name].samples.push(ms);
      out[name].best = Math.min(out[name].best, ms);
    }
  }
  return out;
}

/** `bestOf` for our path against the ceiling. */
export async function compare(rounds: number, ours: Trial, ceiling: Trial): Promise<Comparison> {
  const r = await bestOf(rounds, { ceiling, ours });
  return { oursMs: r.ours.best, ceilingMs: r.ceiling.best, samples: { ours: r.ours.samples, ceiling: r.ceiling.samples } };
}

/** Per-second rate of `count` items done in `ms`. */
export function perSecond(count: number, ms: number): number {
  return (count * 1000) / ms;
}

/** `812/790/845` for a log line. */
export function samplesText(samples: number[]): string {
  return samples.map((s) => Math.round(s)).join('/');
}
