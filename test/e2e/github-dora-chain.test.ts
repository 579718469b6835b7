import * as path from 'node:path';
import { mapConfig } from '../../src/core/config';
import { silentLogger } from '../../src/core/logger';
import { runPlugin } from '../../src/runner/run-plugin';
import { databases, type TestDb } from '../../src/testing/databases';
import { DataFlowTester } from '../../src/testing/dataflow-tester';
import githubPlugin from '../../generated-plugins/github';

/**
 * The chain a user runs (issue 17): the GitHub plugin on its replayed
 * conformance data (DevLake's raw GitHub API rows) with `--project demo` and a
 * deployment pattern matching some workflow runs, then
 * `devlake run dora --options '{"projectName":"demo"}'` with the subtasks
 * DevLake's project plan runs. Both go through runPlugin, as `devlake run` does.
 */
const DATA = path.join(__dirname, '..', '..', 'generated-plugins', 'github', 'e2e', 'devlake-data', 'raw_tables');
const RAW = ['_raw_github_api_pull_requests', '_raw_github_api_pull_request_commits', '_raw_github_api_pull_request_reviews', '_raw_github_api_comments', '_raw_github_api_runs', '_raw_github_api_jobs'];
const GITHUB_SUBTASKS = [
  'Convert Repos', 'Extract Pull Requests', 'Convert Pull Requests', 'Extract PR Commits', 'Convert PR Commits', 'Extract PR Reviews', 'Convert PR Reviews',
  'Extract Comments', 'Convert PR Comments', 'Extract Workflow Runs', 'Convert Workflow Runs', 'Extract Jobs', 'Convert Jobs',
];
// The three DevLake's dora project plan runs around refdiff, then its default ones.
const DORA_SUBTASKS = ['generateDeploymentCommits', 'enrichPrevSuccessDeploymentCommits', 'calculateChangeLeadTime', 'ConnectIncidentToDeployment'];

describe.each(databases())('GitHub --project demo, then dora, on $name', ({ open }) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await open();
  });
  afterEach(async () => db.drop());

  it('fills project_mapping, cicd_deployment_commits and project_pr_metrics consistently', async () => {
    const tester = new DataFlowTester({ dal: db.dal, plugin: githubPlugin });
    await tester.migrate();
    for (const raw of RAW) await tester.importCsvIntoRawTable(path.join(DATA, `${raw}.csv`), raw);
    await tester.importCsvIntoTable(path.join(DATA, '_tool_github_repos.csv'), '_tool_github_repos');

    const common = { dal: db.dal, logger: silentLogger, config: mapConfig({}) };
    const github = await runPlugin({
      ...common,
      name: 'github',
      project: 'demo',
      subtasks: GITHUB_SUBTASKS,
      options: { connectionId: 1, name: 'panjf2000/ants', githubId: 134018330, scopeConfig: { deploymentPattern: '(?i)^(lint|tests)$' } },
    });
    expect(github.error).toBeUndefined();
    expect(github.summary.project).toEqual({ name: 'demo', mapped: { repos: 1, boards: 1, cicd_scopes: 1 } });

    const dora = await runPlugin({ ...common, name: 'dora', options: { projectName: 'demo' }, subtasks: DORA_SUBTASKS });
    expect(dora.error).toBeUndefined();

    const knex = db.dal.knex;
    const mapping = await knex('project_mapping').where({ project_name: 'demo' }).orderBy('table');
    expect(mapping.map((m: { table: string; row_id: string }) => [m.table, m.row_id])).toEqual([
      ['boards', 'github:GithubRepo:1:134018330'],
      ['cicd_scopes', 'github:GithubRepo:1:134018330'],
      ['repos', 'github:GithubRepo:1:134018330'],
    ]);

    // Deployments: exactly the pipeline commits of the finished runs the pattern names.
    const deployments = await knex('cicd_deployment_commits');
    const expected = await knex('cicd_pipeline_commits as pc')
      .join('cicd_pipelines as p', 'p.id', 'pc.pipeline_id')
      .where('p.type', 'DEPLOYMENT')
      .whereIn('p.result', ['SUCCESS', 'FAILURE'])
      .select('pc.pipeline_id', 'pc.commit_sha');
    expect(deployments.length).toBeGreaterThan(0);
    expect(deployments.map((d: { cicd_deployment_id: string; commit_sha: string }) => `${d.cicd_deployment_id} ${d.commit_sha}`).sort()).toEqual(
      expected.map((e: { pipeline_id: string; commit_sha: string }) => `${e.pipeline_id} ${e.commit_sha}`).sort(),
    );
    for (const d of deployments) {
      expect([d.cicd_scope_id, d.environment, d.subtask_name]).toEqual(['github:GithubRepo:1:134018330', 'PRODUCTION', 'dora.generateDeploymentCommits']);
    }
    // The successful production ones form one chain per repo: all but the first have a previous one.
    const chained = deployments.filter((d: { result: string }) => d.result === 'SUCCESS');
    expect(chained.filter((d: { prev_success_deployment_commit_id: string }) => d.prev_success_deployment_commit_id === '')).toHaveLength(1);

    // PR metrics: one per merged PR of the project's repo, each pointing at a PR of the project.
    const metrics = await knex('project_pr_metrics').where({ project_name: 'demo' });
    const merged = await knex('pull_requests').whereNotNull('merged_date').where({ base_repo_id: 'github:GithubRepo:1:134018330' }).select('id', 'created_date', 'merged_date');
    expect(metrics.length).toBeGreaterThan(0);
    expect(metrics.map((m: { id: string }) => m.id).sort()).toEqual(merged.map((p: { id: string }) => p.id).sort());
    expect(await knex('project_pr_metrics').whereNot({ project_name: 'demo' })).toHaveLength(0);
    for (const m of metrics) expect(m.pr_cycle_time).not.toBeNull();
  });
});
