import type { Command } from 'commander';
import type { GlobalOptions } from './global';

/** Opens the database (migrated) and hands the API key store to `fn`. */
async function withKeys<T>(g: GlobalOptions, fn: (keys: import('../server/api-keys').ApiKeyStore) => Promise<T>): Promise<T> {
  const { createDal } = require('../dal/connect') as typeof import('../dal/connect');
  const dal = await createDal(g.dbUrl, { cwd: g.cwd });
  try {
    const { migrateAll } = require('../runner/migrate-all') as typeof import('../runner/migrate-all');
    await migrateAll(dal, []);
    const { ApiKeyStore } = require('../server/api-keys') as typeof import('../server/api-keys');
    return await fn(new ApiKeyStore(dal));
  } finally {
    await dal.close();
  }
}

export function register(program: Command): void {
  const apiKey = program.command('api-key').description('manage the API keys of `devlake serve` (stored hashed)');
  apiKey
    .command('create')
    .description('create an API key and print it once')
    .requiredOption('--name <name>', 'a name to tell the key apart, e.g. ci')
    .addHelpText('after', '\nExamples:\n  $ devlake api-key create --name ci\n  $ curl -H "Authorization: Bearer <key>" http://host:4000/plugins')
    .action(async (flags: { name: string }, cmd: Command) => {
      const g = (require('./global') as typeof import('./global')).globalOptions(cmd);
      const { key, info } = await withKeys(g, (keys) => keys.create(flags.name));
      process.stdout.write(`${key}\n`);
      process.stderr.write(`API key "${info.name}" created: shown once, store it now (send it as "Authorization: Bearer <key>")\n`);
    });
  apiKey
    .command('list')
    .description('list API keys (name and first characters only)')
    .action(async (_flags: unknown, cmd: Command) => {
      const g = (require('./global') as typeof import('./global')).globalOptions(cmd);
      const list = await withKeys(g, (keys) => keys.list());
      for (const k of list) process.stdout.write(`${k.name}  ${k.prefix}…  ${k.createdAt}\n`);
      if (!list.length) process.stdout.write('No API keys. Create one with `devlake api-key create --name <name>`.\n');
    });
  apiKey
    .command('revoke')
    .description('delete an API key')
    .requiredOption('--name <name>', 'the key to delete')
    .action(async (flags: { name: string }, cmd: Command) => {
      const g = (require('./global') as typeof import('./global')).globalOptions(cmd);
      const gone = await withKeys(g, (keys) => keys.revoke(flags.name));
      if (!gone) {
        const { DevlakeError } = require('../core/errors') as typeof import('../core/errors');
        throw new DevlakeError('DEVLAKE_E_USAGE', `No API key named "${flags.name}"`, { hint: 'List them with `devlake api-key list`.' });
      }
      process.stdout.write(`API key "${flags.name}" revoked\n`);
    });
}
