import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { quoteIdentifier } from '../ansi-sql';
import { chainRefused, type RawPagesCommit } from '../dialect';
import { ShapeCache } from '../driver';

/** The pg client calls this module makes; `pipeline` is the client's own switch (pg ≥ 8.23). */
interface PgConnection {
  pipeline: boolean;
  query(config: string | { name: string; text: string; values: unknown[] }): Promise<{ rows: Array<{ ok?: boolean }> }>;
}

/** Pages per statement: beyond, one transaction of several statements (a statement's text is prepared per page count). */
export const PAGES_PER_STATEMENT = 16;
/** Parameters of a page in the statement: data, url, input, created_at, unit, ledger url. */
const PAGE_PARAMS = 6;
/** Parameters before the pages': params, raw table, guard setting, the commit's token, the token before it (null: none). */
const HEAD_PARAMS = 5;

const statements = new ShapeCache<{ name: string; text: string }>(128);

/**
 * Per knex client: the pool connection that carries its raw commits while
 * any is outstanding, in pg's pipeline mode (each commit sent at once, the
 * server runs them in order, answers come back in order), so the server
 * starts the next commit as it ends one instead of waiting a round trip and
 * the event loop; given back to the pool once none is outstanding.
 */
interface Pipe {
  conn: Promise<PgConnection>;
  outstanding: number;
  failed: boolean;
  /** Per chain: its last commit's token and how many of its commits are outstanding. */
  chains: Map<string, { token: string; outstanding: number }>;
}

const pipes = new WeakMap<object, Pipe>();
/** Collections with a failed commit, per knex client: their later commits are refused unwritten. */
const failedChains = new WeakMap<object, Set<string>>();
let tokens = 0;

/**
 * A collector's group commit on Postgres: the pages' raw rows, their ledger
 * rows and the checkpoint as ONE statement of data-modifying CTEs, atomic
 * without BEGIN/COMMIT. Each page is split by json_array_elements (an
 * element's text as written), its ledger row counts the ids its insert
 * returned, and each page's insert first reads the count of the one before
 * (Postgres runs the CTEs in no set order), so ids follow page order. The
 * checkpoint is an upsert on the state table's primary key. More pages than
 * {@link PAGES_PER_STATEMENT} go as several statements in one transaction.
 *
 * Commits are pipelined on one connection (see {@link Pipe}): the server
 * runs them in call order, but one whose predecessor failed would still run.
 * So each commit of a chain writes only if the session setting its chain's
 * commits leave behind holds the token of the commit before it: a failed
 * commit rolls the setting back with everything else, and the commits
 * queued behind it find a token that is not theirs and write nothing.
 */
export async function commitPostgresRawPages(knex: Knex, c: RawPagesCommit, toDriver: (v: unknown) => unknown): Promise<void> {
  const client = knex.client as { acquireConnection(): Promise<PgConnection>; releaseConnection(conn: PgConnection): Promise<unknown> };
  let refused = failedChains.get(client);
  if (!refused) failedChains.set(client, (refused = new Set()));
  if (c.chain !== undefined && refused.has(c.chain)) throw chainRefused();
  const value = (v: unknown): unknown => (v === null || v === undefined ? null : toDriver(v));
  const now = new Date();
  const chunks: Array<RawPagesCommit['pages']> = [];
  for (let i = 0; i < c.pages.length; i += PAGES_PER_STATEMENT) chunks.push(c.pages.slice(i, i + PAGES_PER_STATEMENT));
  if (chunks.length === 0) chunks.push([]);

  let pipe = pipes.get(client);
  if (!pipe) {
    const conn = client.acquireConnection().then((conn) => ((conn.pipeline = true), conn));
    pipe = { conn, outstanding: 0, failed: false, chains: new Map() };
    pipes.set(client, pipe);
  }
  // Counted before the wait for the connection, so it is not given back meanwhile.
  pipe.outstanding++;
  let conn: PgConnection | undefined;
  try {
    conn = await pipe.conn;
    // Awaiting the same promise, commits reach this point in call order: they are sent in call order.
    if (c.chain !== undefined && refused.has(c.chain)) throw chainRefused();
    const token = `${process.pid}.${++tokens}`;
    const setting = c.chain === undefined ? null : guardSetting(c.chain);
    let chain = c.chain === undefined ? undefined : pipe.chains.get(c.chain);
    // Only a commit still outstanding on this connection can fail after this one is sent; one that ended did not.
    const before = chain && chain.outstanding > 0 ? chain.token : null;
    const several = chunks.length > 1;
    // Every query built before any is sent: sent together with nothing between them, so no other commit runs
    // inside this transaction and none is left open by a value that fails to convert.
    const queries: Array<string | { name: string; text: string; values: unknown[] }> = [];
    if (several) queries.push('BEGIN');
    for (let i = 0; i < chunks.length; i++) {
      const pages = chunks[i]!;
      const last = i === chunks.length - 1;
      const { name, text } = statement(c, pages.length, last);
      // After the first statement of a transaction, the token to find is this commit's own.
      const values: unknown[] = [value(c.params), c.rawTable, setting, setting === null ? null : token, setting === null ? null : i === 0 ? before : token];
      if (last) values.push(c.checkpoint, now);
      for (const p of pages) values.push(value(p.page.data), value(p.page.url), value(p.page.input), p.page.createdAt, p.unit, value(p.url));
      queries.push({ name, text, values });
    }
    // COMMIT after a failed statement of the transaction rolls it back.
    if (several) queries.push('COMMIT');
    if (c.chain !== undefined) {
      if (!chain) pipe.chains.set(c.chain, (chain = { token, outstanding: 0 }));
      chain.token = token;
      chain.outstanding++;
    }
    try {
      const results = await Promise.allSettled(queries.map((q) => conn!.query(q)));
      const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failure) throw failure.reason;
      // Each statement answers whether its guard let it write (BEGIN and COMMIT answer nothing).
      const answers = results.slice(several ? 1 : 0, several ? -1 : undefined) as Array<PromiseFulfilledResult<{ rows: Array<{ ok?: boolean }> }>>;
      if (answers.some((r) => r.value.rows[0]?.ok !== true)) throw chainRefused();
    } finally {
      if (chain) chain.outstanding--;
    }
  } catch (err) {
    if (c.chain !== undefined) refused.add(c.chain);
    pipe.failed = true;
    throw err;
  } finally {
    if (--pipe.outstanding === 0) await release(client, pipe, conn);
  }
}

/** Gives the connection back once nothing is outstanding on it, out of pipeline mode. */
async function release(
  client: { releaseConnection(conn: PgConnection): Promise<unknown> },
  pipe: Pipe,
  conn: PgConnection | undefined,
): Promise<void> {
  if (pipes.get(client) === pipe) pipes.delete(client);
  const held = conn ?? (await pipe.conn.catch(() => undefined));
  if (!held) return;
  held.pipeline = false;
  // After a failure, a probe before the connection goes back to the pool: a terminated connection fails
  // it once its end is seen, so knex has marked it disposed and drops it instead of handing it out again.
  if (pipe.failed) await held.query('SELECT 1').catch(() => undefined);
  await client.releaseConnection(held);
}

/** The session setting a chain's commits leave their token in (a custom setting: letters, digits and `_`). */
function guardSetting(chain: string): string {
  return `devlake.chain_${createHash('sha1').update(chain).digest('hex').slice(0, 20)}`;
}

/** The statement for `pages` pages (with the checkpoint and the durability setting when `last`), built once per shape. */
function statement(c: RawPagesCommit, pages: number, last: boolean): { name: string; text: string } {
  const key = JSON.stringify([c.rawTable, c.stagingTable, c.stateTable, pages, last, c.relaxed]);
  return statements.get(key, () => {
    const raw = quoteIdentifier(c.rawTable);
    const staging = quoteIdentifier(c.stagingTable);
    const state = quoteIdentifier(c.stateTable);
    // $1 params, $2 raw table name, $3 the guard's setting (null: no chain), $4 this commit's token,
    // $5 the token to find (null: none); when last, $6 checkpoint and $7 now; then each page's parameters.
    const first = last ? HEAD_PARAMS + 3 : HEAD_PARAMS + 1;
    // Read once before it is set (a CTE named twice is evaluated once), and left behind only if this commits.
    const ctes: string[] = [
      `g as materialized (select ok, case when $3::text is null then null ` +
        `else set_config($3::text, case when ok then $4::text else '' end, false) end as t ` +
        `from (select coalesce($5::text is null or current_setting($3::text, true) = $5::text, false) as ok) x)`,
    ];
    for (let i = 0; i < pages; i++) {
      const [data, url, input, createdAt, unit, ledgerUrl] = Array.from({ length: PAGE_PARAMS }, (_, k) => `$${first + i * PAGE_PARAMS + k}`);
      // Uncorrelated conditions are one-time filters, checked before the page's rows are read (even none).
      const after = i === 0 ? '' : ` and (select count(*) from r${i - 1}) >= 0`;
      ctes.push(
        `r${i} as (insert into ${raw} (params, data, url, input, created_at) ` +
          `select $1::text, j.value::text, ${url}::text, ${input}::text, ${createdAt}::timestamptz ` +
          `from json_array_elements(${data}::json) with ordinality as j(value, k) where (select ok from g)${after} order by j.k returning id)`,
        `l${i} as (insert into ${staging} (raw_table, params, unit, records, data, url, input, created_at, raw_from_id, raw_to_id) ` +
          `select $2::text, $1::text, ${unit}::int, count(*), null, ${ledgerUrl}::text, null, ${createdAt}::timestamptz, min(id), max(id) from r${i} having count(*) > 0)`,
      );
    }
    if (last) {
      ctes.push(
        `cp as (insert into ${state} (raw_data_table, raw_data_params, checkpoint, created_at, updated_at) ` +
          `select $2::text, $1::text, $${HEAD_PARAMS + 1}::text, $${HEAD_PARAMS + 2}::timestamptz, $${HEAD_PARAMS + 2}::timestamptz where (select ok from g) ` +
          `on conflict (raw_data_table, raw_data_params) do update set checkpoint = excluded.checkpoint, updated_at = excluded.updated_at)`,
      );
    }
    // No WAL flush at commit when relaxed: set for this statement's own transaction only.
    ctes.push(c.relaxed ? `s as (select set_config('synchronous_commit', 'off', true) as v)` : `s as (select 1 as v)`);
    const text = `with ${ctes.join(', ')} select (select ok from g) as ok, (select t from g) as t, (select v from s) as v`;
    return { text, name: `devlake_pages_${createHash('sha1').update(text).digest('hex').slice(0, 24)}` };
  });
}
