import { knownPaths, observePath, readsEvery, typeOf } from '../../src/generator/observe';

describe('observePath and typeOf', () => {
  const records = [
    { id: 1, at: '2024-01-02T03:04:05Z', odd: '2024-02-30T00:00:00Z', lower: '2024-01-01t00:00:00z', n: 5, repo: { id: 3, name: 'x' } },
    { id: 2, at: '2024-01-03', odd: '2024-01-01T00:00:00Z', lower: '2024-01-01T00:00:00Z', n: null, repo: null },
  ];
  const type = (path: string, column = path.replace(/\./g, '_')) => typeOf(observePath(records, path.split('.'))!, column);

  it.each([
    // What pick.time turns into NULL (no 30 February, lower-case t/z) is text, not a timestamp.
    ['at', { type: 'datetime' }],
    ['odd', { type: 'string', length: 255 }],
    ['lower', { type: 'string', length: 255 }],
    ['n', { type: 'integer' }],
    ['repo.id', { type: 'bigint' }],
    ['repo', { type: 'json' }],
  ])('%s → %j', (path, expected) => {
    expect(type(path)).toEqual(expected);
  });

  it('counts records with a value, and knows a path no record has', () => {
    expect(observePath(records, ['repo', 'id'])).toMatchObject({ present: 1, firstIndex: 0 });
    expect(observePath(records, ['n'])).toMatchObject({ present: 1 });
    expect(observePath(records, ['nope'])).toBeUndefined();
    expect(knownPaths(records)).toEqual(['id', 'at', 'odd', 'lower', 'n', 'repo', 'repo.id', 'repo.name']);
  });

  it.each([
    ['integer', ['integer', 'float'], true],
    ['bigint', ['string'], false],
    ['datetime', ['datetime', 'string'], false],
    ['boolean', ['boolean'], true],
    ['string', ['integer', 'boolean', 'datetime'], true],
    ['text', ['object'], false],
    ['json', ['object', 'array', 'string'], true],
  ] as const)('a %s column reads %j without NULLs: %s', (type, kinds, expected) => {
    expect(readsEvery(type, new Set(kinds))).toBe(expected);
  });
});
