import type { ConnectionTestResult, PluginConnection, TaskContext } from 'devlake-ts';
import { createIclaApiClient, closeIclaApiClient } from './api-client';
import { parseCommitterResponse } from './tasks/committer-collector';

/**
 * The connection test `devlake serve` runs for icla: one GET of
 * `public/icla-info.json` with the connection's endpoint and credentials, the
 * same request the collector sends, and a count of the committers it lists.
 */
export async function testIclaConnection(_connection: PluginConnection, taskCtx: TaskContext): Promise<ConnectionTestResult> {
  const client = createIclaApiClient(taskCtx);
  try {
    const res = await client.get('public/icla-info.json');
    const committers = parseCommitterResponse(res).length;
    return { ok: true, status: res.status, message: `Reached ${client.endpoint ?? 'the endpoint'}: ${committers} committers listed` };
  } finally {
    await closeIclaApiClient(taskCtx);
  }
}
