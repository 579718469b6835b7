import { hasErrorCode } from '../../src/core/errors';
import { parseCsv, stringifyCsv } from '../../src/testing/csv';
import { columnKind, formatGoFloat, formatValue, parseTimestamp } from '../../src/testing/format-value';

describe('CSV', () => {
  it('parses RFC 4180 with quotes, doubled quotes, embedded line breaks and CRLF turned into LF', () => {
    const t = parseCsv('a,b,c\r\n1,"x, ""y""","line1\r\nline2"\r\n\r\n2,,\n3,"",z');
    expect(t.header).toEqual(['a', 'b', 'c']);
    expect(t.rows).toEqual([
      ['1', 'x, "y"', 'line1\nline2'],
      ['2', '', ''],
      ['3', '', 'z'],
    ]);
  });

  it('round-trips through stringify', () => {
    const t = { header: ['a', 'b'], rows: [['1', 'has,comma'], ['2', 'quote " and\nnewline'], ['3', '']] };
    expect(parseCsv(stringifyCsv(t))).toEqual(t);
    expect(stringifyCsv(t)).toBe('a,b\n1,"has,comma"\n2,"quote "" and\nnewline"\n3,\n');
  });

  it('rejects ragged rows, duplicate headers and empty files with DEVLAKE_E_CSV', () => {
    for (const text of ['a,b\n1,2,3\n', 'a,a\n1,2\n', '', 'a\n"open']) {
      let err: unknown;
      try {
        parseCsv(text, 'x.csv');
      } catch (e) {
        err = e;
      }
      expect(hasErrorCode(err, 'DEVLAKE_E_CSV')).toBe(true);
    }
  });
});

describe('snapshot value formatting', () => {
  it('formats timestamps in UTC with milliseconds, from dates and from the text forms DevLake CSVs hold', () => {
    expect(formatValue(new Date('2022-06-13T15:35:54Z'), 'timestamp')).toBe('2022-06-13T15:35:54.000+00:00');
    expect(formatValue('2022-09-15 08:51:22.476000+00:00', 'timestamp')).toBe('2022-09-15T08:51:22.476+00:00');
    expect(formatValue('2022-09-06 16:21:49.210', 'timestamp')).toBe('2022-09-06T16:21:49.210+00:00');
    expect(formatValue('2022-07-14 09:58:40', 'timestamp')).toBe('2022-07-14T09:58:40.000+00:00');
    expect(formatValue('2022-07-14T11:58:40+02:00', 'timestamp')).toBe('2022-07-14T09:58:40.000+00:00');
    expect(parseTimestamp('not a date')).toBeUndefined();
  });

  it("formats float columns as Go's %v", () => {
    const cases: Array<[number, string]> = [
      [68, '68'],
      [0.5, '0.5'],
      [125.25, '125.25'],
      [123456, '123456'],
      [1e6, '1e+06'],
      [1234567, '1.234567e+06'],
      [0.0001, '0.0001'],
      [0.00001, '1e-05'],
      [-2.5e-7, '-2.5e-07'],
      [1e21, '1e+21'],
      [1.5e100, '1.5e+100'],
      [0, '0'],
    ];
    for (const [n, go] of cases) expect([n, formatGoFloat(n)]).toEqual([n, go]);
    expect(formatValue(1e6, 'float')).toBe('1e+06');
    expect(formatValue('68', 'float')).toBe('68');
    expect(formatValue(1e6, 'other')).toBe('1000000');
    expect(['double precision', 'real', 'double', 'float'].map(columnKind)).toEqual(['float', 'float', 'float', 'float']);
    expect(['bigint', 'integer', 'text', 'varchar'].map(columnKind)).toEqual(['other', 'other', 'other', 'other']);
  });

  it('formats booleans as 1/0, NULL as empty, numbers as shortest decimals', () => {
    expect(formatValue(true, 'boolean')).toBe('1');
    expect(formatValue(0, 'boolean')).toBe('0');
    expect(formatValue(null, 'other')).toBe('');
    expect(formatValue(68, 'other')).toBe('68');
    expect(formatValue(68.5, 'other')).toBe('68.5');
    expect(formatValue('12345678901234567890', 'other')).toBe('12345678901234567890');
    expect(formatValue({ a: 1 }, 'json')).toBe('{"a":1}');
  });
});
