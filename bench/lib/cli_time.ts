import type { BenchResult, Goal } from './measure';
import { compare, samplesText } from './timing';
import { timeNode } from './spawn';

/**
 * Wall time of a CLI invocation against `node -e 0` (the cost of starting
 * node at all), best of `rounds` alternating runs after one warm-up each.
 * The ratio is ours / ceiling (a time: lower is better).
 */
export async function cliTimeResult(
  name: string,
  rounds: number,
  ours: (round: number) => number,
  goal: Goal,
  log: (m: string) => void,
): Promise<BenchResult> {
  ours(-1); // warm the file cache
  timeNode(['-e', '0']);
  const result = await compare(
    rounds,
    async (r) => ours(r),
    async () => timeNode(['-e', '0']),
  );
  log(`${name}: ours ${samplesText(result.samples.ours)} ms, node -e 0 ${samplesText(result.samples.ceiling)} ms`);
  return {
    name,
    value: result.oursMs,
    ceiling: result.ceilingMs,
    ratio: result.oursMs / result.ceilingMs,
    unit: 'ms',
    goal,
    size: `best of ${rounds}`,
  };
}
