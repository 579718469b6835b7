import { cliTimeResult } from './lib/cli_time';
import type { Measure } from './lib/measure';
import { DEVLAKE_BIN, requireBuiltCli, timeNode } from './lib/spawn';

/** `devlake --help` wall time against `node -e 0`: help must not load knex, undici or the drivers. */
export const measure: Measure = {
  name: 'cli_help',
  description: '`devlake --help` wall time vs `node -e 0` (ratio = ours / ceiling time)',
  async run({ quick, log }) {
    requireBuiltCli();
    return [await cliTimeResult('cli_help', quick ? 5 : 20, () => timeNode([DEVLAKE_BIN, '--help']), { max: 1.2 }, log)];
  },
};
