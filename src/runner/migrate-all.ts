import type { Logger } from '../core/logger';
import type { Plugin } from '../core/plugin';
import { isPluginMigration } from '../core/plugin';
import { domainMigrations, domainTablesInDevlake } from '../domain';
import { frameworkMigrations } from '../dal/framework-migrations';
import type { AppliedMigration, MigrationSet } from '../dal/migrator';
import { migrate } from '../dal/migrator';
import type { Dal } from '../dal/types';

/** The migration sets of a run: framework, domain, then each plugin's own. */
export function migrationSets(plugins: ReadonlyArray<{ name: string; plugin: Plugin }>): MigrationSet[] {
  return [
    { owner: 'framework', scripts: frameworkMigrations },
    { owner: 'domain', scripts: domainMigrations, ownedByDevlake: domainTablesInDevlake },
    ...plugins.filter((p) => isPluginMigration(p.plugin)).map((p) => ({ owner: `plugin:${p.name}`, scripts: p.plugin.migrationScripts!() })),
  ];
}

/** Applies every pending framework, domain and plugin migration; returns what was applied. */
export function migrateAll(dal: Dal, plugins: ReadonlyArray<{ name: string; plugin: Plugin }>, options: { logger?: Logger } = {}): Promise<AppliedMigration[]> {
  return migrate(dal, migrationSets(plugins), options);
}
