/** Values read back from the database as each driver gives them; a converter reading a declared table gets them decoded instead. */

/** A timestamp read back from the database (Date on Postgres, text on SQLite). */
export function dbTime(v: unknown): Date | null {
  if (v === null || v === undefined || v === '') return null;
  if (v instanceof Date) return v;
  if (typeof v === 'number') return new Date(v);
  const s = String(v).trim();
  const iso = s.includes('T') ? s : s.replace(' ', 'T');
  const withZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(iso) ? iso : `${iso}Z`;
  const d = new Date(withZone);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** An integer column read back from the database (bigint comes back as text on Postgres). */
export function dbInt(v: unknown): number {
  if (v === null || v === undefined || v === '') return 0;
  const n = Number(v);
  return Number.isFinite(n) ? n : 0;
}

/** A text column read back from the database; NULL reads as ''. */
export function dbStr(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
}
