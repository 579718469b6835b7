import { compareWithSnapshot, formatDifferences } from '../../src/testing/snapshot-diff';

const snapshot = {
  header: ['a', 'b', 'v', 'j'],
  rows: [
    ['1', 'x', 'one', '{"k": [1, 2], "a": null}'],
    ['1', 'y', '', ''],
  ],
};

describe('compareWithSnapshot', () => {
  it('matches rows by key whatever the order, treats NULL and empty alike, and compares JSON columns parsed', () => {
    const actual = [
      { a: '1', b: 'y', v: '', j: '' },
      { a: '1', b: 'x', v: 'one', j: '{"a":null,"k":[1,2]}' },
    ];
    expect(compareWithSnapshot(actual, snapshot, { columns: ['v', 'j'], primaryKey: ['a', 'b'], jsonColumns: ['j'] }).differences).toEqual([]);
    const strict = compareWithSnapshot(actual, snapshot, { columns: ['j'], primaryKey: ['a', 'b'] });
    expect(strict.differences).toEqual([{ kind: 'changed', key: '1-x', columns: [{ column: 'j', expected: '{"k": [1, 2], "a": null}', actual: '{"a":null,"k":[1,2]}' }] }]);
  });

  it('reads a column missing from the CSV header as empty, and ignores columns outside the list', () => {
    const actual = [
      { a: '1', b: 'x', v: 'one', extra: 'set', other: 'ignored' },
      { a: '1', b: 'y', v: '', extra: '', other: 'ignored' },
    ];
    const cmp = compareWithSnapshot(actual, snapshot, { columns: ['v', 'extra'], primaryKey: ['a', 'b'] });
    expect(cmp.differences).toEqual([{ kind: 'changed', key: '1-x', columns: [{ column: 'extra', expected: '', actual: 'set' }] }]);
  });

  it('reports missing and extra rows and duplicate keys, and the message lists them', () => {
    const actual = [
      { a: '1', b: 'x', v: 'one' },
      { a: '2', b: 'z', v: 'new' },
      { a: '2', b: 'z', v: 'again' },
    ];
    const cmp = compareWithSnapshot(actual, snapshot, { columns: ['v'], primaryKey: ['a', 'b'] });
    expect(cmp.differences.map((d) => `${d.kind}:${d.key}`)).toEqual(['extra:2-z', 'duplicate:2-z', 'extra:2-z', 'missing:1-y']);
    expect(formatDifferences('t', 's.csv', cmp)).toBe(
      [
        'Table t differs from snapshot s.csv: 3 table rows, 2 snapshot rows',
        'missing rows (in snapshot, not in table) (1):',
        '  - 1-y',
        'extra rows (in table, not in snapshot) (2):',
        '  + 2-z',
        '  + 2-z',
        'duplicate keys (1):',
        '  ! 2-z (in table)',
      ].join('\n'),
    );
  });

  it('caps each section and clips long values', () => {
    const many = Array.from({ length: 15 }, (_, i) => ({ a: String(100 + i), b: 'x', v: 'v' }));
    const text = formatDifferences('t', 's.csv', compareWithSnapshot(many, { header: ['a', 'b', 'v'], rows: [] }, { columns: ['v'], primaryKey: ['a', 'b'] }));
    expect(text).toContain('extra rows (in table, not in snapshot) (15):');
    expect(text).toContain('  … and 5 more');
    const long = 'y'.repeat(500);
    const changed = formatDifferences(
      't',
      's.csv',
      compareWithSnapshot([{ a: '1', b: 'x', v: long }], { header: ['a', 'b', 'v'], rows: [['1', 'x', 'short']] }, { columns: ['v'], primaryKey: ['a', 'b'] }),
    );
    expect(changed).toContain(`actual "${'y'.repeat(200)}…(500 chars)"`);
  });
});
