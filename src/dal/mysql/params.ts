import type { Knex } from 'knex';
import { TEXT_INDEX_PREFIX } from './client';

const STATE_TABLE = '_devlake_ts_collector_latest_state';

/**
 * Widens the varchar columns holding scope params in tables devlake-ts
 * creates (`_raw_*`, `_tool_*`, `_devlake_ts_*`; never a table of DevLake's
 * lists): to longtext, their indexes re-created over a prefix (MySQL cannot
 * index a whole text column). The collector state's params are part of its
 * primary key, which cannot be a prefix without merging distinct scopes: they
 * become varchar(512), the most InnoDB's 3072-byte key leaves beside
 * raw_data_table varchar(255) at 4 bytes a character.
 */
export async function widenMysqlParamsColumns(knex: Knex): Promise<Array<{ table: string; column: string }>> {
  const [columns] = (await knex.raw(
    `SELECT TABLE_NAME AS tbl, COLUMN_NAME AS col, IS_NULLABLE AS nullable FROM information_schema.COLUMNS
      WHERE TABLE_SCHEMA = DATABASE() AND DATA_TYPE = 'varchar' AND CHARACTER_MAXIMUM_LENGTH < 512
        AND (TABLE_NAME LIKE '\\_raw\\_%' OR TABLE_NAME LIKE '\\_tool\\_%' OR TABLE_NAME LIKE '\\_devlake\\_ts\\_%')
        AND (COLUMN_NAME IN ('_raw_data_params', 'raw_data_params')
             OR (COLUMN_NAME = 'params' AND (TABLE_NAME LIKE '\\_raw\\_%' OR TABLE_NAME = '_devlake_ts_raw_staging')))
      ORDER BY TABLE_NAME`,
  )) as [Array<{ tbl: string; col: string; nullable: string }>];
  for (const { tbl, col, nullable } of columns) {
    const notNull = nullable === 'NO' ? ' NOT NULL' : '';
    if (tbl === STATE_TABLE) {
      await knex.raw(`ALTER TABLE ?? MODIFY ?? varchar(512)${notNull}`, [tbl, col]);
      continue;
    }
    const [stats] = (await knex.raw(
      `SELECT INDEX_NAME AS name, NON_UNIQUE AS nonUnique, COLUMN_NAME AS col, SUB_PART AS part FROM information_schema.STATISTICS
        WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND INDEX_NAME <> 'PRIMARY'
          AND INDEX_NAME IN (SELECT INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?)
        ORDER BY INDEX_NAME, SEQ_IN_INDEX`,
      [tbl, tbl, col],
    )) as [Array<{ name: string; nonUnique: number; col: string; part: number | null }>];
    const indexes = new Map<string, { unique: boolean; parts: string[] }>();
    for (const s of stats) {
      const entry = indexes.get(s.name) ?? { unique: Number(s.nonUnique) === 0, parts: [] };
      const prefix = s.col === col ? TEXT_INDEX_PREFIX : s.part;
      entry.parts.push(prefix ? `\`${s.col.replace(/`/g, '``')}\`(${prefix})` : `\`${s.col.replace(/`/g, '``')}\``);
      indexes.set(s.name, entry);
    }
    for (const name of indexes.keys()) await knex.raw('ALTER TABLE ?? DROP INDEX ??', [tbl, name]);
    await knex.raw(`ALTER TABLE ?? MODIFY ?? longtext${notNull}`, [tbl, col]);
    for (const [name, { unique, parts }] of indexes) {
      await knex.raw(`ALTER TABLE ?? ADD ${unique ? 'UNIQUE ' : ''}INDEX ?? (${parts.join(', ')})`, [tbl, name]);
    }
  }
  return columns.map((c) => ({ table: c.tbl, column: c.col }));
}
