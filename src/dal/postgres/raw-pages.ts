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

interface PoolClient {
  acquireConnection(): Promise<PgConnection>;
  releaseConnection(conn: PgConnection): Promise<unknown>;
}

/** Pages per statement shape up to which a shape has its exact page count; above, page counts round up to a power of two. */
export const PAGES_PER_STATEMENT = 16;
/** The most pages one commit takes: 8 parameters and 6 per page stay below Postgres' 65,535 per statement. */
export const MAX_PAGES_PER_COMMIT = 8192;
/** Parameters of a page in the statement: data, url, input, created_at, unit, ledger url. */
const PAGE_PARAMS = 6;
/** Parameters before the pages': params, raw table, guard setting, this commit's token, the token to find, checkpoint, now. */
const HEAD_PARAMS = 7;

const statements = new ShapeCache<{ name: string; text: string }>(128);

/**
 * The pool connection that carries one collection's commits while any is
 * outstanding, in pg's pipeline mode: each commit is sent at once, the
 * server runs them in order and the answers come back in order, so the
 * server starts the next commit as it ends one instead of waiting a round
 * trip and the event loop. Given back to the pool once none is outstanding.
 * One per collection, so a collection's failure or slow commit never
 * touches another's.
 */
interface Pipe {
  conn: Promise<PgConnection>;
  outstanding: number;
  failed: boolean;
  /** The token the last commit sent on it leaves behind once it commits. */
  token: string | null;
}

/** Per knex client: the pipes of the collections with commits outstanding. */
const pipes = new WeakMap<object, Map<string, Pipe>>();
/** Per knex client: collections with a failed commit, whose later commits are refused unwritten. */
const failedChains = new WeakMap<object, Set<string>>();
let tokens = 0;

/**
 * A collector's group commit on Postgres: the pages' raw rows, their ledger
 * rows and the checkpoint as ONE statement of data-modifying CTEs, atomic
 * without BEGIN/COMMIT. Each page is split by json_array_elements (an
 * element's text as written), its ledger row counts the ids its insert
 * returned, and each page's insert first reads the count of the one before
 * (Postgres runs the CTEs in no set order), so ids follow page order. The
 * checkpoint is an upsert on the state table's primary key. More than
 * {@link PAGES_PER_STATEMENT} pages take the next power-of-two shape, the
 * pages past the commit's own empty, so a table has few prepared shapes and
 * a commit is still one statement.
 *
 * A collection's commits are pipelined on one connection (see {@link Pipe}):
 * the server runs them in call order, but one queued behind a failed one
 * would still run. So each writes only if the session setting its
 * collection's commits leave behind holds the token of the commit before it:
 * a failed commit rolls the setting back with everything else, and the
 * commits queued behind it find a token that is not theirs and write nothing.
 */
export async function commitPostgresRawPages(knex: Knex, c: RawPagesCommit, toDriver: (v: unknown) => unknown): Promise<void> {
  if (c.pages.length > MAX_PAGES_PER_COMMIT) throw new Error(`a raw page commit takes at most ${MAX_PAGES_PER_COMMIT} pages, not ${c.pages.length}`);
  const client = knex.client as PoolClient;
  let refused = failedChains.get(client);
  if (!refused) failedChains.set(client, (refused = new Set()));
  if (c.chain !== undefined && refused.has(c.chain)) throw chainRefused();
  const value = (v: unknown): unknown => (v === null || v === undefined ? null : toDriver(v));
  const { name, text } = statement(c, c.pages.length);
  const values: unknown[] = [value(c.params), c.rawTable, null, null, null, c.checkpoint, new Date()];
  for (const p of c.pages) values.push(value(p.page.data), value(p.page.url), value(p.page.input), p.page.createdAt, p.unit, value(p.url));
  // The shape's pages past this commit's: no rows, no ledger row.
  for (let i = c.pages.length; i < shapeOf(c.pages.length); i++) values.push(null, null, null, null, null, null);

  // A commit without a collection has a connection of its own for its one statement.
  const key = c.chain ?? `#${++tokens}`;
  let byChain = pipes.get(client);
  if (!byChain) pipes.set(client, (byChain = new Map()));
  let pipe = byChain.get(key);
  if (!pipe) {
    pipe = { conn: client.acquireConnection().then((conn) => ((conn.pipeline = true), conn)), outstanding: 0, failed: false, token: null };
    byChain.set(key, pipe);
  }
  // Counted before the wait for the connection, so it is not given back meanwhile.
  pipe.outstanding++;
  let conn: PgConnection | undefined;
  try {
    conn = await pipe.conn;
    // Awaiting the same promise, a collection's commits reach this point in call order and are sent in it.
    if (c.chain !== undefined && refused.has(c.chain)) throw chainRefused();
    if (c.chain !== undefined) {
      const token = `${++tokens}`;
      // Only a commit still outstanding can fail after this one is sent: the pipe ends with the last one.
      values[2] = guardSetting(c.chain);
      values[3] = token;
      values[4] = pipe.token;
      pipe.token = token;
    }
    const res = await conn.query({ name, text, values });
    if (res.rows[0]?.ok !== true) throw chainRefused();
  } catch (err) {
    if (c.chain !== undefined) refused.add(c.chain);
    pipe.failed = true;
    throw err;
  } finally {
    if (--pipe.outstanding === 0) {
      if (byChain.get(key) === pipe) byChain.delete(key);
      await release(client, pipe, conn);
    }
  }
}

/** Gives a pipe's connection back, out of pipeline mode. */
async function release(client: PoolClient, pipe: Pipe, conn: PgConnection | undefined): Promise<void> {
  const held = conn ?? (await pipe.conn.catch(() => undefined));
  if (!held) return;
  held.pipeline = false;
  // After a failure, a probe before the connection goes back to the pool: a terminated connection fails
  // it once its end is seen, so knex has marked it disposed and drops it instead of handing it out again.
  if (pipe.failed) await held.query('SELECT 1').catch(() => undefined);
  await client.releaseConnection(held);
}

/** The session setting a collection's commits leave their token in (a custom setting: letters, digits and `_`). */
function guardSetting(chain: string): string {
  return `devlake.chain_${createHash('sha1').update(chain).digest('hex').slice(0, 20)}`;
}

/** Pages in the statement shape of a commit of `pages` pages. */
function shapeOf(pages: number): number {
  if (pages <= PAGES_PER_STATEMENT) return Math.max(1, pages);
  let shape = PAGES_PER_STATEMENT;
  while (shape < pages) shape *= 2;
  return shape;
}

/** The statement for a commit of `pages` pages, built once per shape. */
function statement(c: RawPagesCommit, pages: number): { name: string; text: string } {
  const shape = shapeOf(pages);
  const key = JSON.stringify([c.rawTable, c.stagingTable, c.stateTable, shape, c.relaxed]);
  return statements.get(key, () => {
    const raw = quoteIdentifier(c.rawTable);
    const staging = quoteIdentifier(c.stagingTable);
    const state = quoteIdentifier(c.stateTable);
    // $1 params, $2 raw table name, $3 the guard's setting (null: no collection), $4 this commit's token,
    // $5 the token to find (null: none), $6 checkpoint, $7 now; then each page's parameters.
    // g: read once before it is set (a CTE that calls a volatile function, here set_config, is evaluated
    // once, on every version without MATERIALIZED), left behind only if this commits.
    const ctes: string[] = [
      `g as (select ok, case when $3::text is null then null ` +
        `else set_config($3::text, case when ok then $4::text else '' end, false) end as t ` +
        `from (select coalesce($5::text is null or current_setting($3::text, true) = $5::text, false) as ok) x)`,
    ];
    for (let i = 0; i < shape; i++) {
      const [data, url, input, createdAt, unit, ledgerUrl] = Array.from({ length: PAGE_PARAMS }, (_, k) => `$${HEAD_PARAMS + 1 + i * PAGE_PARAMS + k}`);
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
    ctes.push(
      `cp as (insert into ${state} (raw_data_table, raw_data_params, checkpoint, created_at, updated_at) ` +
        `select $2::text, $1::text, $6::text, $7::timestamptz, $7::timestamptz where (select ok from g) ` +
        `on conflict (raw_data_table, raw_data_params) do update set checkpoint = excluded.checkpoint, updated_at = excluded.updated_at)`,
    );
    // No WAL flush at commit when relaxed: set for this statement's own transaction only.
    ctes.push(c.relaxed ? `s as (select set_config('synchronous_commit', 'off', true) as v)` : `s as (select 1 as v)`);
    const text = `with ${ctes.join(', ')} select (select ok from g) as ok, (select t from g) as t, (select v from s) as v`;
    return { text, name: `devlake_pages_${createHash('sha1').update(text).digest('hex').slice(0, 24)}` };
  });
}
