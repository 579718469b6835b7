import { DevlakeError, isDevlakeError } from '../core/errors';
import type { ModelDef, Row } from '../core/model';
import type { Dal } from '../dal/types';

/**
 * Writes the rows of one table inside the extraction's transaction, last row
 * per primary key winning. Two paths, both plain `INSERT … ON CONFLICT DO UPDATE`
 * with SQL built once per column set (knex's per-statement compile dominated):
 * SQLite runs one cached prepared statement per row on the transaction's
 * connection; Postgres sends de-duplicated multi-row statements of `batchSize`.
 */
export interface TableWriter {
  /** Queues or writes one row (provenance already set); returns a promise only when it has to wait. */
  add(row: Row): Promise<void> | void;
  /** Writes whatever is queued. */
  flush(): Promise<void>;
  /** Rows written so far. */
  readonly written: number;
}

/** Creates the writer for `model`'s table on the transaction `tx`. */
export async function createTableWriter(tx: Dal, model: ModelDef<any>, batchSize: number): Promise<TableWriter> {
  return new CheckedWriter(await rawWriter(tx, model, batchSize), model.table);
}

async function rawWriter(tx: Dal, model: ModelDef<any>, batchSize: number): Promise<TableWriter> {
  if (tx.dialect === 'sqlite') {
    const conn = (await tx.knex.client.acquireConnection()) as SqliteConnection;
    return new SqliteRowWriter(conn, model);
  }
  if (tx.dialect === 'postgres') {
    const conn = (await tx.knex.client.acquireConnection()) as PgConnection;
    return new PgBatchWriter(conn, model, batchSize);
  }
  return new DalBatchWriter(tx, model, batchSize);
}

/** Turns a driver error into one that names the table and the fix. */
class CheckedWriter implements TableWriter {
  readonly #inner: TableWriter;
  readonly #table: string;

  constructor(inner: TableWriter, table: string) {
    this.#inner = inner;
    this.#table = table;
  }

  get written(): number {
    return this.#inner.written;
  }

  add(row: Row): Promise<void> | void {
    try {
      const pending = this.#inner.add(row);
      if (pending) return pending.catch((err: unknown) => this.#fail(err));
    } catch (err) {
      this.#fail(err);
    }
  }

  async flush(): Promise<void> {
    await this.#inner.flush().catch((err: unknown) => this.#fail(err));
  }

  #fail(err: unknown): never {
    if (isDevlakeError(err)) throw err;
    throw new DevlakeError('DEVLAKE_E_DB_QUERY', `Writing rows to ${this.#table} failed: ${(err as Error)?.message ?? String(err)}`, {
      cause: err,
      hint: 'Check that the returned rows use the columns of the table (run `devlake migrate` after changing a model); nothing was written.',
      data: { table: this.#table },
    });
  }
}

interface SqliteStatement {
  run(params: unknown[]): unknown;
}
interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
}
interface PgConnection {
  query(text: string, values: unknown[]): Promise<unknown>;
}

const q = (id: string): string => `"${id.replace(/"/g, '""')}"`;

/** `INSERT INTO t (cols) VALUES <values> ON CONFLICT (pk) DO UPDATE SET …` */
function upsertSql(table: string, columns: readonly string[], primaryKey: readonly string[], values: string): string {
  const merge = columns.filter((c) => !primaryKey.includes(c));
  const action = merge.length > 0 ? `DO UPDATE SET ${merge.map((c) => `${q(c)} = excluded.${q(c)}`).join(', ')}` : 'DO NOTHING';
  return `INSERT INTO ${q(table)} (${columns.map(q).join(', ')}) VALUES ${values} ON CONFLICT (${primaryKey.map(q).join(', ')}) ${action}`;
}

function rowColumns(row: Row): string[] {
  return Object.keys(row).filter((k) => row[k] !== undefined);
}

class SqliteRowWriter implements TableWriter {
  readonly #conn: SqliteConnection;
  readonly #model: ModelDef<any>;
  readonly #statements = new Map<string, { columns: string[]; stmt: SqliteStatement }>();
  written = 0;

  constructor(conn: SqliteConnection, model: ModelDef<any>) {
    this.#conn = conn;
    this.#model = model;
  }

  add(row: Row): void {
    const columns = rowColumns(row);
    const signature = columns.join('\u0001');
    let entry = this.#statements.get(signature);
    if (!entry) {
      const sql = upsertSql(this.#model.table, columns, this.#model.primaryKey, `(${columns.map(() => '?').join(', ')})`);
      entry = { columns, stmt: this.#conn.prepare(sql) };
      this.#statements.set(signature, entry);
    }
    entry.stmt.run(entry.columns.map((c) => sqliteValue(row[c])));
    this.written++;
  }

  async flush(): Promise<void> {
    // Rows are written as they come.
  }
}

class PgBatchWriter implements TableWriter {
  readonly #conn: PgConnection;
  readonly #model: ModelDef<any>;
  readonly #batchSize: number;
  readonly #sql = new Map<string, string>();
  #pending = new Map<string, Row>();
  written = 0;

  constructor(conn: PgConnection, model: ModelDef<any>, batchSize: number) {
    this.#conn = conn;
    this.#model = model;
    this.#batchSize = batchSize;
  }

  add(row: Row): Promise<void> | void {
    // One statement cannot update a row twice: keep the last row per key.
    const key = JSON.stringify(this.#model.primaryKey.map((k) => row[k]));
    this.#pending.delete(key);
    this.#pending.set(key, row);
    if (this.#pending.size >= this.#batchSize) return this.flush();
  }

  async flush(): Promise<void> {
    if (this.#pending.size === 0) return;
    const rows = [...this.#pending.values()];
    this.#pending = new Map();
    const seen = new Set<string>();
    for (const r of rows) for (const c of rowColumns(r)) seen.add(c);
    const columns = [...seen];
    // Postgres takes at most 65535 parameters per statement.
    const perStatement = Math.max(1, Math.min(rows.length, Math.floor(65000 / columns.length)));
    for (let i = 0; i < rows.length; i += perStatement) {
      const chunk = rows.slice(i, i + perStatement);
      const values: unknown[] = [];
      for (const r of chunk) for (const c of columns) values.push(pgValue(r[c]));
      await this.#conn.query(this.#text(columns, chunk.length), values);
      this.written += chunk.length;
    }
  }

  #text(columns: string[], n: number): string {
    const signature = `${n}\u0002${columns.join('\u0001')}`;
    let text = this.#sql.get(signature);
    if (!text) {
      const tuples: string[] = [];
      let p = 1;
      for (let r = 0; r < n; r++) tuples.push(`(${columns.map(() => `$${p++}`).join(', ')})`);
      text = upsertSql(this.#model.table, columns, this.#model.primaryKey, tuples.join(', '));
      this.#sql.clear(); // keep one shape: full batches repeat, the tail comes once
      this.#sql.set(signature, text);
    }
    return text;
  }
}

/** Any other dialect: the Dal's batch upsert. */
class DalBatchWriter implements TableWriter {
  readonly #tx: Dal;
  readonly #model: ModelDef<any>;
  readonly #batchSize: number;
  #rows: Row[] = [];
  written = 0;

  constructor(tx: Dal, model: ModelDef<any>, batchSize: number) {
    this.#tx = tx;
    this.#model = model;
    this.#batchSize = batchSize;
  }

  add(row: Row): Promise<void> | void {
    this.#rows.push(row);
    if (this.#rows.length >= this.#batchSize) return this.flush();
  }

  async flush(): Promise<void> {
    if (this.#rows.length === 0) return;
    const rows = this.#rows;
    this.#rows = [];
    this.written += await this.#tx.upsert(this.#model.table, rows, { primaryKey: this.#model.primaryKey, batchSize: this.#batchSize });
  }
}

/** As KnexDal stores values on SQLite: ISO text for dates, 1/0 for booleans, JSON for objects. */
function sqliteValue(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'object' && !Buffer.isBuffer(v)) return JSON.stringify(v);
  return v;
}

/** As KnexDal stores values on Postgres: NUL stripped from text (DevLake does too), JSON for objects. */
function pgValue(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v.includes('\u0000') ? v.replace(/\u0000/g, '') : v;
  if (v instanceof Date || Buffer.isBuffer(v)) return v;
  if (typeof v === 'object') return JSON.stringify(v);
  return v;
}
