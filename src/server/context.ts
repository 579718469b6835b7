import { DevlakeError } from '../core/errors';
import type { Config } from '../core/config';
import type { Logger } from '../core/logger';
import type { ConnectionStore } from '../connections/connection-store';
import type { ScopeStore } from '../connections/scope-store';
import type { Dal } from '../dal/types';
import type { LoadedPlugin } from '../runner/load-plugin';
import type { ApiKeyStore } from './api-keys';
import type { BlueprintService } from './blueprint-service';
import type { PipelineService } from './pipeline-service';

/** What every route group of `devlake serve` works with. */
export interface ServerContext {
  dal: Dal;
  /** The server's configuration (environment over `.env`). */
  config: Config;
  /** Request lines and plugin handlers log here; every line is redacted. */
  logger: Logger;
  /** The plugins that loaded, by name. */
  plugins: ReadonlyMap<string, LoadedPlugin>;
  connections: ConnectionStore;
  scopes: ScopeStore;
  apiKeys: ApiKeyStore;
  pipelines: PipelineService;
  /** Saved blueprints, their runs and their schedules. */
  blueprints: BlueprintService;
  /** The connection test's timeout, in ms. */
  connectionTestTimeoutMs: number;
  /** The toolkit's version. */
  version: string;
  /** Checks the queue (Redis) when pipelines run on one; absent in process. */
  pingQueue?: () => Promise<void>;
}

/** The loaded plugin named in a path, or a 404 naming the plugins that exist. */
export function pluginOf(ctx: ServerContext, name: string): LoadedPlugin {
  const hit = ctx.plugins.get(name);
  if (!hit) {
    throw new DevlakeError('DEVLAKE_E_PLUGIN_NOT_FOUND', `No plugin named "${name}"`, {
      hint: `Loaded plugins: ${[...ctx.plugins.keys()].join(', ') || 'none'} (GET /plugins).`,
    });
  }
  return hit;
}
