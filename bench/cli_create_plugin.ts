import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cliTimeResult } from './lib/cli_time';
import type { Measure } from './lib/measure';
import { DEVLAKE_BIN, requireBuiltCli, timeNode } from './lib/spawn';

/** `devlake create-plugin x --yes` into a fresh temp dir, against `node -e 0`. */
export const measure: Measure = {
  name: 'cli_create_plugin',
  description: '`devlake create-plugin x --yes` into a temp dir vs `node -e 0` (ratio = ours / ceiling time)',
  async run({ quick, log }) {
    requireBuiltCli();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'devlake-bench-gen-'));
    try {
      const result = await cliTimeResult(
        'cli_create_plugin',
        quick ? 5 : 20,
        // A new target directory each time: the generator writes every file, never "unchanged".
        (r) =>
          timeNode([DEVLAKE_BIN, 'create-plugin', 'benchx', '--yes', '--endpoint', 'https://api.example.com/', '--dir', path.join(dir, `r${r + 1}`)], dir),
        { max: 2.5 },
        log,
      );
      return [result];
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
