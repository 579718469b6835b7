import { parsePath } from '../../src/core/extract-mapping';
import { convertValue, devlakeTime, jsonTextAt, valueAt } from '../../src/core/mapping-values';

describe('declarative mapping values (the JavaScript reference)', () => {
  it.each([
    ['2023-01-01T00:00:00Z', '2023-01-01T00:00:00.000Z'],
    ['2023-01-01T10:00:00.98765Z', '2023-01-01T10:00:00.987Z'],
    ['2023-01-01T10:00:00+0800', '2023-01-01T02:00:00.000Z'],
    ['2023-01-01T10:00:00-03:30', '2023-01-01T13:30:00.000Z'],
    ['2023-01-01 10:00', '2023-01-01T10:00:00.000Z'],
    ['2023-01-01', '2023-01-01T00:00:00.000Z'],
    ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
    ['2000-02-29T00:00:00Z', '2000-02-29T00:00:00.000Z'],
    ['1900-02-29T00:00:00Z', null],
    ['2023-04-31', null],
    ['2023-01-01T10:00:00z', null],
    ['2023-01-01T10', null],
    ['Jan 1 2023', null],
    [20230101, null],
  ])('time %j → %j', (input, iso) => {
    expect(devlakeTime(input)?.toISOString() ?? null).toBe(iso);
  });

  it('reads the exact JSON text at a path, and integers past 2^53 exactly', () => {
    const text = '{"a": {"b": [ 1, {"c": 9007199254740993} ]}, "s": "x\\u00e9", "a2": 1, "a": {"b": [0, {"c": 18014398509481985}]}}';
    const steps = parsePath('a.b[1].c');
    expect(jsonTextAt(text, steps)).toBe('18014398509481985'); // the last duplicate key, as JSON.parse
    expect(jsonTextAt(text, parsePath('s'))).toBe('"x\\u00e9"');
    expect(jsonTextAt(text, parsePath('a.b[5]'))).toBeUndefined();
    const record = JSON.parse(text) as unknown;
    expect(convertValue('bigint', valueAt(record, steps), () => jsonTextAt(text, steps))).toBe(18014398509481985n);
    expect(convertValue('int', 12.9, () => '12.9')).toBe(12);
    expect(convertValue('int', '12', () => '"12"')).toBeNull();
    expect(convertValue('bool', 'true', () => '"true"')).toBeNull();
    expect(convertValue('float', 2, () => '2')).toBe(2);
    expect(valueAt({ a: [1] }, ['a', 'x'])).toBeUndefined();
  });
});
