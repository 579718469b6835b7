import { planCollector, planConverter, planExtractor, planMigration, planPlugin, pluginPagination, type PluginsView } from '../../src/generator/plan';
import { modelClassName } from '../../src/generator/plan-common';
import { domainTables, domainTarget } from '../../src/generator/domain-targets';
import { parseColumnSpec, selectColumns } from '../../src/generator/column-spec';
import { inferTable } from '../../src/generator/infer-sample';
import type { GeneratedFile } from '../../src/generator/write-files';

/** An in-memory plugins folder built from planned files. */
function view(files: GeneratedFile[]): PluginsView {
  const map = new Map(files.map((f) => [f.path, f.content]));
  return {
    read: (p) => map.get(p),
    list: (dir) => [...map.keys()].filter((p) => p.startsWith(`${dir}/`) && !p.slice(dir.length + 1).includes('/')).map((p) => p.slice(dir.length + 1)).sort(),
  };
}

/** Applies a plan over a previous state, as writeFiles would (keep files stay). */
function apply(state: GeneratedFile[], plan: GeneratedFile[]): GeneratedFile[] {
  const map = new Map(state.map((f) => [f.path, f]));
  for (const f of plan) if (!(f.policy === 'keep' && map.has(f.path))) map.set(f.path, f);
  return [...map.values()];
}

const content = (files: GeneratedFile[], path: string): string => {
  const hit = files.find((f) => f.path === path);
  if (!hit) throw new Error(`no ${path} in ${files.map((f) => f.path).join(', ')}`);
  return hit.content;
};

describe('planPlugin', () => {
  it('plans the plugin files with an API client reading ICLA_* settings', () => {
    const files = planPlugin({ name: 'icla', withApiClient: true, endpoint: 'https://people.apache.org', initVersion: 20240101000000 });
    expect(files.map((f) => f.path)).toEqual([
      'icla/index.ts',
      'icla/task-data.ts',
      'icla/api-client.ts',
      'icla/models/connection.ts',
      'icla/models/scope.ts',
      'icla/models/scope-config.ts',
      'icla/migrations/20240101000000-add-init-tables.ts',
      'icla/migrations/index.ts',
      'icla/e2e/plugin.test.ts',
      'icla/README.md',
    ]);
    expect(files.filter((f) => f.policy === 'keep').map((f) => f.path)).toEqual(['icla/index.ts', 'icla/migrations/index.ts']);
    const client = content(files, 'icla/api-client.ts');
    expect(client).toContain("export const DEFAULT_ENDPOINT = 'https://people.apache.org/';");
    expect(client).toContain('const connection = readIclaConnection(taskCtx, DEFAULT_ENDPOINT);');
    // The connection model reads the credentials (as a saved connection sets them) and hands them to the client only.
    const connection = content(files, 'icla/models/connection.ts');
    expect(connection).toContain("const token = get('ICLA_TOKEN');");
    expect(connection).toContain('export interface IclaConnection {');
    expect(content(files, 'icla/task-data.ts')).not.toContain('readIclaConnection'); // task data never holds credentials
    expect(content(files, 'icla/index.ts')).toContain('export default definePlugin<IclaOptions, IclaTaskData>({');
    for (const f of files) {
      expect(f.content).not.toMatch(/\{\{|\}\}|TODO/); // no template leftovers
      expect(f.content).not.toMatch(/from '\.\.\/.*src/); // imports by package name only
    }
  });

  it('starts migrations with a real init script: the scopes table, registered, recorded by prepareTaskData', () => {
    const files = planPlugin({ name: 'pull-requests', withApiClient: false, initVersion: 20240101000000 });
    const init = content(files, 'pull-requests/migrations/20240101000000-add-init-tables.ts');
    expect(init).toContain("export const addInitTables = tablesMigration(20240101000000, 'add_init_tables', [scopesTable]);");
    expect(init).toContain("const scopesTable = defineTable('_tool_pull_requests_scopes', {\n  connection_id: col.bigint().primaryKey(),\n  name: col.string(255).primaryKey(),");
    expect(content(files, 'pull-requests/migrations/index.ts')).toContain(
      "import { addInitTables } from './20240101000000-add-init-tables';",
    );
    expect(content(files, 'pull-requests/migrations/index.ts')).toContain('= [addInitTables];');
    expect(content(files, 'pull-requests/models/scope.ts')).toContain("export const PullRequestsScope = defineTable('_tool_pull_requests_scopes', {");
    expect(content(files, 'pull-requests/index.ts')).toContain('return [PullRequestsScope];');
    expect(content(files, 'pull-requests/task-data.ts')).toContain('await taskCtx.db.upsert(PullRequestsScope.table, [row]');
  });

  it('keeps the init script version of an existing plugin, so a re-run is identical', () => {
    const first = planPlugin({ name: 'icla', withApiClient: false, initVersion: 20240101000000 });
    const again = planPlugin({ name: 'icla', withApiClient: false }, view(first));
    expect(again.map((f) => f.path)).toEqual(first.map((f) => f.path));
    expect(again.map((f) => f.content)).toEqual(first.map((f) => f.content));
  });

  it('registers the init script and scope model in a plugin made before them, keeping what was registered', () => {
    const before = [
      { path: 'old/index.ts', policy: 'keep' as const, content: "import { definePlugin } from 'devlake-ts';\nimport { OldThing } from './models/thing';\n\nexport default definePlugin({\n  name: 'old',\n  getTablesInfo() {\n    return [OldThing];\n  },\n});\n" },
      { path: 'old/migrations/index.ts', policy: 'keep' as const, content: "import type { MigrationScript } from 'devlake-ts';\nimport { addThing } from './20240101000000-add-thing';\n\nexport const migrationScripts: MigrationScript[] = [addThing];\n" },
    ];
    const plan = planPlugin({ name: 'old', withApiClient: false, initVersion: 20230101000000 }, view(before));
    expect(plan.filter((f) => f.policy === 'edit').map((f) => f.path)).toEqual(['old/index.ts', 'old/migrations/index.ts']);
    expect(content(plan, 'old/index.ts')).toContain('return [OldThing, OldScope];');
    expect(content(plan, 'old/index.ts')).toContain("import { OldScope } from './models/scope';");
    expect(content(plan, 'old/migrations/index.ts')).toContain('= [addThing, addInitTables];');
    // Once registered, planning again leaves both files as they are.
    const after = apply(before, plan);
    const again = planPlugin({ name: 'old', withApiClient: false }, view(after));
    for (const f of again) expect(f.content).toBe(content(after, f.path));
  });

  it('writes the API client for the auth kind asked: bearer (default), basic, a custom header, none', () => {
    const client = (auth?: string, authHeader?: string) =>
      content(planPlugin({ name: 'shop', withApiClient: true, endpoint: 'https://x/', auth, authHeader }), 'shop/api-client.ts');
    const connection = (auth?: string, authHeader?: string) =>
      content(planPlugin({ name: 'shop', withApiClient: true, endpoint: 'https://x/', auth, authHeader }), 'shop/models/connection.ts');
    expect(connection()).toContain("const auth: ConnectionAuth = token ? { type: 'bearer', token } : { type: 'none' };");
    expect(connection('basic')).toContain("const auth: ConnectionAuth = username && password ? { type: 'basic', username, password } : { type: 'none' };");
    expect(connection('header', 'X-Api-Key')).toContain("{ type: 'header', name: get('SHOP_AUTH_HEADER_NAME') ?? 'X-Api-Key', value }");
    expect(connection('header', 'X-Api-Key')).toContain("const value = get('SHOP_AUTH_HEADER_VALUE');");
    expect(connection('none')).toContain("const auth: ConnectionAuth = { type: 'none' };");
    expect(client('none')).toContain('no credentials (the API is public)');
    expect(content(planPlugin({ name: 'shop', withApiClient: true, endpoint: 'https://x/', auth: 'basic' }), 'shop/README.md')).toContain('`SHOP_USERNAME`, `SHOP_PASSWORD`');
    expect(() => client('oauth')).toThrow(expect.objectContaining({ code: 'DEVLAKE_E_GEN_INVALID_ANSWER' }));
    expect(() => client('header', 'X Api: Key')).toThrow(expect.objectContaining({ code: 'DEVLAKE_E_GEN_INVALID_ANSWER', hint: expect.stringContaining('--auth-header') }));
  });

  it('leaves the API client out when asked, and names in every case are derived once', () => {
    const files = planPlugin({ name: 'pull-requests', withApiClient: false });
    expect(files.map((f) => f.path)).not.toContain('pull-requests/api-client.ts');
    const data = content(files, 'pull-requests/task-data.ts');
    expect(data).toContain('export type PullRequestsOptions = {');
    expect(data).not.toContain('apiClient');
    expect(content(files, 'pull-requests/index.ts')).not.toContain('close');
  });

  it('shapes options, params and the scopes table in DevLake form from the scope key', () => {
    const byName = planPlugin({ name: 'hub', withApiClient: false });
    expect(content(byName, 'hub/task-data.ts')).toContain('export interface HubParams {\n  ConnectionId: number;\n  Name: string;\n}');
    expect(content(byName, 'hub/task-data.ts')).toContain('  name?: string;\n');
    const byProject = planPlugin({ name: 'lab', withApiClient: false, scopeKey: 'projectId' });
    const data = content(byProject, 'lab/task-data.ts');
    expect(data).toContain('export interface LabParams {\n  ConnectionId: number;\n  ProjectId: number;\n}');
    expect(data).toContain('  projectId: number;\n'); // a numeric key has no default: it names the project
    expect(data).toContain("throw badOption('projectId', projectId, 'a positive integer');");
    expect(content(byProject, 'lab/models/scope.ts')).toContain('  connection_id: col.bigint().primaryKey(),\n  project_id: col.bigint().primaryKey(),');
    expect(content(byProject, 'lab/e2e/plugin.test.ts')).toContain("expect(JSON.stringify(data!.params)).toBe('{\"ConnectionId\":2,\"ProjectId\":2}');");
    expect(content(byProject, 'lab/models/scope-config.ts')).toContain('export function regexEnricherOf(config: LabScopeConfig): RegexEnricher {');
    for (const bad of ['connectionId', 'scope_config', 'a b', '9x']) {
      expect(() => planPlugin({ name: 'lab', withApiClient: false, scopeKey: bad })).toThrow(expect.objectContaining({ code: 'DEVLAKE_E_GEN_INVALID_ANSWER' }));
    }
    // Later commands write fixtures with the plugin's params, and its options in the tests.
    const ext = planExtractor(view(byProject), { plugin: 'lab', name: 'mr', version: 20240101000001 });
    expect(content(ext, 'lab/e2e/raw_tables/_raw_lab_mr.csv')).toContain('"{""ConnectionId"":1,""ProjectId"":1}"');
    expect(content(ext, 'lab/e2e/raw_tables/_raw_lab_mr.csv')).toContain('"{""ConnectionId"":2,""ProjectId"":2}"'); // another scope, to be ignored
    expect(content(ext, 'lab/e2e/mr-extractor.test.ts')).toContain('tester.prepareTaskData<LabTaskData>({ connectionId: 1, projectId: 1 });');
  });

  it('keeps the old params in fixtures of a plugin made before scope keys', () => {
    const old = planPlugin({ name: 'old', withApiClient: false }).map((f) =>
      f.path === 'old/task-data.ts' ? { ...f, content: 'export interface OldParams {\n  Scope: string;\n}\n' } : f,
    );
    const ext = planExtractor(view(old), { plugin: 'old', name: 'item', version: 20240101000001 });
    expect(content(ext, 'old/e2e/raw_tables/_raw_old_item.csv')).toContain('"{""Scope"":""default""}"');
    expect(content(ext, 'old/e2e/item-extractor.test.ts')).toContain("tester.prepareTaskData<OldTaskData>({ scope: 'default' });");
  });

  it("declares the API's pagination once: collectors of that mode import it, others spell theirs", () => {
    const files = planPlugin({ name: 'paged', withApiClient: true, endpoint: 'https://x/', pagination: 'link' });
    expect(content(files, 'paged/api-client.ts')).toContain("export const PAGINATION = 'link';");
    expect(pluginPagination(view(files), 'paged')).toBe('link');
    expect(pluginPagination(view(planPlugin({ name: 'p', withApiClient: false })), 'p')).toBe('none');
    const same = content(planCollector(view(files), { plugin: 'paged', name: 'items', httpPath: 'items', pagination: 'link' }), 'paged/tasks/items-collector.ts');
    expect(same).toContain("import { PAGINATION } from '../api-client';");
    expect(same).toContain('  pagination: PAGINATION,');
    const other = content(planCollector(view(files), { plugin: 'paged', name: 'items', httpPath: 'items', pagination: 'offset' }), 'paged/tasks/items-collector.ts');
    expect(other).toContain("  pagination: 'offset',");
    expect(other).not.toContain('PAGINATION');
    expect(() => planPlugin({ name: 'paged', withApiClient: true, endpoint: 'https://x/', pagination: 'pages' })).toThrow(expect.objectContaining({ code: 'DEVLAKE_E_GEN_INVALID_ANSWER' }));
  });

  it('writes a declarative extractor from a sample: one pick rule per column, keys pick cannot read left out and named', () => {
    const base = planPlugin({ name: 'hub', withApiClient: false });
    const records = [
      { id: 2 ** 53 + 2, title: 'x', user: { login: 'a' }, labels: [{ name: 'bug' }], closed_at: null, reactions: { '+1': 1 }, score: 0.5, locked: false },
      { id: 7, title: 'y', user: { login: 'b' }, labels: [], closed_at: '2024-01-01T00:00:00Z', reactions: { '+1': 0 }, score: 1.5, locked: true },
    ];
    const table = inferTable(records, { prefix: 'hub' });
    const plan = planExtractor(view(base), { plugin: 'hub', name: 'issue', table, version: 20240101000001 });
    const ext = content(plan, 'hub/tasks/issue-extractor.ts');
    expect(ext).toContain('export const ExtractIssueMeta = mappedExtractor<HubTaskData, typeof HubIssue>({');
    // Keyed as DevLake keys tool tables: the connection from the params, the record's id as <plugin>_id.
    expect(content(plan, 'hub/models/issue.ts')).toContain('  connection_id: col.bigint().primaryKey(),\n  hub_id: col.bigint().primaryKey(),\n');
    expect(content(plan, 'hub/e2e/snapshot_tables/_tool_hub_issue.csv').split('\n')[1]).toMatch(/^1,9007199254740994,x,a,/);
    for (const rule of ["connection_id: pick.param('ConnectionId'),", "hub_id: pick.int('id'),", "title: pick.asIs('title'),", "user_login: pick.asIs('user.login'),", "labels: pick.json('labels'),", "closed_at: pick.time('closed_at'),", "score: pick.float('score'),", "locked: pick.bool('locked'),"]) {
      expect(ext).toContain(`    ${rule}\n`);
    }
    expect(ext).toContain(' * Not mapped: reactions_1 (reactions.+1: the key "+1" cannot be a pick path).');
    expect(content(plan, 'hub/models/issue.ts')).not.toContain('reactions');
    expect(ext).not.toContain('interface IssueRecord');
    // A converter finds the raw table a declarative extractor reads.
    const conv = planConverter(view(apply(base, plan)), { plugin: 'hub', name: 'issue', domainTable: 'issues' });
    expect(content(conv, 'hub/tasks/issue-converter.ts')).toContain("const RAW_ISSUE_TABLE = '_raw_hub_issue';");
    expect(content(conv, 'hub/tasks/issue-converter.ts')).toContain('id: idGen.generate(row.connection_id, row.hub_id),');
    // Asked for, the mapping-function form keeps every column.
    const fn = planExtractor(view(base), { plugin: 'hub', name: 'issue', table, version: 20240101000001, declarative: false });
    expect(content(fn, 'hub/tasks/issue-extractor.ts')).toContain("reactions_1: record.reactions['+1'],");
  });

  it('writes the columns a --columns spec picks, in its order, every one but the key nullable (a pick gives NULL for a missing value)', () => {
    const base = planPlugin({ name: 'hub', withApiClient: false });
    const records = [
      { id: 1, number: 1, state: 'open', html_url: 'u1', body: 'b', user: { id: 5, login: 'a' }, head: { repo: { id: 9 } }, created_at: '2024-01-01T00:00:00Z' },
      { id: 2, number: 2, state: 'closed', html_url: 'u2', body: 'c', user: { id: 6, login: 'b' }, head: { repo: null }, created_at: '2024-01-02T00:00:00Z' },
    ];
    const spec = 'hub_id=id:bigint,number:bigint,state:text,body:json,url=html_url:text,author_id=user.id,head_repo_id=head.repo.id,hub_created_at=created_at';
    const table = selectColumns(inferTable(records, { prefix: 'hub' }), parseColumnSpec(spec));
    const plan = planExtractor(view(base), { plugin: 'hub', name: 'issue', model: 'issues', table, version: 20240101000001 });
    expect(content(plan, 'hub/models/issues.ts').split('\n').filter((l) => /^ {2}\w+: col\./.test(l))).toEqual([
      '  connection_id: col.bigint().primaryKey(),',
      '  hub_id: col.bigint().primaryKey(),',
      '  number: col.bigint(),',
      '  state: col.text(),',
      '  body: col.text(),',
      '  url: col.text(),',
      '  author_id: col.bigint(),',
      '  head_repo_id: col.bigint(),',
      '  hub_created_at: col.datetime(),',
    ]);
    const ext = content(plan, 'hub/tasks/issue-extractor.ts');
    for (const rule of ["body: pick.json('body'),", "url: pick.asIs('html_url'),", "author_id: pick.int('user.id'),", "head_repo_id: pick.int('head.repo.id'),", "hub_created_at: pick.time('created_at'),"]) {
      expect(ext).toContain(`    ${rule}\n`);
    }
    const params = '"{""ConnectionId"":1,""Name"":""default""}"';
    expect(content(plan, 'hub/e2e/snapshot_tables/_tool_hub_issues.csv').split('\n').slice(0, 3)).toEqual([
      'connection_id,hub_id,number,state,body,url,author_id,head_repo_id,hub_created_at,_raw_data_params,_raw_data_table,_raw_data_id,_raw_data_remark',
      `1,1,1,open,"""b""",u1,5,9,2024-01-01T00:00:00.000+00:00,${params},_raw_hub_issue,1,`,
      `1,2,2,closed,"""c""",u2,6,,2024-01-02T00:00:00.000+00:00,${params},_raw_hub_issue,2,`,
    ]);
    // The mapping-function form types the record from the sample: a value every record has is required there.
    const fn = planExtractor(view(base), { plugin: 'hub', name: 'issue', model: 'issues', table, version: 20240101000001, declarative: false });
    expect(content(fn, 'hub/models/issues.ts')).toContain('  state: col.text().notNull(),\n');
    expect(content(fn, 'hub/tasks/issue-extractor.ts')).toContain('head_repo_id: record.head.repo?.id ?? null,');
  });

  it("with zeroValues stores Go's zero value for a missing value, as DevLake's models do (times and JSON stay NULL)", () => {
    const base = planPlugin({ name: 'hub', withApiClient: false });
    const records = [
      { id: 1, state: 'open', n: 3, ok: true, at: '2024-01-01T00:00:00Z', body: 'b' },
      { id: 2, state: null, n: null, ok: null, at: null, body: null },
    ];
    const table = selectColumns(inferTable(records, { prefix: 'hub' }), parseColumnSpec('state:text,n:bigint,ok,at,body:json'));
    const plan = planExtractor(view(base), { plugin: 'hub', name: 'issue', table, version: 20240101000001, zeroValues: true });
    const ext = content(plan, 'hub/tasks/issue-extractor.ts');
    for (const rule of ["hub_id: pick.int('id', { nullAs: 0 }),", "state: pick.asIs('state', { nullAs: '' }),", "n: pick.int('n', { nullAs: 0 }),", "ok: pick.bool('ok', { nullAs: false }),", "at: pick.time('at'),", "body: pick.json('body'),"]) {
      expect(ext).toContain(`    ${rule}\n`);
    }
    expect(content(plan, 'hub/models/issue.ts')).toContain('  state: col.text(),\n');
    expect(content(plan, 'hub/e2e/snapshot_tables/_tool_hub_issue.csv').split('\n')[2]).toMatch(/^1,2,,0,0,,,/);
    const fn = planExtractor(view(base), { plugin: 'hub', name: 'issue', table, version: 20240101000001, zeroValues: true, declarative: false });
    expect(content(fn, 'hub/tasks/issue-extractor.ts')).toContain("state: record.state ?? '',");
  });

  it('declares the domain types asked for (CROSS by default) in collectors and both extractor forms', () => {
    const base = planPlugin({ name: 'hub', withApiClient: true, endpoint: 'https://api.example.com/' });
    const table = inferTable([{ id: 1, title: 'a' }], { prefix: 'hub' });
    const declared = planExtractor(view(base), { plugin: 'hub', name: 'issue', table, version: 20240101000001, domainTypes: 'ticket,CROSS' });
    expect(content(declared, 'hub/tasks/issue-extractor.ts')).toContain('  domainTypes: [DomainTypes.TICKET, DomainTypes.CROSS],\n');
    const fn = planExtractor(view(base), { plugin: 'hub', name: 'issue', table, version: 20240101000001, declarative: false });
    expect(content(fn, 'hub/tasks/issue-extractor.ts')).toContain('  domainTypes: [DomainTypes.CROSS],\n');
    const collector = planCollector(view(base), { plugin: 'hub', name: 'issues', httpPath: 'issues', pagination: 'none', domainTypes: 'CODE_REVIEW' });
    expect(content(collector, 'hub/tasks/issues-collector.ts')).toContain('  domainTypes: [DomainTypes.CODE_REVIEW],\n');
    expect(() => planCollector(view(base), { plugin: 'hub', name: 'issues', httpPath: 'issues', pagination: 'none', domainTypes: 'BOARD' })).toThrow(/Unknown domain type "BOARD"/);
  });

  it('refuses a bad name or endpoint before rendering anything', () => {
    expect(() => planPlugin({ name: 'Bad/Name', withApiClient: false })).toThrow(expect.objectContaining({ code: 'DEVLAKE_E_GEN_NAME' }));
    expect(() => planPlugin({ name: 'ok', withApiClient: true, endpoint: 'nope' })).toThrow(expect.objectContaining({ code: 'DEVLAKE_E_GEN_INVALID_ANSWER' }));
  });
});

describe('planning subtasks into an existing plugin', () => {
  const base = planPlugin({ name: 'icla', withApiClient: true, endpoint: 'https://people.apache.org/' });

  it('refuses a plugin that does not exist', () => {
    expect(() => planExtractor(view([]), { plugin: 'icla', name: 'committer' })).toThrow(
      expect.objectContaining({ code: 'DEVLAKE_E_GEN_PLUGIN_MISSING', hint: expect.stringContaining('devlake create-plugin icla') }),
    );
  });

  it('an extractor brings its model, migration, test and fixtures, and registers them', () => {
    const plan = planExtractor(view(base), { plugin: 'icla', name: 'committer', primaryKey: 'user_name', version: 20240101000000 });
    expect(plan.map((f) => `${f.policy} ${f.path}`)).toEqual([
      'create icla/models/committer.ts',
      'create icla/migrations/20240101000000-add-committer-table.ts',
      'create icla/tasks/committer-extractor.ts',
      'create icla/e2e/committer-extractor.test.ts',
      'keep icla/e2e/raw_tables/_raw_icla_committer.csv',
      'keep icla/e2e/snapshot_tables/_tool_icla_committer.csv',
      'edit icla/migrations/index.ts',
      'edit icla/index.ts',
    ]);
    expect(content(plan, 'icla/models/committer.ts')).toContain("defineTable('_tool_icla_committer', {\n  user_name: col.string(255).primaryKey(),\n  name: col.string(255),\n  ...noPkModelColumns(),\n});");
    expect(content(plan, 'icla/migrations/20240101000000-add-committer-table.ts')).toContain(
      "export const addCommitterTable = tablesMigration(20240101000000, 'add_committer_table', [committerTable]);",
    );
    expect(content(plan, 'icla/index.ts')).toContain('return [ExtractCommitterMeta];');
    expect(content(plan, 'icla/index.ts')).toContain('return [IclaScope, IclaCommitter];');
    expect(content(plan, 'icla/migrations/index.ts')).toContain('= [addInitTables, addCommitterTable];');
  });

  it('takes the raw table for the collector it reads, as well as the collector name', () => {
    const byTable = planExtractor(view(base), { plugin: 'icla', name: 'committer', collector: '_raw_icla_committer', version: 20240101000000 });
    const byName = planExtractor(view(base), { plugin: 'icla', name: 'committer', collector: 'committer', version: 20240101000000 });
    expect(byTable).toEqual(byName);
    expect(() => planExtractor(view(base), { plugin: 'icla', name: 'committer', collector: '_raw_other_committer' })).toThrow(
      expect.objectContaining({ code: 'DEVLAKE_E_GEN_NAME' }),
    );
    // The converter likewise takes the source tool table for its model.
    const withModel = apply(base, byName);
    expect(planConverter(view(withModel), { plugin: 'icla', name: 'committer', model: '_tool_icla_committer', domainTable: 'accounts' })).toEqual(
      planConverter(view(withModel), { plugin: 'icla', name: 'committer', model: 'committer', domainTable: 'accounts' }),
    );
  });

  it('a collector, extractor and converter chain; planning them again changes nothing', () => {
    let state = base;
    const steps = [
      (v: PluginsView) => planCollector(v, { plugin: 'icla', name: 'committer', httpPath: 'public/icla-info.json', pagination: 'none' }),
      (v: PluginsView) => planExtractor(v, { plugin: 'icla', name: 'committer', primaryKey: 'user_name' }),
      (v: PluginsView) => planConverter(v, { plugin: 'icla', name: 'committer', domainTable: 'accounts' }),
      (v: PluginsView) => planMigration(v, { plugin: 'icla', name: 'add-email' }),
    ];
    for (const step of steps) state = apply(state, step(view(state)));
    const index = content(state, 'icla/index.ts');
    expect(index).toContain('return [CollectCommitterMeta, ExtractCommitterMeta, ConvertCommitterMeta];');
    // The extractor and converter share the collector's raw table constant.
    expect(content(state, 'icla/tasks/committer-extractor.ts')).toContain("import { RAW_COMMITTER_TABLE } from './committer-collector';");
    expect(content(state, 'icla/tasks/committer-converter.ts')).toContain('id: idGen.generate(row.user_name),');
    expect(content(state, 'icla/e2e/snapshot_tables/accounts.csv').split('\n')[1]).toBe(
      'icla:IclaCommitter:first,first,First Committer,"{""ConnectionId"":1,""Name"":""default""}",_raw_icla_committer,1,',
    );
    const migrations = content(state, 'icla/migrations/index.ts');
    expect(migrations).toMatch(/= \[addInitTables, addCommitterTable, addEmail\];/);
    // Again: every planned file equals what is there.
    for (const step of steps) {
      for (const f of step(view(state))) expect(f.content).toBe(content(state, f.path));
    }
  });

  it('plans a converter for every DevLake domain entity table, each with its model, domain type and name column', () => {
    const withModel = apply(base, planExtractor(view(base), { plugin: 'icla', name: 'committer', primaryKey: 'user_name' }));
    expect(domainTables()).toEqual(expect.arrayContaining(['accounts', 'users', 'repos', 'pull_requests', 'issues', 'boards', 'sprints', 'cicd_pipelines', 'cicd_tasks']));
    for (const table of domainTables()) {
      const plan = planConverter(view(withModel), { plugin: 'icla', name: 'committer', domainTable: table });
      const converter = content(plan, 'icla/tasks/committer-converter.ts');
      expect(converter).toContain(`outputs: [${domainTarget(table).model}],`);
      expect(content(plan, `icla/e2e/snapshot_tables/${table}.csv`).split('\n')[0]).toMatch(new RegExp(`^${domainTarget(table).primaryKey.join(',')},`));
    }
    const issues = planConverter(view(withModel), { plugin: 'icla', name: 'committer', domainTable: 'issues' });
    expect(content(issues, 'icla/tasks/committer-converter.ts')).toContain('title: row.name,');
    expect(content(issues, 'icla/tasks/committer-converter.ts')).toContain('domainTypes: [DomainTypes.TICKET],');
    const prs = planConverter(view(withModel), { plugin: 'icla', name: 'committer', domainTable: 'pull_requests' });
    expect(content(prs, 'icla/tasks/committer-converter.ts')).toContain('domainTypes: [DomainTypes.CODE_REVIEW],');
  });

  it('targets relation tables with composite keys too: the own id into the first *_id key, the tool key into the others', () => {
    const withModel = apply(base, planExtractor(view(base), { plugin: 'icla', name: 'committer', primaryKey: 'user_name' }));
    expect(domainTables()).toEqual(expect.arrayContaining(['pull_request_commits', 'board_issues', 'repo_commits', 'commits']));
    const plan = planConverter(view(withModel), { plugin: 'icla', name: 'committer', domainTable: 'pull_request_commits' });
    const converter = content(plan, 'icla/tasks/committer-converter.ts');
    expect(converter).toContain('commit_sha: String(row.user_name),');
    expect(converter).toContain('pull_request_id: idGen.generate(row.user_name),');
    // The columns left to map are listed for the author, with DevLake's types.
    expect(converter).toContain('// Also in pull_request_commits, to map from the tool row:');
    expect(converter).toContain('commit_author_name (text), commit_author_email (text), commit_authored_date (time)');
    expect(content(plan, 'icla/e2e/snapshot_tables/pull_request_commits.csv').split('\n')[1]).toBe(
      'first,icla:IclaCommitter:first,"{""ConnectionId"":1,""Name"":""default""}",_raw_icla_committer,1,',
    );
    // A target without an id column does not declare an unused id generator.
    const commits = content(planConverter(view(withModel), { plugin: 'icla', name: 'committer', domainTable: 'commits' }), 'icla/tasks/committer-converter.ts');
    expect(commits).not.toContain('DomainIdGenerator');
    expect(commits).toContain('sha: String(row.user_name),');
  });

  it('refuses a converter for a model that does not exist, or an unknown domain table', () => {
    expect(() => planConverter(view(base), { plugin: 'icla', name: 'committer', domainTable: 'accounts' })).toThrow(
      expect.objectContaining({ code: 'DEVLAKE_E_GEN_INVALID_ANSWER', hint: expect.stringContaining('create-extractor icla committer') }),
    );
    const withModel = apply(base, planExtractor(view(base), { plugin: 'icla', name: 'committer' }));
    expect(() => planConverter(view(withModel), { plugin: 'icla', name: 'committer', domainTable: 'nope' })).toThrow(
      expect.objectContaining({ code: 'DEVLAKE_E_GEN_INVALID_ANSWER', hint: expect.stringContaining('accounts') }),
    );
  });

  it('refuses a collector in a plugin without an API client', () => {
    const noClient = planPlugin({ name: 'icla', withApiClient: false });
    expect(() => planCollector(view(noClient), { plugin: 'icla', name: 'c', httpPath: 'x', pagination: 'none' })).toThrow(
      expect.objectContaining({ code: 'DEVLAKE_E_GEN_INVALID_ANSWER' }),
    );
  });
});

describe('keys, raw tables and migrations as a real plugin needs them', () => {
  const base = planPlugin({ name: 'gitlab', withApiClient: true, endpoint: 'https://gitlab.example.com/api/v4/' });

  it.each([
    ['merge_requests', 'GitlabMergeRequest'],
    ['issues', 'GitlabIssue'],
    ['branches', 'GitlabBranch'],
    ['activities', 'GitlabActivity'],
    ['statuses', 'GitlabStatus'],
    ['status', 'GitlabStatus'],
    ['series', 'GitlabSeries'],
    ['user', 'GitlabUser'],
  ])('names the model class of %s singular, as DevLake names its structs: %s', (model, modelClass) => {
    expect(modelClassName('gitlab', model)).toBe(modelClass);
  });

  it("keeps the class of an existing model file; the converter's domain ids use the class", () => {
    const plan = planExtractor(view(base), { plugin: 'gitlab', name: 'mr', model: 'merge_requests', version: 20240101000000 });
    expect(content(plan, 'gitlab/models/merge-requests.ts')).toContain("export const GitlabMergeRequest = defineTable('_tool_gitlab_merge_requests', {");
    const conv = planConverter(view(apply(base, plan)), { plugin: 'gitlab', name: 'mr', model: 'merge_requests', domainTable: 'pull_requests' });
    expect(content(conv, 'gitlab/tasks/mr-converter.ts')).toContain("new DomainIdGenerator('gitlab', 'GitlabMergeRequest')");
    // A model written before (plural class): re-planning and converting keep its name.
    const old = apply(base, plan).map((f) => ({ ...f, content: f.content.replace(/GitlabMergeRequest\b/g, 'GitlabMergeRequests') }));
    expect(content(planExtractor(view(old), { plugin: 'gitlab', name: 'mr', model: 'merge_requests', version: 20240101000000 }), 'gitlab/tasks/mr-extractor.ts')).toContain('GitlabMergeRequests.row(');
    expect(content(planConverter(view(old), { plugin: 'gitlab', name: 'mr', model: 'merge_requests', domainTable: 'pull_requests' }), 'gitlab/tasks/mr-converter.ts')).toContain(
      "import { GitlabMergeRequests, type GitlabMergeRequestsRow } from '../models/merge-requests';",
    );
  });

  it('takes a camelCase key (its column is snake_case) and a composite key', () => {
    const camel = planExtractor(view(base), { plugin: 'gitlab', name: 'user', primaryKey: 'userId', version: 20240101000000 });
    expect(content(camel, 'gitlab/models/user.ts')).toContain('  user_id: col.string(255).primaryKey(),');
    expect(content(camel, 'gitlab/tasks/user-extractor.ts')).toContain("user_id: String(record.userId ?? ''),"); // a record without it fails the key check, not keyed "undefined"
    expect(content(camel, 'gitlab/tasks/user-extractor.ts')).toContain('  userId: string | number;');
    const composite = planExtractor(view(base), { plugin: 'gitlab', name: 'mr', primaryKey: 'connection_id,gitlab_id', version: 20240101000000 });
    expect(content(composite, 'gitlab/models/mr.ts')).toContain('  connection_id: col.string(255).primaryKey(),\n  gitlab_id: col.string(255).primaryKey(),');
    expect(content(composite, 'gitlab/e2e/snapshot_tables/_tool_gitlab_mr.csv').split('\n').slice(0, 2)).toEqual([
      'connection_id,gitlab_id,name,_raw_data_params,_raw_data_table,_raw_data_id,_raw_data_remark',
      'first,first-2,First Mr,"{""ConnectionId"":1,""Name"":""default""}",_raw_gitlab_mr,1,',
    ]);
    // The converter's ids use every key part, in key order.
    const withModel = apply(base, composite);
    const conv = content(planConverter(view(withModel), { plugin: 'gitlab', name: 'mr', domainTable: 'pull_requests' }), 'gitlab/tasks/mr-converter.ts');
    expect(conv).toContain('id: idGen.generate(row.connection_id, row.gitlab_id),');
  });

  it('says what is wrong with a key, not that a table name is', () => {
    for (const [key, message] of [
      ['user-id', 'The primary key column "user-id" is not a field name'],
      ['a,,b', 'has an empty column'],
      ['id,ID', 'names the column "id" twice'],
    ]) {
      expect(() => planExtractor(view(base), { plugin: 'gitlab', name: 'user', primaryKey: key })).toThrow(
        expect.objectContaining({ code: 'DEVLAKE_E_GEN_INVALID_ANSWER', message: expect.stringContaining(message) }),
      );
    }
  });

  it("a converter of a model named unlike its collector reads the raw table the model's extractor reads", () => {
    let state = base;
    state = apply(state, planCollector(view(state), { plugin: 'gitlab', name: 'users', httpPath: 'users', pagination: 'page' }));
    state = apply(state, planExtractor(view(state), { plugin: 'gitlab', name: 'user', collector: 'users', model: 'user' }));
    const plan = planConverter(view(state), { plugin: 'gitlab', name: 'user', domainTable: 'accounts' });
    const converter = content(plan, 'gitlab/tasks/user-converter.ts');
    expect(converter).toContain("import { RAW_USERS_TABLE } from './users-collector';");
    expect(converter).toContain('rawTable: RAW_USERS_TABLE,');
    expect(converter).not.toContain('_raw_gitlab_user\'');
    // A raw table nothing fills is refused, naming the ones there are.
    expect(() => planConverter(view(state), { plugin: 'gitlab', name: 'user', collector: 'user', domainTable: 'accounts' })).toThrow(
      expect.objectContaining({ code: 'DEVLAKE_E_GEN_INVALID_ANSWER', hint: expect.stringContaining('_raw_gitlab_users') }),
    );
  });

  it('validates a migration version as a UTC date and time, and adds a column to a tool table', () => {
    expect(() => planMigration(view(base), { plugin: 'gitlab', name: 'x', version: 99999999999999 })).toThrow(
      expect.objectContaining({ code: 'DEVLAKE_E_GEN_INVALID_ANSWER', message: expect.stringContaining('not a date and time') }),
    );
    expect(() => planMigration(view(base), { plugin: 'gitlab', name: 'x', version: 2024010100000 })).toThrow(expect.objectContaining({ code: 'DEVLAKE_E_GEN_INVALID_ANSWER' }));
    const withModel = apply(base, planExtractor(view(base), { plugin: 'gitlab', name: 'user' }));
    const plan = planMigration(view(withModel), {
      plugin: 'gitlab',
      name: 'add-email-column',
      version: 20300101000000,
      addColumn: { table: '_tool_gitlab_user', column: 'email' },
    });
    const script = content(plan, 'gitlab/migrations/20300101000000-add-email-column.ts');
    expect(script).toContain("await db.schema.alterTable('_tool_gitlab_user', (t) => {\n      t.string('email', 255);");
    expect(script).not.toContain('createTable');
    expect(() => planMigration(view(withModel), { plugin: 'gitlab', name: 'add-x', addColumn: { table: 'nope', column: 'x' } })).toThrow(
      expect.objectContaining({ code: 'DEVLAKE_E_GEN_INVALID_ANSWER' }),
    );
    expect(() => planMigration(view(withModel), { plugin: 'gitlab', name: 'add-x', addColumn: { table: 'user', column: 'x', type: 'varchar' } })).toThrow(
      expect.objectContaining({ code: 'DEVLAKE_E_GEN_INVALID_ANSWER', hint: expect.stringContaining('datetime') }),
    );
  });

  it("adds the test script to the user's package.json once, keeping its formatting and an existing script", () => {
    const text = '{\n    "name": "mine",\n    "scripts": { "build": "tsc" }\n}\n';
    const plan = planPlugin({ name: 'myapi', withApiClient: false, packageJson: { path: '../package.json', text, pluginDir: 'plugins/myapi' } });
    const pkg = content(plan, '../package.json');
    expect(JSON.parse(pkg).scripts).toEqual({ build: 'tsc', 'test:myapi': 'jest --preset devlake-ts plugins/myapi' });
    expect(pkg).toMatch(/^\{\n {4}"name"/);
    expect(pkg.endsWith('}\n')).toBe(true);
    expect(content(plan, 'myapi/README.md')).toContain('npm run test:myapi');
    const again = planPlugin({ name: 'myapi', withApiClient: false, packageJson: { path: '../package.json', text: pkg, pluginDir: 'plugins/myapi' } });
    expect(content(again, '../package.json')).toBe(pkg);
    const own = '{"scripts":{"test:myapi":"vitest"}}';
    expect(content(planPlugin({ name: 'myapi', withApiClient: false, packageJson: { path: '../package.json', text: own, pluginDir: 'x' } }), '../package.json')).toBe(own);
  });
});
