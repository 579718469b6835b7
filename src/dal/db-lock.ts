import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import type { Dal } from '../core/dal';
import { DevlakeError, throwIfAborted } from '../core/errors';
import type { Logger } from '../core/logger';
import { FRAMEWORK_TABLES } from './framework-tables';
import { lockDialect, type SessionLock } from './lock-dialect';
import { bookkeepingWrite } from './bookkeeping-write';

/** The lock rows: one per held lock (a run of one plugin and scope, or the migrations). */
export const LOCKS_TABLE = FRAMEWORK_TABLES.locks;

/** Polling period while waiting for a lock. */
const WAIT_POLL_MS = 500;
/** Defaults of a lock; see {@link LockOptions}. */
const DEFAULT_STALE_AFTER_MS = 60_000; // 1 min without a heartbeat: the holder is gone
const HEARTBEATS_PER_STALE = 4; // heartbeat every 15 s by default

/** Who holds a lock, as its row says. */
export interface LockHolder {
  name: string;
  host: string;
  pid: number;
  /** What the holder is doing, e.g. `devlake run flaky {"pageSize":10}`. */
  description: string;
  startedAt: Date;
  heartbeatAt: Date;
  /** Milliseconds since the last heartbeat, on the database's clock. */
  heartbeatAgeMs: number;
}

/** How a lock is held. */
export interface LockOptions {
  /** What the holder does, shown to whoever finds the lock held. */
  description?: string;
  /** A holder without a heartbeat for this long is gone and its lock is taken over. Default 60 s. */
  staleAfterMs?: number;
  /** Heartbeat period. Default a quarter of `staleAfterMs`. */
  heartbeatMs?: number;
  /** Called once if another process took the lock over (this holder's heartbeats had stopped for too long). */
  onLost?: (by: LockHolder | undefined) => void;
}

/** A lock this process holds until `release()`. */
export interface HeldLock {
  readonly name: string;
  /** The holder whose stale lock this one replaced, if any. */
  readonly tookOver?: LockHolder;
  /** Stops the heartbeat and deletes the lock row (only this holder's). Idempotent. */
  release(): Promise<void>;
}

/** The outcome of one attempt. */
export type TryLockResult = { acquired: true; lock: HeldLock } | { acquired: false; holder: LockHolder };

interface LockRow {
  name: string;
  token: string;
  owner_host: string;
  owner_pid: number | string;
  description: string | null;
  started_at: number | string;
  heartbeat_at: number | string;
  db_now: number | string;
}

/**
 * Creates the lock table if it is missing. Outside the migrations, because
 * the migrations themselves take a lock; safe when several processes race
 * to create it.
 */
export async function ensureLockTable(dal: Dal): Promise<void> {
  if (await dal.hasTable(LOCKS_TABLE)) return;
  try {
    await dal.knex.schema.createTable(LOCKS_TABLE, (t) => {
      t.string('name', 191).primary(); // 191: MySQL's utf8mb4 key limit
      t.string('token', 64).notNullable();
      t.string('owner_host', 255).notNullable();
      t.integer('owner_pid').notNullable();
      t.text('description');
      t.bigInteger('started_at').notNullable(); // epoch ms, database clock
      t.bigInteger('heartbeat_at').notNullable();
    });
  } catch (err) {
    // Another process created it between the check and the create.
    if (!(await dal.hasTable(LOCKS_TABLE))) throw err;
  }
}

/** The holder of `name` now, or undefined when no row exists. */
export async function readLock(dal: Dal, name: string): Promise<LockHolder | undefined> {
  const row = await readRow(dal, name);
  return row && holderOf(row);
}

/**
 * True when `holder` is still running: on this host, while its pid lives; on
 * another host, while its heartbeat is younger than `staleAfterMs`.
 */
export function isHolderAlive(holder: LockHolder, staleAfterMs = DEFAULT_STALE_AFTER_MS): boolean {
  if (holder.host === os.hostname()) return pidAlive(holder.pid);
  return holder.heartbeatAgeMs < staleAfterMs;
}

/**
 * True when nobody live holds `name`: no row, a stale row, or (with session
 * locks) no session holding it.
 */
export async function isLockFree(dal: Dal, name: string, staleAfterMs = DEFAULT_STALE_AFTER_MS): Promise<boolean> {
  const dialect = lockDialect(dal.dialect);
  if (dialect.sessionLock) {
    const probe = await dialect.sessionLock(dal.knex, name);
    if (!probe) return false;
    await probe.release();
    return true;
  }
  const holder = await readLock(dal, name);
  return !holder || !isHolderAlive(holder, staleAfterMs);
}

/**
 * One attempt to take the lock `name`. Free: the row is written and a
 * heartbeat keeps it fresh until `release()`. Held by a live holder: that
 * holder is returned. Held by a gone holder (dead pid on this host, expired
 * heartbeat, or no session on Postgres): taken over, and `lock.tookOver`
 * says from whom. Two processes taking over at once: exactly one wins.
 */
export async function tryAcquireLock(dal: Dal, name: string, options: LockOptions = {}): Promise<TryLockResult> {
  await ensureLockTable(dal);
  const staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  const dialect = lockDialect(dal.dialect);
  let session: SessionLock | undefined;
  if (dialect.sessionLock) {
    session = await dialect.sessionLock(dal.knex, name);
    if (!session) {
      const holder = await readLock(dal, name);
      return { acquired: false, holder: holder ?? unknownHolder(name) };
    }
  }
  try {
    const token = randomBytes(16).toString('hex');
    const mine = {
      token,
      owner_host: os.hostname(),
      owner_pid: process.pid,
      description: options.description ?? null,
      started_at: dialect.nowMs(dal.knex),
      heartbeat_at: dialect.nowMs(dal.knex),
    };
    const existing = await readRow(dal, name);
    let tookOver: LockHolder | undefined;
    if (!existing) {
      try {
        await bookkeepingWrite(dal, (knex) => knex(LOCKS_TABLE).insert({ name, ...mine }));
      } catch (err) {
        const now = await readRow(dal, name);
        if (!now) throw err;
        await session?.release();
        session = undefined;
        return { acquired: false, holder: holderOf(now) }; // another process inserted first
      }
    } else {
      const holder = holderOf(existing);
      // With a session lock in hand the row's holder is gone whatever its heartbeat says.
      if (!session && isHolderAlive(holder, staleAfterMs)) return { acquired: false, holder };
      const n = await bookkeepingWrite(dal, (knex) => knex(LOCKS_TABLE).where({ name, token: existing.token }).update(mine));
      if (n !== 1) {
        const now = await readRow(dal, name);
        return { acquired: false, holder: now ? holderOf(now) : unknownHolder(name) };
      }
      tookOver = holder;
    }
    const lock = new DbLock(dal, name, token, session, options, staleAfterMs, tookOver);
    session = undefined; // owned by the lock now
    return { acquired: true, lock };
  } finally {
    await session?.release();
  }
}

/** How to wait for a lock another process holds. */
export interface LockWaitOptions extends LockOptions {
  /** Wait for the holder to finish instead of failing at once. Default false. */
  wait?: boolean;
  /** Cancels the wait. */
  signal?: AbortSignal;
  logger?: Logger;
  /** What the lock protects, for messages: `a run of "flaky" with these options`. */
  what: string;
  /** The hint when the lock is held and `wait` is false. */
  hint: string;
}

/**
 * Takes the lock `name`, or fails at once with DEVLAKE_E_RUN_LOCKED naming the
 * holder and when it started, or (with `wait`) polls until it is free or the
 * signal aborts. A gone holder's lock is taken over, with a warning.
 */
export async function acquireLock(dal: Dal, name: string, opts: LockWaitOptions): Promise<HeldLock> {
  let announced = false;
  for (;;) {
    throwIfAborted(opts.signal);
    const attempt = await tryAcquireLock(dal, name, opts);
    if (attempt.acquired) {
      const gone = attempt.lock.tookOver;
      if (gone) opts.logger?.warn(`took over the lock of ${opts.what} from ${describeHolder(gone)}: that process is gone`);
      return attempt.lock;
    }
    if (!opts.wait) {
      throw new DevlakeError('DEVLAKE_E_RUN_LOCKED', `${capitalize(opts.what)} is already in progress: ${describeHolder(attempt.holder)}`, {
        hint: opts.hint,
        data: { lock: name, host: attempt.holder.host, pid: attempt.holder.pid, startedAt: isoOrNull(attempt.holder.startedAt) },
      });
    }
    if (!announced) {
      opts.logger?.info(`waiting for ${opts.what} held by ${describeHolder(attempt.holder)} to finish`);
      announced = true;
    }
    await sleep(WAIT_POLL_MS, opts.signal);
  }
}

/** `pid 123 on host h, started 2026-12-03T08:00:00.000Z (last heartbeat 2 s ago)`. */
export function describeHolder(holder: LockHolder): string {
  if (holder.pid === 0) return `held by ${holder.description}`;
  const started = isoOrNull(holder.startedAt) ?? 'at an unknown time';
  const what = holder.description ? ` (${holder.description})` : '';
  return `pid ${holder.pid} on host ${holder.host}${what}, started ${started}, last heartbeat ${Math.round(holder.heartbeatAgeMs / 1000)} s ago`;
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function isoOrNull(d: Date): string | null {
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** A held lock row with its heartbeat timer. */
class DbLock implements HeldLock {
  readonly name: string;
  readonly tookOver?: LockHolder;
  readonly #dal: Dal;
  readonly #token: string;
  readonly #session: SessionLock | undefined;
  readonly #onLost: LockOptions['onLost'];
  readonly #timer: NodeJS.Timeout;
  #beat: Promise<void> | undefined;
  #released: Promise<void> | undefined;

  constructor(dal: Dal, name: string, token: string, session: SessionLock | undefined, options: LockOptions, staleAfterMs: number, tookOver?: LockHolder) {
    this.name = name;
    this.tookOver = tookOver;
    this.#dal = dal;
    this.#token = token;
    this.#session = session;
    this.#onLost = options.onLost;
    const every = options.heartbeatMs ?? Math.max(100, Math.floor(staleAfterMs / HEARTBEATS_PER_STALE));
    this.#timer = setInterval(() => {
      // One heartbeat at a time: on SQLite it waits while a subtask's transaction holds the connection.
      this.#beat ??= this.#heartbeat().finally(() => (this.#beat = undefined));
    }, every);
    this.#timer.unref(); // a forgotten lock must not keep the process alive
  }

  async #heartbeat(): Promise<void> {
    try {
      const beat = { heartbeat_at: lockDialect(this.#dal.dialect).nowMs(this.#dal.knex) };
      const n = await bookkeepingWrite(this.#dal, (knex) => knex(LOCKS_TABLE).where({ name: this.name, token: this.#token }).update(beat));
      if (n === 0 && !this.#released) {
        clearInterval(this.#timer);
        this.#onLost?.(await readLock(this.#dal, this.name).catch(() => undefined));
      }
    } catch {
      // The database is unreachable or busy: the next beat tries again; the run's own queries report the outage.
    }
  }

  release(): Promise<void> {
    this.#released ??= (async () => {
      clearInterval(this.#timer);
      await this.#beat;
      try {
        await bookkeepingWrite(this.#dal, (knex) => knex(LOCKS_TABLE).where({ name: this.name, token: this.#token }).delete());
      } finally {
        await this.#session?.release().catch(() => undefined); // a dead session has released it already
      }
    })();
    return this.#released;
  }
}

async function readRow(dal: Dal, name: string): Promise<LockRow | undefined> {
  const rows = (await dal
    .knex(LOCKS_TABLE)
    .select('*', dal.knex.raw(`${lockDialect(dal.dialect).nowMs(dal.knex).toQuery()} as db_now`))
    .where({ name })) as LockRow[];
  return rows[0];
}

function holderOf(row: LockRow): LockHolder {
  return {
    name: row.name,
    host: row.owner_host,
    pid: Number(row.owner_pid),
    description: row.description ?? '',
    startedAt: new Date(Number(row.started_at)),
    heartbeatAt: new Date(Number(row.heartbeat_at)),
    heartbeatAgeMs: Math.max(0, Number(row.db_now) - Number(row.heartbeat_at)),
  };
}

/** A Postgres session holds the lock but its row is not written yet (or was lost). */
function unknownHolder(name: string): LockHolder {
  return { name, host: 'unknown', pid: 0, description: 'another session', startedAt: new Date(NaN), heartbeatAt: new Date(NaN), heartbeatAgeMs: 0 };
}

/** Whether a process with this pid runs on this machine (EPERM: it runs, as another user). */
function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

/**
 * A killed process stays in the process table as a zombie until its parent
 * reaps it, and signal 0 still reaches it. A `devlake run` child whose
 * launcher was SIGKILLed is reparented to PID 1, which in a container may
 * reap late (seen: the resume right after a SIGKILL found its lock "held").
 * Linux only (`/proc`); elsewhere a zombie counts as alive until reaped.
 */
function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // `pid (comm) S …`: comm may hold spaces and parentheses, the state follows the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false;
  }
}
