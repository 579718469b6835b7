import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mapConfig } from '../../src/core/config';
import type { HttpSettings, SyncPolicy, TaskContext } from '../../src/core/context';
import { silentLogger, type Logger } from '../../src/core/logger';
import type { Dal } from '../../src/dal/types';
import { createTaskContext } from '../../src/runner/context';

/** One request the test server saw. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The client's port: the same one for requests on a kept-alive connection. */
  remotePort?: number;
}

/** What a route answers. */
export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** A string or Buffer is sent as is; anything else as JSON. */
  body?: unknown;
  /** Destroy the socket instead of answering (a network error). */
  destroy?: boolean;
  /** Never answer (until the server closes). */
  hang?: boolean;
}

/** A real HTTP server on 127.0.0.1, bounded: it refuses requests past `maxRequests`. */
export interface TestServer {
  url: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

export async function startServer(
  route: (req: SeenRequest, n: number) => Reply | Promise<Reply>,
  maxRequests = 500,
): Promise<TestServer> {
  const requests: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen: SeenRequest = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), remotePort: req.socket.remotePort };
      requests.push(seen);
      if (requests.length > maxRequests) {
        res.writeHead(599).end('test server request budget exceeded');
        return;
      }
      void Promise.resolve(route(seen, requests.length)).then((reply) => {
        if (reply.hang) return;
        if (reply.destroy) {
          req.socket.destroy();
          return;
        }
        const body = reply.body === undefined ? '' : typeof reply.body === 'string' || Buffer.isBuffer(reply.body) ? reply.body : JSON.stringify(reply.body);
        res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
        res.end(body);
      });
    });
  });
  server.requestTimeout = 10_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A task context for client and collector tests. */
export function testTaskContext(init: {
  pluginName?: string;
  env?: Record<string, string>;
  db?: Dal;
  signal?: AbortSignal;
  syncPolicy?: SyncPolicy;
  http?: HttpSettings;
  logger?: Logger;
}): TaskContext {
  return createTaskContext({
    pluginName: init.pluginName ?? 'testapi',
    options: {},
    db: init.db ?? ({} as Dal),
    logger: init.logger ?? silentLogger,
    config: mapConfig(init.env ?? {}),
    signal: init.signal,
    syncPolicy: init.syncPolicy,
    http: init.http,
  });
}
