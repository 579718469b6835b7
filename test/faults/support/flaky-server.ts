import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { seededRandom } from 'devlake-ts/testing';

/** The kinds of fault the server injects. */
export type FaultKind = 'status5xx' | 'status429' | 'reset' | 'stall';
export const FAULT_KINDS: readonly FaultKind[] = ['status5xx', 'status429', 'reset', 'stall'];

/** One item of the fake API, as the fault-suite plugin collects it. */
export interface Item {
  id: number;
  title: string;
  state: string;
  updated_at: string;
}

/** The request the server is answering: page number, attempt of that page, request count. */
export interface PageRequest {
  page: number;
  perPage: number;
  /** 1 for the first request of this page, 2 for its first retry… */
  attempt: number;
  /** 1-based count of every request the server saw. */
  n: number;
  headers: http.IncomingHttpHeaders;
  url: string;
}

/** An answer that replaces the normal one (malformed body, permanent failure, echoing a header…). */
export interface OverrideReply {
  status: number;
  headers?: Record<string, string>;
  /** A Buffer is sent as is (e.g. a compressed body). */
  body: string | Buffer;
}

export interface FlakyServerOptions {
  /** Pages of the collection. */
  pages: number;
  /** Items per page the plugin asks for (`per_page`). */
  pageSize: number;
  seed?: number;
  /** Share of pages whose first attempt fails, by kind (exact counts: round(pages × rate)). */
  faultRates?: Partial<Record<FaultKind, number>>;
  /** `Retry-After` sent with 429s, in seconds (decimals allowed, keep tiny). Default `0.01`. */
  retryAfter?: string;
  /** Requests answered at most; later ones get 599 so a runaway client cannot loop forever. */
  maxRequests?: number;
  /** Called for each request before it is answered (e.g. to interrupt the client at request n). */
  onRequest?: (req: PageRequest) => void | Promise<void>;
  /** Answers instead of the normal page when it returns a reply; `'stall'` never answers. */
  override?: (req: PageRequest) => OverrideReply | 'stall' | undefined;
}

/** A real HTTP server on 127.0.0.1 serving `GET /items?page=&per_page=` with seeded faults. */
export interface FlakyServer {
  url: string;
  /** Pages answered 200 with their items. */
  readonly stats: { requests: number; pagesServed: number; faults: Record<FaultKind, number>; overrides: number };
  /** The faulty pages, by kind (first attempt fails). */
  readonly plan: ReadonlyMap<number, FaultKind>;
  /** Every item the collection holds, in id order. */
  expectedItems(): Item[];
  close(): Promise<void>;
}

/** The items of one page. Pure, so a test can compute what the raw table must hold. */
export function pageItems(page: number, perPage: number, total: number): Item[] {
  const out: Item[] = [];
  for (let id = (page - 1) * perPage + 1; id <= Math.min(total, page * perPage); id++) {
    out.push({ id, title: `item ${id}`, state: id % 3 === 0 ? 'closed' : 'open', updated_at: new Date(Date.UTC(2024, 0, 1) + id * 60_000).toISOString() });
  }
  return out;
}

/** Picks exactly round(pages × rate) distinct faulty pages per kind, with a seeded shuffle. */
export function faultPlan(pages: number, rates: Partial<Record<FaultKind, number>>, seed: number): Map<number, FaultKind> {
  const rand = seededRandom(seed); // the same seed gives the same faults on every run
  const order = Array.from({ length: pages }, (_, i) => i + 1);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const plan = new Map<number, FaultKind>();
  let next = 0;
  for (const kind of FAULT_KINDS) {
    const n = Math.round(pages * (rates[kind] ?? 0));
    for (let k = 0; k < n && next < order.length; k++) plan.set(order[next++], kind);
  }
  return plan;
}

export async function startFlakyServer(opts: FlakyServerOptions): Promise<FlakyServer> {
  const total = opts.pages * opts.pageSize;
  const plan = faultPlan(opts.pages, opts.faultRates ?? {}, opts.seed ?? 1);
  const attempts = new Map<number, number>();
  const stats = { requests: 0, pagesServed: 0, faults: { status5xx: 0, status429: 0, reset: 0, stall: 0 } as Record<FaultKind, number>, overrides: 0 };
  const stalled = new Set<http.ServerResponse>();
  const maxRequests = opts.maxRequests ?? opts.pages * 4 + 100;

  const server = http.createServer((req, res) => {
    void (async () => {
      stats.requests++;
      const n = stats.requests;
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (n > maxRequests) {
        res.writeHead(599).end('flaky server: request budget exceeded');
        return;
      }
      if (url.pathname !== '/items') {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Not Found' }));
        return;
      }
      const perPage = Number(url.searchParams.get('per_page') ?? opts.pageSize) || opts.pageSize;
      const page = Number(url.searchParams.get('page') ?? 1) || 1;
      const attempt = (attempts.get(page) ?? 0) + 1;
      attempts.set(page, attempt);
      const pr: PageRequest = { page, perPage, attempt, n, headers: req.headers, url: req.url ?? '/' };
      await opts.onRequest?.(pr);
      const override = opts.override?.(pr);
      if (override === 'stall') {
        stats.overrides++;
        stalled.add(res);
        res.on('close', () => stalled.delete(res));
        return;
      }
      if (override) {
        stats.overrides++;
        res.writeHead(override.status, { 'content-type': 'application/json', ...override.headers }).end(override.body);
        return;
      }
      const fault = attempt === 1 ? plan.get(page) : undefined;
      if (fault) stats.faults[fault]++;
      switch (fault) {
        case 'status5xx':
          res.writeHead([500, 502, 503, 504][page % 4], { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'flaky upstream' }));
          return;
        case 'status429':
          res.writeHead(429, { 'content-type': 'application/json', 'retry-after': opts.retryAfter ?? '0.01' }).end(JSON.stringify({ message: 'slow down' }));
          return;
        case 'reset':
          // Odd pages: reset before any byte; even pages: after the headers and half the body.
          if (page % 2 === 0) {
            const body = JSON.stringify({ total_pages: Math.ceil(total / perPage), items: pageItems(page, perPage, total) });
            res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
            res.write(body.slice(0, body.length >> 1), () => req.socket.destroy());
          } else req.socket.destroy();
          return;
        case 'stall':
          // Never finish: odd pages send nothing, even pages stop after the headers and half the body.
          // The client's timeout must fire; the socket is freed when the client gives up.
          stalled.add(res);
          res.on('close', () => stalled.delete(res));
          if (page % 2 === 0) {
            const body = JSON.stringify({ total_pages: Math.ceil(total / perPage), items: pageItems(page, perPage, total) });
            res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
            res.write(body.slice(0, body.length >> 1));
          }
          return;
        default: {
          const totalPages = Math.ceil(total / perPage);
          stats.pagesServed++;
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ total_pages: totalPages, items: pageItems(page, perPage, total) }));
        }
      }
    })();
  });
  server.keepAliveTimeout = 5_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    stats,
    plan,
    expectedItems: () => Array.from({ length: opts.pages }, (_, i) => pageItems(i + 1, opts.pageSize, total)).flat(),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of stalled) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
