import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Issue, Repo, RepoLanguage } from 'devlake-ts';
import { databases, DataFlowTester, parseCsv, type TestDb } from 'devlake-ts/testing';
import plugin from '../index';
import { ExportTablesMeta } from '../tasks/export-tables';
import { prepareTaskData, type ExportOptions, type ExportTaskData } from '../task-data';

const ctx = {} as Parameters<typeof prepareTaskData>[0];

describe('export options', () => {
  it('need exactly one target and known domain tables', () => {
    const bad = (o: ExportOptions) => () => prepareTaskData(ctx, o);
    expect(bad({})).toThrow(expect.objectContaining({ code: 'DEVLAKE_E_CONFIG' }));
    expect(bad({ to: 'sqlite:x.db', dir: 'out' })).toThrow(expect.objectContaining({ code: 'DEVLAKE_E_CONFIG' }));
    expect(bad({ dir: 'out', tables: ['_tool_github_issues'] })).toThrow(/not a domain table: _tool_github_issues/);
    expect(bad({ dir: 'out', format: 'xml' as 'csv' })).toThrow(/"jsonl" or "csv"/);
    expect(prepareTaskData(ctx, { dir: 'out' }).tables).toHaveLength(64);
    // The state key never holds a password.
    expect(prepareTaskData(ctx, { to: 'postgres://u:secret@h/db' }).targetKey).not.toContain('secret');
  });
});

describe.each(databases())('export to files on $name', ({ open }) => {
  let db: TestDb;
  let dir: string;
  beforeEach(async () => {
    db = await open();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'export-'));
  });
  afterEach(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await db.drop();
  });

  const run = async (tester: DataFlowTester, options: ExportOptions, fullSync = false) =>
    tester.runSubtask<ExportTaskData>(ExportTablesMeta, prepareTaskData(ctx, options), { syncPolicy: { fullSync } });

  it('writes JSON lines and CSV atomically, then only the rows changed since', async () => {
    const tester = new DataFlowTester({ dal: db.dal, plugin });
    await tester.migrate();
    const at = new Date('2024-01-02T03:04:05.678Z');
    await db.dal.insert('issues', [
      { id: 'i1', title: 'a, "quoted"\nline', is_subtask: false, story_point: 1.5, created_date: at, updated_at: new Date('2024-01-01T00:00:00Z') },
      { id: 'i2', title: 'b', updated_at: new Date('2024-01-01T00:00:01Z') },
    ]);
    await db.dal.insert('repo_languages', [{ repo_id: 'r', language: 'Go', bytes: 10 }]);

    let progress = await run(tester, { dir, tables: ['issues', 'repo_languages', 'repos'] });
    expect(progress.rowsWritten.get('issues')).toBe(2);
    let files = fs.readdirSync(dir).sort();
    expect(files.filter((f) => f.startsWith('.'))).toEqual([]); // no temporary file left
    const issuesFile = files.find((f) => /^issues-\d+T\d+Z\.jsonl$/.test(f))!;
    const lines = fs.readFileSync(path.join(dir, issuesFile), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.id, l.title, l.created_date])).toEqual([
      ['i1', 'a, "quoted"\nline', at.toISOString()],
      ['i2', 'b', null],
    ]);
    expect(Object.keys(lines[0])).toEqual(Issue.columns);
    expect(files.some((f) => f.startsWith('repos-'))).toBe(true); // an empty table still gets its first (empty) file
    expect(files.some((f) => f.startsWith('repo_languages-'))).toBe(true);

    // Nothing changed: no new issues file.
    await new Promise((r) => setTimeout(r, 5));
    await run(tester, { dir, tables: ['issues'] });
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('issues-'))).toHaveLength(1);

    // One changed row: a CSV with just it.
    await db.dal.knex('issues').where({ id: 'i2' }).update({ title: 'b2', updated_at: new Date('2024-01-01T00:00:02Z') });
    progress = await run(tester, { dir, tables: ['issues'], format: 'csv' });
    expect(progress.rowsWritten.get('issues')).toBe(1);
    files = fs.readdirSync(dir).filter((f) => f.endsWith('.csv'));
    const csv = parseCsv(fs.readFileSync(path.join(dir, files[0]!), 'utf8'));
    expect(csv.header).toEqual([...Issue.columns!]);
    expect(csv.rows.map((r) => [r[0], r[csv.header.indexOf('title')]])).toEqual([['i2', 'b2']]);

    // A full sync exports everything again.
    progress = await run(tester, { dir, tables: ['issues'], format: 'csv' }, true);
    expect(progress.rowsWritten.get('issues')).toBe(2);
    expect(Repo.table).toBe('repos');
    expect(RepoLanguage.primaryKey).toEqual([]);
  });
});
