import { describeTable, editColumns, findRecordPath, inferTable, parseEdits, parseSample, proposePagination } from '../../src/generator/infer-sample';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code;
  }
};

/** A GitHub-issue-like record: nested user, nullable milestone, dates, labels array, big ids. */
const issue = (n: number, extra: Record<string, unknown> = {}) => ({
  id: 1_000_000_000 + n,
  number: n,
  title: `Issue ${n}`,
  body: n === 2 ? null : 'x'.repeat(10),
  state: 'open',
  locked: false,
  score: n === 1 ? 1 : 0.5,
  user: { login: `user${n}`, id: n, site_admin: false, permissions: { admin: true } },
  milestone: n === 1 ? { id: 7, title: 'v1', due_on: '2024-03-01T00:00:00Z' } : null,
  labels: [{ name: 'bug' }],
  created_at: '2024-01-02T03:04:05Z',
  closed_at: n === 1 ? '2024-02-02T03:04:05.123+02:00' : null,
  ...extra,
});

describe('parseSample', () => {
  it.each([
    ['a bare array body', JSON.stringify([issue(1), issue(2)]), 'json', [], 2],
    ['records under a key', JSON.stringify({ total_count: 2, items: [issue(1), issue(2)] }), 'json', ['items'], 2],
    ['records two levels down', JSON.stringify({ data: { values: [issue(1)], size: 1 }, meta: {} }), 'json', ['data', 'values'], 1],
    ['one object body', JSON.stringify(issue(1)), 'json', [], 1],
    ['JSON lines', `${JSON.stringify(issue(1))}\n${JSON.stringify(issue(2))}\n`, 'jsonl', [], 2],
    [
      'a cassette (2xx JSON responses only)',
      JSON.stringify({
        version: 1,
        interactions: [
          { request: { method: 'GET', url: 'https://x/issues?page=1' }, response: { status: 200, headers: {}, json: [issue(1)] } },
          { request: { method: 'GET', url: 'https://x/issues?page=2' }, response: { status: 200, headers: {}, json: [issue(2)] } },
          { request: { method: 'GET', url: 'https://x/issues?page=3' }, response: { status: 500, headers: {}, json: { message: 'boom' } } },
        ],
      }),
      'cassette',
      [],
      2,
    ],
  ])('%s', (_name, text, kind, recordPath, count) => {
    const s = parseSample(text);
    expect([s.kind, s.recordPath, s.records.length]).toEqual([kind, recordPath, count]);
  });

  it('takes --record-path over the guess, and refuses a sample without records', () => {
    expect(parseSample(JSON.stringify({ a: [{ x: 1 }, { x: 2 }], b: [{ y: 1 }] }), { recordPath: 'b' }).records).toEqual([{ y: 1 }]);
    expect(codeOf(() => parseSample('not json\n{also not'))).toBe('DEVLAKE_E_GEN_INVALID_ANSWER');
    expect(codeOf(() => parseSample('[1, 2, 3]'))).toBe('DEVLAKE_E_GEN_INVALID_ANSWER');
    expect(codeOf(() => parseSample('{"items": []}', { recordPath: 'items' }))).toBe('DEVLAKE_E_GEN_INVALID_ANSWER');
  });

  it('finds the longest array of objects as the record path', () => {
    expect(findRecordPath({ errors: [{ m: 1 }], items: [{ a: 1 }, { a: 2 }] })).toEqual(['items']);
    expect(findRecordPath({ names: ['a', 'b'] })).toEqual([]);
    // A commit (no id, several scalars) with a parents array is a record, not a wrapper.
    expect(findRecordPath({ sha: 'a', node_id: 'n', url: 'u', html_url: 'h', message: 'm', parents: [{ sha: 'b' }] })).toEqual([]);
    expect(findRecordPath({ total_count: 2, workflow_runs: [{ id: 1 }, { id: 2 }] })).toEqual(['workflow_runs']);
    const line = JSON.stringify({ sha: 'a', parents: [{ sha: 'b' }] });
    expect(parseSample(`${line}\n${line}\n`).recordPath).toEqual([]);
  });
});

describe('inferTable', () => {
  const records = [issue(1), issue(2), issue(3, { id: 2 ** 53 + 2 })];
  const shape = inferTable(records, { prefix: 'github' });
  const col = (name: string) => shape.columns.find((c) => c.column === name);

  it.each([
    ['id', { type: 'bigint', nullable: false, primaryKey: true, path: ['id'] }],
    ['number', { type: 'integer', nullable: false }],
    ['title', { type: 'string', length: 255, nullable: false }],
    ['body', { type: 'text', nullable: true }],
    ['locked', { type: 'boolean', nullable: false }],
    ['score', { type: 'float' }],
    ['user_login', { type: 'string', path: ['user', 'login'], nullable: false }],
    // Ids outgrow what a sample shows (GitHub's passed 2^31): 64-bit whatever the values.
    ['user_id', { type: 'bigint', path: ['user', 'id'] }],
    ['user_permissions', { type: 'json', path: ['user', 'permissions'] }],
    ['milestone_id', { type: 'bigint', nullable: true, path: ['milestone', 'id'] }],
    ['milestone_due_on', { type: 'datetime', nullable: true }],
    ['labels', { type: 'json', nullable: false }],
    ['github_created_at', { type: 'datetime', nullable: false, path: ['created_at'] }],
    ['closed_at', { type: 'datetime', nullable: true }],
  ])('%s → %j', (column, expected) => {
    expect(col(column)).toMatchObject(expected);
  });

  it('puts the key first, marks objects null in some records, and notes renamed and lossy columns', () => {
    expect(shape.columns[0]!.column).toBe('id');
    expect(shape.columns.filter((c) => c.column === 'milestone')).toEqual([]);
    expect(shape.nullableObjects).toEqual(['milestone']);
    expect(shape.notes).toEqual(
      expect.arrayContaining([
        expect.stringContaining('"created_at" is stored as github_created_at'),
        expect.stringContaining('"id" has integers beyond 2^53'),
      ]),
    );
    expect(describeTable('_tool_github_issues', shape)).toContain('milestone_due_on');
  });

  it('takes a composite or nested key, flattens deeper with flattenDepth, and refuses a key the records lack', () => {
    const composite = inferTable(records, { prefix: 'x', primaryKey: 'number,user.login' });
    expect(composite.columns.slice(0, 2).map((c) => [c.column, c.primaryKey])).toEqual([
      ['number', true],
      ['user_login', true],
    ]);
    expect(inferTable(records, { prefix: 'x', flattenDepth: 3 }).columns.map((c) => c.column)).toContain('user_permissions_admin');
    expect(inferTable(records, { prefix: 'x', flattenDepth: 1 }).columns.find((c) => c.column === 'user')).toMatchObject({ type: 'json' });
    expect(codeOf(() => inferTable(records, { prefix: 'x', primaryKey: 'uuid' }))).toBe('DEVLAKE_E_GEN_INVALID_ANSWER');
    expect(codeOf(() => inferTable(records, { prefix: 'x', primaryKey: 'closed_at' }))).toBe('DEVLAKE_E_GEN_INVALID_ANSWER');
  });

  it('keeps text keys short enough to index, and names odd fields as identifiers', () => {
    const odd = inferTable([{ key: 'k'.repeat(300), '+1': 1, '-1': 2, '2fa': true }], { prefix: 'x', primaryKey: 'key' });
    expect(odd.columns.map((c) => [c.column, c.type])).toEqual([
      ['key', 'string'],
      ['f_1', 'integer'],
      ['f_1_2', 'integer'],
      ['f_2fa', 'boolean'],
    ]);
  });
});

describe('proposePagination', () => {
  const cassette = (headers: Record<string, string>, json: unknown) =>
    JSON.stringify({ version: 1, interactions: [{ request: { method: 'GET', url: 'https://x/a' }, response: { status: 200, headers, json } }] });

  it.each([
    ['a Link header', cassette({ link: '<https://x/a?page=2>; rel="next"' }, [{ id: 1 }]), 'link', {}],
    ['an x-total-pages header', cassette({ 'x-total-pages': '3' }, [{ id: 1 }]), 'totalPages', {}],
    ['total_pages in the body', JSON.stringify({ total_pages: 4, data: [{ id: 1 }] }), 'totalPages', { totalPagesPath: ['total_pages'] }],
    ['a cursor in the body', JSON.stringify({ items: [{ id: 1 }], meta: { next_cursor: 'abc' } }), 'cursor', { cursorPath: ['meta', 'next_cursor'] }],
    ['GraphQL-style endCursor', JSON.stringify({ nodes: [{ id: 1 }], pageInfo: { endCursor: null } }), 'cursor', { cursorPath: ['pageInfo', 'endCursor'] }],
    ['a bare array', JSON.stringify([{ id: 1 }]), 'page', {}],
    ['one object', JSON.stringify({ id: 1 }), 'none', {}],
  ])('%s → %s', (_name, text, mode, extra) => {
    expect(proposePagination(parseSample(text))).toMatchObject({ mode, ...extra });
  });
});

describe('editColumns (interactive mode)', () => {
  const shape = inferTable([{ id: 1, user: { login: 'a' }, title: 't', extra: 1 }], { prefix: 'x' });

  it('drops and renames columns, keeping the key', () => {
    const { drop, rename } = parseEdits('extra', 'user_login=author_login');
    expect(editColumns(shape, drop, rename).columns.map((c) => c.column)).toEqual(['id', 'author_login', 'title']);
  });

  it.each([
    ['nope', ''],
    ['id', ''],
    ['', 'title=Title'],
    ['', 'title=created_at'],
    ['', 'title=extra'],
  ])('refuses drop %j rename %j', (drop, renames) => {
    const edits = parseEdits(drop, renames);
    expect(codeOf(() => editColumns(shape, edits.drop, edits.rename))).toBe('DEVLAKE_E_GEN_INVALID_ANSWER');
  });
});
