import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../core/config';
import { DevlakeError } from '../core/errors';
import type { Logger } from '../core/logger';
import { ConnectionStore } from '../connections/connection-store';
import { ENCRYPTION_SECRET_VAR, generateEncryptionSecret, secretBoxFromConfig, type SecretBox } from '../connections/secrets';
import { ScopeStore } from '../connections/scope-store';
import type { Dal } from '../dal/types';
import { discoverPlugins, pluginSearchPath } from '../runner/discover';
import { loadPlugin, type LoadedPlugin } from '../runner/load-plugin';
import { migrateAll } from '../runner/migrate-all';
import { API_KEYS_VAR, ApiKeyStore, envApiKeys } from './api-keys';
import { buildServer } from './app';
import { BlueprintService } from './blueprint-service';
import { BlueprintStore } from './blueprint-store';
import { DEFAULT_CONNECTION_TEST_TIMEOUT_MS } from './connection-test';
import { PipelineService } from './pipeline-service';
import type { ServerContext } from './context';

/** Hosts that only this machine can reach: no API key needed there. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** What `startServer` needs. */
export interface StartServerOptions {
  dal: Dal;
  config: Config;
  logger: Logger;
  host: string;
  port: number;
  /** Require an API key even on loopback (tests of the key check). Default: only off loopback. */
  requireApiKey?: boolean;
  /** Where plugins are looked for. Default `pluginSearchPath()`. */
  searchPath?: string[];
  connectionTestTimeoutMs?: number;
  /** A Redis URL: pipelines go to `devlake worker` processes (BullMQ) instead of running in the server. */
  queue?: string;
}

/** A running server. */
export interface RunningServer {
  app: FastifyInstance;
  ctx: ServerContext;
  /** `http://host:port` it listens on. */
  url: string;
  close(): Promise<void>;
}

/** Loads every plugin on the search path; one that fails is left out with a warning, not fatal. */
export function loadAllPlugins(logger: Logger, searchPath = pluginSearchPath()): Map<string, LoadedPlugin> {
  const plugins = new Map<string, LoadedPlugin>();
  for (const location of discoverPlugins(searchPath)) {
    try {
      plugins.set(location.name, loadPlugin(location));
    } catch (err) {
      logger.warn(`plugin ${location.name} not served: ${(err as Error).message}`);
    }
  }
  return plugins;
}

/** The version in package.json. */
export function toolkitVersion(): string {
  return (require('../../package.json') as { version: string }).version;
}

/**
 * The server's context over an open database: plugins loaded and migrated
 * (framework, domain and each plugin's scripts, as `devlake run` does), the
 * stores, the API keys of `DEVLAKE_API_KEYS` and of the table.
 */
export async function createServerContext(opts: Omit<StartServerOptions, 'host' | 'port' | 'requireApiKey'>): Promise<ServerContext> {
  const plugins = loadAllPlugins(opts.logger, opts.searchPath);
  await migrateAll(
    opts.dal,
    [...plugins.values()].map((p) => ({ name: p.location.name, plugin: p.plugin })),
  );
  let box: SecretBox | undefined;
  const connections = new ConnectionStore(opts.dal, () => (box ??= secretBoxFromConfig(opts.config)));
  const scopes = new ScopeStore(opts.dal);
  const pipelines = new PipelineService({ dal: opts.dal, config: opts.config, logger: opts.logger, connections, scopes, searchPath: opts.searchPath, queue: opts.queue });
  return {
    dal: opts.dal,
    config: opts.config,
    logger: opts.logger,
    plugins,
    connections,
    scopes,
    pipelines,
    blueprints: new BlueprintService({ dal: opts.dal, store: new BlueprintStore(opts.dal), pipelines, connections, scopes, plugins, logger: opts.logger }),
    ...(opts.queue ? { pingQueue: () => pipelines.pingQueue() } : {}),
    apiKeys: new ApiKeyStore(opts.dal, envApiKeys(opts.config.get(API_KEYS_VAR))),
    connectionTestTimeoutMs: opts.connectionTestTimeoutMs ?? DEFAULT_CONNECTION_TEST_TIMEOUT_MS,
    version: toolkitVersion(),
  };
}

/**
 * Starts `devlake serve`: refuses a non-loopback host without an API key,
 * builds the app and listens. The caller owns `dal` (closed after `close()`).
 */
export async function startServer(opts: StartServerOptions): Promise<RunningServer> {
  const ctx = await createServerContext(opts);
  const requireApiKey = opts.requireApiKey ?? !isLoopbackHost(opts.host);
  if (requireApiKey && !(await ctx.apiKeys.any())) {
    throw new DevlakeError('DEVLAKE_E_SERVER_API_KEY_REQUIRED', `Serving on ${opts.host} needs an API key, and none is configured`, {
      hint: `Create one with \`devlake api-key create --name <name>\` or set ${API_KEYS_VAR}; or serve on 127.0.0.1.`,
    });
  }
  const app = await buildServer(ctx, { requireApiKey });
  let address: string;
  try {
    address = await app.listen({ host: opts.host, port: opts.port });
  } catch (err) {
    await app.close();
    throw new DevlakeError('DEVLAKE_E_SERVER_LISTEN', `Cannot listen on ${opts.host}:${opts.port}: ${(err as Error).message}`, {
      hint: 'Pick another --port, or stop what uses it.',
      cause: err,
    });
  }
  return {
    app,
    ctx,
    url: address,
    close: async () => {
      await app.close();
      await ctx.pipelines.close();
    },
  };
}

/**
 * Makes sure connection secrets can be encrypted: when
 * `DEVLAKE_ENCRYPTION_SECRET` is unset, a random one is appended to `.env`
 * (created with mode 0600), as DevLake writes its ENCRYPTION_SECRET on first
 * start. Returns the path written, or undefined when a secret was set.
 */
export function ensureEncryptionSecret(config: Config, cwd: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (config.get(ENCRYPTION_SECRET_VAR)) return undefined;
  const file = path.join(cwd, '.env');
  const secret = generateEncryptionSecret();
  const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const line = `${before && !before.endsWith('\n') ? '\n' : ''}# Encrypts saved connection secrets: keep it, and keep it private.\n${ENCRYPTION_SECRET_VAR}=${secret}\n`;
  fs.appendFileSync(file, line, { mode: 0o600 });
  env[ENCRYPTION_SECRET_VAR] = secret;
  return file;
}
