import { hasErrorCode } from '../../src/core/errors';
import { clearSecrets } from '../../src/core/redact';
import { frameworkMigrations } from '../../src/dal/framework-migrations';
import { migrate } from '../../src/dal/migrator';
import { createApiClient, type ApiClient } from '../../src/helpers/api-client';
import { GraphqlCollector } from '../../src/helpers/graphql-collector';
import { createSubTaskContext } from '../../src/runner/context';
import { databases, type TestDb } from '../../src/testing/databases';
import { startServer, testTaskContext, type TestServer } from './api-test-server';

const QUERY = 'query($owner: String!, $first: Int!, $after: String) { repository(owner: $owner) { issues(first: $first, after: $after) { nodes { number } pageInfo { hasNextPage endCursor } } } }';
interface Data {
  repository: { issues: { nodes: Array<{ number: number }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
}

describe.each(databases())('GraphqlCollector on $name', ({ open }) => {
  let db: TestDb;
  let server: TestServer;
  let client: ApiClient;
  let failWith: string | undefined;

  beforeEach(async () => {
    db = await open();
    await migrate(db.dal, [{ owner: 'framework', scripts: frameworkMigrations }]);
    failWith = undefined;
    server = await startServer((req) => {
      const { variables } = JSON.parse(req.body) as { variables: { first: number; after: string | null; owner: string } };
      if (failWith) return { body: { errors: [{ type: 'RATE_LIMITED', message: failWith }] } };
      const from = variables.after ? Number(variables.after) : 0;
      const nodes = Array.from({ length: Math.max(0, Math.min(variables.first, 12 - from)) }, (_, i) => ({ number: from + i + 1 }));
      const end = from + nodes.length;
      return { body: { data: { repository: { issues: { nodes, pageInfo: { hasNextPage: end < 12, endCursor: String(end) } } } } } };
    }, 50);
  });
  afterEach(async () => {
    await client.close();
    await server.close();
    await db.drop();
    clearSecrets();
  });

  const collect = () => {
    const task = testTaskContext({ pluginName: 'gh', db: db.dal, env: { GH_ENDPOINT: server.url, GH_TOKEN: 'ghp_graphqlToken' } });
    const { ctx } = createSubTaskContext(task, 'Collect Issues', {});
    client = createApiClient(task, { retryBaseDelayMs: 1 });
    return new GraphqlCollector<{ owner: string }, unknown, Data>({
      ctx,
      apiClient: client,
      rawTable: '_raw_gh_graphql_issues',
      params: { owner: 'apache' },
      query: QUERY,
      pageSize: 5,
      variables: (_pager, _input, { params }) => ({ owner: params.owner }),
      getPageInfo: (data) => data.repository.issues.pageInfo,
      responseParser: (data) => data.repository.issues.nodes,
    }).execute();
  };

  it('posts the query with $first/$after and follows pageInfo to the end', async () => {
    const result = await collect();
    expect(result).toMatchObject({ pages: 3, records: 12 });
    const bodies = server.requests.map((r) => JSON.parse(r.body) as { query: string; variables: Record<string, unknown> });
    expect(bodies.map((b) => b.variables)).toEqual([
      { owner: 'apache', first: 5, after: null },
      { owner: 'apache', first: 5, after: '5' },
      { owner: 'apache', first: 5, after: '10' },
    ]);
    expect(bodies[0].query).toBe(QUERY);
    expect(server.requests.every((r) => r.method === 'POST' && r.url === '/graphql')).toBe(true);
    const rows = await db.dal.knex('_raw_gh_graphql_issues').select('data').orderBy('id');
    expect(rows.map((r) => (JSON.parse(r.data) as { number: number }).number)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it('fails on GraphQL errors in a 200 response', async () => {
    failWith = 'API rate limit exceeded';
    const err = await collect().catch((e: unknown) => e);
    expect(hasErrorCode(err, 'DEVLAKE_E_API_RESPONSE')).toBe(true);
    expect((err as Error).message).toContain('API rate limit exceeded');
    expect((err as { hint?: string }).hint).toContain('REQUESTS_PER_HOUR');
  });
});
