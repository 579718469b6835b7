import { closeMatches, parseColumnSpec, selectColumns } from '../../src/generator/column-spec';
import { inferTable } from '../../src/generator/infer-sample';

const errorOf = (fn: () => unknown): { code?: string; message: string; hint?: string } | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err as { code?: string; message: string; hint?: string };
  }
};

/** GitHub-issue-like records: a nested user, a milestone null in one, an assignee null in all, a deep head.repo. */
const records = [
  {
    id: 11,
    number: 1,
    state: 'open',
    title: 'One',
    body: 'text',
    html_url: 'https://x/1',
    user: { login: 'a', id: 5 },
    assignee: null,
    milestone: { id: 7, title: 'v1' },
    head: { ref: 'main', repo: { id: 99, name: 'r' } },
    labels: [{ name: 'bug' }],
    created_at: '2024-01-02T03:04:05Z',
  },
  {
    id: 12,
    number: 2,
    state: 'closed',
    title: 'Two',
    body: null,
    html_url: 'https://x/2',
    user: { login: 'b', id: 6 },
    assignee: null,
    milestone: null,
    head: { ref: 'dev', repo: null },
    labels: [],
    created_at: '2024-01-03T03:04:05Z',
  },
];
const shape = inferTable(records, { prefix: 'github' });
const pick = (spec: string) => selectColumns(shape, parseColumnSpec(spec));
const summary = (spec: string) => pick(spec).columns.map((c) => [c.column, c.path.join('.'), c.type, c.length ?? null, c.nullable, !!c.primaryKey]);

describe('parseColumnSpec', () => {
  it('reads column[=path][:kind] entries', () => {
    expect(parseColumnSpec(' state , url=html_url, milestone_id = milestone.id:bigint,body:text,sha:string(40), user.login')).toEqual([
      { column: 'state', text: 'state' },
      { column: 'url', path: ['html_url'], text: 'url=html_url' },
      { column: 'milestone_id', path: ['milestone', 'id'], kind: { type: 'bigint' }, text: 'milestone_id = milestone.id:bigint' },
      { column: 'body', kind: { type: 'text' }, text: 'body:text' },
      { column: 'sha', kind: { type: 'string', length: 40 }, text: 'sha:string(40)' },
      { column: 'user.login', text: 'user.login' },
    ]);
    expect(parseColumnSpec('a:int,b:bool,c:uint64,d:string,e:json,f:float,g:datetime').map((e) => e.kind)).toEqual([
      { type: 'integer' },
      { type: 'boolean' },
      { type: 'uint64' },
      { type: 'string', length: 255 },
      { type: 'json' },
      { type: 'float' },
      { type: 'datetime' },
    ]);
  });

  it.each(['', ' , ', 'a=', 'a=b..c', 'a:varchar', 'a:string(0)', 'a:text(10)', 'a=b=c', 'a.b=c'])('refuses %j with DEVLAKE_E_GEN_INVALID_ANSWER and a hint', (spec) => {
    const err = errorOf(() => parseColumnSpec(spec));
    expect(err).toMatchObject({ code: 'DEVLAKE_E_GEN_INVALID_ANSWER' });
    expect(err!.message).not.toContain('\n');
    expect(err!.hint).toBeTruthy();
  });
});

describe('selectColumns', () => {
  it('keeps only the listed columns, the key first, then in the spec order', () => {
    expect(pick('title,state,number').columns.map((c) => c.column)).toEqual(['id', 'title', 'state', 'number']);
    expect(pick('state,title').columns.map((c) => c.column)).toEqual(['id', 'state', 'title']);
  });

  it('renames, reads nested and deep paths, and overrides kinds (the pick rule follows the kind)', () => {
    expect(summary('github_id=id:bigint,url=html_url:text,author_name=user.login,milestone_id=milestone.id,head_repo_id=head.repo.id,body:json,github_created_at=created_at,number:string(16)')).toEqual([
      ['github_id', 'id', 'bigint', null, false, true],
      ['url', 'html_url', 'text', null, false, false],
      ['author_name', 'user.login', 'string', 255, false, false],
      ['milestone_id', 'milestone.id', 'bigint', null, true, false],
      // Deeper than the inference flattens (head.repo is one json column there): typed from the records.
      ['head_repo_id', 'head.repo.id', 'bigint', null, true, false],
      ['body', 'body', 'json', null, true, false],
      ['github_created_at', 'created_at', 'datetime', null, false, false],
      ['number', 'number', 'string', 16, false, false],
    ]);
    // Parents some record lacks are optional in the record type.
    expect(pick('head_repo_id=head.repo.id,milestone_id=milestone.id').nullableObjects.sort()).toEqual(['head.repo', 'milestone']);
  });

  it('names a column by its inferred name or by its path; an object path is its JSON', () => {
    expect(pick('github_created_at,user.login').columns.map((c) => [c.column, c.path.join('.')])).toEqual([
      ['id', 'id'],
      ['github_created_at', 'created_at'],
      ['user_login', 'user.login'],
    ]);
    expect(pick('created_at').columns[1]).toMatchObject({ column: 'github_created_at', type: 'datetime' });
    expect(pick('milestone').columns[1]).toMatchObject({ column: 'milestone', path: ['milestone'], type: 'json', nullable: true });
  });

  it('makes a column nullable when its kind reads some sample value as NULL, with a note', () => {
    const table = pick('title:int');
    expect(table.columns[1]).toMatchObject({ column: 'title', type: 'integer', nullable: true });
    expect(table.notes).toEqual(expect.arrayContaining([expect.stringContaining('title is int')]));
  });

  it('takes a path under an object the sample only has as null when given a kind', () => {
    expect(summary('assignee_id=assignee.id:bigint')[1]).toEqual(['assignee_id', 'assignee.id', 'bigint', null, true, false]);
    expect(errorOf(() => pick('assignee_id=assignee.id'))).toMatchObject({ code: 'DEVLAKE_E_GEN_INVALID_ANSWER', hint: expect.stringContaining(':bigint') });
  });

  it('refuses a path not in the sample in one line, naming close matches', () => {
    const err = errorOf(() => pick('url=htm_url'));
    expect(err).toMatchObject({ code: 'DEVLAKE_E_GEN_INVALID_ANSWER', message: '--columns "url=htm_url": no record of the sample has "htm_url"' });
    expect(err!.hint).toContain('"html_url"');
    expect(errorOf(() => pick('milestone_id=milestone.idd'))!.hint).toContain('"milestone.id"');
    expect(errorOf(() => pick('nope'))!.message).toBe('--columns "nope": no record of the sample has "nope"');
    expect(closeMatches(records, 'user.name')).toEqual(['head.repo.name']);
  });

  it.each([
    ['milestone:text', 'objects or arrays'],
    ['labels:text', 'objects or arrays'],
    ['id:text', 'key column cannot be text'],
    ['id:bool', 'the key "id" would be NULL'],
    ['Title=title', 'cannot be a column name'],
    ['created_at=created_at', 'cannot be a column name'],
    ['a=title,a=state', 'names the column "a" twice'],
    ['id,github_id=id', 'names the key "id" twice'],
  ])('refuses %j: %s', (spec, message) => {
    const err = errorOf(() => pick(spec));
    expect(err).toMatchObject({ code: 'DEVLAKE_E_GEN_INVALID_ANSWER' });
    expect(err!.message).toContain(message);
  });

  it('keeps a composite key, and notes only about the kept fields', () => {
    const composite = inferTable(records, { prefix: 'github', primaryKey: 'number,user.login' });
    expect(selectColumns(composite, parseColumnSpec('author=user.login:string(64),title')).columns.map((c) => [c.column, !!c.primaryKey])).toEqual([
      ['number', true],
      ['author', true],
      ['title', false],
    ]);
    expect(shape.notes.some((n) => n.startsWith('"created_at"'))).toBe(true);
    expect(pick('title').notes).toEqual([]);
    expect(pick('created_at').notes).toEqual([expect.stringContaining('"created_at" is stored as github_created_at')]);
  });
});
