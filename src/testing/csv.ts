import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { DevlakeError } from '../core/errors';

/** A parsed CSV file: the header and the data records, all as strings. */
export interface CsvTable {
  header: string[];
  rows: string[][];
}

/**
 * Reads a CSV file as Go's encoding/csv does: RFC 4180, first record is the
 * header, every CRLF turned into LF (inside quoted fields too), blank lines
 * skipped, every record as wide as the header.
 */
export function readCsv(file: string): CsvTable {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new DevlakeError('DEVLAKE_E_CSV', `Cannot read CSV ${file}: ${(err as Error).message}`, {
      cause: err,
      hint: 'Check the path; snapshots are written with UPDATE_SNAPSHOTS=1.',
    });
  }
  return parseCsv(text.replace(/\r\n/g, '\n'), file);
}

/** Parses CSV text (see `readCsv`); `source` names it in errors. */
export function parseCsv(text: string, source = '<csv>'): CsvTable {
  let records: string[][];
  try {
    records = parse(text.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n'), {
      skip_empty_lines: true,
      relax_column_count: false,
      relax_quotes: false,
    }) as string[][];
  } catch (err) {
    throw new DevlakeError('DEVLAKE_E_CSV', `Cannot parse CSV ${source}: ${(err as Error).message}`, {
      cause: err,
      hint: 'Fix the file at the line named in the message (RFC 4180: quote fields holding commas, quotes or line breaks).',
    });
  }
  if (records.length === 0) {
    throw new DevlakeError('DEVLAKE_E_CSV', `CSV ${source} has no header row`, { hint: 'The first line must list the column names.' });
  }
  const [header, ...rows] = records;
  const dup = header.find((h, i) => header.indexOf(h) !== i);
  if (dup !== undefined) {
    throw new DevlakeError('DEVLAKE_E_CSV', `CSV ${source} has column "${dup}" twice`, { hint: 'Each header name must be unique.' });
  }
  return { header, rows };
}

/** Writes a CSV file (header + rows, LF line ends, quoted only where needed), creating its directory. */
export function writeCsv(file: string, table: CsvTable): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, stringifyCsv(table));
}

/** Serializes a CSV table (see `writeCsv`). */
export function stringifyCsv(table: CsvTable): string {
  return stringify([table.header, ...table.rows], { record_delimiter: '\n' });
}
