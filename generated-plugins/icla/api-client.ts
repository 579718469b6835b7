import { createApiClient, type ApiClient, type TaskContext } from 'devlake-ts';

/** The API's base URL; `ICLA_ENDPOINT` overrides it. */
export const DEFAULT_ENDPOINT = 'https://people.apache.org/';

/** The client every icla collector uses. */
export type IclaApiClient = ApiClient;

// One client per run, so close() can release the one prepareTaskData made.
const clients = new WeakMap<TaskContext, ApiClient>();

/**
 * Builds the client of a run: endpoint from `ICLA_ENDPOINT` (default above), a bearer token
 * from `ICLA_TOKEN` when set (never logged), requests per hour from
 * `ICLA_API_REQUESTS_PER_HOUR` and a proxy from `ICLA_PROXY`.
 */
export function createIclaApiClient(taskCtx: TaskContext): IclaApiClient {
  // createApiClient itself sends `ICLA_TOKEN` as a bearer token and reads the rate limit, retries and proxy.
  const client = createApiClient(taskCtx, {
    endpoint: taskCtx.getConfig('ICLA_ENDPOINT') ?? DEFAULT_ENDPOINT,
  });
  clients.set(taskCtx, client);
  return client;
}

/** Releases the client made for this run, if any. */
export async function closeIclaApiClient(taskCtx: TaskContext): Promise<void> {
  await clients.get(taskCtx)?.close();
  clients.delete(taskCtx);
}
