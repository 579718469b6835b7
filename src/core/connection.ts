import type { TaskContext } from './context';

/**
 * Saved connections, as a plugin sees them: where its API is and how to
 * authenticate. `devlake serve` stores them (secrets encrypted);
 * `devlake run --connection <id|name>` runs with one instead of environment
 * variables.
 */

/** How a connection authenticates; the same shapes as ApiClient's `auth`. */
export type ConnectionAuth =
  | { type: 'none' }
  | { type: 'bearer'; token: string }
  | { type: 'basic'; username: string; password: string }
  | { type: 'header'; name: string; value: string };

/** A saved connection with its secrets in clear: only ever handed to plugin code, never to a client. */
export interface PluginConnection {
  id: number;
  /** The plugin it belongs to. */
  plugin: string;
  /** Unique per plugin, e.g. `github-cloud`. */
  name: string;
  /** The API's base URL. */
  endpoint?: string;
  auth: ConnectionAuth;
  /** An http(s) proxy URL. */
  proxy?: string;
  /** Requests per hour this connection may send. */
  rateLimitPerHour?: number;
}

/** The outcome of a connection test, as the web page shows it. */
export interface ConnectionTestResult {
  /** True when the API answered as expected with these credentials. */
  ok: boolean;
  /** One sentence for the user: what was tried and what came back. Never contains a secret. */
  message: string;
  /** The HTTP status of the test request, when one was answered. */
  status?: number;
  /** How long the test took, in ms. */
  durationMs?: number;
}

/** A plugin that knows how to check a connection (DevLake's `TestConnection`). */
export interface PluginConnectionTester {
  /**
   * Implement to check that `connection` reaches the API and its credentials
   * are accepted, e.g. with one cheap GET through `createApiClient(taskCtx)`
   * (the task context's configuration is the connection's: `<PLUGIN>_ENDPOINT`,
   * `<PLUGIN>_TOKEN`, …). Return `ok: false` with a message for a refusal; a
   * thrown error is reported as a failed test. The server aborts
   * `taskCtx.signal` after its timeout. Default (no method): a GET of the
   * endpoint's root, which passes on any 2xx or 3xx answer.
   *
   * @example
   * async testConnection(connection, taskCtx) {
   *   const res = await createApiClient(taskCtx).get('user');
   *   return { ok: true, message: `Authenticated as ${res.json<{ login: string }>().login}` };
   * }
   */
  testConnection(connection: PluginConnection, taskCtx: TaskContext): Promise<ConnectionTestResult>;
}
