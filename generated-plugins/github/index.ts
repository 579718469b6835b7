import { definePlugin } from 'devlake-ts';
import type { TaskContext } from 'devlake-ts';
import { githubMigrations } from './migrations';
import { githubToolModels } from './models';
import { githubSubTaskMetas } from './tasks';
import { lazyGithubClient, resolveGithubId } from './tasks/api-client';
import { buildTaskData } from './tasks/task-data';
import type { GithubOptions, GithubTaskData } from './tasks/task-data';

/** Clients created for a task's data, closed by `close()`. */
const clients = new WeakMap<object, () => Promise<void>>();

/**
 * The GitHub plugin: DevLake's GitHub data flow (REST collectors, extractors,
 * converters) with DevLake's table names, subtask names and results.
 */
const plugin = definePlugin<GithubOptions, GithubTaskData>({
  name: 'github',
  description: 'Collect and convert GitHub repositories, issues, pull requests, comments, reviews, commits and Actions runs',
  subTaskMetas: () => githubSubTaskMetas,
  async prepareTaskData(taskCtx: TaskContext<GithubOptions>, options: GithubOptions): Promise<GithubTaskData> {
    const data = buildTaskData(options);
    const client = lazyGithubClient(taskCtx);
    data.apiClient = client.get;
    data.closeApiClient = client.close;
    clients.set(taskCtx, client.close);
    // Rows are keyed by the repo's numeric id: ask GitHub for it when only the name is given, as DevLake does.
    if (data.options.githubId === 0) {
      try {
        await resolveGithubId(data);
      } catch (err) {
        await client.close();
        throw err;
      }
    }
    return data;
  },
  migrationScripts: () => githubMigrations,
  getTablesInfo: () => githubToolModels,
  async close(taskCtx: TaskContext) {
    await clients.get(taskCtx)?.();
    clients.delete(taskCtx);
  },
});

export default plugin;
