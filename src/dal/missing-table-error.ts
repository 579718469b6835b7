/** Postgres' undefined_table and undefined_column; mysql2's names for MySQL's and MariaDB's. */
const MISSING_CODES = new Set(['42P01', '42703', 'ER_NO_SUCH_TABLE', 'ER_BAD_FIELD_ERROR']);

/** better-sqlite3 gives every statement error the code SQLITE_ERROR: the message (which knex prefixes with the SQL) says which. */
const SQLITE_MISSING = /\bno such (table|column): |\btable \S+ has no column named /;

/**
 * True when `err`, or an error in its `cause` chain, says a table or column
 * the statement names does not exist: the schema (a migration) is what is
 * wrong, not the data or the database's state. By code, not by words: "does
 * not exist" is also Postgres' word for a missing role or savepoint.
 */
export function isMissingTableOrColumn(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    if (MISSING_CODES.has(code)) return true;
    const message = (e as { message?: unknown }).message;
    if (code.startsWith('SQLITE_') && typeof message === 'string' && SQLITE_MISSING.test(message)) return true;
  }
  return false;
}
