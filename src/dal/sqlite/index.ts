import type { Knex } from 'knex';
import { conflictInsertSql, quoteIdentifier } from '../ansi-sql';
import type { Row } from '../../core/model';
import { rawPageText, type RawPageIds, type SelectOptions, type SqlDialect } from '../dialect';
import { withDriverConnection } from '../driver';
import { keysetByLevels } from '../keyset';
import { sqliteKnexConfig } from './client';
import { clearSqliteOrigin } from './clear-origin';
import { sqliteCommittedReaderOf } from './committed-reader';
import { bigintsToNumbers, hasUnsafeInteger, sqliteDecoders } from './decode';
import { compileSqliteMappedInsert, executeSqliteMappedInsert } from './mapped-insert';
import { executeSqliteInsert } from './insert';
import { sqliteRawPageSql } from './raw-commit';
import { commitSqliteRawPages } from './raw-pages';
import { sqliteStatement, type SqliteConnection } from './statements';

/** Staged rows published between two turns of the event loop. */
const PUBLISH_YIELD_EVERY = 200;

/** SQLite through better-sqlite3: synchronous, one connection, statements kept prepared. */
export const sqliteDialect: SqlDialect = {
  name: 'sqlite',
  knexConfig: sqliteKnexConfig,
  async prepare() {},
  connectHint: 'Check DB_URL (or --db): the SQLite file must be a database (or not exist yet) in a directory that exists.',

  maxParams: 32000, // SQLite's limit is 32766
  maxRows: 500, // larger statements gain nothing and cost more to prepare
  toDriver(v) {
    switch (typeof v) {
      case 'boolean':
        return v ? 1 : 0;
      case 'object':
        if (v instanceof Date) return v.toISOString();
        return Buffer.isBuffer(v) ? v : JSON.stringify(v);
      default:
        return v;
    }
  },
  insertSql: (plan, rowCount) => conflictInsertSql(plan, rowCount, () => '?'),
  executeInsert: executeSqliteInsert,

  compileMappedInsert: (plan) => compileSqliteMappedInsert(plan, sqliteDialect.toDriver),
  executeMappedInsert: executeSqliteMappedInsert,

  /** Through a statement kept prepared on the connection: knex prepares every query anew, a third of a page read. */
  async selectRows<T>(knex: Knex, query: Knex.QueryBuilder, options: SelectOptions = {}): Promise<T[]> {
    const { sql, bindings } = query.toSQL().toNative();
    // The client's own conversion: booleans as 0/1, Dates as ISO text (see client.ts).
    const values = (knex.client as { _formatBindings(bindings: readonly unknown[]): unknown[] })._formatBindings(bindings);
    const exact = options.exactIntegers === true;
    return withDriverConnection<SqliteConnection, T[]>(knex, (conn) => {
      const stmt = sqliteStatement(conn, sql);
      const rows = stmt.safeIntegers(false).all(values) as T[];
      // better-sqlite3 rounds integers beyond 2^53 unless asked for BigInts, and a rounded one is itself beyond
      // 2^53: only then is the page read again as BigInts (the ones that fit become numbers again). Reading every
      // page as BigInts cost ~40 % more than the read itself.
      if (!exact || !hasUnsafeInteger(rows as Row[])) return rows;
      return bigintsToNumbers(stmt.safeIntegers(true).all(values) as Row[]) as T[];
    });
  },
  decoders: sqliteDecoders,
  /**
   * Up to one query per key column: same (k0…ki-1) and a larger ki, deepest
   * level first. SQLite cannot combine a row-value bound `(k0, k1) > (?, ?)`
   * with an equality the caller puts on k0 (a converter's `where
   * connection_id = 1`): it then scans every row of that k0 for each page,
   * quadratic in the table. Each level here is an index range.
   */
  keysetAfter: keysetByLevels,
  prefetchPages: false, // SQLite answers synchronously: nothing to overlap on the connection
  committedReader: sqliteCommittedReaderOf,
  singleWriter: true,
  relaxedCommits: false,
  jsonText: (knex, column, key) => knex.raw(`json_extract(??, ?)`, [column, `$.${key}`]),

  async applyTransactionOptions() {
    return undefined; // synchronous = NORMAL already (client.ts); no planner settings needed
  },

  /**
   * One statement per staged row, in id order. A single statement over every
   * row needs `ORDER BY id, key` over a union, which SQLite answers by sorting
   * all the raw data in a temporary b-tree (~30 % slower on 100 MB); per row,
   * json_each yields a page's elements in order and the sort is a page.
   */
  async publishStaged(knex, staging, rawTable, params) {
    const staged = (await knex(staging).where({ raw_table: rawTable, params }).whereNull('raw_from_id').select('id', 'records').orderBy('id')) as Array<{
      id: number;
      records: number | null;
    }>;
    const columns = 'params, data, url, input, created_at';
    const [raw, stg] = [quoteIdentifier(rawTable), quoteIdentifier(staging)];
    const single = `insert into ${raw} (${columns}) select ${columns} from ${stg} where id = ?`;
    const page = `insert into ${raw} (${columns}) select s.params, j.value, s.url, s.input, s.created_at from ${stg} s cross join json_each(s.data) j where s.id = ? order by j.key`;
    // The driver's own prepared statements: through knex each of these thousands of statements is prepared anew.
    await withDriverConnection<SqliteConnection>(knex, async (conn) => {
      const [one, many] = [sqliteStatement(conn, single), sqliteStatement(conn, page)];
      for (let i = 0; i < staged.length; i++) {
        const { id, records } = staged[i]!;
        (records === null ? one : many).run([id]);
        // Synchronous statements: a turn of the event loop now and then lets Ctrl-C and the run lock's heartbeat through.
        if (i % PUBLISH_YIELD_EVERY === PUBLISH_YIELD_EVERY - 1) await new Promise((resolve) => setImmediate(resolve));
      }
    });
  },

  /**
   * One prepared statement: SQLite splits the page with json_each. An object's
   * or array's `value` is its JSON text; a scalar's is the SQL value, so it is
   * turned back into JSON text by type. Ids of one statement are consecutive
   * (one writer, AUTOINCREMENT), so the last rowid and the count give them.
   */
  async insertRawPage(knex, rawTable, page) {
    const sql = sqliteRawPageSql(rawTable);
    return withDriverConnection<SqliteConnection, RawPageIds>(knex, (conn) => {
      const r = sqliteStatement(conn, sql).run([page.params, page.url, page.input, page.createdAt.toISOString(), rawPageText(page.data)]) as {
        changes: number;
        lastInsertRowid: number | bigint;
      };
      if (r.changes === 0) return { rows: 0, fromId: null, toId: null };
      const last = Number(r.lastInsertRowid);
      return { rows: r.changes, fromId: last - r.changes + 1, toId: last };
    });
  },

  commitRawPages: (knex, commit) => commitSqliteRawPages(knex, commit, sqliteDialect.toDriver),
  // In call order through one queue, a failed chain refused after (raw-pages.ts): the thread writes one while the next waits.
  rawCommitsInFlight: 2,
  clearOrigin: clearSqliteOrigin,

  async runCreateTable(_knex, builder) {
    await builder;
  },
  async tableNames(knex) {
    const rows = (await knex.raw(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)) as Array<{ name: string }>;
    return rows.map((r) => r.name);
  },
  async primaryKeyOf(knex, table) {
    const rows = (await knex.raw('PRAGMA table_info(??)', [table])) as Array<{ name: string; pk: number }>;
    return rows
      .filter((r) => r.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((r) => r.name);
  },
  async widenParamsColumns() {
    // SQLite ignores varchar widths: nothing to widen.
  },
  async syncAutoIncrement() {
    // An INTEGER PRIMARY KEY continues after the largest id by itself.
  },

  async createScratch(url) {
    return url; // freshDatabase makes SQLite scratch databases as files
  },
  async dropScratch() {},
};

