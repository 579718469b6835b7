import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the fake GitHub saw. */
export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization?: string;
}

/** A local HTTP server answering like api.github.com for one small repo `o/r`. */
export interface GithubTestServer {
  /** Base URL with a trailing slash, for GITHUB_ENDPOINT. */
  url: string;
  seen: SeenRequest[];
  /** The repo's pull requests (default: one); served 2 a page, sorted by `updated_at` when asked (`sort=updated`). */
  pulls: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

const user = (login: string, id: number) => ({ login, id, type: 'User', avatar_url: `https://a/${login}`, url: `https://api/users/${login}`, html_url: `https://gh/${login}` });
const USER_IDS: Record<string, number> = { o: 1, alice: 7, bob: 8, carol: 9 };
const ISSUES = [1, 2, 3].map((n) => ({
  id: 1000 + n,
  number: n,
  state: n === 1 ? 'closed' : 'open',
  title: `Issue ${n}`,
  body: `body ${n}\r\nline`,
  html_url: `https://github.com/o/r/issues/${n}`,
  labels: n === 1 ? [{ name: 'bug' }] : [],
  milestone: n === 2 ? { id: 8001 } : null,
  user: user('alice', 7),
  assignee: null,
  created_at: '2024-01-0' + n + 'T00:00:00Z',
  updated_at: '2024-01-0' + n + 'T01:00:00Z',
  closed_at: n === 1 ? '2024-01-02T00:00:00Z' : null,
}));
const PR = {
  id: 2001,
  number: 4,
  state: 'open',
  title: 'A PR',
  body: 'fixes #1',
  html_url: 'https://github.com/o/r/pull/4',
  user: user('bob', 8),
  labels: [],
  created_at: '2024-01-04T00:00:00Z',
  updated_at: '2024-01-04T00:00:00Z',
  closed_at: null,
  merged_at: null,
  head: { ref: 'feature', sha: 'h1', repo: { id: 100 } },
  base: { ref: 'main', sha: 'b1', repo: { id: 100 } },
};

/**
 * Starts the fake API. Issues come in pages of 2 linked by `Link: <…>; rel="next"`;
 * every response carries `X-RateLimit-*` headers, and the second issues page
 * reports the budget spent with a reset already due (the client must wait for
 * the reset, then go on).
 */
export async function startGithubTestServer(): Promise<GithubTestServer> {
  const seen: SeenRequest[] = [];
  let pullsRateLimited = false;
  const pulls: Array<Record<string, unknown>> = [PR];
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    seen.push({ method: req.method ?? 'GET', path: u.pathname, query: u.searchParams, authorization: req.headers.authorization });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const send = (body: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '4999',
        'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
        ...headers,
      });
      res.end(JSON.stringify(body));
    };
    switch (u.pathname) {
      case '/repos/o/r':
        return send({ id: 100, name: 'r', full_name: 'o/r', html_url: 'https://github.com/o/r', description: 'd', language: 'Go', owner: user('o', 1), created_at: '2020-01-01T00:00:00Z', updated_at: '2024-01-01T00:00:00Z' });
      case '/repos/o/r/issues': {
        const page = Number(u.searchParams.get('page') ?? '1');
        if (page === 1) {
          const next = new URL(`${base}/repos/o/r/issues`);
          u.searchParams.forEach((v, k) => next.searchParams.set(k, v));
          next.searchParams.set('page', '2');
          return send(ISSUES.slice(0, 2), { link: `<${next}>; rel="next", <${next}>; rel="last"` });
        }
        return send(ISSUES.slice(2), { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000)) });
      }
      case '/repos/o/r/pulls':
        if (!pullsRateLimited) {
          // GitHub's answer to a spent primary rate limit: 403, remaining 0, reset due now.
          pullsRateLimited = true;
          res.writeHead(403, { 'content-type': 'application/json', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000)) });
          return res.end(JSON.stringify({ message: 'API rate limit exceeded' }));
        }
        {
          const sorted = [...pulls];
          if (u.searchParams.get('sort') === 'updated') {
            const desc = u.searchParams.get('direction') !== 'asc';
            sorted.sort((a, b) => String(a.updated_at).localeCompare(String(b.updated_at)) * (desc ? -1 : 1));
          }
          const page = Number(u.searchParams.get('page') ?? '1');
          const next = new URL(`${base}/repos/o/r/pulls`);
          u.searchParams.forEach((v, k) => next.searchParams.set(k, v));
          next.searchParams.set('page', String(page + 1));
          return send(sorted.slice((page - 1) * 2, page * 2), page * 2 < sorted.length ? { link: `<${next}>; rel="next"` } : {});
        }
      case '/repos/o/r/commits':
        return send([{ sha: 'c1', url: 'https://api.github.com/repos/o/r/commits/c1', author: user('bob', 8), committer: user('bob', 8), commit: { message: 'fix #1', author: { name: 'Bob', email: 'b@x', date: '2024-01-03T00:00:00Z' }, committer: { name: 'Bob', email: 'b@x', date: '2024-01-03T00:00:00Z' } } }]);
      case '/repos/o/r/commits/c1':
        return send({ sha: 'c1', url: 'https://api.github.com/repos/o/r/commits/c1', stats: { additions: 5, deletions: 2, total: 7 }, commit: { message: 'fix #1', author: { name: 'Bob', email: 'b@x', date: '2024-01-03T00:00:00Z' }, committer: { name: 'Bob', email: 'b@x', date: '2024-01-03T00:00:00Z' } } });
      case '/repos/o/r/issues/comments':
        return send([
          { id: 5001, issue_url: 'https://api.github.com/repos/o/r/issues/1', body: 'on the issue', user: user('alice', 7), created_at: '2024-01-02T00:00:00Z', updated_at: '2024-01-02T00:00:00Z' },
          { id: 5002, issue_url: 'https://api.github.com/repos/o/r/issues/4', body: 'on the PR', user: user('bob', 8), created_at: '2024-01-04T01:00:00Z', updated_at: '2024-01-04T01:00:00Z' },
        ]);
      case '/repos/o/r/pulls/comments':
        return send([{ id: 6001, pull_request_url: 'https://api.github.com/repos/o/r/pulls/4', pull_request_review_id: 3001, commit_id: 'h1', body: 'nit', user: user('carol', 9), created_at: '2024-01-05T00:00:00Z', updated_at: '2024-01-05T00:00:00Z' }]);
      case '/repos/o/r/pulls/4/commits':
        return send([{ sha: 'c1', url: 'https://api.github.com/repos/o/r/commits/c1', commit: { message: 'fix #1', author: { name: 'Bob', email: 'b@x', date: '2024-01-03T00:00:00Z' }, committer: { name: 'Bob', email: 'b@x', date: '2024-01-03T00:00:00Z' } } }]);
      case '/repos/o/r/milestones':
        return send([{ id: 8001, number: 1, title: 'v1', state: 'open', url: 'https://api.github.com/repos/o/r/milestones/1', open_issues: 1, closed_issues: 0, created_at: '2024-01-01T00:00:00Z', updated_at: '2024-01-01T00:00:00Z', closed_at: null }]);
      case '/repos/o/r/issues/events':
        return send([{ id: 7001, event: 'closed', actor: user('alice', 7), issue: { id: 1001 }, created_at: '2024-01-02T00:00:00Z' }]);
      case '/repos/o/r/pulls/4/reviews':
        return send([{ id: 3001, user: user('carol', 9), body: 'LGTM', state: 'APPROVED', commit_id: 'h1', submitted_at: '2024-01-05T00:00:00Z' }]);
      case '/repos/o/r/actions/runs':
        return send({ total_count: 1, workflow_runs: [{ id: 11, name: 'CI', head_branch: 'main', head_sha: 'h1', status: 'completed', conclusion: 'success', created_at: '2024-01-06T00:00:00Z', updated_at: '2024-01-06T00:01:00Z', run_started_at: '2024-01-06T00:00:10Z' }] });
      case '/repos/o/r/actions/runs/11/jobs':
        return send({ total_count: 1, jobs: [{ id: 12, run_id: 11, name: 'build', status: 'completed', conclusion: 'success', started_at: '2024-01-06T00:00:10Z', completed_at: '2024-01-06T00:00:50Z', steps: [], labels: ['ubuntu'] }] });
      default: {
        const m = /^\/users\/([^/]+)(\/orgs)?$/.exec(u.pathname);
        // ghost: a deleted account, as GitHub answers for it
        if (m && m[1] !== 'ghost') {
          if (m[2]) return send(m[1] === 'alice' ? [{ login: 'acme', id: 70 }] : []);
          return send({ ...user(m[1], USER_IDS[m[1]] ?? 99), name: m[1].toUpperCase(), company: 'ACME', email: `${m[1]}@x` });
        }
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'Not Found' }));
      }
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    seen,
    pulls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
