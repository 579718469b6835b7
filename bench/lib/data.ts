
/**
 * Synthetic GitHub-like issues: every record distinct, about 1 KB of JSON,
 * generated a batch at a time so no measure holds the whole data set.
 */

/** The scope params of every raw row. */
export const PARAMS = JSON.stringify({ ConnectionId: 1, Name: 'apache/incubator-devlake' });

const LOREM =
  'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. ' +
  'Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. ' +
  'Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. ' +
  'Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum. ' +
  'Sed ut perspiciatis unde omnis iste natus error sit voluptatem accusantium doloremque laudantium, totam rem aperiam.';

const BASE_TIME = Date.UTC(2023, 0, 1);

/** One issue as the API would return it, as JSON text (~1 KB). */
export function issueJson(i: number): string {
  const created = new Date(BASE_TIME + i * 60_000).toISOString();
  const updated = new Date(BASE_TIME + i * 60_000 + 3_600_000).toISOString();
  const closed = i % 3 === 0 ? new Date(BASE_TIME + i * 60_000 + 7_200_000).toISOString() : null;
  const cut = i % 97;
  return JSON.stringify({
    id: 1_000_000_000 + i,
    node_id: `I_kwDOA${i.toString(36)}`,
    number: i + 1,
    title: `Issue ${i}: pipeline fails when the collector ${cut} pages`,
    state: closed ? 'closed' : 'open',
    locked: false,
    user: { login: `user${i % 997}`, id: 10_000 + (i % 997), type: 'User', site_admin: false },
    labels: [{ id: 1 + (i % 7), name: `type/${['bug', 'feature', 'docs', 'refactor', 'test', 'ci', 'perf'][i % 7]}` }],
    comments: i % 17,
    created_at: created,
    updated_at: updated,
    closed_at: closed,
    author_association: 'CONTRIBUTOR',
    html_url: `https://github.com/apache/incubator-devlake/issues/${i + 1}`,
    body: LOREM.slice(cut) + LOREM.slice(0, cut),
  });
}

/** A raw row as the collector writes it. */
export type BenchRawRow = {
  params: string;
  data: string;
  url: string;
  input: null;
  created_at: string;
};

const COLLECTED_AT = new Date(BASE_TIME).toISOString();

/** Raw rows `start … start+count-1`. */
export function rawBatch(start: number, count: number): BenchRawRow[] {
  const rows: BenchRawRow[] = new Array(count);
  for (let k = 0; k < count; k++) {
    const i = start + k;
    rows[k] = {
      params: PARAMS,
      data: issueJson(i),
      url: `https://api.github.com/repos/apache/incubator-devlake/issues?page=${Math.floor(i / 100) + 1}`,
      input: null,
      created_at: COLLECTED_AT,
    };
  }
  return rows;
}

/** Calls `fn` with consecutive batches of distinct rows covering `total` rows. */
export async function forEachBatch(total: number, batchSize: number, fn: (rows: BenchRawRow[], start: number) => Promise<void> | void): Promise<void> {
  for (let start = 0; start < total; start += batchSize) await fn(rawBatch(start, Math.min(batchSize, total - start)), start);
}

const POOL_SIZE = 1000;
let pool: BenchRawRow[] | undefined;

/**
 * Like `forEachBatch`, but the rows come from a pool of 1000 distinct records,
 * reused: for timed writes, where building ~1 KB of JSON per row would cost a
 * third of the ceiling's time and blur the ratio. Raw rows have no key on
 * `data`, so repeats change nothing for the database.
 */
export async function forEachPooledBatch(total: number, batchSize: number, fn: (rows: BenchRawRow[], start: number) => Promise<void> | void): Promise<void> {
  pool ??= rawBatch(0, POOL_SIZE);
  for (let start = 0; start < total; start += batchSize) {
    const n = Math.min(batchSize, total - start);
    const rows: BenchRawRow[] = new Array(n);
    for (let k = 0; k < n; k++) rows[k] = { ...pool[(start + k) % POOL_SIZE]! };
    await fn(rows, start);
  }
}
