import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { migrate } from '../../src/dal/migrator';
import { calendarMonthRows, columnNames, domainMigrations, domainTables, domainTablesV1, domainTablesV2, domainTablesV3, Issue, ProjectPrMetric, PullRequest, RepoCommit } from '../../src/domain';
import { databases, type TestDb } from '../../src/testing/databases';
import { primaryKeyOf } from '../../src/testing/table-info';

const devlake = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'devlake-420e494b-domain-columns.json'), 'utf8')) as {
  tables: Record<string, { primaryKey: string[]; columns: string[] }>;
  snapshotHeaders: Record<string, string[]>;
};

const ISSUE_TABLES = [
  'repos', 'commits', 'commit_parents', 'commit_files', 'refs', 'pull_requests', 'pull_request_comments', 'pull_request_commits', 'pull_request_labels', 'pull_request_issues',
  'boards', 'board_issues', 'issues', 'issue_comments', 'issue_labels', 'issue_changelogs', 'issue_worklogs', 'sprints', 'sprint_issues', 'board_sprints', 'issue_assignees',
  'accounts', 'users', 'user_accounts', 'teams', 'team_users', 'board_repos', 'project_mapping', 'issue_repo_commits', 'issue_commits',
  'cicd_scopes', 'cicd_pipelines', 'cicd_pipeline_commits', 'cicd_tasks', 'cicd_deployment_commits',
];
const ADDED_LATER = ['repo_commits'];

describe('domain table specs', () => {
  it('cover every table the issue lists, once each, and the ones added since', () => {
    expect(domainTablesV1.map((t) => t.table).sort()).toEqual([...ISSUE_TABLES].sort());
    expect(domainTablesV2.map((t) => t.table)).toEqual(ADDED_LATER);
    expect(domainTablesV3).toHaveLength(28);
    expect(domainTables).toHaveLength(64);
    expect(new Set(domainTables.map((t) => t.table)).size).toBe(domainTables.length);
  });

  it("match DevLake's columns and primary keys where DevLake's e2e data shows them", () => {
    for (const [table, want] of Object.entries(devlake.tables)) {
      const spec = domainTablesV1.find((t) => t.table === table);
      expect({ table, columns: spec && [...columnNames(spec)].sort(), pk: spec?.primaryKey }).toEqual({ table, columns: [...want.columns].sort(), pk: want.primaryKey });
    }
    for (const [table, header] of Object.entries(devlake.snapshotHeaders)) {
      const spec = domainTablesV1.find((t) => t.table === table)!;
      expect(header.filter((c) => !columnNames(spec).includes(c))).toEqual([]);
    }
  });

  it('are pinned: changing an applied schema needs a new migration script', () => {
    // If this fails you edited a spec of an applied migration: revert it and add a new script instead.
    const fingerprint = (specs: unknown) => createHash('sha256').update(JSON.stringify(specs)).digest('hex');
    expect(fingerprint(domainTablesV1)).toBe(PINNED_FINGERPRINT);
    expect(fingerprint(domainTablesV2)).toBe(PINNED_FINGERPRINT_V2);
  });

  it('give models with the row types and keys converters need', () => {
    expect(Issue.table).toBe('issues');
    expect(PullRequest.primaryKey).toEqual(['id']);
    expect(Issue.row({ id: 'github:GithubIssue:1:2', title: 't' }).model).toBe(Issue);
    expect(RepoCommit.primaryKey).toEqual(['repo_id', 'commit_sha']);
    expect(ProjectPrMetric.primaryKey).toEqual(['id', 'project_name']);
  });

  it('month rows follow DevLake: YY/MM, from 23 months back to 120 ahead', () => {
    const rows = calendarMonthRows(new Date('2024-01-15T10:00:00Z'));
    expect(rows[0]).toEqual({ month: '34/01', month_timestamp: new Date('2034-01-01T00:00:00Z') });
    expect(rows[rows.length - 1]).toEqual({ month: '22/02', month_timestamp: new Date('2022-02-01T00:00:00Z') });
  });
});

describe.each(databases())('domain migrations on $name', ({ open }) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await open();
  });
  afterEach(async () => db.drop());

  it('upgrade a database that has only the first script', async () => {
    expect(await migrate(db.dal, [{ owner: 'domain', scripts: domainMigrations.slice(0, 1) }])).toHaveLength(1);
    expect(await db.dal.hasTable('repo_commits')).toBe(false);
    const applied = await migrate(db.dal, [{ owner: 'domain', scripts: domainMigrations }]);
    expect(applied.map((a) => a.name)).toEqual(['add_repo_commits', 'add_remaining_domain_tables_widen_columns_calendar_months', 'add_projects_and_project_metric_settings']);
    expect(await primaryKeyOf(db.dal, 'repo_commits')).toEqual(['repo_id', 'commit_sha']);
  });

  it('widen the six narrower columns without losing rows or keys', async () => {
    await migrate(db.dal, [{ owner: 'domain', scripts: domainMigrations.slice(0, 2) }]);
    await db.dal.insert('refs', [{ id: 'github:GithubRepo:1:2:refs/heads/main', name: 'main' }]);
    await db.dal.insert('cicd_pipelines', [{ id: 'p1', url: 'u', cicd_scope_id: 's' }]);
    await migrate(db.dal, [{ owner: 'domain', scripts: domainMigrations }]);
    const longRef = `github:GithubRepo:1:2:refs/heads/${'x'.repeat(400)}`;
    const longUrl = `https://ci.example.com/${'y'.repeat(5000)}`;
    await db.dal.insert('refs', [{ id: longRef, name: 'long' }]);
    await db.dal.upsert('cicd_pipelines', [{ id: 'p1', url: longUrl }], { primaryKey: ['id'] });
    await db.dal.insert('issues', [{ id: 'i1', component: 'c'.repeat(3000), fix_versions: 'v'.repeat(3000) }]);
    expect((await db.dal.knex('refs').orderBy('name')).map((r: { name: string }) => r.name)).toEqual(['long', 'main']);
    expect(await primaryKeyOf(db.dal, 'refs')).toEqual(['id']);
    const [p] = await db.dal.knex('cicd_pipelines').where({ id: 'p1' });
    expect([p.url.length, p.cicd_scope_id]).toEqual([longUrl.length, 's']);
  });

  it("create calendar_months as DevLake's migration fills it", async () => {
    await migrate(db.dal, [{ owner: 'domain', scripts: domainMigrations }]);
    const rows = await db.dal.knex('calendar_months').orderBy('month_timestamp');
    const want = calendarMonthRows(new Date());
    expect(rows).toHaveLength(144);
    expect(rows.map((r: { month: string }) => r.month)).toEqual(want.map((r) => r.month).reverse());
    expect(await primaryKeyOf(db.dal, 'calendar_months')).toEqual(['month']);
  });

  it('create every table with its columns and primary key, once', async () => {
    const applied = await migrate(db.dal, [{ owner: 'domain', scripts: domainMigrations }]);
    expect(applied).toHaveLength(domainMigrations.length);
    expect(await migrate(db.dal, [{ owner: 'domain', scripts: domainMigrations }])).toEqual([]);
    for (const spec of domainTables) {
      const info = await db.dal.knex(spec.table).columnInfo();
      expect({ table: spec.table, columns: Object.keys(info).sort() }).toEqual({ table: spec.table, columns: columnNames(spec).sort() });
      expect(await primaryKeyOf(db.dal, spec.table)).toEqual([...spec.primaryKey]);
    }
  });

  it('run SQL written for DevLake unchanged', async () => {
    await migrate(db.dal, [{ owner: 'domain', scripts: domainMigrations }]);
    const at = new Date('2022-06-13T15:35:54.000Z');
    await db.dal.insert('boards', [{ id: 'github:GithubRepo:1:134018330', name: 'panjf2000/ants' }]);
    await db.dal.insert('issues', [
      { id: 'github:GithubIssue:1:1', type: 'BUG', status: 'DONE', lead_time_minutes: 2880, created_date: at, is_subtask: false },
      { id: 'github:GithubIssue:1:2', type: 'BUG', status: 'DONE', lead_time_minutes: 1440, created_date: at },
      { id: 'github:GithubIssue:1:3', type: 'REQUIREMENT', status: 'TODO', created_date: at },
    ]);
    await db.dal.insert('board_issues', ['1', '2', '3'].map((n) => ({ board_id: 'github:GithubRepo:1:134018330', issue_id: `github:GithubIssue:1:${n}` })));
    await db.dal.insert('project_mapping', [{ project_name: 'p1', table: 'boards', row_id: 'github:GithubRepo:1:134018330' }]);
    // Shaped like DevLake's Grafana "issue lead time" panels: on MySQL exactly as DevLake writes it (backticks),
    // elsewhere with the standard quotes for the reserved word.
    const table = db.dialect === 'mysql' ? '`table`' : '"table"';
    const rows = (await db.dal.knex.raw(`
      SELECT i.type, COUNT(*) AS issue_count, AVG(i.lead_time_minutes / 1440.0) AS lead_time_days
        FROM issues i
        JOIN board_issues bi ON i.id = bi.issue_id
        JOIN boards b ON bi.board_id = b.id
        JOIN project_mapping pm ON b.id = pm.row_id AND pm.${table} = 'boards'
       WHERE pm.project_name IN ('p1') AND i.status = 'DONE' AND i.created_date >= ?
       GROUP BY i.type
       ORDER BY i.type`, [new Date('2022-01-01T00:00:00Z')])) as unknown;
    // pg: { rows }; mysql2: [rows, fields]; better-sqlite3: rows.
    const result = db.dialect === 'mysql' ? (rows as [unknown[]])[0] : Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows;
    expect(result).toHaveLength(1);
    const [first] = result as Array<{ type: string; issue_count: number | string; lead_time_days: number | string }>;
    expect(first.type).toBe('BUG');
    expect(Number(first.issue_count)).toBe(2);
    expect(Number(first.lead_time_days)).toBeCloseTo(1.5);
  });
});

const PINNED_FINGERPRINT = '87be2952fcca971d919593cc90b0527088d3f997e053165aa755f98f185eb23b';
const PINNED_FINGERPRINT_V2 = 'a2701a0ad452cd1b27e0aab367ed5fb31ec5eb4fc8e9c9d991636efe861d2118';
