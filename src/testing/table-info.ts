import { dialectOf } from '../dal/dialects';
import type { Dal } from '../dal/types';
import { columnKind, type ColumnKind } from './format-value';

/** Column kinds of a table, read from the database (empty when the table is missing). */
export async function columnKinds(dal: Dal, table: string): Promise<Map<string, ColumnKind>> {
  const info = (await dal.knex(table).columnInfo()) as unknown as Record<string, { type: string }>;
  return new Map(Object.entries(info).map(([name, c]) => [name, columnKind(c.type)]));
}

/** The primary key columns of a table, in key order, read from the database. */
export async function primaryKeyOf(dal: Dal, table: string): Promise<string[]> {
  return dialectOf(dal.dialect).primaryKeyOf(dal.knex, table);
}
