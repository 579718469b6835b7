import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DevlakeError } from '../core/errors';
import { rawTableName } from '../core/naming';
import type { Dal } from '../dal/types';
import { DataFlowTester } from '../testing/dataflow-tester';
import { validateName } from './validate';
import { requirePlugin, type PluginsView } from './plan';
import type { GeneratedFile } from './write-files';

/**
 * Plans `e2e/raw_tables/<raw table>.csv` from a raw table in the database,
 * for `devlake create-e2e-raw`: the fixture a DataFlowTester test imports.
 * `table` is the full name (`_raw_icla_committer`) or the collector's name (`committer`).
 */
export async function planRawExport(dal: Dal, view: PluginsView, plugin: string, table: string): Promise<GeneratedFile[]> {
  requirePlugin(view, plugin);
  const rawTable = table.startsWith('_raw_') ? table : rawTableName(plugin, validateName('raw table', table));
  if (!/^_raw_[a-z0-9_]+$/.test(rawTable)) {
    throw new DevlakeError('DEVLAKE_E_GEN_NAME', `"${table}" is not a raw table name`, {
      hint: `Pass _raw_${plugin}_<name> or the collector's name.`,
    });
  }
  if (!(await dal.hasTable(rawTable))) {
    throw new DevlakeError('DEVLAKE_E_GEN_INVALID_ANSWER', `Table ${rawTable} does not exist in ${dal.safeUrl}`, {
      hint: `Run the collector first (devlake run ${plugin}), or pass --db with the database that has it.`,
    });
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'devlake-e2e-raw-'));
  try {
    const csv = path.join(tmp, `${rawTable}.csv`);
    await new DataFlowTester({ dal, plugin: { name: plugin, description: '' } }).exportRawTable(rawTable, csv);
    return [{ path: `${plugin}/e2e/raw_tables/${rawTable}.csv`, content: fs.readFileSync(csv, 'utf8'), policy: 'create' }];
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
