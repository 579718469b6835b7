import * as path from 'node:path';
import { DevlakeError, domainModels, redact } from 'devlake-ts';
import type { TaskContext } from 'devlake-ts';

/** The task options (`--options '{"to":"postgres://…","tables":["issues"]}'`). */
export interface ExportOptions {
  /** A database URL (`sqlite:…`, `postgres://…`, `mysql://…`) to copy the tables into. */
  to?: string;
  /** Or: a directory to write files into. */
  dir?: string;
  /** File format with `dir`: `jsonl` (default, one JSON object per line) or `csv`. */
  format?: 'jsonl' | 'csv';
  /** Domain tables to export. Default: all 64 of DevLake's domain tables. */
  tables?: string[];
}

/** What the export subtask gets. */
export interface ExportTaskData {
  /** Where the rows go. */
  target: { kind: 'db'; url: string } | { kind: 'files'; dir: string; format: 'jsonl' | 'csv' };
  /** The target's name in `_tool_export_state` (a URL with its password masked, or the absolute directory). */
  targetKey: string;
  tables: string[];
}

/** Checks the options: exactly one target, known tables. */
export function prepareTaskData(_ctx: TaskContext<ExportOptions>, options: ExportOptions): ExportTaskData {
  const o = options ?? {};
  const usage = `e.g. --options '{"to":"postgres://user@host/db","tables":["issues"]}' or '{"dir":"./out","format":"csv"}'`;
  if ((o.to === undefined) === (o.dir === undefined)) {
    throw new DevlakeError('DEVLAKE_E_CONFIG', 'export needs exactly one of the options "to" (a database URL) and "dir" (a directory)', { hint: usage });
  }
  const format = o.format ?? 'jsonl';
  if (format !== 'jsonl' && format !== 'csv') {
    throw new DevlakeError('DEVLAKE_E_CONFIG', `export option "format" must be "jsonl" or "csv", got ${JSON.stringify(o.format)}`, { hint: usage });
  }
  const all = Object.keys(domainModels).sort();
  const tables = o.tables === undefined ? all : o.tables;
  if (!Array.isArray(tables) || tables.length === 0) {
    throw new DevlakeError('DEVLAKE_E_CONFIG', 'export option "tables" must be a non-empty list of domain tables', { hint: `Leave it out to export all ${all.length}.` });
  }
  const unknown = tables.filter((t) => !domainModels[t]);
  if (unknown.length > 0) {
    throw new DevlakeError('DEVLAKE_E_CONFIG', `export: not a domain table: ${unknown.join(', ')}`, { hint: `Domain tables: ${all.join(', ')}.` });
  }
  if (o.to !== undefined) {
    if (typeof o.to !== 'string' || o.to === '') throw new DevlakeError('DEVLAKE_E_CONFIG', 'export option "to" must be a database URL', { hint: usage });
    return { target: { kind: 'db', url: o.to }, targetKey: redact(o.to), tables: [...new Set(tables)] };
  }
  const dir = path.resolve(String(o.dir));
  return { target: { kind: 'files', dir, format }, targetKey: dir, tables: [...new Set(tables)] };
}
