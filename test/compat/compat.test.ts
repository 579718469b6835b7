import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataFlowTester, databases, freshDatabase, type TestDb } from 'devlake-ts/testing';
import plugin, { CollectTickets, ConvertTickets, ExtractTickets, type CompatData } from './plugin';

// A plugin in the style of the public API before the authoring layer must keep working unchanged.
const TICKETS = [
  { id: 1, title: 'first', state: 'closed', created_at: '2024-01-02T03:04:05Z' },
  { id: 2, title: 'second', state: 'open', created_at: null },
];

describe.each(databases())('a plugin in the earlier style on $name', ({ open }) => {
  let server: http.Server;
  let endpoint: string;
  let db: TestDb;
  beforeAll(async () => {
    let served = 0;
    server = http.createServer((_req, res) => {
      if (++served > 20) return void res.writeHead(503).end(); // bounded
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(TICKETS));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(async () => {
    db = await open();
  });
  afterEach(async () => db.drop());

  it('collects, extracts and converts with the classes and helpers it was written against', async () => {
    const tester = new DataFlowTester({ dal: db.dal, plugin });
    await tester.migrate();
    const data = await tester.prepareTaskData<CompatData>({ connectionId: 1, endpoint });
    try {
      for (const meta of [CollectTickets, ExtractTickets, ConvertTickets]) await tester.runSubtask(meta, data);
    } finally {
      await data.apiClient.close?.();
    }
    const issues = await db.dal.knex('issues').select('id', 'title', 'status').orderBy('id');
    expect(issues).toEqual([
      { id: 'compat:CompatTicket:1:1', title: 'first', status: 'DONE' },
      { id: 'compat:CompatTicket:1:2', title: 'second', status: 'TODO' },
    ]);
    expect(Number((await db.dal.knex('_tool_compat_tickets').count({ n: '*' }))[0]!.n)).toBe(2);
  });
});

it('freshDatabase still makes a database from a URL', async () => {
  const db = await freshDatabase('sqlite::memory:');
  try {
    expect(await db.dal.hasTable('_tool_compat_tickets')).toBe(false);
  } finally {
    await db.drop();
  }
});
