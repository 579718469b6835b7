import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { mapConfig } from '../../src/core/config';
import { memoryLogger } from '../../src/core/logger';
import { buildServer } from '../../src/server/app';
import type { ServerContext } from '../../src/server/context';
import { createServerContext } from '../../src/server/serve';
import type { TestDatabase, TestDb } from '../../src/testing/databases';
import { TOOLKIT_ROOT } from '../../src/runner/discover';

/** Plugins the server tests serve: the fixtures (echo, demo) and the bundled icla. */
export const TEST_SEARCH_PATH = [
  path.join(TOOLKIT_ROOT, 'test', 'fixtures', 'server-plugins'),
  path.join(TOOLKIT_ROOT, 'test', 'fixtures', 'plugins'),
  path.join(TOOLKIT_ROOT, 'generated-plugins'),
];

/** A server over a fresh database, driven with `inject`; every answer and log line is kept for the secret grep. */
export interface TestApp {
  db: TestDb;
  app: FastifyInstance;
  ctx: ServerContext;
  logLines: string[];
  /** Every response body seen through `call`. */
  bodies: string[];
  encryptionSecret: string;
  call(opts: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function openTestApp(
  database: TestDatabase,
  opts: {
    requireApiKey?: boolean;
    env?: Record<string, string>;
    connectionTestTimeoutMs?: number;
    queue?: string;
    /** A second server over another test's database (not dropped on close), with that test's key. */
    db?: TestDb;
    encryptionSecret?: string;
  } = {},
): Promise<TestApp> {
  const db = opts.db ?? (await database.open());
  const logLines: string[] = [];
  const bodies: string[] = [];
  const encryptionSecret = opts.encryptionSecret ?? randomBytes(24).toString('hex');
  const ctx = await createServerContext({
    dal: db.dal,
    config: mapConfig({ DEVLAKE_ENCRYPTION_SECRET: encryptionSecret, ...opts.env }),
    logger: memoryLogger(logLines),
    searchPath: TEST_SEARCH_PATH,
    connectionTestTimeoutMs: opts.connectionTestTimeoutMs,
    queue: opts.queue,
  });
  const app = await buildServer(ctx, { requireApiKey: !!opts.requireApiKey });
  return {
    db,
    app,
    ctx,
    logLines,
    bodies,
    encryptionSecret,
    async call(o) {
      const res = await app.inject(o);
      bodies.push(res.body);
      return res;
    },
    async close() {
      await app.close();
      await ctx.pipelines.close();
      if (!opts.db) await db.drop();
    },
  };
}

/** Every row of every table, as text: what a database dump would hold. */
export async function dumpDatabase(db: TestDb): Promise<string> {
  const knex = db.dal.knex;
  let tables: string[];
  if (db.dialect === 'sqlite') tables = ((await knex.raw("select name from sqlite_master where type = 'table'")) as Array<{ name: string }>).map((r) => r.name);
  else if (db.dialect === 'postgres') {
    tables = ((await knex.raw('select tablename from pg_tables where schemaname = current_schema()')) as { rows: Array<{ tablename: string }> }).rows.map((r) => r.tablename);
  } else {
    const [rows] = (await knex.raw('select table_name as name from information_schema.tables where table_schema = database()')) as [Array<{ name: string }>];
    tables = rows.map((r) => r.name);
  }
  const parts: string[] = [];
  for (const t of tables) parts.push(`${t}: ${JSON.stringify(await knex(t).select('*'))}`);
  return parts.join('\n');
}
