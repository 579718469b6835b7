import type { Knex } from 'knex';
import type { MigrationScript } from '../core/dal';
import type { ColumnSpec, TableSpec } from '../core/table';
import { dialectOfKnex } from './dialects';

/**
 * CREATE TABLE for a declared table (`defineTable`), on any dialect. Use it in
 * a migration, on the table as it was when the migration was written:
 *
 * @example
 * export const addIssues: MigrationScript = tablesMigration(20240601000001, 'add_issues', [GithubIssue]);
 * // or by hand: async up(db) { await createTable(db, GithubIssue); }
 */
export async function createTable(db: Knex, table: { spec: TableSpec }): Promise<void> {
  const { spec } = table;
  const builder = db.schema.createTable(spec.table, (t) => {
    for (const [name, c] of Object.entries(spec.columns)) addColumn(t, db, name, c);
    if (spec.primaryKey.length > 0) t.primary([...spec.primaryKey], `${spec.table}_pkey`);
    for (const cols of spec.indexes ?? []) t.index([...cols], `idx_${spec.table}_${cols.join('_')}`);
  });
  await dialectOfKnex(db).runCreateTable(db, builder);
}

function addColumn(t: Knex.CreateTableBuilder, db: Knex, name: string, c: ColumnSpec): Knex.ColumnBuilder {
  const col = columnOfKind(t, name, c);
  if (c.notNull) col.notNullable();
  if (c.default === 'now') col.defaultTo(db.fn.now());
  else if (c.default) col.defaultTo(c.default.value as Knex.Value);
  if (c.index) col.index();
  return col;
}

function columnOfKind(t: Knex.CreateTableBuilder, name: string, c: ColumnSpec): Knex.ColumnBuilder {
  switch (c.kind) {
    case 'string':
      return t.string(name, c.length ?? 255);
    case 'text':
      return t.text(name);
    case 'bigint':
    case 'uint64':
      return t.bigInteger(name);
    case 'int':
      return t.integer(name);
    case 'float':
      return t.double(name);
    case 'bool':
      return t.boolean(name);
    case 'datetime':
      return t.timestamp(name, { useTz: true, precision: 3 });
    case 'json':
      return t.json(name);
  }
}

/**
 * A migration script that creates `tables`. Its checksum covers the tables'
 * specs as well as its code, so editing a declaration an applied migration
 * created is caught: give the migration a frozen copy (`frozenTable`, or the
 * spec literally) and add a new script for the change.
 */
export function tablesMigration(
  version: number,
  name: string,
  tables: ReadonlyArray<{ spec: TableSpec }>,
  options: Pick<MigrationScript, 'acceptedChecksums'> = {},
): MigrationScript {
  const specs = tables.map((t) => t.spec);
  return {
    ...options,
    version,
    name,
    fingerprint: JSON.stringify(specs),
    async up(db: Knex) {
      for (const spec of specs) await createTable(db, { spec });
    },
  };
}
