import { definePlugin } from 'devlake-ts';
import type { TaskContext } from 'devlake-ts';
import { githubMigrations } from './migrations';
import { githubToolModels } from './models';
import { githubSubTaskMetas } from './tasks';
import { buildTaskData } from './tasks/task-data';
import type { GithubOptions, GithubTaskData } from './tasks/task-data';

/**
 * The GitHub plugin: DevLake's GitHub data flow (REST collectors, extractors,
 * converters) with DevLake's table names, subtask names and results.
 */
const plugin = definePlugin<GithubOptions, GithubTaskData>({
  name: 'github',
  description: 'Collect and convert GitHub repositories, issues, pull requests, comments, reviews, commits and Actions runs',
  subTaskMetas: () => githubSubTaskMetas,
  prepareTaskData(_taskCtx: TaskContext<GithubOptions>, options: GithubOptions): GithubTaskData {
    return buildTaskData(options);
  },
  migrationScripts: () => githubMigrations,
  getTablesInfo: () => githubToolModels,
  close() {
    // Nothing held open between subtasks yet.
  },
});

export default plugin;
