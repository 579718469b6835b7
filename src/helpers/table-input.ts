import type { Knex } from 'knex';
import type { Dal } from '../core/dal';
import type { SelectRowOf, TableSpec } from '../core/table';

/**
 * The input of a child collection, read from a table: the rows `select` picks
 * from `table`, in `key` order (the same order on every run, so a crashed
 * collection resumes where it stopped), decoded per the table's declared
 * columns (the same values on every database), each mapped to the input object
 * the URL template renders and the raw rows' `input` column stores.
 *
 * @example
 * input: ({ db, data }) =>
 *   tableInput(db, GithubRun, (q) => q.select('id').where({ repo_id: data.options.githubId }), ['id'], (run) => ({ ID: run.id }))
 */
export function tableInput<TTable extends { table: string; spec: TableSpec; $inferSelect: object }, TInput>(
  db: Dal,
  table: TTable,
  select: (query: Knex.QueryBuilder) => Knex.QueryBuilder,
  key: readonly string[],
  map: (row: SelectRowOf<TTable>) => TInput,
): AsyncIterable<TInput> {
  const rows = db.stream<SelectRowOf<TTable> & Record<string, unknown>>((knex) => select(knex(table.table)), { key, columns: table.spec.columns });
  return {
    async *[Symbol.asyncIterator]() {
      for await (const row of rows) yield map(row);
    },
  };
}
