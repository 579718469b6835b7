import type { Dal } from './types';

/** One row of a `_raw_<plugin>_<name>` table, with DevLake's columns. */
export interface RawRow {
  id: number;
  /** JSON of the scope params, e.g. `{"ConnectionId":1,"Name":"org/repo"}`. */
  params: string;
  /** The record as JSON text. */
  data: string;
  /** The URL it was fetched from. */
  url: string;
  /** JSON of the input the request was made for (child collections), or null. */
  input: string | null;
  created_at: Date | string;
}

/** Creates a raw table with DevLake's columns, if it does not exist. */
export async function ensureRawTable(db: Dal, table: string): Promise<void> {
  if (await db.hasTable(table)) return;
  try {
    await db.knex.schema.createTable(table, (t) => {
      t.bigIncrements('id').primary();
      t.text('params').notNullable().defaultTo('').index(`${table}_params_idx`);
      t.text('data');
      t.text('url');
      t.text('input');
      t.timestamp('created_at', { useTz: true });
    });
  } catch (err) {
    // Tasks of other scopes on other connections (a pipeline stage, workers) create it at the same time.
    if (!(await db.hasTable(table))) throw err;
  }
}
