import * as path from 'node:path';
import { mapConfig } from '../../src/core/config';
import type { Dal } from '../../src/core/dal';
import { silentLogger } from '../../src/core/logger';
import { domainModels } from '../../src/domain';
import { runPlugin } from '../../src/runner/run-plugin';
import { databases, freshDatabase, TEST_PG_URL, type TestDb } from '../../src/testing/databases';
import { DataFlowTester } from '../../src/testing/dataflow-tester';
import githubPlugin from '../../generated-plugins/github';

/**
 * The export plugin round trip (issue 17): the GitHub plugin's domain tables,
 * made from DevLake's replayed GitHub data on SQLite, copied to a fresh
 * Postgres schema with `devlake run export --options '{"to":"postgres://…"}'`:
 * every table has the same rows, value for value.
 */
const DATA = path.join(__dirname, '..', '..', 'generated-plugins', 'github', 'e2e', 'devlake-data', 'raw_tables');
const RAW = ['_raw_github_api_issues', '_raw_github_api_pull_requests', '_raw_github_api_pull_request_commits', '_raw_github_api_pull_request_reviews', '_raw_github_api_comments', '_raw_github_api_runs', '_raw_github_api_jobs', '_raw_github_api_milestones'];
const SUBTASKS = [
  'Convert Repos', 'Extract Issues', 'Convert Issues', 'Convert Issue Labels', 'Extract Pull Requests', 'Convert Pull Requests', 'Convert PR Labels', 'Extract PR Commits', 'Convert PR Commits',
  'Extract PR Reviews', 'Convert PR Reviews', 'Extract Comments', 'Convert Issue Comments', 'Convert PR Comments', 'Extract Workflow Runs', 'Convert Workflow Runs', 'Extract Jobs', 'Convert Jobs',
  'Extract Milestones', 'Convert Milestones',
];
const sqlite = databases().find((d) => d.name === 'sqlite')!;
const withPostgres = databases().some((d) => d.name === 'postgres') ? describe : describe.skip;

withPostgres('export: GitHub domain tables from SQLite to Postgres', () => {
  let source: TestDb;
  let target: TestDb;
  beforeAll(async () => {
    source = await sqlite.open();
    target = await freshDatabase(TEST_PG_URL, 'export');
  });
  afterAll(async () => {
    await source.drop();
    await target.drop();
  });

  it('copies every filled table with equal contents, then only what changed', async () => {
    const tester = new DataFlowTester({ dal: source.dal, plugin: githubPlugin });
    await tester.migrate();
    // DevLake's milestone collector names its raw table without `api_`.
    for (const raw of RAW) await tester.importCsvIntoRawTable(path.join(DATA, `${raw}.csv`), raw === '_raw_github_api_milestones' ? '_raw_github_milestones' : raw);
    await tester.importCsvIntoTable(path.join(DATA, '_tool_github_repos.csv'), '_tool_github_repos');
    const common = { dal: source.dal, logger: silentLogger, config: mapConfig({}) };
    const github = await runPlugin({ ...common, name: 'github', subtasks: SUBTASKS, options: { connectionId: 1, name: 'panjf2000/ants', githubId: 134018330 } });
    expect(github.error).toBeUndefined();

    const filled: string[] = [];
    for (const table of Object.keys(domainModels)) if ((await count(source.dal, table)) > 0) filled.push(table);
    expect(filled.length).toBeGreaterThanOrEqual(15);

    const first = await runPlugin({ ...common, name: 'export', options: { to: target.url } });
    expect(first.error).toBeUndefined();
    for (const table of Object.keys(domainModels)) {
      expect({ table, rows: await contents(target.dal, table) }).toEqual({ table, rows: await contents(source.dal, table) });
    }
    expect(first.summary.rowsWritten).toBe((await Promise.all(filled.map((t) => count(source.dal, t)))).reduce((a, b) => a + b, 0));

    // Incremental: one changed issue is all the next run copies.
    const [issue] = await source.dal.knex('issues').select('id').orderBy('id').limit(1);
    await source.dal.knex('issues').where({ id: issue.id }).update({ title: 'renamed', updated_at: new Date(Date.now() + 1000) });
    const second = await runPlugin({ ...common, name: 'export', options: { to: target.url, tables: ['issues', 'pull_requests'] } });
    expect(second.error).toBeUndefined();
    expect(second.summary.rowsWritten).toBe(1);
    expect((await target.dal.knex('issues').where({ id: issue.id }).first()).title).toBe('renamed');
    expect(await contents(target.dal, 'issues')).toEqual(await contents(source.dal, 'issues'));
  });
});

async function count(dal: Dal, table: string): Promise<number> {
  const [{ n }] = (await dal.knex(table).count({ n: '*' })) as Array<{ n: number | string }>;
  return Number(n);
}

/** A table's rows decoded by its declared column types, as comparable JSON, in key order. */
async function contents(dal: Dal, table: string): Promise<string[]> {
  const model = domainModels[table]!;
  const columns = Object.keys(model.spec.columns);
  const rows: string[] = [];
  if (model.primaryKey.length === 0) {
    for (const r of (await dal.knex(table).select(columns)) as Array<Record<string, unknown>>) rows.push(JSON.stringify(columns.map((c) => norm(r[c]))));
    return rows.sort();
  }
  for await (const r of dal.stream((db) => db(table).select(columns), { key: model.primaryKey, columns: model.spec.columns })) {
    rows.push(JSON.stringify(columns.map((c) => norm(r[c]))));
  }
  return rows.sort();
}

function norm(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'bigint') return v.toString();
  return v ?? null;
}
