import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { databases, readCsv, TEST_PG_URL, writeCsv } from 'devlake-ts/testing';
import { buildTaskData } from '../task-data';
import { formatLine, main, parseArgs } from './conformance-cli';
import { runConformance } from './conformance';

describe('npm run conformance', () => {
  it('parses --db, --only and --report in both forms', () => {
    expect(parseArgs(['--db', 'sqlite:x.db', '--only=pr,issue', '--report', 'r.json'])).toEqual({ db: 'sqlite:x.db', only: ['pr', 'issue'], report: 'r.json' });
    expect(() => parseArgs(['--nope'])).toThrow(expect.objectContaining({ code: 'DEVLAKE_E_USAGE', message: 'unknown argument --nope' }));
    expect(() => parseArgs(['--db'])).toThrow(expect.objectContaining({ code: 'DEVLAKE_E_USAGE', message: '--db needs a value' }));
  });

  it('prints one line per test and a closing count, writes the report, exit 0', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gh-conf-'));
    try {
      const lines: string[] = [];
      const code = await main(['--only', 'repo,issue_assignee', '--db', `sqlite:${path.join(dir, 'x.db')}`, '--report', path.join(dir, 'r.json')], (l) => lines.push(l));
      expect(code).toBe(0);
      expect(lines[0]).toMatch(/^PASS issue_assignee\s+issue_assignees 9\/9$/);
      expect(lines[1]).toMatch(/^PASS repo\s+repos 1\/1, boards 1\/1, board_repos 1\/1, cicd_scopes 1\/1$/);
      expect(lines[2]).toBe('2 passed, 0 failed');
      const report = JSON.parse(fs.readFileSync(path.join(dir, 'r.json'), 'utf8'));
      expect(report.tests.map((t: { name: string }) => t.name)).toEqual(['issue_assignee', 'repo']);
      expect(report.tests[1].tables[0]).toEqual({ table: 'repos', expectedRows: 1, actualRows: 1, mismatches: 0 });
      // Exactly the shape: { db, tests: [{ name, passed, tables: [{ table, expectedRows, actualRows, mismatches }] }] }.
      expect(Object.keys(report)).toEqual(['db', 'tests']);
      for (const t of report.tests) {
        expect(Object.keys(t)).toEqual(['name', 'passed', 'tables']);
        for (const x of t.tables) expect(Object.keys(x)).toEqual(['table', 'expectedRows', 'actualRows', 'mismatches']);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  // Registered only where Postgres is among the test databases (DEVLAKE_TEST_DBS), so nothing is ever skipped.
  for (const pg of databases().filter((d) => d.name === 'postgres')) {
    it(`runs on a fresh ${pg.name} schema per test and keeps the password out of the report`, async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gh-conf-pg-'));
      try {
        const url = new URL(TEST_PG_URL);
        url.password = 'pw-not-for-reports';
        const lines: string[] = [];
        const code = await main(['--only', 'repo', '--db', url.toString(), '--report', path.join(dir, 'r.json')], (l) => lines.push(l));
        expect(code).toBe(0);
        const text = fs.readFileSync(path.join(dir, 'r.json'), 'utf8');
        expect(text).not.toContain('pw-not-for-reports');
        expect(JSON.parse(text).db).toContain('***');
        expect(lines.join('\n')).not.toContain('pw-not-for-reports');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it('exits non-zero on an unknown test name and a bad database URL, with a hint', async () => {
    const lines: string[] = [];
    expect(await main(['--nope'], (l) => lines.push(l))).toBe(2);
    expect(lines.join('\n')).toMatch(/DEVLAKE_E_USAGE: unknown argument --nope\nhint: Use --db <url>/);
    expect(await main(['--only', 'nope'], (l) => lines.push(l))).toBe(1);
    expect(lines.join('\n')).toMatch(/DEVLAKE_E_USAGE: Unknown e2e test\(s\): nope\nhint: Known tests: account/);
    expect(await main(['--only', 'repo', '--db', 'oracle://u:secretpw@h/db'], (l) => lines.push(l))).toBe(1);
    expect(lines.join('\n')).toMatch(/DEVLAKE_E_DB_URL: Cannot make a test database from oracle:\/\/u:\*\*\*@h\/db\nhint: Use sqlite:/);
    // A server that does not answer (port 1 refuses): a connection error, not a stack from the driver.
    expect(await main(['--only', 'repo', '--db', 'mysql://u:secretpw@127.0.0.1:1/db'], (l) => lines.push(l))).toBe(1);
    expect(lines.join('\n')).toMatch(/DEVLAKE_E_DB_CONNECT: Cannot connect to mysql:\/\/u:\*\*\*@127\.0\.0\.1:1\/db: .*ECONNREFUSED.*\nhint: Check the URL/);
    expect(lines.join('\n')).not.toContain('secretpw');
  });

  it('reports a failing test with its mismatch count when the plugin output differs', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gh-conf-data-'));
    try {
      // A copy of the data whose expected repo name differs: the run must fail and say where.
      const src = path.resolve(require('./manifest').defaultConformanceDir());
      fs.cpSync(src, dir, { recursive: true });
      const snap = path.join(dir, 'snapshot_tables', 'repos.csv');
      fs.writeFileSync(snap, fs.readFileSync(snap, 'utf8').replace('github:GithubRepo:1:134018330,panjf2000/ants', 'github:GithubRepo:1:134018330,other/name'));
      const report = await runConformance({ dir, filter: ['repo'] });
      expect(report.failed).toBe(1);
      const repos = report.tests[0].tables.find((t) => t.table === 'repos')!;
      expect(repos).toMatchObject({ expectedRows: 1, actualRows: 1, mismatches: 1 });
      expect(formatLine(report.tests[0])).toMatch(/^FAIL repo\s+repos 1\/1 \(1 mismatched\)/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps a failing run to one line per test on stdout, the diff on stderr, and the report in the issue\'s shape', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gh-conf-fail-'));
    const cwd = process.cwd();
    const env = process.env.GITHUB_CONFORMANCE_DIR;
    try {
      const data = path.join(dir, 'data');
      fs.cpSync(path.resolve(require('./manifest').defaultConformanceDir()), data, { recursive: true });
      const snap = path.join(data, 'snapshot_tables', 'repos.csv');
      fs.writeFileSync(snap, fs.readFileSync(snap, 'utf8').replace('github:GithubRepo:1:134018330,panjf2000/ants', 'github:GithubRepo:1:134018330,other/name'));
      process.env.GITHUB_CONFORMANCE_DIR = data;
      process.chdir(dir);
      const out: string[] = [];
      const err: string[] = [];
      expect(await main(['--only', 'repo,issue_assignee'], (l) => out.push(l), (l) => err.push(l))).toBe(1);
      expect(out).toHaveLength(3);
      expect(out[0]).toMatch(/^PASS issue_assignee /);
      expect(out[1]).toMatch(/^FAIL repo\s+repos 1\/1 \(1 mismatched\), boards 1\/1/);
      expect(out[2]).toBe('1 passed, 1 failed');
      expect(err.join('\n')).toContain('name: expected "other/name", actual "panjf2000/ants"');
      const report = JSON.parse(fs.readFileSync(path.join(dir, 'conformance-report.json'), 'utf8'));
      expect(report.tests[1]).toEqual({
        name: 'repo',
        passed: false,
        tables: [
          { table: 'repos', expectedRows: 1, actualRows: 1, mismatches: 1 },
          { table: 'boards', expectedRows: 1, actualRows: 1, mismatches: 0 },
          { table: 'board_repos', expectedRows: 1, actualRows: 1, mismatches: 0 },
          { table: 'cicd_scopes', expectedRows: 1, actualRows: 1, mismatches: 0 },
        ],
      });
    } finally {
      process.chdir(cwd);
      if (env === undefined) delete process.env.GITHUB_CONFORMANCE_DIR;
      else process.env.GITHUB_CONFORMANCE_DIR = env;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reads a listed column the table lacks as NULL, as DevLake does: equal to an empty snapshot cell, else a mismatch", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gh-conf-col-'));
    try {
      fs.cpSync(path.resolve(require('./manifest').defaultConformanceDir()), dir, { recursive: true });
      const file = path.join(dir, 'manifest.json');
      const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
      const step = manifest.tests.find((t: { name: string }) => t.name === 'repo').steps.find((s: { verify?: string }) => s.verify === 'repos');
      step.columns = [...step.columns, 'no_such_column'];
      fs.writeFileSync(file, JSON.stringify(manifest));
      expect((await runConformance({ dir, filter: ['repo'] })).failed).toBe(0);
      const snapshot = readCsv(path.join(dir, step.snapshot));
      writeCsv(path.join(dir, step.snapshot), { header: [...snapshot.header, 'no_such_column'], rows: snapshot.rows.map((r) => [...r, 'x']) });
      const report = await runConformance({ dir, filter: ['repo'] });
      expect(report.failed).toBe(1);
      const repos = report.tests[0].tables.find((t) => t.table === 'repos')!;
      expect(repos.mismatches).toBeGreaterThanOrEqual(1);
      expect(repos.error).toMatch(/no_such_column/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses task options without a connection or a repo', () => {
    expect(() => buildTaskData({ connectionId: 1 })).toThrow(expect.objectContaining({ code: 'DEVLAKE_E_CONFIG' }));
    expect(() => buildTaskData({ name: 'o/r' })).toThrow(expect.objectContaining({ code: 'DEVLAKE_E_CONFIG' }));
    expect(buildTaskData({ connectionId: 2, owner: 'o', repo: 'r' }).params).toEqual({ ConnectionId: 2, Name: 'o/r' });
  });
});
