/**
 * How a database value is written in a snapshot, as DevLake's e2e helper does:
 * NULL → '', timestamps → UTC `YYYY-MM-DDTHH:mm:ss.SSS+00:00`, booleans → 1/0,
 * integers → decimal, floats → Go's `%v`, strings verbatim.
 */

/** The kind of a column, from its database type. */
export type ColumnKind = 'timestamp' | 'boolean' | 'json' | 'float' | 'other';

/** Maps a `columnInfo()` type name (SQLite or Postgres) to a kind. */
export function columnKind(dbType: string | undefined): ColumnKind {
  const t = (dbType ?? '').toLowerCase();
  if (t.includes('timestamp') || t === 'datetime' || t === 'date') return 'timestamp';
  if (t === 'boolean' || t === 'bool') return 'boolean';
  if (t === 'json' || t === 'jsonb') return 'json';
  if (t === 'double precision' || t === 'double' || t === 'real' || t === 'float' || t.startsWith('float') || t === 'numeric' || t === 'decimal') return 'float';
  return 'other';
}

/** `2022-06-13T15:35:54.000+00:00` for an instant. */
export function formatTimestamp(d: Date): string {
  return d.toISOString().replace('Z', '+00:00');
}

/**
 * Parses the timestamp forms found in DevLake CSVs and in SQLite text:
 * ISO with `Z` or an offset, `YYYY-MM-DD HH:mm:ss[.ffffff][+zz:zz]` (date and time
 * parts may be unpadded, as MySQL accepts: `2023-4-10 6:51:47`); no zone means UTC.
 */
export function parseTimestamp(value: string): Date | undefined {
  const m = /^(\d{4}-\d{1,2}-\d{1,2})(?:[T ](\d{1,2}:\d{1,2}(?::\d{1,2})?)(?:\.(\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i.exec(value.trim());
  if (!m) return undefined;
  const [, rawDate, rawTime = '00:00:00', frac = '', zone = 'Z'] = m;
  // MySQL's relaxed form (`2023-4-10 6:51:47`, in DevLake's CSVs) has unpadded parts.
  const pad = (parts: string, sep: string) => parts.split(sep).map((p, i) => p.padStart(i === 0 && sep === '-' ? 4 : 2, '0')).join(sep);
  const date = pad(rawDate!, '-');
  const time = pad(rawTime, ':');
  const ms = (frac + '000').slice(0, 3);
  let tz = zone.toUpperCase();
  if (tz !== 'Z') tz = tz.length === 3 ? `${tz}:00` : tz.includes(':') ? tz : `${tz.slice(0, 3)}:${tz.slice(3)}`;
  const d = new Date(`${date}T${time.length === 5 ? `${time}:00` : time}.${ms}${tz}`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Formats one value for comparison with a CSV field. */
export function formatValue(value: unknown, kind: ColumnKind): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return formatTimestamp(value);
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (kind === 'timestamp') {
    const d = typeof value === 'number' ? new Date(value) : parseTimestamp(String(value));
    return d ? formatTimestamp(d) : String(value);
  }
  if (kind === 'boolean') {
    const s = String(value).toLowerCase();
    if (s === 'true' || s === 't' || s === '1') return '1';
    if (s === 'false' || s === 'f' || s === '0') return '0';
  }
  if (kind === 'float' && (typeof value === 'number' || typeof value === 'string') && value !== '' && Number.isFinite(Number(value))) {
    return formatGoFloat(Number(value));
  }
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * Go's `%v` of a float64 (strconv 'g', shortest digits): plain decimals for
 * exponents -4..5, otherwise `d.ddde±XX` with at least two exponent digits,
 * e.g. 68 → `68`, 1e6 → `1e+06`, 0.00001 → `1e-05`.
 */
export function formatGoFloat(n: number): string {
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mantissa, expText] = n.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  // In range, JS's shortest decimal text is Go's too.
  return String(n);
}
