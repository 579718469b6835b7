import type { Reply, SeenRequest } from './api-test-server';

/** An issue of the fake tracker API. */
export interface FakeIssue {
  id: number;
  title: string;
  updated_at: string;
}

/**
 * A small issue-tracker API answering in every pagination style, for
 * collector tests: `/page`, `/total`, `/offset`, `/cursor`, `/link`, `/single`
 * and `/issues/:id/comments`. `since` filters by `updated_at`; `failAt`
 * makes one path answer an error.
 */
export class FakeTracker {
  issues: FakeIssue[];
  /** `(req) => reply` to override an answer (e.g. fail page 2); return undefined for the normal answer. */
  override?: (req: SeenRequest, url: URL) => Reply | undefined;

  constructor(count: number) {
    this.issues = Array.from({ length: count }, (_, i) => ({ id: i + 1, title: `issue ${i + 1}`, updated_at: new Date(Date.UTC(2020, 0, 1 + i)).toISOString() }));
  }

  add(n: number, title = 'new'): void {
    const start = this.issues.length;
    const at = new Date().toISOString();
    for (let i = 1; i <= n; i++) this.issues.push({ id: start + i, title: `${title} ${start + i}`, updated_at: at });
  }

  route = (req: SeenRequest): Reply => {
    const url = new URL(req.url, 'http://x');
    const overridden = this.override?.(req, url);
    if (overridden) return overridden;
    const q = url.searchParams;
    const since = q.get('since');
    const list = since ? this.issues.filter((i) => i.updated_at > since) : this.issues;
    const size = Number(q.get('per_page') ?? q.get('limit') ?? 10);
    const slice = (from: number): FakeIssue[] => list.slice(from, from + size);
    const page = Number(q.get('page') ?? 1);
    const path = url.pathname;
    if (path === '/page') return { body: slice((page - 1) * size) };
    if (path === '/total') return { body: slice((page - 1) * size), headers: { 'x-total-pages': String(Math.ceil(list.length / size)) } };
    if (path === '/offset') return { body: { data: slice(Number(q.get('offset') ?? 0)) } };
    if (path === '/cursor') {
      const from = Number(q.get('cursor') ?? 0);
      const next = from + size < list.length ? String(from + size) : null;
      return { body: { items: slice(from), next } };
    }
    if (path === '/link') {
      const headers: Record<string, string> = {};
      if (page * size < list.length) {
        headers.link = `</link?page=${page + 1}&per_page=${size}>; rel="next", </link?page=${Math.ceil(list.length / size)}&per_page=${size}>; rel="last"`;
      }
      return { body: slice((page - 1) * size), headers };
    }
    if (path === '/single') return { body: { name: 'repo', issues: list.length } };
    const comments = /^\/issues\/(\d+)\/comments$/.exec(path);
    if (comments) {
      const id = Number(comments[1]);
      return { body: [1, 2].map((k) => ({ id: id * 100 + k, issue_id: id })) };
    }
    return { status: 404, body: { message: 'Not Found' } };
  };
}
