import type { Config } from '../core/config';
import type { ConnectionTestResult, PluginConnection, PluginConnectionTester } from '../core/connection';
import { isDevlakeError } from '../core/errors';
import { constantCase } from '../core/naming';
import type { Logger } from '../core/logger';
import type { Plugin } from '../core/plugin';
import { redact } from '../core/redact';
import type { Dal } from '../dal/types';
import { configWithConnection } from '../connections/connection-config';
import { createApiClient } from '../helpers/api-client';
import { createTaskContext } from '../runner/context';

/** How long a connection test may take before it is reported as failed. */
export const DEFAULT_CONNECTION_TEST_TIMEOUT_MS = 10_000; // 10 s

/** Whether a plugin brings its own connection test. */
export function isPluginConnectionTester(plugin: unknown): plugin is PluginConnectionTester {
  return typeof (plugin as { testConnection?: unknown } | null)?.testConnection === 'function';
}

/**
 * Tests a connection: the plugin's `testConnection` when it has one, else a
 * GET of the endpoint with the connection's credentials. Never throws: any
 * failure, and no answer within `timeoutMs`, is a result with `ok: false` and
 * a redacted message.
 */
export async function testConnection(input: {
  plugin: Plugin;
  connection: PluginConnection;
  dal: Dal;
  config: Config;
  logger: Logger;
  timeoutMs?: number;
}): Promise<ConnectionTestResult> {
  const timeoutMs = input.timeoutMs ?? DEFAULT_CONNECTION_TEST_TIMEOUT_MS;
  const started = Date.now();
  const controller = new AbortController();
  const taskCtx = createTaskContext({
    pluginName: input.connection.plugin,
    options: { connectionId: input.connection.id },
    db: input.dal,
    logger: input.logger,
    config: testConfig(configWithConnection(input.config, input.connection), input.connection.plugin, timeoutMs),
    signal: controller.signal,
  });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<ConnectionTestResult>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve({ ok: false, message: `No answer within ${Math.round(timeoutMs / 100) / 10} s` });
    }, timeoutMs);
  });
  const run = (async (): Promise<ConnectionTestResult> => {
    if (isPluginConnectionTester(input.plugin)) return input.plugin.testConnection(input.connection, taskCtx);
    return defaultTest(input.connection, taskCtx, timeoutMs);
  })().catch((err: unknown) => failure(err));
  try {
    const result = await Promise.race([run, timedOut]);
    return { ...result, message: redact(String(result.message)), durationMs: Date.now() - started };
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

/** A test asks once: no retries, and one attempt may take the whole timeout (the plugin's own client reads these too). */
function testConfig(config: Config, plugin: string, timeoutMs: number): Config {
  const p = constantCase(plugin);
  return {
    get: (key: string) => (key === `${p}_API_RETRY` ? '0' : key === `${p}_API_TIMEOUT` ? `${timeoutMs}ms` : config.get(key)),
  };
}

/** GET the endpoint's root with the connection's auth, no retries; any 2xx/3xx passes. */
async function defaultTest(connection: PluginConnection, taskCtx: ReturnType<typeof createTaskContext>, timeoutMs: number): Promise<ConnectionTestResult> {
  if (!connection.endpoint) return { ok: false, message: 'The connection has no endpoint to test' };
  const client = createApiClient(taskCtx, { retry: 0, timeoutMs, connectTimeoutMs: timeoutMs });
  try {
    const res = await client.get('');
    return { ok: true, status: res.status, message: `${connection.endpoint} answered ${res.status}` };
  } finally {
    await client.close();
  }
}

/** A thrown error as a failed test: the API's status when it answered, the error's message otherwise. */
function failure(err: unknown): ConnectionTestResult {
  if (isDevlakeError(err)) {
    const status = typeof err.data.status === 'number' ? err.data.status : undefined;
    const why =
      err.code === 'DEVLAKE_E_API_AUTH'
        ? `The API refused the credentials (${status ?? 'auth error'})`
        : err.code === 'DEVLAKE_E_API_NOT_FOUND'
          ? 'The API answered 404: check the endpoint'
          : err.message;
    return { ok: false, message: why, ...(status ? { status } : {}) };
  }
  return { ok: false, message: err instanceof Error ? err.message : String(err) };
}
