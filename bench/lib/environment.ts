import * as os from 'node:os';
import { TEST_PG_URL } from '../../src/testing/databases';

/** What the figures were measured on: Node, the databases and the machine. */
export interface BenchEnvironment {
  node: string;
  sqlite: string;
  postgres: string;
  machine: { cpus: number; model: string; memoryGb: number; platform: string };
}

/** Versions of Node, SQLite (as built into better-sqlite3) and the Postgres server. */
export async function environment(): Promise<BenchEnvironment> {
  const Database = require('better-sqlite3') as typeof import('better-sqlite3');
  const mem = new Database(':memory:');
  const sqlite = (mem.prepare('select sqlite_version() as v').get() as { v: string }).v;
  mem.close();
  let postgres = 'unavailable';
  try {
    const { Client } = require('pg') as typeof import('pg');
    const client = new Client({ connectionString: TEST_PG_URL });
    await client.connect();
    postgres = ((await client.query('SHOW server_version')).rows[0] as { server_version: string }).server_version;
    await client.end();
  } catch {
    // Postgres down: the pg measures say so themselves.
  }
  const cpus = os.cpus();
  return {
    node: process.version,
    sqlite,
    postgres,
    machine: { cpus: cpus.length, model: cpus[0]?.model ?? 'unknown', memoryGb: Math.round(os.totalmem() / 2 ** 30), platform: `${os.platform()} ${os.arch()}` },
  };
}
