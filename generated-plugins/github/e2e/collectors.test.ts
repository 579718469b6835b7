import { mapConfig } from 'devlake-ts';
import type { SubTaskMeta } from 'devlake-ts';
import { DataFlowTester, databases } from 'devlake-ts/testing';
import plugin from '../index';
import { buildTaskData } from '../task-data';
import type { GithubTaskData } from '../task-data';
import { startGithubTestServer } from './github-test-server';
import type { GithubTestServer } from './github-test-server';

const PARAMS = '{"ConnectionId":1,"Name":"o/r"}';
const meta = (name: string): SubTaskMeta<GithubTaskData> => {
  const m = plugin.subTaskMetas().find((s) => s.name === name);
  if (!m) throw new Error(`no subtask ${name}`);
  return m;
};

describe.each(databases())('GitHub collectors against a local API on $name', (database) => {
  let server: GithubTestServer;
  let db: Awaited<ReturnType<typeof database.open>>;
  let tester: DataFlowTester;
  let data: GithubTaskData;
  const run = (name: string, fullSync = true) => tester.runSubtask(meta(name), data, { syncPolicy: { fullSync } });
  const rows = (table: string) => db.dal.knex(table).select('*');

  beforeEach(async () => {
    server = await startGithubTestServer();
    db = await database.open();
    tester = new DataFlowTester({ dal: db.dal, plugin, config: mapConfig({ GITHUB_ENDPOINT: server.url, GITHUB_TOKEN: 'ghp_testtoken123' }) });
    await tester.migrate();
    data = await tester.prepareTaskData<GithubTaskData>({ connectionId: 1, name: 'o/r', githubId: 100 });
  });
  afterEach(async () => {
    await data.apiClient?.close();
    await db.drop();
    await server.close();
  });

  it('follows Link pages, goes on once a spent rate-limit budget has reset, stores raw rows by params, and extracts them', async () => {
    await run('Collect Issues');
    const raw = await rows('_raw_github_api_issues');
    expect(raw).toHaveLength(3);
    expect(new Set(raw.map((r) => r.params))).toEqual(new Set([PARAMS]));
    const issueRequests = server.seen.filter((s) => s.path === '/repos/o/r/issues');
    expect(issueRequests.map((s) => s.query.get('page') ?? '1')).toEqual(['1', '2']);
    expect(issueRequests[0].query.get('state')).toBe('all');
    expect(issueRequests.every((s) => s.authorization === 'Bearer ghp_testtoken123')).toBe(true);
    expect(raw.every((r) => !String(r.url).includes('ghp_testtoken123'))).toBe(true);

    await run('Extract Issues');
    const issues = await db.dal.knex('_tool_github_issues').select('number', 'state', 'body', 'type').orderBy('number');
    expect(issues.map((i) => [Number(i.number), i.state, i.type])).toEqual([
      [1, 'closed', 'bug'],
      [2, 'open', ''],
      [3, 'open', ''],
    ]);
    expect(issues[0].body).toBe('"body 1\\r\\nline"');
  });

  it('asks only for changes since the last success on an incremental run, keeping earlier rows', async () => {
    await run('Collect Issues');
    expect(server.seen.some((s) => s.query.has('since'))).toBe(false);
    await run('Collect Issues', false);
    const last = server.seen.filter((s) => s.path === '/repos/o/r/issues')[2];
    expect(last.query.get('since')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect((await rows('_raw_github_api_issues')).length).toBeGreaterThanOrEqual(3);
  });

  it.each([
    ['Collect Comments', '/repos/o/r/issues/comments'],
    ['Collect PR Review Comments', '/repos/o/r/pulls/comments'],
    ['Collect Commits', '/repos/o/r/commits'],
  ])('%s asks only for changes since the last success on an incremental run', async (name, apiPath) => {
    await run(name);
    await run(name, false);
    const requests = server.seen.filter((s) => s.path === apiPath);
    expect(requests).toHaveLength(2);
    expect(requests[0].query.has('since')).toBe(false);
    expect(requests[1].query.get('since')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(requests.every((r) => r.query.get('per_page') === '100')).toBe(true);
  });

  it('lists pull requests most recently updated first and, incrementally, stops at the first one not updated since', async () => {
    const template = server.pulls[0];
    server.pulls.splice(0, server.pulls.length, ...[4, 5, 6, 7, 8].map((n) => ({ ...template, id: 2000 + n, number: n, title: `PR ${n}`, updated_at: `2024-01-0${n}T00:00:00Z` })));
    const pullRequests = () => server.seen.filter((s) => s.path === '/repos/o/r/pulls');
    await run('Collect Pull Requests');
    // A 403 for the spent rate limit, its retry, then the Link pages 2 and 3.
    expect(pullRequests().map((s) => s.query.get('page'))).toEqual(['1', '1', '2', '3']);
    expect(pullRequests().every((s) => s.query.get('sort') === 'updated' && s.query.get('direction') === 'desc' && s.query.get('state') === 'all')).toBe(true);
    expect(await rows('_raw_github_api_pull_requests')).toHaveLength(5);

    // PR 5 changes after the first collection: the incremental run reads page 1 only and keeps just PR 5.
    Object.assign(server.pulls.find((p) => p.number === 5)!, { title: 'PR 5, edited', updated_at: new Date(Date.now() + 3_600_000).toISOString() });
    await run('Collect Pull Requests', false);
    expect(pullRequests().slice(4).map((s) => s.query.get('page'))).toEqual(['1']);
    expect(await rows('_raw_github_api_pull_requests')).toHaveLength(6);
    await run('Extract Pull Requests');
    const prs = await db.dal.knex('_tool_github_pull_requests').select('number', 'title').orderBy('number');
    expect(prs.map((p) => [Number(p.number), p.title])).toEqual([
      [4, 'PR 4'],
      [5, 'PR 5, edited'],
      [6, 'PR 6'],
      [7, 'PR 7'],
      [8, 'PR 8'],
    ]);
  });

  it('collects child resources per extracted parent, with DevLake input JSON', async () => {
    await run('Collect Repo');
    await run('Extract Repo');
    await run('Collect Pull Requests');
    // The first /pulls answer was GitHub's 403 for a spent rate limit: waited out and retried.
    expect(server.seen.filter((s) => s.path === '/repos/o/r/pulls')).toHaveLength(2);
    await run('Extract Pull Requests');
    await run('Collect PR Reviews');
    const raw = await rows('_raw_github_api_pull_request_reviews');
    expect(raw).toHaveLength(1);
    expect(JSON.parse(String(raw[0].input))).toEqual({ GithubId: 2001, Number: 4 });
    await run('Extract PR Reviews');
    const reviews = await rows('_tool_github_pull_request_reviews');
    expect(reviews.map((r) => [Number(r.github_id), Number(r.pull_request_id), r.state])).toEqual([[3001, 2001, 'APPROVED']]);

    await run('Collect Workflow Runs');
    await run('Extract Workflow Runs');
    await run('Collect Job Runs');
    await run('Extract Jobs');
    const jobs = await rows('_tool_github_jobs');
    expect(jobs.map((j) => [Number(j.id), Number(j.run_id), j.status, JSON.parse(String(j.labels))])).toEqual([[12, 11, 'COMPLETED', ['ubuntu']]]);

    await run('Collect Issues');
    await run('Extract Issues');
    // A deleted account answers 404: skipped, as DevLake does.
    await db.dal.knex('_tool_github_repo_accounts').insert({ connection_id: 1, account_id: 66, repo_github_id: 100, login: 'ghost' });
    await run('Collect Users');
    expect(server.seen.some((s) => s.path === '/users/ghost')).toBe(true);
    await run('Extract Users');
    await run('Collect User Org');
    await run('Extract User Org');
    const orgs = await rows('_tool_github_account_orgs');
    expect(orgs.map((o) => [Number(o.account_id), o.org_login])).toEqual([[7, 'acme']]);
    await run('Convert Users');
    const accounts = await db.dal.knex('accounts').select('id', 'organization').orderBy('id');
    expect(accounts.find((a) => a.id === 'github:GithubAccount:1:7')?.organization).toBe('acme');

    await run('Convert Repos');
    expect((await rows('repos')).map((r) => [r.id, r.name])).toEqual([['github:GithubRepo:1:100', 'o/r']]);
  });

  it('runs the whole default pipeline against the API, and again with the same result', async () => {
    data = await tester.prepareTaskData<GithubTaskData>({
      connectionId: 1,
      name: 'o/r',
      githubId: 100,
      scopeConfig: { prBodyClosePattern: '(?mi)(fix|close)[\\s]*.*(((and )?#\\d+[ ]*)+)' },
    });
    const counts = async () => {
      const out: Record<string, number> = {};
      for (const t of ['issues', 'pull_requests', 'issue_comments', 'pull_request_comments', 'pull_request_commits', 'pull_request_issues', 'sprints', 'cicd_pipelines', 'cicd_tasks', 'accounts', 'repos', '_tool_github_issue_events']) {
        const [r] = await db.dal.knex(t).count({ n: '*' });
        out[t] = Number(r.n);
      }
      return out;
    };
    const enabled = plugin.subTaskMetas().filter((m) => m.enabledByDefault);
    for (const m of enabled) await tester.runSubtask(m, data);
    const first = await counts();
    expect(first).toEqual({
      issues: 3,
      pull_requests: 1,
      issue_comments: 1,
      pull_request_comments: 3,
      pull_request_commits: 1,
      pull_request_issues: 1,
      sprints: 1,
      cicd_pipelines: 1,
      cicd_tasks: 1,
      accounts: 4,
      repos: 1,
      _tool_github_issue_events: 1,
    });
    for (const m of enabled) await tester.runSubtask(m, data);
    expect(await counts()).toEqual(first);
  });

  it('collects, extracts and converts commits with their line counts (subtasks off by default)', async () => {
    for (const name of ['Collect Commits', 'Extract Commits', 'Collect Commit Stats', 'Extract Commit Stats', 'Convert Commits']) {
      expect(meta(name).enabledByDefault).toBe(false);
      await run(name);
    }
    const commits = await db.dal.knex('commits').select('sha', 'additions', 'deletions', 'author_id', 'message');
    expect(commits.map((c) => [c.sha, Number(c.additions), Number(c.deletions), c.author_id, c.message])).toEqual([['c1', 5, 2, 'b@x', 'fix #1']]);
    expect(await db.dal.knex('repo_commits').select('repo_id', 'commit_sha')).toEqual([{ repo_id: 'github:GithubRepo:1:100', commit_sha: 'c1' }]);
    expect((await rows('_tool_github_commit_stats')).map((r) => [r.sha, Number(r.additions)])).toEqual([['c1', 5]]);
  });

  it('asks GitHub for the repo id when the options give only the name', async () => {
    const byName = await tester.prepareTaskData<GithubTaskData>({ connectionId: 1, name: 'o/r' });
    expect(byName.options.githubId).toBe(100);
    await byName.apiClient?.close();
    await expect(tester.prepareTaskData({ connectionId: 1, name: 'o/missing' })).rejects.toMatchObject({ code: 'DEVLAKE_E_API_NOT_FOUND' });
  });

  it('fails with a clear error when the task data has no API client', async () => {
    await expect(tester.runSubtask(meta('Collect Issues'), buildTaskData({ connectionId: 1, name: 'o/r', githubId: 100 }))).rejects.toMatchObject({
      code: 'DEVLAKE_E_API_CONFIG',
    });
  });
});
