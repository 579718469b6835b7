import type { Config } from '../core/config';
import type { Dal } from '../core/dal';
import { CONNECTIONS_TABLE } from '../dal/connection-tables';
import { configWithConnection } from './connection-config';
import { ConnectionStore } from './connection-store';
import { secretBoxFromConfig } from './secrets';

/** The saved connection id a task's options name, when they name one. */
export function taskConnectionId(options: Record<string, unknown> | undefined): number | undefined {
  const id = options?.connectionId;
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

/**
 * The configuration a pipeline task runs with: `base`, with the settings of
 * the saved connection its options name (`connectionId`) on top, decrypted
 * here, in the process that runs the task, so secrets never travel in a plan,
 * a pipeline row or a queue job.
 *
 * `required: false` (the CLI and queue workers): a `connectionId` with no
 * saved connection of that plugin is a plain option, as it was before
 * connections could be saved, and the environment's `<PLUGIN>_*` settings
 * apply. `required: true`: DEVLAKE_E_CONNECTION_NOT_FOUND.
 */
export async function configForTask(dal: Dal, base: Config, plugin: string, options: Record<string, unknown> | undefined, required = false): Promise<Config> {
  const id = taskConnectionId(options);
  if (id === undefined) return base;
  if (!required) {
    if (!(await dal.hasTable(CONNECTIONS_TABLE))) return base;
    const [row] = (await dal.knex(CONNECTIONS_TABLE).where({ plugin, id }).select('id')) as unknown[];
    if (!row) return base;
  }
  const connection = await new ConnectionStore(dal, () => secretBoxFromConfig(base)).open(plugin, id);
  return configWithConnection(base, connection);
}
