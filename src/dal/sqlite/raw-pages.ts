import type { Knex } from 'knex';
import { quoteIdentifier } from '../ansi-sql';
import type { RawPagesCommit } from '../dialect';
import { withDriverConnection } from '../driver';
import { sqliteStatement, type SqliteConnection } from './statements';

/**
 * Splits a page's JSON array into raw rows, one per element, its text as
 * written (a string element JSON-quoted), in array order.
 */
export function sqliteRawPageSql(rawTable: string): string {
  return (
    `insert into ${quoteIdentifier(rawTable)} (params, data, url, input, created_at) ` +
    `select ?, case j.type when 'object' then j.value when 'array' then j.value when 'text' then json_quote(j.value) ` +
    `when 'true' then 'true' when 'false' then 'false' when 'null' then 'null' else cast(j.value as text) end, ?, ?, ? ` +
    `from json_each(?) j order by j.key`
  );
}

/**
 * A collector's group commit on SQLite: the pages' raw rows, their ledger rows
 * and the checkpoint in one transaction run by the driver in one synchronous
 * call (prepared statements). Through knex, the BEGIN, each statement and the
 * COMMIT were each a promise and a pool round of their own, which cost more
 * than the writes (about 2 ms a page).
 */
export async function commitSqliteRawPages(knex: Knex, c: RawPagesCommit, toDriver: (v: unknown) => unknown): Promise<void> {
  const value = (v: unknown): unknown => (v === null || v === undefined ? null : toDriver(v));
  const now = toDriver(new Date());
  await withDriverConnection<SqliteConnection>(knex, (conn) => {
    const page = sqliteStatement(conn, sqliteRawPageSql(c.rawTable));
    const ledger = sqliteStatement(
      conn,
      `insert into ${quoteIdentifier(c.stagingTable)} (raw_table, params, unit, records, data, url, input, created_at, raw_from_id, raw_to_id) values (?, ?, ?, ?, null, ?, null, ?, ?, ?)`,
    );
    const checkpoint = sqliteStatement(
      conn,
      `insert into ${quoteIdentifier(c.stateTable)} (raw_data_table, raw_data_params, checkpoint, created_at, updated_at) values (?, ?, ?, ?, ?) ` +
        `on conflict (raw_data_table, raw_data_params) do update set checkpoint = excluded.checkpoint, updated_at = excluded.updated_at`,
    );
    sqliteStatement(conn, 'BEGIN IMMEDIATE').run([]);
    try {
      for (const p of c.pages) {
        const createdAt = value(p.page.createdAt);
        const r = page.run([value(c.params), value(p.page.url), value(p.page.input), createdAt, value(p.page.data)]) as { changes: number; lastInsertRowid: number | bigint };
        if (r.changes === 0) continue;
        const last = Number(r.lastInsertRowid);
        ledger.run([c.rawTable, value(c.params), p.unit, r.changes, value(p.url), createdAt, last - r.changes + 1, last]);
      }
      checkpoint.run([c.rawTable, value(c.params), c.checkpoint, now, now]);
      sqliteStatement(conn, 'COMMIT').run([]);
    } catch (err) {
      if ((conn as unknown as { inTransaction?: boolean }).inTransaction !== false) sqliteStatement(conn, 'ROLLBACK').run([]);
      throw err;
    }
  });
}
