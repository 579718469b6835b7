import { definePlugin } from 'devlake-ts';
import type { ApiClient, TaskContext } from 'devlake-ts';
import { githubMigrations } from './migrations';
import { githubToolModels } from './models';
import { githubSubTaskMetas } from './tasks';
import { createGithubClient, fetchGithubId } from './tasks/api-client';
import { buildTaskData } from './task-data';
import type { GithubOptions, GithubTaskData } from './task-data';

/** Clients created for a task's data, closed by `close()`. */
const clients = new WeakMap<object, ApiClient>();

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
    const client = createGithubClient(taskCtx);
    data.apiClient = client;
    clients.set(taskCtx, client);
    // Rows are keyed by the repo's numeric id: ask GitHub for it when only the name is given, as DevLake does.
    if (data.options.githubId === 0) {
      try {
        data.options.githubId = await fetchGithubId(client, data.options.name);
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
    await clients.get(taskCtx)?.close();
    clients.delete(taskCtx);
  },
});

export default plugin;
