import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureRawTable } from 'devlake-ts';
import { databases, parseCsv, type TestDb } from 'devlake-ts/testing';
import { devlake } from './helpers';

describe.each(databases())('devlake create-e2e-raw on $name', ({ open }) => {
  let db: TestDb;
  let cwd: string;
  beforeEach(async () => {
    db = await open();
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'devlake-e2e-raw-'));
    expect((await devlake(['create-plugin', 'acme', '--no-api-client', '--dir', 'p'], { cwd })).code).toBe(0);
  });
  afterEach(async () => {
    await db.drop();
    fs.rmSync(cwd, { recursive: true, force: true });
  });

  it('exports a raw table as the CSV fixture DataFlowTester imports; again is identical', async () => {
    await ensureRawTable(db.dal, '_raw_acme_items');
    await db.dal.insert('_raw_acme_items', [
      { params: '{"Scope":"default"}', data: '{"id":"1","name":"Zoë, \\"quoted\\""}', url: 'https://x/items', input: null, created_at: new Date('2024-01-02T03:04:05.678Z') },
      { params: '{"Scope":"default"}', data: '{"id":"2","name":"line\\nbreak"}', url: 'https://x/items', input: '{"n":2}', created_at: new Date('2024-01-02T03:04:05.678Z') },
    ]);
    const r = await devlake(['--db', db.url, 'create-e2e-raw', 'acme', 'items', '--dir', 'p'], { cwd });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toContain('created   p/acme/e2e/raw_tables/_raw_acme_items.csv');
    const csv = parseCsv(fs.readFileSync(path.join(cwd, 'p/acme/e2e/raw_tables/_raw_acme_items.csv'), 'utf8'));
    expect(csv.header).toEqual(['id', 'params', 'data', 'url', 'input', 'created_at']);
    expect(csv.rows.map((row) => [row[0], row[2], row[4], row[5]])).toEqual([
      ['1', '{"id":"1","name":"Zoë, \\"quoted\\""}', '', '2024-01-02T03:04:05.678+00:00'],
      ['2', '{"id":"2","name":"line\\nbreak"}', '{"n":2}', '2024-01-02T03:04:05.678+00:00'],
    ]);
    const again = await devlake(['--db', db.url, 'create-e2e-raw', 'acme', '_raw_acme_items', '--dir', 'p'], { cwd });
    expect(again.stdout).toContain('identical p/acme/e2e/raw_tables/_raw_acme_items.csv');
  });

  it('names a missing table and writes nothing', async () => {
    const r = await devlake(['--db', db.url, 'create-e2e-raw', 'acme', '_raw_acme_nothing', '--dir', 'p'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('DEVLAKE_E_GEN_INVALID_ANSWER');
    expect(r.stderr).toContain('_raw_acme_nothing does not exist');
    expect(fs.existsSync(path.join(cwd, 'p/acme/e2e/raw_tables'))).toBe(false);
  });
});
