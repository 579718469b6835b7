import { createApiClient, DevlakeError } from 'devlake-ts';
import type { ApiClient, ApiResponse, TaskContext } from 'devlake-ts';

/** GitHub's public REST endpoint, used when `GITHUB_ENDPOINT` is not set. */
export const GITHUB_ENDPOINT = 'https://api.github.com/';

/**
 * The task's client: `GITHUB_ENDPOINT` (default api.github.com), bearer
 * `GITHUB_TOKEN`, `GITHUB_API_REQUESTS_PER_HOUR`, and the client's retries and
 * waits on GitHub's `X-RateLimit-*` headers. No request is made until a collector runs.
 */
export function createGithubClient(taskCtx: TaskContext<any>): ApiClient {
  return createApiClient(taskCtx, {
    endpoint: taskCtx.getConfig('GITHUB_ENDPOINT') ? undefined : GITHUB_ENDPOINT,
    headers: { accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' },
  });
}

/** The numeric id of repo `name` (`owner/repo`), from `GET repos/:name`. */
export async function fetchGithubId(client: ApiClient, name: string): Promise<number> {
  const res = await client.get(`repos/${name}`);
  const id = Number((res.json<{ id?: unknown }>() ?? {}).id);
  if (!Number.isSafeInteger(id) || id <= 0) {
    throw new DevlakeError('DEVLAKE_E_API_RESPONSE', `GitHub did not return an id for repo ${name}`, {
      hint: 'Check the "name" option (owner/repo), or pass "githubId" in the task options.',
    });
  }
  return id;
}

/** `since` for an incremental run, GitHub's ISO form, or nothing on a full run. */
export function sinceQuery(window: { since?: Date }): Record<string, string> {
  return window.since ? { since: window.since.toISOString().replace(/\.\d{3}Z$/, 'Z') } : {};
}

/** Records under `key` of a JSON object page (e.g. `workflow_runs` of /actions/runs). */
export function recordsUnder(key: string): (res: ApiResponse) => unknown[] {
  return (res) => {
    const v = res.json<Record<string, unknown> | null>()?.[key];
    return Array.isArray(v) ? v : [];
  };
}

/** The `page` of the `rel="next"` target of GitHub's `Link` header, or null on the last page. */
export function nextPageOfLink(res: ApiResponse): string | null {
  for (const part of (res.headers.link ?? '').split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>\s*;.*\brel\s*=\s*"?next"?/i.exec(part);
    if (m) return new URL(m[1], res.url).searchParams.get('page');
  }
  return null;
}
