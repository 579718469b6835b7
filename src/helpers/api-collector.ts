import { createHash, randomUUID } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import type { SubTaskContext } from '../core/context';
import { DevlakeError, hasErrorCode, throwIfAborted } from '../core/errors';
import { redact } from '../core/redact';
import { ensureRawTable } from '../dal/raw-table';
import type { ApiClient, ApiQuery } from './api-client';
import type { ApiResponse } from './api-response';
import { isUnitDone, markUnitDone, planCollection, storableCheckpoint, unitsDone, unitsToRestart, type Checkpoint } from './collector-checkpoint';
import { getCollectorState, markCollectorSuccess, saveCollectorCheckpoint } from './collector-state';
import { checkPagination, defaultQuery, nextLink, pagerAt, renderTemplate, type PagePosition, type Pager, type PaginationMode } from './pagination';
import type { RawPage } from '../dal/dialect';
import { commitRawPages, discardStaged, discardStagedUnit, ensureStagingTable, parkPending, publishStaged, rawCommitsInFlight, unparkStaged, type PageWrite } from './raw-staging';

/** Which records a collection asks for. */
export interface CollectWindow {
  /** `full` replaces the raw rows of the params on success; `incremental` adds to them. */
  mode: 'full' | 'incremental';
  /** Ask only for records updated after this instant: the last success start minus the look-back (incremental), or `--time-after`. */
  since?: Date;
}

/** How an ApiCollector collects one raw table for one scope. */
export interface ApiCollectorArgs<TParams = unknown, TInput = unknown> {
  /** The subtask context: database, signal, progress, sync policy. */
  ctx: SubTaskContext<any, any>;
  /** The client of the connection (see createApiClient). */
  apiClient: ApiClient;
  /** Full raw table name, `_raw_<plugin>_<name>` (see rawTableName). */
  rawTable: string;
  /** The scope, stored as `JSON.stringify(params)` in the `params` column; extractors select by exact match. */
  params: TParams;
  /**
   * Implement to say where to fetch: rendered with `{params, input, pager, since}`.
   * Values are inserted as they are (not URL-encoded), so `{{params.name}}` may hold `org/repo`.
   * @example 'repos/{{params.name}}/issues'  ·  'repos/{{params.name}}/issues/{{input.number}}/comments'
   */
  urlTemplate: string;
  /** HTTP method. Default `GET`. */
  method?: string;
  /**
   * Override to set the query of each request. Default per pagination:
   * `{page, per_page}` (page, totalPages), `{offset, limit}` (offset),
   * `{cursor}` after the first page (cursor), `{per_page}` on the first page (link), none otherwise.
   * Link mode's later pages use the `next` URL as it is.
   * @example (pager, _input, window) => ({ page: pager.page, per_page: pager.size, since: window.since?.toISOString() })
   */
  query?: (pager: Pager, input: TInput | undefined, window: CollectWindow) => ApiQuery;
  /** Override to add headers per request. Default: none beyond the client's. */
  header?: (pager: Pager, input: TInput | undefined) => Record<string, string>;
  /** Override to send a body (objects are sent as JSON), e.g. a GraphQL query. Default: none. */
  requestBody?: (pager: Pager, input: TInput | undefined, window: CollectWindow) => unknown;
  /** Records per page, `pager.size`; a shorter page ends `page` and `offset` pagination. Default 100. */
  pageSize?: number;
  /** How to page, see PaginationMode. Default `none`. */
  pagination?: PaginationMode;
  /** Required by `totalPages`: the page count, from the first page's response. @example (res) => Number(res.headers['x-total-pages']) */
  getTotalPages?: (firstResponse: ApiResponse) => number | Promise<number>;
  /** Required by `cursor`: the next cursor or token; null/undefined/'' ends the pages. @example (res) => res.json<{next?: string}>().next */
  getNextCursor?: (response: ApiResponse, records: unknown[]) => string | number | null | undefined;
  /**
   * Child collections: one request series per input (e.g. each issue's comments), streamed, never loaded whole.
   * Must yield the same order on every run (e.g. `ctx.db.stream(…, { key: ['id'] })`) so that a crashed run resumes.
   */
  input?: AsyncIterable<TInput>;
  /** Inputs (or `totalPages` pages) collected at once. The client's rate limit applies on top. Default 5. */
  concurrency?: number;
  /**
   * Treat a 404 as an empty last page instead of failing (DevLake's `ignoreHTTPStatus404`): for child collections
   * whose parent was deleted upstream (a user, a PR) between listing and fetching. Default false.
   */
  ignoreNotFound?: boolean;
  /** Collect only what changed since the last success (the API must filter by `window.since`). Default false: always full. */
  incremental?: boolean;
  /** Incremental runs ask from the last success start minus this many ms, to catch late writes. Default 0. */
  lookBackMs?: number;
  /**
   * What to do when pagination goes in a loop: a cursor or `Link` next URL that this unit already
   * requested, or a page whose first record is the previous page's first record (an API that ignores
   * the page parameter, or clamps it to its last page). `fail` (default) fails the subtask with
   * `DEVLAKE_E_API_PAGINATION` and publishes nothing; `stop` logs a warning, drops the repeated page
   * and ends the unit there, publishing what came before. Never stores a repeated page.
   */
  onRepeatedPage?: 'fail' | 'stop';
  /**
   * Implement to turn a response into records; each becomes one raw row (`data` = its JSON).
   * Default: the JSON body when it is an array, else `[body]`. With the default, a record's
   * `data` is its text as the API sent it (big integers stay exact; SQLite drops the whitespace).
   * Records a parser returns are written with `JSON.stringify`.
   * @example (res) => res.json<{ items: unknown[] }>().items
   */
  responseParser?: (res: ApiResponse) => unknown[] | Promise<unknown[]>;
}

/** What a collection did. */
export interface CollectResult {
  mode: 'full' | 'incremental';
  since?: Date;
  /** True when it continued an unfinished collection. */
  resumed: boolean;
  /** Pages and records fetched by this run (not counting a resumed run's earlier pages). */
  pages: number;
  records: number;
  /** Raw rows made visible in the raw table on completion (including resumed ones). */
  rowsPublished: number;
  /** Raw rows of these params in the raw table after publishing (a count of the table, not of this run). */
  rowsInTable: number;
}

/** A fetched page waiting for the group commit. */
interface PendingPage {
  /** The page's records and the columns their raw rows share; undefined when it has none. */
  page: RawPage | undefined;
  /** The collector's unit that fetched it. */
  unit: number;
  /** Its URL, redacted. */
  url: string;
  /** Marks the page done in the checkpoint. */
  update: () => void;
  resolve: () => void;
  reject: (err: unknown) => void;
}

const DEFAULT_PAGE_SIZE = 100; // records per page
const DEFAULT_CONCURRENCY = 5; // inputs or pages at once
/** Pages one save commits at most, whatever the concurrency: a database binds a commit's pages in one statement (Postgres: at most 8,192 pages). */
const MAX_PAGES_PER_SAVE = 1024;

/**
 * Collects API responses into `_raw_<plugin>_<name>`, atomically per params:
 * each page's records are written into the raw table once, with the page's
 * ledger row and the checkpoint in the same transaction, and the collection
 * is published in one transaction when it completes (a full sync then
 * deletes the params' older rows). Until then readers skip its rows (see
 * raw-staging.ts); a failure or cancel parks them in the staging table, so
 * the raw table holds the previous rows, and the next run resumes after the
 * last saved page.
 *
 * May run again for the same params: a full sync yields the same rows, an
 * incremental one adds the changes.
 */
export class ApiCollector<TParams = unknown, TInput = unknown> {
  readonly #a: ApiCollectorArgs<TParams, TInput>;
  readonly #mode: PaginationMode;
  readonly #pageSize: number;
  readonly #concurrency: number;
  readonly #paramsJson: string;
  /** Pages fetched and waiting to be staged, in arrival order; `#flushing` while a transaction writes some. */
  #pending: PendingPage[] = [];
  #flushing = false;
  /** Settles when the current flush has written every pending page (or failed). */
  #flushed: Promise<void> = Promise.resolve();
  /** Pages handed to #commit and not yet saved: a worker fetches on while at most `concurrency` wait. */
  #unsaved = 0;
  /** Workers waiting for the backlog of unsaved pages to shrink, woken when a batch settles. */
  #onSettle: Array<() => void> = [];
  #pages = 0;
  #records = 0;
  #commitFailed: { error: DevlakeError } | undefined;
  /** This run's id for its commits (RawPagesCommit.chain), and how many of them may be outstanding at once. */
  #chain = '';
  #inFlight = 1;
  /** Wakes a flush waiting for a page to arrive while it may send another batch. */
  #onArrival: (() => void) | undefined;
  /** Set by the first failed save, which put the checkpoint back; later failed saves leave it. */
  #checkpointRestored = false;

  constructor(args: ApiCollectorArgs<TParams, TInput>) {
    const mode = args.pagination ?? 'none';
    checkPagination(mode, { getTotalPages: !!args.getTotalPages, getNextCursor: !!args.getNextCursor }, args.rawTable);
    this.#a = args;
    this.#mode = mode;
    this.#pageSize = args.pageSize ?? DEFAULT_PAGE_SIZE;
    this.#concurrency = Math.max(1, args.concurrency ?? DEFAULT_CONCURRENCY);
    this.#paramsJson = JSON.stringify(args.params);
  }

  /** Runs the collection to completion (or resumes it). Rejects with `DEVLAKE_E_CANCELLED` when the run is cancelled. */
  async execute(): Promise<CollectResult> {
    const { ctx, rawTable } = this.#a;
    const db = ctx.db;
    this.#pages = 0;
    this.#records = 0;
    this.#commitFailed = undefined;
    this.#checkpointRestored = false;
    this.#unsaved = 0;
    this.#chain = randomUUID();
    this.#inFlight = rawCommitsInFlight(db);
    throwIfAborted(ctx.signal);
    await ensureRawTable(db, rawTable);
    await ensureStagingTable(db);
    const { checkpoint: cp, resumed } = planCollection({
      state: await getCollectorState(db, rawTable, this.#paramsJson),
      syncPolicy: ctx.syncPolicy,
      incremental: !!this.#a.incremental,
      fingerprint: this.#fingerprint(),
      lookBackMs: this.#a.lookBackMs ?? 0,
      now: new Date(),
    });
    if (!resumed) {
      await db.transaction(async (tx) => {
        await discardStaged(tx, rawTable, this.#paramsJson);
        await saveCollectorCheckpoint(tx, rawTable, this.#paramsJson, cp);
      });
    }
    const restart = resumed ? unitsToRestart(cp) : [];
    if (restart.length > 0) {
      // Their next-page URL carried a secret and was not stored: fetch those units again from their first page.
      for (const ordinal of restart) delete cp.units[String(ordinal)];
      await db.transaction(async (tx) => {
        for (const ordinal of restart) await discardStagedUnit(tx, rawTable, this.#paramsJson, ordinal);
        await saveCollectorCheckpoint(tx, rawTable, this.#paramsJson, cp);
      });
      ctx.logger.info(`restarting ${restart.length} unit(s) of ${rawTable} from their first page: their next-page URL held a secret, never stored`);
    }
    // Rows a stopped run parked go back first, so the raw table keeps the order the pages came in.
    if (resumed) await db.transaction((tx) => unparkStaged(tx, rawTable, this.#paramsJson));
    const window: CollectWindow = { mode: cp.mode, ...(cp.since ? { since: new Date(cp.since) } : {}) };
    ctx.logger.info(`collecting ${rawTable} (${cp.mode}${cp.since ? ` since ${cp.since}` : ''})${resumed ? `, ${resumePoint(cp, !!this.#a.input)}` : ''}`);
    try {
      await this.#runUnits(cp, window);
      await this.#allSaved();
    } catch (err) {
      await this.#park();
      throw err;
    }
    const published = await db
      .transaction(async (tx) => {
        const n = await publishStaged(tx, rawTable, this.#paramsJson, cp.mode === 'full');
        await markCollectorSuccess(tx, rawTable, this.#paramsJson, {
          startedAt: new Date(cp.startedAt),
          timeAfter: cp.timeAfter ? new Date(cp.timeAfter) : undefined,
        });
        return n;
      })
      .catch(async (err: unknown) => {
        await this.#park();
        throw new DevlakeError('DEVLAKE_E_DB_QUERY', `Publishing the collected rows into ${rawTable} failed: ${redact(String((err as Error)?.message ?? err))}`, {
          cause: err,
          hint: 'Check the database, then run again: the collected pages are published without fetching them again.',
          data: { table: rawTable },
        });
      });
    ctx.addRowsWritten(rawTable, published);
    // The table's own count: a resumed run fetched only the rest, and an incremental one adds to earlier rows.
    const [{ n }] = (await db.knex(rawTable).where('params', this.#paramsJson).count({ n: '*' })) as Array<{ n: number | string }>;
    const rowsInTable = Number(n);
    ctx.logger.info(
      `collected ${this.#records} records in ${this.#pages} pages${resumed ? ' (this run, after resuming)' : ''}; ` +
        `${published} rows published; ${rowsInTable} rows of this scope now in ${rawTable}`,
    );
    return { mode: cp.mode, since: window.since, resumed, pages: this.#pages, records: this.#records, rowsPublished: published, rowsInTable };
  }

  /** Runs every unfinished unit, `concurrency` at a time; the first failure stops the others at their next request. */
  async #runUnits(cp: Checkpoint, window: CollectWindow): Promise<void> {
    const { ctx } = this.#a;
    if (!this.#a.input) {
      // Done already when a run staged every page but failed to publish them.
      if (!isUnitDone(cp, 0)) await this.#unit(cp, 0, undefined, window, ctx.signal);
      return;
    }
    ctx.setProgress(unitsDone(cp), 0, 'inputs');
    const iterator = this.#a.input[Symbol.asyncIterator]();
    let ordinal = 0;
    let pulling: Promise<unknown> = Promise.resolve();
    // The iterator is shared by the workers: one next() at a time.
    const pull = (): Promise<{ ordinal: number; input: TInput } | undefined> => {
      const p = pulling.then(async () => {
        const r = await iterator.next();
        return r.done ? undefined : { ordinal: ordinal++, input: r.value };
      });
      pulling = p.catch(() => undefined);
      return p;
    };
    try {
      await runWorkers(this.#concurrency, ctx.signal, async (signal) => {
        for (;;) {
          throwIfAborted(signal);
          const item = await pull();
          if (!item) return;
          if (isUnitDone(cp, item.ordinal)) continue;
          await this.#unit(cp, item.ordinal, item.input, window, signal);
          ctx.incProgress(1);
        }
      });
    } finally {
      await iterator.return?.();
    }
  }

  async #unit(cp: Checkpoint, ordinal: number, input: TInput | undefined, window: CollectWindow, signal: AbortSignal): Promise<void> {
    if (this.#mode === 'totalPages') return this.#totalPagesUnit(cp, ordinal, input, window, signal);
    const key = String(ordinal);
    let pos: PagePosition = cp.units[key]?.next ?? { page: 1 };
    // Pages continue counting where a resumed run stopped.
    if (!this.#a.input) this.#a.ctx.setProgress(pos.page - 1, 0, 'pages');
    const loop = new PageLoopGuard();
    for (;;) {
      throwIfAborted(signal);
      const { next, queued } = await this.#page(pos, loop, cp, ordinal, input, window, signal);
      await queued;
      if (!this.#a.input) this.#a.ctx.incProgress(1);
      if (!next) return;
      pos = next;
    }
  }

  /**
   * Fetches the page at `pos` and queues it to be saved; returns the next
   * position and the wait for room in the queue. The parsed records are
   * dropped when this returns, before the wait: an async function keeps its
   * locals across an await, and eight workers each holding a parsed page
   * while the writer catches up made most of the young generation survive
   * every scavenge (collect_http with the run's 4 MB semi-space: 714 against
   * 228 ms of scavenges in 3 rounds).
   */
  async #page(
    pos: PagePosition,
    loop: PageLoopGuard,
    cp: Checkpoint,
    ordinal: number,
    input: TInput | undefined,
    window: CollectWindow,
    signal: AbortSignal,
  ): Promise<{ next: PagePosition | undefined; queued: Promise<void> }> {
    const key = String(ordinal);
    const { res, records } = await this.#fetch(pos, input, window, signal);
    const repeated = loop.repeatedPage(pos, records);
    let next = repeated ? undefined : this.#next(pos, res, records);
    const repeatedNext = next ? loop.repeatedNext(next) : undefined;
    if (repeated || repeatedNext) {
      const what = repeated ?? repeatedNext!;
      if ((this.#a.onRepeatedPage ?? 'fail') === 'fail') throw this.#paginationError(what, res);
      this.#a.ctx.logger.warn(`${what} at ${redact(res.url)}: stopping this series there (onRepeatedPage: 'stop')`);
      next = undefined;
    }
    // A repeated page is never stored: its records are the previous page's.
    const queued = this.#commit(ordinal, repeated ? [] : records, res, input, () => {
      if (next) cp.units[key] = { next };
      else markUnitDone(cp, ordinal);
    }, cp);
    // Awaited by the caller at once; marked handled so a rejection in between is never reported as unhandled.
    queued.catch(() => undefined);
    return { next, queued };
  }

  #paginationError(what: string, res: ApiResponse): DevlakeError {
    const { rawTable } = this.#a;
    return new DevlakeError('DEVLAKE_E_API_PAGINATION', `Collecting ${rawTable}: ${what} at ${redact(res.url)}; the pages would repeat forever`, {
      hint:
        this.#mode === 'cursor'
          ? 'Check getNextCursor: it must return the cursor of the next page (or null at the end); nothing was published.'
          : "Check the collector's query (page/offset parameters); if the API repeats its last page, set onRepeatedPage: 'stop'.",
      data: { table: rawTable, url: redact(res.url) },
    });
  }

  async #totalPagesUnit(cp: Checkpoint, ordinal: number, input: TInput | undefined, window: CollectWindow, signal: AbortSignal): Promise<void> {
    const key = String(ordinal);
    let total = cp.units[key]?.totalPages;
    if (total === undefined) {
      throwIfAborted(signal);
      const { res, records } = await this.#fetch({ page: 1 }, input, window, signal);
      const read = Number(await this.#a.getTotalPages!(res));
      if (!Number.isFinite(read) || read < 0) {
        throw new DevlakeError('DEVLAKE_E_API_RESPONSE', `getTotalPages returned ${String(read)} for ${redact(res.url)}`, {
          hint: 'Return the page count as a number (0 or more) from getTotalPages.',
        });
      }
      const pages = Math.max(1, Math.ceil(read));
      total = pages;
      await this.#commit(ordinal, records, res, input, () => {
        if (pages <= 1) markUnitDone(cp, ordinal);
        else cp.units[key] = { totalPages: pages, pagesDone: [1] };
      }, cp, 'saved');
    }
    const count = total;
    const done = new Set(cp.units[key]?.pagesDone ?? []);
    if (!cp.units[key]) return;
    const todo = Array.from({ length: count - 1 }, (_, i) => i + 2).filter((p) => !done.has(p));
    const progress = (): void => {
      if (!this.#a.input) this.#a.ctx.setProgress(cp.units[key]?.pagesDone?.length ?? count, count, 'pages');
    };
    progress();
    let next = 0;
    await runWorkers(Math.min(this.#concurrency, todo.length), signal, async (signal) => {
      while (next < todo.length) {
        throwIfAborted(signal);
        const page = todo[next++];
        await this.#fetchAndQueue({ page }, input, window, signal, (records, res) =>
          this.#commit(ordinal, records, res, input, () => {
            const unit = cp.units[key];
            unit.pagesDone!.push(page);
            if (unit.pagesDone!.length >= count) markUnitDone(cp, ordinal);
            // Reported as the batch is saved: the worker has fetched on by then.
            progress();
          }, cp),
        );
        progress();
      }
    });
  }

  /** Fetches a page and queues it (`queue`); returns the wait for room without holding the parsed records (see #page). */
  async #fetchAndQueue(
    pos: PagePosition,
    input: TInput | undefined,
    window: CollectWindow,
    signal: AbortSignal,
    queue: (records: unknown[], res: ApiResponse) => Promise<void>,
  ): Promise<void> {
    const { res, records } = await this.#fetch(pos, input, window, signal);
    return queue(records, res);
  }

  async #fetch(pos: PagePosition, input: TInput | undefined, window: CollectWindow, signal: AbortSignal): Promise<{ res: ApiResponse; records: unknown[] }> {
    const a = this.#a;
    const pager = pagerAt(pos, this.#pageSize);
    const path = pos.url ?? renderTemplate(a.urlTemplate, { params: a.params, input, pager, since: window.since?.toISOString() });
    const query = pos.url ? undefined : a.query ? a.query(pager, input, window) : defaultQuery(this.#mode, pager);
    let res: ApiResponse;
    try {
      res = await a.apiClient.request({
        method: a.method ?? 'GET',
        path,
        query,
        headers: a.header?.(pager, input),
        body: a.requestBody?.(pager, input, window),
        signal,
      });
    } catch (err) {
      if (!a.ignoreNotFound || !hasErrorCode(err, 'DEVLAKE_E_API_NOT_FOUND')) throw err;
      this.#pages++;
      return { res: notFoundPage(path), records: [] };
    }
    const records = a.responseParser ? await a.responseParser(res) : defaultRecords(res);
    if (!Array.isArray(records)) {
      throw new DevlakeError('DEVLAKE_E_API_CONFIG', `responseParser of ${a.rawTable} did not return an array for ${redact(res.url)}`, {
        hint: 'Return the records of the page as an array (an empty array when there are none).',
      });
    }
    this.#pages++;
    this.#records += records.length;
    return { res, records };
  }

  /** The next page, or undefined when this one was the last. */
  #next(pos: PagePosition, res: ApiResponse, records: unknown[]): PagePosition | undefined {
    if (res.status === 404) return undefined; // an ignored 404 (ignoreNotFound) ends its series
    switch (this.#mode) {
      case 'none':
      case 'totalPages':
        return undefined;
      case 'page':
      case 'offset':
        return records.length === 0 || records.length < this.#pageSize ? undefined : { page: pos.page + 1 };
      case 'cursor': {
        const c = this.#a.getNextCursor!(res, records);
        if (c === null || c === undefined || c === '') return undefined;
        return { page: pos.page + 1, cursor: String(c) };
      }
      case 'link': {
        const url = nextLink(res.headers.link, res.url);
        return url === undefined ? undefined : { page: pos.page + 1, url };
      }
    }
  }

  /**
   * Stages a page's rows with the updated checkpoint. Pages that arrive while
   * a transaction is writing are written together by the next one (group
   * commit): one transaction and one checkpoint save for the lot, instead of
   * one per page, and a page is still never stored without its checkpoint.
   *
   * Resolves once the page is queued and at most `concurrency` pages wait to
   * be saved, so the worker fetches on while its page commits (bounded
   * back-pressure); with `until: 'saved'`, once the page is saved. A failed
   * save is final: every later call, and {@link #allSaved}, rejects with it.
   */
  #commit(
    ordinal: number,
    records: unknown[],
    res: ApiResponse,
    input: TInput | undefined,
    update: () => void,
    cp: Checkpoint,
    until: 'queued' | 'saved' = 'queued',
  ): Promise<void> {
    if (this.#commitFailed) return Promise.reject(this.#commitFailed.error);
    const now = new Date();
    const url = redact(res.url);
    const inputJson = input === undefined ? null : JSON.stringify(input);
    const params = this.#paramsJson;
    // The default parser's records are the body's own array: the body is already the page's JSON.
    const data = pageJson(records, !this.#a.responseParser && records.length > 0 && res.json() === records ? res : undefined);
    const page = data === undefined ? undefined : { params, data, url, input: inputJson, createdAt: now };
    const saved = new Promise<void>((resolve, reject) => {
      this.#pending.push({ page, unit: ordinal, url, update, resolve, reject });
      this.#unsaved++;
      const arrived = this.#onArrival;
      this.#onArrival = undefined;
      arrived?.();
      if (this.#flushing) return;
      // Flushed after the responses already received are handled (setImmediate runs after the poll
      // phase), so their pages share one transaction: with 8 workers, ~1/3 of the transactions.
      this.#flushing = true;
      this.#flushed = new Promise<void>((done) => setImmediate(() => void this.#flush(cp).finally(done)));
    });
    if (until === 'saved') return saved;
    // Its failure is #commitFailed's: reported by the next call, or by #allSaved.
    saved.catch(() => undefined);
    return this.#room();
  }

  /** Resolves when at most `concurrency` pages wait to be saved; rejects once a save failed. */
  async #room(): Promise<void> {
    while (!this.#commitFailed && this.#unsaved > this.#concurrency) await new Promise<void>((wake) => this.#onSettle.push(wake));
    if (this.#commitFailed) throw this.#commitFailed.error;
  }

  /** Waits until every page handed to #commit is saved; rejects with the failure of a save. */
  async #allSaved(): Promise<void> {
    while (this.#flushing || this.#pending.length > 0) await this.#flushed;
    if (this.#commitFailed) throw this.#commitFailed.error;
  }

  /** A batch was saved or failed: fewer pages wait, the workers held back may go on. */
  #settled(pages: number): void {
    this.#unsaved -= pages;
    const woken = this.#onSettle;
    this.#onSettle = [];
    for (const wake of woken) wake();
  }

  /**
   * Writes the pending pages, a batch per transaction, until none is left.
   * Where the database keeps commits in order (`rawCommitsInFlight`), the
   * next batch is sent while one is written, so the writer never waits for
   * the event loop between them. The first failure is final.
   */
  async #flush(cp: Checkpoint): Promise<void> {
    this.#flushing = true;
    const saving = new Set<Promise<void>>();
    try {
      for (;;) {
        if (this.#pending.length > 0 && saving.size < this.#inFlight) {
          const saved = this.#saveBatch(cp, this.#pending.splice(0, MAX_PAGES_PER_SAVE));
          saving.add(saved);
          void saved.then(() => saving.delete(saved));
        } else if (saving.size === 0) {
          return;
        } else if (saving.size < this.#inFlight) {
          await Promise.race([...saving, new Promise<void>((arrived) => (this.#onArrival = arrived))]);
          this.#onArrival = undefined;
          // After the responses already received are handled, so they go out as one batch (as the first flush).
          await new Promise<void>((next) => setImmediate(next));
        } else {
          await Promise.race(saving);
        }
      }
    } finally {
      this.#flushing = false;
    }
  }

  /** Saves a batch and settles its pages; never rejects. After a failed save nothing more is saved. */
  async #saveBatch(cp: Checkpoint, batch: PendingPage[]): Promise<void> {
    // After a failed save the in-memory checkpoint is no longer what is stored: save nothing more.
    if (!this.#commitFailed) {
      try {
        await this.#save(cp, batch);
        this.#settled(batch.length);
        for (const p of batch) p.resolve();
        return;
      } catch (err) {
        // The pages of a batch are saved together or not at all: name them all (usually one). A batch
        // sent behind the failed one fails unwritten; the first failure is the one reported.
        if (!this.#commitFailed) {
          const { rawTable } = this.#a;
          const urls = batch.map((p) => p.url);
          const what = urls.length === 1 ? `the page ${urls[0]}` : `the pages ${urls.join(', ')}`;
          const error = new DevlakeError('DEVLAKE_E_DB_QUERY', `Saving ${what} into ${rawTable} failed: ${redact(String((err as Error)?.message ?? err))}`, {
            cause: err,
            hint: 'Check that the database is reachable, then run again: the collection resumes after the last saved page.',
            data: { table: rawTable, url: urls[0], ...(urls.length > 1 ? { urls } : {}) },
          });
          this.#commitFailed = { error };
        }
      }
    }
    this.#settled(batch.length);
    for (const p of batch) p.reject(this.#commitFailed!.error);
  }

  /**
   * Writes the pages' raw rows, their ledger rows and the checkpoint that
   * marks them done, in one transaction; on failure the checkpoint is as before.
   */
  async #save(cp: Checkpoint, pages: readonly PendingPage[]): Promise<void> {
    const { ctx, rawTable } = this.#a;
    const before = structuredClone(cp);
    for (const p of pages) p.update();
    const writes: PageWrite[] = [];
    for (const p of pages) if (p.page) writes.push({ unit: p.unit, url: p.url, page: p.page });
    try {
      // Relaxed: no log flush per batch. A crash can lose only the last batches together with their
      // checkpoint (one commit), which the resume fetches again; publishing stays durable.
      await commitRawPages(ctx.db, rawTable, this.#paramsJson, writes, storableCheckpoint(cp, hasSecret), this.#chain);
    } catch (err) {
      // Saves end in the order they were sent: the first failure puts back what was stored before it.
      if (!this.#checkpointRestored) Object.assign(cp, before);
      this.#checkpointRestored = true;
      throw err;
    }
  }

  /**
   * After a failure or cancel: once the last page write has ended, moves the
   * rows this collection wrote into the staging table, so the raw table holds
   * the previous complete collection. A database that fails here leaves them
   * where they are, skipped by readers until the next run resumes.
   */
  async #park(): Promise<void> {
    const { ctx, rawTable } = this.#a;
    await this.#flushed;
    try {
      await ctx.db.transaction((tx) => parkPending(tx, rawTable, this.#paramsJson));
    } catch (err) {
      ctx.logger.debug(`could not move the unfinished collection of ${rawTable} to the staging table: ${redact(String((err as Error)?.message ?? err))}`);
    }
  }

  #fingerprint(): string {
    const a = this.#a;
    const shape = { url: a.urlTemplate, method: a.method ?? 'GET', pagination: this.#mode, pageSize: this.#pageSize, input: !!a.input };
    return createHash('sha256').update(JSON.stringify(shape)).digest('hex').slice(0, 16);
  }
}

/**
 * A page's records as one JSON array, which the database splits into one raw
 * row per record; undefined when there are none. `body` is a response whose
 * body is `records` as the API wrote it: written as is, each record keeps its
 * own text (as DevLake keeps the response bytes: big integers and number
 * forms survive) and nothing is re-serialized. Its bytes are passed on rather
 * than its text when they are valid UTF-8 (the text then holds no
 * replacement characters), so no decoded copy waits with the page.
 */
function pageJson(records: unknown[], body?: ApiResponse): string | Buffer | undefined {
  if (records.length === 0) return undefined;
  if (body !== undefined && records.every((r) => typeof r === 'object' && r !== null)) return isUtf8(body.body) ? body.body : body.text();
  // A record JSON cannot represent (undefined, a function) is stored as null, as in a JSON array.
  return `[${records.map((r) => JSON.stringify(r) ?? 'null').join(',')}]`;
}

/** True when redaction would change `text`: it holds a registered secret or a token-like query value. */
function hasSecret(text: string): boolean {
  return redact(text) !== text;
}

function defaultRecords(res: ApiResponse): unknown[] {
  const body = res.json();
  return Array.isArray(body) ? body : [body];
}

/**
 * Runs `n` workers sharing a signal. The first failure aborts the others (at
 * their next request or page) and, once every worker has stopped, is thrown;
 * a cancelled run throws the cancellation. Nothing runs on after it returns.
 */
async function runWorkers(n: number, parent: AbortSignal, worker: (signal: AbortSignal) => Promise<void>): Promise<void> {
  const stop = new AbortController();
  const onAbort = (): void => stop.abort(parent.reason);
  if (parent.aborted) onAbort();
  else parent.addEventListener('abort', onAbort, { once: true });
  let first: { error: unknown } | undefined;
  try {
    await Promise.all(
      Array.from({ length: Math.max(1, n) }, async () => {
        try {
          await worker(stop.signal);
        } catch (error) {
          if (!first) {
            first = { error };
            stop.abort(error);
          }
        }
      }),
    );
  } finally {
    parent.removeEventListener('abort', onAbort);
  }
  throwIfAborted(parent);
  if (first) throw first.error;
}

/** The empty page an ignored 404 stands for: no records, no next page. */
function notFoundPage(url: string): ApiResponse {
  return { status: 404, headers: {}, url, body: Buffer.from('[]'), text: () => '[]', json: <T>() => [] as T };
}

/**
 * Spots a pagination loop within one unit: a next cursor or URL already
 * requested, or a page starting with the record the previous page started
 * with. Says what repeated, or undefined.
 */
class PageLoopGuard {
  readonly #requested = new Set<string>();
  #previousFirst: string | undefined;

  /** The page just fetched starts like the previous one (only pages 2+ of this run are compared). */
  repeatedPage(pos: PagePosition, records: unknown[]): string | undefined {
    this.#requested.add(positionKey(pos));
    const first = records.length > 0 ? JSON.stringify(records[0]) : undefined;
    const same = first !== undefined && first === this.#previousFirst;
    this.#previousFirst = first;
    return same ? `page ${pos.page} starts with the same record as page ${pos.page - 1}` : undefined;
  }

  /** The next position was requested before in this unit. */
  repeatedNext(next: PagePosition): string | undefined {
    if (!this.#requested.has(positionKey(next))) return undefined;
    return next.url !== undefined ? 'the next-page link points back at a page already fetched' : `the cursor "${next.cursor}" came back again`;
  }
}

function positionKey(pos: PagePosition): string {
  return pos.url !== undefined ? `url:${pos.url}` : pos.cursor !== undefined ? `cursor:${pos.cursor}` : `page:${pos.page}`;
}

/** Where a resumed collection goes on: the page of a single series, or the inputs already done. */
function resumePoint(cp: Checkpoint, hasInput: boolean): string {
  if (hasInput) return `resuming after ${unitsDone(cp)} completed input(s)`;
  const unit = cp.units['0'];
  if (unit?.next) return `resuming at page ${unit.next.page}`;
  if (unit?.pagesDone) return `resuming with ${unit.pagesDone.length} of ${unit.totalPages} pages done`;
  return 'resuming: every page was fetched, publishing them';
}
