import * as fs from 'node:fs';
import { CASSETTE_FILE, cassetteText, COMMITTER_COUNT, makeCommitters } from '../fixtures/make-cassette';

describe('the bundled cassette', () => {
  it('is exactly what fixtures/make-cassette.ts makes from its seed', () => {
    expect(fs.readFileSync(CASSETTE_FILE, 'utf8')).toBe(cassetteText());
  });

  it('holds unique Apache-style ids with realistic names, many of them non-ASCII or odd', () => {
    const committers = makeCommitters();
    const ids = Object.keys(committers);
    const names = Object.values(committers);
    expect(ids).toHaveLength(COMMITTER_COUNT);
    expect(ids.filter((id) => !/^[a-z][a-z0-9]*$/.test(id))).toEqual([]);
    expect(names.filter((n) => /[^\x00-\x7f]/.test(n)).length).toBeGreaterThan(COMMITTER_COUNT / 3);
    for (const odd of ['"', "'", ',', '(', '\\', '\t', '🚀', '王', 'И']) expect(names.some((n) => n.includes(odd))).toBe(true);
  });
});
