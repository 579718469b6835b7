import type { Dal } from '../dal/types';
import { columnKind, type ColumnKind } from './format-value';

/** Column kinds of a table, read from the database (empty when the table is missing). */
export async function columnKinds(dal: Dal, table: string): Promise<Map<string, ColumnKind>> {
  const info = (await dal.knex(table).columnInfo()) as unknown as Record<string, { type: string }>;
  return new Map(Object.entries(info).map(([name, c]) => [name, columnKind(c.type)]));
}

/** The primary key columns of a table, in key order, read from the database. */
export async function primaryKeyOf(dal: Dal, table: string): Promise<string[]> {
  if (dal.dialect === 'sqlite') {
    const rows = (await dal.knex.raw('PRAGMA table_info(??)', [table])) as Array<{ name: string; pk: number }>;
    return rows.filter((r) => r.pk > 0).sort((a, b) => a.pk - b.pk).map((r) => r.name);
  }
  const res = (await dal.knex.raw(
    `SELECT a.attname AS name
       FROM pg_index i
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
      WHERE i.indrelid = to_regclass(?) AND i.indisprimary
      ORDER BY array_position(i.indkey, a.attnum)`,
    [quoteIdent(table)],
  )) as { rows: Array<{ name: string }> };
  return res.rows.map((r) => r.name);
}

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;
