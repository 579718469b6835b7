import { ConnectionStore } from '../../src/connections/connection-store';
import { SecretBox } from '../../src/connections/secrets';
import { configWithConnection } from '../../src/connections/connection-config';
import { mapConfig } from '../../src/core/config';
import { hasErrorCode } from '../../src/core/errors';
import { CONNECTIONS_TABLE } from '../../src/dal/connection-tables';
import { migrateAll } from '../../src/runner/migrate-all';
import { databases, type TestDb } from '../../src/testing/databases';

const OLD = 'old-secret-0123456789';
const NEW = 'new-secret-9876543210';

describe.each(databases())('ConnectionStore on $name', (database) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await database.open();
    await migrateAll(db.dal, []);
  });
  afterEach(async () => db.drop());

  it('stores secrets sealed with their key id, and rotation re-seals them under the new key', async () => {
    const before = new ConnectionStore(db.dal, () => new SecretBox(OLD));
    const a = await before.create('icla', { name: 'a', endpoint: 'https://x.example/', auth: { type: 'bearer', token: 'tok-aaaa-1111' } });
    await before.create('icla', { name: 'b', auth: { type: 'basic', username: 'u', password: 'pw-bbbb-2222' }, proxy: 'http://u:px-cccc-3333@proxy:3128/' });
    await before.create('icla', { name: 'c' }); // no secret: nothing sealed
    const rows = (await db.dal.knex(CONNECTIONS_TABLE).orderBy('id')) as Array<{ secret: string | null; secret_key_id: string | null; proxy_display: string | null }>;
    expect(JSON.stringify(rows)).not.toMatch(/aaaa|bbbb|cccc/);
    expect(rows[1].proxy_display).toBe('http://u:********@proxy:3128/');
    expect(rows[2]).toMatchObject({ secret: null, secret_key_id: null });
    const oldKeyId = new SecretBox(OLD).currentKeyId;
    expect(rows.slice(0, 2).map((r) => r.secret_key_id)).toEqual([oldKeyId, oldKeyId]);

    // The new key alone cannot read them; with the old one as previous it can, and rotation moves them over.
    expect(hasErrorCode(await new ConnectionStore(db.dal, () => new SecretBox(NEW)).open('icla', a.id).catch((e) => e), 'DEVLAKE_E_SECRET_DECRYPT')).toBe(true);
    const during = new ConnectionStore(db.dal, () => new SecretBox(NEW, [OLD]));
    expect(await during.rotate()).toEqual({ rotated: 2, current: 0 });
    expect(await during.rotate()).toEqual({ rotated: 0, current: 2 });
    const after = new ConnectionStore(db.dal, () => new SecretBox(NEW));
    expect((await after.open('icla', 'b')).auth).toEqual({ type: 'basic', username: 'u', password: 'pw-bbbb-2222' });
    expect((await after.open('icla', 'b')).proxy).toBe('http://u:px-cccc-3333@proxy:3128/');
    expect(((await db.dal.knex(CONNECTIONS_TABLE).whereNotNull('secret')) as Array<{ secret_key_id: string }>).map((r) => r.secret_key_id)).toEqual([
      new SecretBox(NEW).currentKeyId,
      new SecretBox(NEW).currentKeyId,
    ]);
  });

  it('switching auth type on PATCH replaces the secret; a ciphertext moved to another plugin does not open', async () => {
    const store = new ConnectionStore(db.dal, () => new SecretBox(NEW));
    const c = await store.create('icla', { name: 'a', auth: { type: 'bearer', token: 'tok-1234' } });
    await store.update('icla', c.id, { auth: { type: 'header', name: 'PRIVATE-TOKEN', value: 'hv-5678' } });
    expect((await store.open('icla', c.id)).auth).toEqual({ type: 'header', name: 'PRIVATE-TOKEN', value: 'hv-5678' });
    await db.dal.knex(CONNECTIONS_TABLE).where({ id: c.id }).update({ plugin: 'github' });
    expect(hasErrorCode(await store.open('github', c.id).catch((e) => e), 'DEVLAKE_E_SECRET_DECRYPT')).toBe(true);
  });

  it('gives a run the connection as <PLUGIN>_* configuration, over the environment', async () => {
    const store = new ConnectionStore(db.dal, () => new SecretBox(NEW));
    const c = await store.create('icla', { name: 'a', endpoint: 'https://x.example/', auth: { type: 'basic', username: 'u', password: 'pw-1234' }, rateLimitPerHour: 100 });
    const config = configWithConnection(mapConfig({ ICLA_TOKEN: 'env-token', ICLA_ENDPOINT: 'https://env.example/', DB_URL: 'sqlite:x' }), await store.open('icla', c.id));
    expect(['ICLA_ENDPOINT', 'ICLA_TOKEN', 'ICLA_USERNAME', 'ICLA_PASSWORD', 'ICLA_API_REQUESTS_PER_HOUR', 'DB_URL'].map((k) => config.get(k))).toEqual([
      'https://x.example/',
      undefined,
      'u',
      'pw-1234',
      '100',
      'sqlite:x',
    ]);
  });
});
