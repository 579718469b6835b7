import { baseDecoders, decodeBool, decodeInteger, decodeJson, decodeTime } from '../../src/dal/base-decoders';
import { decodeRows } from '../../src/dal/decode';
import { col, defineTable } from '../../src/core/table';

describe('column decoders', () => {
  it('read every stored timestamp form as the same instant (zone-less text as UTC)', () => {
    const want = '2022-06-13T15:35:54.000Z';
    for (const v of [new Date(want), '2022-06-13T15:35:54.000+00:00', '2022-06-13 15:35:54', '2022-06-13T15:35:54Z', Date.parse(want)]) {
      expect((decodeTime(v) as Date).toISOString()).toBe(want);
    }
  });

  it('read integers as numbers, bigint only beyond 2^53', () => {
    expect([decodeInteger('42'), decodeInteger(42n), decodeInteger(-7)]).toEqual([42, 42, -7]);
    expect(decodeInteger('18446744073709551615')).toBe(18446744073709551615n);
  });

  it('read booleans and JSON from their stored forms', () => {
    expect([decodeBool(1), decodeBool(0), decodeBool('t'), decodeBool('false'), decodeBool(true)]).toEqual([true, false, true, false, true]);
    expect([decodeJson('{"a":1}'), decodeJson({ a: 1 }), decodeJson('not json')]).toEqual([{ a: 1 }, { a: 1 }, 'not json']);
  });

  it('decode declared columns only, a missing declared column as null', () => {
    const T = defineTable('t', { id: col.bigint().primaryKey(), on: col.bool() });
    expect(decodeRows([{ id: '5', on: undefined, other: '7' }], T.spec.columns, baseDecoders)).toStrictEqual([{ id: 5, on: null, other: '7' }]);
  });
});
