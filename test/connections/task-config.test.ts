import { ConnectionStore } from '../../src/connections/connection-store';
import { SecretBox } from '../../src/connections/secrets';
import { configForTask } from '../../src/connections/task-config';
import { mapConfig } from '../../src/core/config';
import { hasErrorCode } from '../../src/core/errors';
import { migrateAll } from '../../src/runner/migrate-all';
import { databases } from '../../src/testing/databases';

const KEY = 'task-config-secret-0123456789';

// Plain reads of one table: SQLite is enough (the stores are tested on every database).
describe.each(databases().filter((d) => d.name === 'sqlite'))('configForTask on $name', (database) => {
  it("runs a task with the saved connection its options name, decrypted; an unsaved connectionId keeps the environment's settings unless required", async () => {
    const db = await database.open();
    try {
      const base = mapConfig({ DEVLAKE_ENCRYPTION_SECRET: KEY, ICLA_TOKEN: 'env-token-1111', ICLA_ENDPOINT: 'https://env.example/', OTHER: 'kept' });
      // Before any connection table exists (a CLI run on an old database): the environment, untouched.
      expect((await configForTask(db.dal, base, 'icla', { connectionId: 1 })).get('ICLA_TOKEN')).toBe('env-token-1111');
      await migrateAll(db.dal, []);
      const saved = await new ConnectionStore(db.dal, () => new SecretBox(KEY)).create('icla', { name: 'saved', endpoint: 'https://saved.example/', auth: { type: 'bearer', token: 'saved-token-2222' } });

      const config = await configForTask(db.dal, base, 'icla', { connectionId: saved.id, scope: 'x' });
      expect([config.get('ICLA_TOKEN'), config.get('ICLA_ENDPOINT'), config.get('OTHER')]).toEqual(['saved-token-2222', 'https://saved.example/', 'kept']);
      // No connectionId, another plugin's id, or one never saved: the environment.
      for (const [plugin, options] of [['icla', { scope: 'x' }], ['github', { connectionId: saved.id }], ['icla', { connectionId: saved.id + 1 }], ['icla', { connectionId: '1' }]] as const) {
        expect((await configForTask(db.dal, base, plugin, options)).get('ICLA_TOKEN')).toBe('env-token-1111');
      }
      // Required (the server): a connection deleted since the plan was made is an error, not the environment.
      expect(hasErrorCode(await configForTask(db.dal, base, 'icla', { connectionId: saved.id + 1 }, true).catch((e: unknown) => e), 'DEVLAKE_E_CONNECTION_NOT_FOUND')).toBe(true);
      // A saved connection without the key: a clear error, never the environment's token in its place.
      const noKey = mapConfig({ ICLA_TOKEN: 'env-token-1111' });
      expect(hasErrorCode(await configForTask(db.dal, noKey, 'icla', { connectionId: saved.id }).catch((e: unknown) => e), 'DEVLAKE_E_SECRET_KEY_MISSING')).toBe(true);
    } finally {
      await db.drop();
    }
  });
});
