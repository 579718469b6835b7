import * as path from 'node:path';
import { mapConfig, memoryLogger, type Dal, type Row } from 'devlake-ts';
import { findPlugin, loadPlugin } from '../../../src/runner/load-plugin';
import { migrateAll } from '../../../src/runner/migrate-all';
import { runTask, type RunResult } from '../../../src/runner/run-task';

/** Where the fault-suite plugin lives (DEVLAKE_PLUGINS_PATH for child runs). */
export const FAULT_PLUGINS = path.join(__dirname, '..', 'fixtures', 'plugins');
export const RAW_TABLE = '_raw_flaky_api_items';
export const TOOL_TABLE = '_tool_flaky_items';
export const DOMAIN_TABLE = 'issues';

/** The environment of a run against a flaky server: tiny timeouts and backoff, no rate limit in the way. */
export function flakyEnv(endpoint: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    FLAKY_ENDPOINT: endpoint,
    FLAKY_API_RETRY: '4',
    FLAKY_API_TIMEOUT: '250ms',
    FLAKY_API_RETRY_BASE_MS: '2',
    FLAKY_API_REQUESTS_PER_HOUR: '60000000',
    ...extra,
  };
}

/** Loads the fault-suite plugin in this process. */
export function loadFlaky() {
  return loadPlugin(findPlugin('flaky', [FAULT_PLUGINS])).plugin;
}

/** Applies framework, domain and plugin migrations. */
export async function migrateFlaky(dal: Dal): Promise<void> {
  await migrateAll(dal, [{ name: 'flaky', plugin: loadFlaky() }]);
}

/** Runs the plugin in this process, like `devlake run flaky` does. */
export async function runFlaky(dal: Dal, env: Record<string, string>, options: Record<string, unknown> = {}, extra: { subtasks?: string[]; signal?: AbortSignal } = {}): Promise<RunResult & { lines: string[] }> {
  const logger = memoryLogger();
  const result = await runTask({
    dal,
    pluginName: 'flaky',
    plugin: loadFlaky(),
    options,
    logger: logger.child({ plugin: 'flaky' }),
    config: mapConfig(env),
    syncPolicy: { fullSync: true },
    ...extra,
  });
  return { ...result, lines: logger.lines };
}

const withoutOrigin = (url: unknown) => String(url ?? '').replace(/^https?:\/\/[^/]+/, '');

/**
 * The raw, tool and domain rows as sorted lines, independent of row ids and
 * timestamps: raw rows by (params, data, path, input); tool and domain rows
 * by every column, with `_raw_data_id` replaced by the raw record it points at.
 * Two runs that stored the same data give equal dumps.
 */
export async function dataDump(dal: Dal, opts: { resolveRawIds?: boolean } = {}): Promise<DataDump> {
  const resolve = opts.resolveRawIds ?? true;
  const raw = (await dal.knex(RAW_TABLE).select('*')) as Row[];
  const rawById = new Map(raw.map((r) => [Number(r.id), String(r.data)]));
  const line = (r: Row) => {
    const out: Row = {};
    for (const k of Object.keys(r).sort()) {
      if (k === 'created_at' || k === 'updated_at') continue;
      if (k === '_raw_data_id') {
        if (resolve) out[k] = rawById.get(Number(r[k])) ?? `missing raw row ${String(r[k])}`;
        continue;
      }
      out[k] = r[k] === null ? null : String(r[k]);
    }
    return JSON.stringify(out);
  };
  return {
    raw: raw.map((r) => JSON.stringify([r.params, r.data, withoutOrigin(r.url), r.input ?? null])).sort(),
    tool: ((await dal.knex(TOOL_TABLE).select('*')) as Row[]).map(line).sort(),
    domain: ((await dal.knex(DOMAIN_TABLE).where('id', 'like', 'flaky:%').select('*')) as Row[]).map(line).sort(),
  };
}

/** Sorted lines per layer, see `dataDump`. */
export interface DataDump {
  raw: string[];
  tool: string[];
  domain: string[];
}

/**
 * A short account of how two dumps differ, per layer: `same`, or the counts of
 * missing and extra lines with the first of each (kept short so a failure
 * prints a readable line, not thousands of rows).
 */
export function dumpDiff(actual: DataDump, expected: DataDump): Record<keyof DataDump, string> {
  const one = (a: string[], e: string[]): string => {
    const as = new Set(a);
    const es = new Set(e);
    const missing = e.filter((x) => !as.has(x));
    const extra = a.filter((x) => !es.has(x));
    if (!missing.length && !extra.length && a.length === e.length) return 'same';
    // Long rows are cut around where the first missing and first extra row part, so the failure shows the column that differs.
    let from = 0;
    if (missing[0] !== undefined && extra[0] !== undefined) while (from < missing[0].length && missing[0][from] === extra[0][from]) from++;
    const start = Math.max(0, from - 60);
    const cut = (x?: string) => (x === undefined ? '-' : x.length > 160 ? `${start ? '…' : ''}${x.slice(start, start + 160)}…` : x);
    return `${a.length} rows vs ${e.length} expected; ${missing.length} missing (first: ${cut(missing[0])}); ${extra.length} extra (first: ${cut(extra[0])})`;
  };
  return { raw: one(actual.raw, expected.raw), tool: one(actual.tool, expected.tool), domain: one(actual.domain, expected.domain) };
}

/** The item ids stored in the raw table, and how many rows repeat an id. */
export async function rawIds(dal: Dal): Promise<{ ids: number[]; duplicates: number }> {
  const rows = (await dal.knex(RAW_TABLE).select('data')) as Array<{ data: string }>;
  const ids = rows.map((r) => (JSON.parse(String(r.data)) as { id: number }).id);
  return { ids: [...new Set(ids)].sort((a, b) => a - b), duplicates: ids.length - new Set(ids).size };
}
