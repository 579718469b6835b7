import * as fs from 'node:fs';
import * as path from 'node:path';
import { createDal, createTable, domainModels, readRows } from 'devlake-ts';
import type { Dal, ModelDef, SubTaskContext, SubTaskMeta, TableSpec } from 'devlake-ts';
import { ExportState } from '../models/export-state';
import type { ExportTaskData } from '../task-data';

type Row = Record<string, unknown>;
type DomainModel = ModelDef & { readonly spec: TableSpec };

const PAGE = 1000;

/**
 * Copies the chosen domain tables to another database, or writes them as
 * JSON-lines / CSV files. Incremental: a table's rows whose `updated_at` is
 * newer than the last export's newest (all rows on a full sync, and always
 * for a table without `updated_at`). Atomic per table: a database target
 * gets each table's rows in one transaction; a file is written under a
 * temporary name and renamed into place. The watermark moves only after the
 * table's rows are in place.
 */
export async function exportTables(ctx: SubTaskContext<ExportTaskData>): Promise<void> {
  const data = ctx.getData();
  const target = data.target.kind === 'db' ? await createDal(data.target.url) : undefined;
  try {
    ctx.setProgress(0, data.tables.length, 'tables');
    for (const table of data.tables) {
      if (ctx.signal.aborted) return;
      const model = domainModels[table]!;
      const [state] = readRows<{ watermark: Date | null }>(ctx.db, await ctx.db.knex(ExportState.table).where({ target: data.targetKey, table_name: table }).limit(1), ExportState);
      const since = ctx.syncPolicy?.fullSync ? undefined : state?.watermark?.getTime();
      const exported = target ? await copyTable(ctx, model, target, since) : await writeFile(ctx, model, data, since);
      if (exported.rows > 0 || !state) {
        await ctx.db.upsert(
          ExportState.table,
          [{ target: data.targetKey, table_name: table, watermark: exported.watermark ?? since ?? null, rows_exported: exported.rows, exported_at: new Date() }],
          { primaryKey: ExportState.primaryKey },
        );
      }
      ctx.addRowsWritten(table, exported.rows);
      ctx.incProgress();
    }
  } finally {
    await target?.close();
  }
}

/** The rows of `model` changed since `since`, a page at a time, decoded the same on every database. */
async function* changedRows(ctx: SubTaskContext<ExportTaskData>, model: DomainModel, since: number | undefined): AsyncIterable<Row[]> {
  const columns = Object.keys(model.spec.columns);
  const hasUpdatedAt = columns.includes('updated_at');
  // Compared here, not in SQL: SQLite keeps DB-default times as `YYYY-MM-DD HH:MM:SS` and written ones as ISO text.
  const keep = (r: Row) => since === undefined || !hasUpdatedAt || ((r.updated_at as Date | null)?.getTime() ?? Infinity) > since;
  if (model.primaryKey.length === 0) {
    // A key-less table (repo_languages) has no key to page by: one read.
    const rows = readRows<Row>(ctx.db, await ctx.db.knex(model.table).select(columns), model);
    yield rows.filter(keep);
    return;
  }
  for await (const page of ctx.db.streamPages<Row>((db) => db(model.table).select(columns), { key: model.primaryKey, pageSize: PAGE, columns: model.spec.columns })) {
    const rows = page.filter(keep);
    if (rows.length > 0) yield rows;
  }
}

interface Exported {
  rows: number;
  /** Newest updated_at among the exported rows. */
  watermark?: Date;
}

/** Upserts the changed rows into the target database in one transaction, creating the table there if needed. */
async function copyTable(ctx: SubTaskContext<ExportTaskData>, model: DomainModel, target: Dal, since: number | undefined): Promise<Exported> {
  if (!(await target.hasTable(model.table))) await createTable(target.knex, model);
  const out: Exported = { rows: 0 };
  await target.transaction(async (tx) => {
    // Without a key, rows cannot be matched: the table is replaced whole.
    if (model.primaryKey.length === 0) await tx.knex(model.table).delete();
    for await (const rows of changedRows(ctx, model, since)) {
      if (model.primaryKey.length === 0) await tx.insert(model.table, rows);
      else await tx.upsert(model.table, rows, { primaryKey: model.primaryKey });
      track(out, rows);
    }
  });
  return out;
}

/** Writes the changed rows to `<dir>/<table>-<time>.<jsonl|csv>`, under a temporary name until complete. */
async function writeFile(ctx: SubTaskContext<ExportTaskData>, model: DomainModel, data: ExportTaskData, since: number | undefined): Promise<Exported> {
  if (data.target.kind !== 'files') throw new TypeError('not a file target');
  const { dir, format } = data.target;
  fs.mkdirSync(dir, { recursive: true });
  const columns = Object.keys(model.spec.columns);
  const tmp = path.join(dir, `.${model.table}.${process.pid}.tmp`);
  const out: Exported = { rows: 0 };
  const fd = fs.openSync(tmp, 'w');
  try {
    if (format === 'csv') fs.writeSync(fd, `${columns.map(csvField).join(',')}\n`);
    for await (const rows of changedRows(ctx, model, since)) {
      const text = rows.map((r) => (format === 'csv' ? columns.map((c) => csvField(r[c])).join(',') : JSON.stringify(Object.fromEntries(columns.map((c) => [c, plain(r[c])]))))).join('\n');
      fs.writeSync(fd, `${text}\n`);
      track(out, rows);
    }
    fs.fsyncSync(fd);
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  if (out.rows === 0 && since !== undefined) {
    fs.rmSync(tmp, { force: true }); // nothing changed: no new file
    return out;
  }
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('.', '');
  fs.renameSync(tmp, path.join(dir, `${model.table}-${stamp}.${format}`));
  return out;
}

function track(out: Exported, rows: Row[]): void {
  out.rows += rows.length;
  for (const r of rows) {
    const t = r.updated_at as Date | null | undefined;
    if (t && (!out.watermark || t > out.watermark)) out.watermark = t;
  }
}

/** A value as JSON has it: times as ISO-8601 UTC, big integers as decimal text. */
function plain(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'bigint') return v.toString();
  return v ?? null;
}

/** RFC 4180: quoted when it holds a comma, quote or line break; NULL is an empty field. */
function csvField(v: unknown): string {
  const p = plain(v);
  const s = p === null ? '' : typeof p === 'object' ? JSON.stringify(p) : typeof p === 'boolean' ? (p ? '1' : '0') : String(p);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const ExportTablesMeta: SubTaskMeta<ExportTaskData> = {
  name: 'Export Tables',
  entryPoint: exportTables,
  enabledByDefault: true,
  description: 'Copy domain tables changed since the last export to another database, or write them as JSON-lines/CSV files',
  domainTypes: ['CODE', 'TICKET', 'CICD', 'CROSS'],
};
