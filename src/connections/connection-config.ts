import type { PluginConnection } from '../core/connection';
import type { Config } from '../core/config';
import { mapConfig } from '../core/config';
import { constantCase } from '../core/naming';

/**
 * The `<PLUGIN>_*` configuration a saved connection stands for: the keys
 * ApiClient and the generated plugins already read from the environment
 * (`<PLUGIN>_ENDPOINT`, `<PLUGIN>_TOKEN`, `<PLUGIN>_USERNAME`/`_PASSWORD`,
 * `<PLUGIN>_AUTH_HEADER_NAME`/`_VALUE`, `<PLUGIN>_PROXY`,
 * `<PLUGIN>_API_REQUESTS_PER_HOUR`). So a plugin runs with a saved connection
 * without any change to its code.
 */
export function connectionEnv(connection: PluginConnection): Record<string, string> {
  const p = constantCase(connection.plugin);
  const env: Record<string, string> = {};
  if (connection.endpoint) env[`${p}_ENDPOINT`] = connection.endpoint;
  if (connection.proxy) env[`${p}_PROXY`] = connection.proxy;
  if (connection.rateLimitPerHour) env[`${p}_API_REQUESTS_PER_HOUR`] = String(connection.rateLimitPerHour);
  const a = connection.auth;
  if (a.type === 'bearer') env[`${p}_TOKEN`] = a.token;
  if (a.type === 'basic') Object.assign(env, { [`${p}_USERNAME`]: a.username, [`${p}_PASSWORD`]: a.password });
  if (a.type === 'header') Object.assign(env, { [`${p}_AUTH_HEADER_NAME`]: a.name, [`${p}_AUTH_HEADER_VALUE`]: a.value });
  return env;
}

/**
 * `base` with the connection's settings on top. The connection's credentials
 * replace any `<PLUGIN>_TOKEN`/`_USERNAME`/… of the environment (an env token
 * must not ride along with a connection that uses basic auth): those keys read
 * as unset unless the connection sets them.
 */
export function configWithConnection(base: Config, connection: PluginConnection): Config {
  const p = constantCase(connection.plugin);
  const overlay = connectionEnv(connection);
  const owned = new Set(['ENDPOINT', 'PROXY', 'API_REQUESTS_PER_HOUR', 'TOKEN', 'USERNAME', 'PASSWORD', 'AUTH_HEADER_NAME', 'AUTH_HEADER_VALUE'].map((k) => `${p}_${k}`));
  const fromConnection = mapConfig(overlay);
  return {
    get(key: string) {
      if (owned.has(key)) return fromConnection.get(key);
      return base.get(key);
    },
  };
}
