import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureRawTable } from '../../src/dal/raw-table';
import type { Dialect } from '../../src/dal/types';
import { PARAMS, type BenchRawRow } from './data';
import { settleWrites, timeWrite, withBenchDb, type BenchDb } from './db';
import { E2E_CONCURRENCY, E2E_PLUGIN, E2E_RAW_TABLE, E2E_TOOL_TABLE, e2ePluginSource } from './e2e-plugin';
import { fieldSql } from './extract';
import { defineIssueToolTable, TOOL_COLUMNS } from './issue-tool';
import type { BenchContext, BenchResult } from './measure';
import { startPageServer, type PageServer } from './page-server';
import { DEVLAKE_BIN, requireBuiltCli } from './spawn';
import { samplesText } from './timing';
import { pgCopyCeiling, sqliteInsertCeiling } from './write-ceilings';

/** The ceilings of one round, in ms. */
interface Ceilings {
  fetch: number;
  write: number;
  extract: number;
  convert: number;
}

const TOOL_CEILING = '_tool_bench_e2e_ceiling';
const ISSUES_CEILING = 'bench_e2e_issues_ceiling';
/** The write ceiling writes the records of this many pages in turn (the records' size is what matters, raw rows have no key). */
const WRITE_PAGES = 16;

/** Runs `count` jobs numbered 1…count on `workers` workers. */
async function pool(count: number, workers: number, job: (n: number) => Promise<void>): Promise<void> {
  let next = 1;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next <= count) await job(next++);
    }),
  );
}

/** Wall time of `devlake run benche2e` on `db`, in ms; checks every record reached `issues`. */
async function runOurs(db: BenchDb, pluginsDir: string, server: PageServer, records: number): Promise<number> {
  const start = process.hrtime.bigint();
  await new Promise<void>((resolve, reject) => {
    const p = spawn(process.execPath, [DEVLAKE_BIN, 'run', E2E_PLUGIN, '--db', db.url, '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DEVLAKE_PLUGINS_PATH: pluginsDir, BENCH_E2E_ENDPOINT: server.url, LOG_LEVEL: 'warn' },
    });
    let output = '';
    p.stdout.on('data', (d: Buffer) => (output += d.toString()));
    p.stderr.on('data', (d: Buffer) => (output += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`devlake run ${E2E_PLUGIN} exited ${code}: ${output.slice(-800)}`))));
  });
  // The bench's own connection keeps the file open, so the run's close was not the last and left its WAL
  // uncopied: copy it within the window, as the ceilings do theirs.
  await settleWrites(db.dal);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const [{ n }] = (await db.dal.knex('issues').where('id', 'like', `${E2E_PLUGIN}:%`).count({ n: '*' })) as Array<{ n: number | string }>;
  if (Number(n) !== records) throw new Error(`devlake run ${E2E_PLUGIN} converted ${n} issues, expected ${records}`);
  return ms;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * The three ceilings on the database our run just filled: collect =
 * max(fetch, write) as in collect_http; extract = one INSERT … SELECT of the
 * tool fields from our raw table; convert = one INSERT … SELECT from our
 * tool table into a copy of `issues` (its keys and indexes) of the same rows
 * as the run's, zero values included (checked).
 */
async function ceilings(dialect: Dialect, db: BenchDb, server: PageServer, pages: number, sample: BenchRawRow[][]): Promise<Ceilings> {
  const undici = require('undici') as typeof import('undici');
  const agent = new undici.Agent({ connections: E2E_CONCURRENCY });
  const fetch = await timed(() =>
    pool(pages, E2E_CONCURRENCY, async (page) => {
      const { body } = await undici.request(`${server.url}issues?page=${page}&per_page=100`, { dispatcher: agent });
      if (((await body.json()) as unknown[]).length !== 100) throw new Error('short page');
    }),
  );
  await agent.close();
  const writer = dialect === 'postgres' ? pgCopyCeiling(db) : sqliteInsertCeiling(db);
  let write: number;
  try {
    await ensureRawTable(db.dal, '_raw_bench_e2e_write');
    write = await writer.trial('_raw_bench_e2e_write', async (each) => {
      for (let p = 0; p < pages; p++) await each(sample[p % sample.length]!);
    });
  } finally {
    await writer.close();
  }
  const k = db.dal.knex;
  await k.schema.createTable(TOOL_CEILING, defineIssueToolTable);
  const { select, from } = fieldSql(dialect, E2E_RAW_TABLE);
  // Each ceiling ends with its rows in the database file, as our run does by its end (see settleWrites).
  const extract = await timeWrite(db.dal, () =>
    k.raw(`INSERT INTO "${TOOL_CEILING}" (${TOOL_COLUMNS.join(', ')}) SELECT ${select} FROM ${from}`, [PARAMS, E2E_RAW_TABLE, PARAMS]),
  );
  await copyIssuesTable(dialect, db);
  const convert = await timeWrite(db.dal, () => k.raw(convertCeilingSql(dialect)));
  await sameIssues(db);
  return { fetch, write, extract, convert };
}

/**
 * `issues`' unmapped columns with the values the converter writes (DevLake's
 * zero values: '' for text, false for booleans; numbers and times stay NULL).
 */
const ZERO_TEXT_COLUMNS = [
  'icon_url', 'description', 'epic_key', 'original_type', 'creator_id', 'assignee_id', 'assignee_name', 'parent_issue_id', 'priority', 'severity',
  'urgency', 'component', 'original_project', 'fix_versions',
];

/** An empty copy of `issues` with its keys and indexes (Postgres: LIKE … INCLUDING ALL; SQLite: its own DDL renamed). */
async function copyIssuesTable(dialect: Dialect, db: BenchDb): Promise<void> {
  const k = db.dal.knex;
  if (dialect === 'postgres') {
    await k.raw(`CREATE TABLE "${ISSUES_CEILING}" (LIKE issues INCLUDING ALL)`);
    return;
  }
  const ddl = (await k.raw(`SELECT type, sql FROM sqlite_master WHERE tbl_name = 'issues' AND sql IS NOT NULL ORDER BY type DESC`)) as Array<{ type: string; sql: string }>;
  for (const { type, sql } of ddl) {
    const renamed =
      type === 'table'
        ? sql.replace(/^CREATE TABLE "issues"/, `CREATE TABLE "${ISSUES_CEILING}"`)
        : sql.replace(/^CREATE INDEX `issues_/, `CREATE INDEX \`${ISSUES_CEILING}_`).replace(/ on `issues` /, ` on \`${ISSUES_CEILING}\` `);
    if (renamed === sql) throw new Error(`cannot copy the DDL of issues: ${sql.slice(0, 80)}`);
    await k.raw(renamed);
  }
}

/** The convert ceiling: the run's `issues` rows, every column as the converter writes it, in one INSERT … SELECT. */
function convertCeilingSql(dialect: Dialect): string {
  const now = dialect === 'postgres' ? 'now()' : `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`;
  return `INSERT INTO "${ISSUES_CEILING}" (id, url, issue_key, title, type, status, original_status, created_date, updated_date, resolution_date, creator_name,
       _raw_data_params, _raw_data_table, _raw_data_id, _raw_data_remark, ${ZERO_TEXT_COLUMNS.join(', ')}, is_subtask, updated_at)
     SELECT '${E2E_PLUGIN}:BenchIssue:' || connection_id || ':' || github_id, 'https://github.com/apache/incubator-devlake/issues/' || number,
       CAST(number AS TEXT), title, 'ISSUE', CASE WHEN state = 'closed' THEN 'DONE' ELSE 'TODO' END, state, created_date, updated_date, closed_date,
       author_login, _raw_data_params, _raw_data_table, _raw_data_id, _raw_data_remark, ${ZERO_TEXT_COLUMNS.map(() => "''").join(', ')},
       ${dialect === 'postgres' ? 'false' : '0'}, ${now}
     FROM "${E2E_TOOL_TABLE}" WHERE connection_id = 1`;
}

/** Fails unless the ceiling wrote the run's rows (every column but the row's own timestamps): it must do the same work. */
async function sameIssues(db: BenchDb): Promise<void> {
  const k = db.dal.knex;
  const columns = ((await k('issues').columnInfo()) as Record<string, unknown>);
  const compared = Object.keys(columns)
    .filter((c) => c !== 'created_at' && c !== 'updated_at')
    .map((c) => `"${c}"`)
    .join(', ');
  for (const [a, b] of [
    ['issues', ISSUES_CEILING],
    [ISSUES_CEILING, 'issues'],
  ]) {
    const rows = (await k.raw(`SELECT COUNT(*) AS n FROM (SELECT ${compared} FROM "${a}" EXCEPT SELECT ${compared} FROM "${b}") d`)) as unknown;
    const n = Number((Array.isArray(rows) ? rows : (rows as { rows: Array<{ n: unknown }> }).rows)[0]!.n);
    if (n !== 0) throw new Error(`run_e2e: the convert ceiling's rows differ from the run's issues (${n} rows of ${a} not in ${b})`);
  }
}

/**
 * run_e2e on one database: wall time of `devlake run` of a plugin that
 * collects 1,000 pages of 100 issues from a local server, extracts and
 * converts them, against the sum of the three ceilings measured in the same
 * round on the database the run filled. Best of 2 rounds (1 with --quick),
 * each on a fresh database.
 */
export async function e2eMeasure(dialect: Dialect, name: string, { quick, log }: BenchContext): Promise<BenchResult[]> {
  requireBuiltCli();
  const pages = quick ? 200 : 1000;
  const records = pages * 100;
  const server = await startPageServer(pages, { distinct: true });
  const pluginsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'devlake-bench-e2e-'));
  try {
    fs.mkdirSync(path.join(pluginsDir, E2E_PLUGIN));
    fs.writeFileSync(path.join(pluginsDir, E2E_PLUGIN, 'index.ts'), e2ePluginSource);
    const undici = require('undici') as typeof import('undici');
    const sample: BenchRawRow[][] = [];
    const createdAt = new Date().toISOString();
    for (let p = 1; p <= Math.min(WRITE_PAGES, pages); p++) {
      const url = `${server.url}issues?page=${p}&per_page=100`;
      const { body } = await undici.request(url);
      sample.push(((await body.json()) as unknown[]).map((r) => ({ params: PARAMS, data: JSON.stringify(r), url, input: null, created_at: createdAt })));
    }
    const rounds: Array<{ ours: number; c: Ceilings }> = [];
    for (let r = 0; r < (quick ? 1 : 2); r++) {
      rounds.push(
        await withBenchDb(dialect, async (db) => {
          const ours = await runOurs(db, pluginsDir, server, records);
          return { ours, c: await ceilings(dialect, db, server, pages, sample) };
        }),
      );
    }
    const sum = (c: Ceilings): number => Math.max(c.fetch, c.write) + c.extract + c.convert;
    const best = rounds.reduce((a, b) => (sum(b.c) / b.ours > sum(a.c) / a.ours ? b : a));
    log(
      `${name}: devlake run ${samplesText(rounds.map((x) => x.ours))} ms; ceilings per round (fetch/write/extract/convert) ` +
        rounds.map((x) => `${[x.c.fetch, x.c.write, x.c.extract, x.c.convert].map((v) => Math.round(v)).join('/')}`).join(', ') +
        ' ms',
    );
    const c = best.c;
    return [
      {
        name,
        value: records / (best.ours / 1000),
        ceiling: records / (sum(c) / 1000),
        ratio: sum(c) / best.ours,
        unit: 'records/s',
        goal: { min: 0.7 },
        size: `${pages} pages of 100 issues, collect → extract → convert, ${dialect}`,
        note:
          `devlake run ${Math.round(best.ours)} ms (process start and migrations included) vs collect max(fetch ${Math.round(c.fetch)}, write ${Math.round(c.write)}) ` +
          `+ extract ${Math.round(c.extract)} + convert ${Math.round(c.convert)} ms (one INSERT … SELECT each), same round`,
      },
    ];
  } finally {
    await server.close();
    fs.rmSync(pluginsDir, { recursive: true, force: true });
  }
}
