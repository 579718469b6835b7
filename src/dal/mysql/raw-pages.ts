import type { Knex } from 'knex';
import { chainRefused, rawPageText, type RawPageIds, type RawPagesCommit } from '../dialect';
import { withDriverConnection, type InsertPlan } from '../driver';
import { splitJsonArray } from '../json-split';
import type { MysqlConnection } from './client';
import { quoteMysql } from './quote';
import { execute, insertStatements, MYSQL_MAX_PARAMS, query } from './statements';

const RAW_COLUMNS = ['params', 'data', 'url', 'input', 'created_at'];

/**
 * A page's records as raw rows, split in JavaScript (MariaDB has no
 * JSON_TABLE before 10.6) and written by multi-row prepared inserts: the
 * records go length-prefixed in the binary protocol, neither escaped by the
 * client nor parsed as SQL text by the server (a page of 100 ~1 KB records:
 * 2.6 ms against 4.2 ms on MariaDB 10.11). Where the ids of a multi-row
 * insert are not known to be consecutive, they are read back: the rows of
 * these params above the table's largest id before the insert (nothing else
 * writes these params during a collection, the run lock; auto-increment ids
 * only grow; rows of other transactions not yet committed are not seen).
 */
export async function insertMysqlRawPage(conn: MysqlConnection, rawTable: string, page: RawPagesCommit['pages'][number]['page']): Promise<RawPageIds> {
  const texts = splitJsonArray(rawPageText(page.data));
  if (texts.length === 0) return { rows: 0, fromId: null, toId: null };
  const values: unknown[] = [];
  for (const data of texts) values.push(page.params, data, page.url, page.input, page.createdAt);
  const plan: InsertPlan = { table: rawTable, columns: RAW_COLUMNS, onConflict: null };
  const consecutive = conn.devlakeConsecutiveIds === true;
  const before = consecutive ? 0 : Number(((await query(conn, `SELECT COALESCE(MAX(id), 0) AS m FROM ${quoteMysql(rawTable)}`, [])) as Array<{ m: number | string }>)[0]!.m);
  const perStatement = Math.floor(MYSQL_MAX_PARAMS / RAW_COLUMNS.length);
  const results = (await insertStatements(conn, plan, values, texts.length, perStatement, execute)) as Array<{ insertId: number | string; affectedRows: number }>;
  if (consecutive) {
    const last = results[results.length - 1]!;
    const rows = results.reduce((n, r) => n + r.affectedRows, 0);
    return { rows, fromId: Number(results[0]!.insertId), toId: Number(last.insertId) + last.affectedRows - 1 };
  }
  const [ids] = (await query(conn, `SELECT COUNT(*) AS n, MIN(id) AS lo, MAX(id) AS hi FROM ${quoteMysql(rawTable)} WHERE id > ? AND params = ?`, [before, page.params])) as Array<{
    n: number | string;
    lo: number | string | null;
    hi: number | string | null;
  }>;
  return { rows: Number(ids!.n), fromId: ids!.lo === null ? null : Number(ids!.lo), toId: ids!.hi === null ? null : Number(ids!.hi) };
}

/** Per knex client: where the last commit handed to it stands. */
interface Lane {
  /** Settles once the last commit's rows, ledger rows and checkpoint are written (or it failed): the next may write its own. */
  written: Promise<void>;
  /** Settles once the last commit has committed or rolled back. */
  ended: Promise<void>;
  /** Collections (chains) with a failed commit: their later commits are refused unwritten. */
  failedChains: Set<string>;
}

const lanes = new WeakMap<object, Lane>();

/**
 * A collector's group commit on MySQL, on a connection of its own: the
 * pages' raw rows, their ledger rows and the checkpoint in one transaction.
 * A commit's durable COMMIT (the log flush, ~2 ms here: InnoDB has no
 * per-session relaxed commit) is most of its time, so the next commit
 * writes its rows meanwhile, on another connection: it starts once the one
 * before has written its rows and checkpoint (ids stay in call order), its
 * own checkpoint update waits on that one's row lock, and it commits only
 * once that one has committed, or rolls back if that one of its collection
 * failed (no checkpoint stored past a page that was not).
 */
export async function commitMysqlRawPages(knex: Knex, c: RawPagesCommit): Promise<void> {
  const client = knex.client as object;
  let lane = lanes.get(client);
  if (!lane) {
    lane = { written: Promise.resolve(), ended: Promise.resolve(), failedChains: new Set() };
    lanes.set(client, lane);
  }
  const { written: before, ended: beforeEnded, failedChains } = lane;
  let written!: () => void;
  let ended!: () => void;
  lane.written = new Promise<void>((resolve) => (written = resolve));
  lane.ended = new Promise<void>((resolve) => (ended = resolve));
  try {
    await before;
    if (c.chain !== undefined && failedChains.has(c.chain)) throw chainRefused();
    await withDriverConnection<MysqlConnection>(knex, async (conn) => {
      await query(conn, 'START TRANSACTION', []);
      try {
        for (const p of c.pages) {
          const ids = await insertMysqlRawPage(conn, c.rawTable, p.page);
          if (ids.rows === 0) continue;
          await execute(
            conn,
            `INSERT INTO ${quoteMysql(c.stagingTable)} (raw_table, params, unit, records, data, url, input, created_at, raw_from_id, raw_to_id) VALUES (?, ?, ?, ?, NULL, ?, NULL, ?, ?, ?)`,
            [c.rawTable, c.params, p.unit, ids.rows, p.url, p.page.createdAt, ids.fromId, ids.toId],
          );
        }
        // Waits on the row lock of the commit before, if it wrote the same row, until that one ends.
        const now = new Date();
        const updated = (await execute(conn, `UPDATE ${quoteMysql(c.stateTable)} SET checkpoint = ?, updated_at = ? WHERE raw_data_table = ? AND raw_data_params = ?`, [
          c.checkpoint,
          now,
          c.rawTable,
          c.params,
        ])) as { affectedRows: number };
        if (updated.affectedRows === 0) {
          await execute(conn, `INSERT INTO ${quoteMysql(c.stateTable)} (raw_data_table, raw_data_params, checkpoint, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`, [
            c.rawTable,
            c.params,
            c.checkpoint,
            now,
            now,
          ]);
        }
        // The next commit writes meanwhile. Not before the row is written: a missing row's UPDATE takes a gap
        // lock the next one's UPDATE would share, and each INSERT would then wait for the other's (a wait
        // InnoDB cannot see through this one waiting for the one before: 50 s, then a lock wait timeout).
        written();
        await beforeEnded;
        if (c.chain !== undefined && failedChains.has(c.chain)) throw chainRefused();
        await query(conn, 'COMMIT', []);
      } catch (err) {
        await query(conn, 'ROLLBACK', []).catch(() => undefined);
        throw err;
      }
    });
  } catch (err) {
    if (c.chain !== undefined) failedChains.add(c.chain);
    throw err;
  } finally {
    written();
    ended();
  }
}
