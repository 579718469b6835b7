import type { Config } from '../core/config';
import type { PluginConnection } from '../core/connection';
import { createDal } from '../dal/connect';
import { migrate } from '../dal/migrator';
import { frameworkMigrations } from '../dal/framework-migrations';
import { ConnectionStore } from './connection-store';
import { configWithConnection } from './connection-config';
import { secretBoxFromConfig } from './secrets';

/**
 * What a run needs from a saved connection (`devlake run --connection`): the
 * configuration with the connection's `<PLUGIN>_*` settings on top and the task
 * options with its `connectionId` (explicit options win). Opens the database
 * only to read the connection; its secrets are registered for redaction.
 */
export async function runSettingsFromConnection(input: {
  dbUrl: string;
  cwd?: string;
  config: Config;
  plugin: string;
  connection: string;
  options: Record<string, unknown>;
}): Promise<{ connection: PluginConnection; config: Config; options: Record<string, unknown> }> {
  const box = secretBoxFromConfig(input.config); // a missing key fails before the database is opened
  const dal = await createDal(input.dbUrl, { cwd: input.cwd });
  try {
    await migrate(dal, [{ owner: 'framework', scripts: frameworkMigrations }]);
    const connection = await new ConnectionStore(dal, () => box).open(input.plugin, input.connection);
    return { connection, config: configWithConnection(input.config, connection), options: { connectionId: connection.id, ...input.options } };
  } finally {
    await dal.close();
  }
}
