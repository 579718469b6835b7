import { migrate } from '../../src/dal/migrator';
import { frameworkMigrations } from '../../src/dal/framework-migrations';
import { domainMigrations } from '../../src/domain';
import { mapRunToProject } from '../../src/runner/project';
import { databases, type TestDb } from '../../src/testing/databases';

const GH = '{"ConnectionId":1,"Name":"o/r"}';

describe.each(databases())('--project on $name', ({ open }) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await open();
    await migrate(db.dal, [
      { owner: 'framework', scripts: frameworkMigrations },
      { owner: 'domain', scripts: domainMigrations },
    ]);
  });
  afterEach(async () => db.drop());

  it("records the project and maps the run's repo, board and cicd scope rows, once", async () => {
    const id = 'github:GithubRepo:1:42';
    const prov = (table: string, params = GH) => ({ _raw_data_table: table, _raw_data_params: params });
    await db.dal.insert('repos', [
      { id, name: 'o/r', ...prov('_raw_github_api_repositories') },
      { id: 'github:GithubRepo:1:43', name: 'o/other', ...prov('_raw_github_api_repositories', '{"ConnectionId":1,"Name":"o/other"}') },
      { id: 'gitlab:GitlabProject:1:7', name: 'g', ...prov('_raw_gitlab_api_projects', GH) },
    ]);
    await db.dal.insert('boards', [{ id, name: 'o/r', ...prov('_raw_github_api_repositories') }]);
    await db.dal.insert('cicd_scopes', [{ id, name: 'o/r', ...prov('_raw_github_api_repositories') }]);

    const result = await mapRunToProject(db.dal, 'demo', 'github', { params: { ConnectionId: 1, Name: 'o/r' } });
    expect(result).toEqual({ project: 'demo', mapped: { repos: 1, boards: 1, cicd_scopes: 1 } });
    await mapRunToProject(db.dal, 'demo', 'github', { params: { ConnectionId: 1, Name: 'o/r' } });
    expect(await db.dal.knex('projects').select('name', 'description')).toEqual([{ name: 'demo', description: '' }]);
    const mapping = await db.dal.knex('project_mapping').select('project_name', 'table', 'row_id').orderBy('table');
    expect(mapping).toEqual([
      { project_name: 'demo', table: 'boards', row_id: id },
      { project_name: 'demo', table: 'cicd_scopes', row_id: id },
      { project_name: 'demo', table: 'repos', row_id: id },
    ]);
    // No params in the task data: every scope row of the plugin.
    expect((await mapRunToProject(db.dal, 'all', 'github', {})).mapped.repos).toBe(2);
  });

  it('creates project_metric_settings as DevLake does', async () => {
    await db.dal.insert('project_metric_settings', [{ project_name: 'demo', plugin_name: 'dora', plugin_option: JSON.stringify({}), enable: true }]);
    const [row] = await db.dal.knex('project_metric_settings');
    expect(row.plugin_name).toBe('dora');
  });
});
