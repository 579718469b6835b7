import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { httpExchange } from '../../src/helpers/http-exchange';

/** A server that answers `/slow` after `slowMs` and every other path with three body chunks at once. */
async function startServer(slowMs: number): Promise<{ url: string; closedEarly: () => number; close: () => Promise<void> }> {
  let closedEarly = 0;
  const server = http.createServer((req, res) => {
    if (req.url === '/slow') {
      const timer = setTimeout(() => res.end('late'), slowMs);
      res.on('close', () => {
        if (!res.writableEnded) closedEarly++;
        clearTimeout(timer);
      });
      return;
    }
    res.writeHead(201, { 'content-type': 'application/json', 'x-twice': ['a', 'b'] });
    res.write('[1,');
    res.write('2,');
    res.end(`"${req.method} ${req.url} ${req.headers['x-test'] ?? ''}"]`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    closedEarly: () => closedEarly,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('httpExchange', () => {
  const agent = new Agent();
  afterAll(() => agent.close());

  it('returns the status, the parsed headers and the whole body of a response sent in chunks, with the path and query of the URL', async () => {
    const server = await startServer(0);
    try {
      const res = await httpExchange(agent, { url: new URL(`${server.url}/a/b?x=1&y=2`), method: 'GET', headers: { 'x-test': 'yes' } }, new AbortController().signal);
      expect(res.status).toBe(201);
      expect(res.headers['content-type']).toBe('application/json');
      expect(res.headers['x-twice']).toEqual(['a', 'b']);
      expect(JSON.parse(res.body.toString('utf8'))).toEqual([1, 2, 'GET /a/b?x=1&y=2 yes']);
    } finally {
      await server.close();
    }
  });

  it('rejects with the reason of a signal that aborts while waiting for the answer, and closes the request', async () => {
    const server = await startServer(5000);
    try {
      const controller = new AbortController();
      const pending = httpExchange(agent, { url: new URL(`${server.url}/slow`), method: 'GET', headers: {} }, controller.signal);
      setTimeout(() => controller.abort(new Error('stop now')), 50);
      const started = Date.now();
      await expect(pending).rejects.toThrow('stop now');
      expect(Date.now() - started).toBeLessThan(2000);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(server.closedEarly()).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('sends nothing when the signal has already aborted', async () => {
    const server = await startServer(0);
    try {
      const controller = new AbortController();
      controller.abort(new Error('too late'));
      await expect(httpExchange(agent, { url: new URL(`${server.url}/x`), method: 'GET', headers: {} }, controller.signal)).rejects.toThrow('too late');
    } finally {
      await server.close();
    }
  });

  it('rejects with the network error when nothing listens', async () => {
    const server = await startServer(0);
    const url = new URL(`${server.url}/x`);
    await server.close();
    await expect(httpExchange(agent, { url, method: 'GET', headers: {} }, new AbortController().signal)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
