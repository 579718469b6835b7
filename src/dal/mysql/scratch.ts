import { parseDbUrl } from '../url';

/**
 * Creates an empty database `name` (utf8mb4, binary collation) on the server
 * `url` names and returns the URL that opens it: what freshDatabase gives each
 * test. A connection of its own, since the URL's database may not exist yet.
 */
export async function createMysqlDatabase(url: string, name: string): Promise<string> {
  const m = parseDbUrl(url).mysql!;
  const mysql = require('mysql2/promise') as typeof import('mysql2/promise');
  const conn = await mysql.createConnection({ host: m.host, port: m.port, user: m.user, password: m.password });
  try {
    await conn.query(`CREATE DATABASE ${conn.escapeId(name)} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  } finally {
    await conn.end();
  }
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
