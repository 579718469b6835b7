import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { quoteIdentifier } from '../ansi-sql';
import type { RawPagesCommit } from '../dialect';
import { ShapeCache, withDriverConnection } from '../driver';

interface PgConnection {
  query(config: string | { name: string; text: string; values: unknown[] }): Promise<unknown>;
}

/** Pages per statement: beyond, one transaction of several statements (a statement's text is prepared per page count). */
export const PAGES_PER_STATEMENT = 16;
/** Parameters of a page in the statement: data, url, input, created_at, unit, ledger url. */
const PAGE_PARAMS = 6;

const statements = new ShapeCache<{ name: string; text: string }>(128);

/**
 * A collector's group commit on Postgres: the pages' raw rows, their ledger
 * rows and the checkpoint as ONE statement of data-modifying CTEs, atomic
 * without BEGIN/COMMIT, so a batch costs one round trip (it cost about six:
 * BEGIN, SET LOCAL, the page, the ledger, the checkpoint, COMMIT). Each page
 * is split by json_array_elements (an element's text as written), its ledger
 * row counts the ids its insert returned, and each page's insert first reads
 * the count of the one before (Postgres runs the CTEs in no set order), so
 * ids follow page order. The
 * checkpoint is an upsert on the state table's primary key. More pages than
 * {@link PAGES_PER_STATEMENT} go as several statements in one transaction.
 */
export async function commitPostgresRawPages(knex: Knex, c: RawPagesCommit, toDriver: (v: unknown) => unknown): Promise<void> {
  const value = (v: unknown): unknown => (v === null || v === undefined ? null : toDriver(v));
  const now = new Date();
  const chunks: Array<RawPagesCommit['pages']> = [];
  for (let i = 0; i < c.pages.length; i += PAGES_PER_STATEMENT) chunks.push(c.pages.slice(i, i + PAGES_PER_STATEMENT));
  if (chunks.length === 0) chunks.push([]);
  await withDriverConnection<PgConnection>(knex, async (conn) => {
    const several = chunks.length > 1;
    if (several) await conn.query('BEGIN');
    try {
      for (let i = 0; i < chunks.length; i++) {
        const pages = chunks[i]!;
        const last = i === chunks.length - 1;
        const { name, text } = statement(c, pages.length, last);
        const values: unknown[] = [value(c.params), c.rawTable];
        if (last) values.push(c.checkpoint, now);
        for (const p of pages) values.push(value(p.page.data), value(p.page.url), value(p.page.input), p.page.createdAt, p.unit, value(p.url));
        await conn.query({ name, text, values });
      }
      if (several) await conn.query('COMMIT');
    } catch (err) {
      // Also a probe before the connection goes back to the pool: a terminated connection fails it once
      // its end is seen, so knex has marked it disposed and drops it instead of handing it out again.
      await conn.query(several ? 'ROLLBACK' : 'SELECT 1').catch(() => undefined);
      throw err;
    }
  });
}

/** The statement for `pages` pages (with the checkpoint and the durability setting when `last`), built once per shape. */
function statement(c: RawPagesCommit, pages: number, last: boolean): { name: string; text: string } {
  const key = JSON.stringify([c.rawTable, c.stagingTable, c.stateTable, pages, last, c.relaxed]);
  return statements.get(key, () => {
    const raw = quoteIdentifier(c.rawTable);
    const staging = quoteIdentifier(c.stagingTable);
    const state = quoteIdentifier(c.stateTable);
    const ctes: string[] = [];
    // $1 params, $2 raw table name; when last, $3 checkpoint and $4 now; then each page's parameters.
    const first = last ? 5 : 3;
    for (let i = 0; i < pages; i++) {
      const [data, url, input, createdAt, unit, ledgerUrl] = Array.from({ length: PAGE_PARAMS }, (_, k) => `$${first + i * PAGE_PARAMS + k}`);
      // An uncorrelated condition is a one-time filter, checked before the page's rows are read (even none).
      const after = i === 0 ? '' : ` where (select count(*) from r${i - 1}) >= 0`;
      ctes.push(
        `r${i} as (insert into ${raw} (params, data, url, input, created_at) ` +
          `select $1::text, j.value::text, ${url}::text, ${input}::text, ${createdAt}::timestamptz ` +
          `from json_array_elements(${data}::json) with ordinality as j(value, k)${after} order by j.k returning id)`,
        `l${i} as (insert into ${staging} (raw_table, params, unit, records, data, url, input, created_at, raw_from_id, raw_to_id) ` +
          `select $2::text, $1::text, ${unit}::int, count(*), null, ${ledgerUrl}::text, null, ${createdAt}::timestamptz, min(id), max(id) from r${i} having count(*) > 0)`,
      );
    }
    if (last) {
      ctes.push(
        `cp as (insert into ${state} (raw_data_table, raw_data_params, checkpoint, created_at, updated_at) values ($2::text, $1::text, $3::text, $4::timestamptz, $4::timestamptz) ` +
          `on conflict (raw_data_table, raw_data_params) do update set checkpoint = excluded.checkpoint, updated_at = excluded.updated_at)`,
      );
    }
    // No WAL flush at commit when relaxed: set for this statement's own transaction only.
    ctes.push(c.relaxed ? `s as (select set_config('synchronous_commit', 'off', true) as v)` : `s as (select 1 as v)`);
    const text = `with ${ctes.join(', ')} select (select v from s) as v`;
    return { text, name: `devlake_pages_${createHash('sha1').update(text).digest('hex').slice(0, 24)}` };
  });
}
