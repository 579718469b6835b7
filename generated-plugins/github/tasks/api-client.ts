import { createApiClient, DevlakeError } from 'devlake-ts';
import type { ApiClient, TaskContext } from 'devlake-ts';
import type { GithubTaskData } from './task-data';

/** GitHub's public REST endpoint, used when `GITHUB_ENDPOINT` is not set. */
export const GITHUB_ENDPOINT = 'https://api.github.com/';

/**
 * A lazily created client for the task: `GITHUB_ENDPOINT` (default
 * api.github.com), bearer `GITHUB_TOKEN`, `GITHUB_API_REQUESTS_PER_HOUR`, and
 * the client's retries and waits on GitHub's `X-RateLimit-*` headers.
 */
export function lazyGithubClient(taskCtx: TaskContext<any>): { get: () => ApiClient; close: () => Promise<void> } {
  let client: ApiClient | undefined;
  return {
    get() {
      client ??= createApiClient(taskCtx, {
        endpoint: taskCtx.getConfig('GITHUB_ENDPOINT') ? undefined : GITHUB_ENDPOINT,
        headers: { accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' },
      });
      return client;
    },
    async close() {
      await client?.close();
      client = undefined;
    },
  };
}

/** The task's API client, or a clear error when the task data was built without one. */
export function apiClientOf(data: GithubTaskData): ApiClient {
  if (!data.apiClient) {
    throw new DevlakeError('DEVLAKE_E_API_CONFIG', 'The GitHub collectors need an API client, and this task has none', {
      hint: 'Build the task data with the plugin\'s prepareTaskData (the runner does), not with buildTaskData alone.',
    });
  }
  return data.apiClient();
}

/** Fills `githubId` from `GET repos/:name` (the options gave only the name). */
export async function resolveGithubId(data: GithubTaskData): Promise<void> {
  const res = await apiClientOf(data).get(`repos/${data.options.name}`);
  const id = Number((res.json<{ id?: unknown }>() ?? {}).id);
  if (!Number.isSafeInteger(id) || id <= 0) {
    throw new DevlakeError('DEVLAKE_E_API_RESPONSE', `GitHub did not return an id for repo ${data.options.name}`, {
      hint: 'Check the "name" option (owner/repo), or pass "githubId" in the task options.',
    });
  }
  data.options.githubId = id;
}
