import { splitJsonArray } from '../../src/dal/json-split';

describe('splitJsonArray', () => {
  it('returns each element as written: number forms, escapes and key order kept', () => {
    const text = '[1.50, 1e3 ,"a\\u00e9\\n", {"b":1,"a":[2,{"c":","}]}, [ ], null,true ,-0]';
    expect(splitJsonArray(text)).toEqual(['1.50', '1e3', '"a\\u00e9\\n"', '{"b":1,"a":[2,{"c":","}]}', '[ ]', 'null', 'true', '-0']);
  });

  it('ends a string at the first quote not escaped, however many backslashes come before it', () => {
    const values = ['', '\\', '\\\\', 'a"b', '\\"', '"', 'x\\', 'end\\"quote\\\\', '],{"', 'ünï\u{1F600}'];
    const text = JSON.stringify(values.map((v) => ({ v })));
    expect(splitJsonArray(text).map((e) => JSON.parse(e))).toEqual(values.map((v) => ({ v })));
    expect(splitJsonArray(JSON.stringify(values)).map((e) => JSON.parse(e))).toEqual(values);
  });

  it('drops white space between elements and around the array', () => {
    expect(splitJsonArray(' \n[\t1 ,\r\n 2\n]\n')).toEqual(['1', '2']);
    expect(splitJsonArray('[]')).toEqual([]);
    expect(splitJsonArray('[ \n ]')).toEqual([]);
  });

  it('agrees with JSON.parse element by element on generated records', () => {
    let seed = 7;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const pieces = ['a', '"', '\\', ',', ']', '}', '{', '[', ' ', 'é', '\n', '\u2028'];
    const text = (len: number) => Array.from({ length: len }, () => pieces[rand(pieces.length)]).join('');
    const records = Array.from({ length: 200 }, (_, i) => ({ id: i, title: text(rand(12)), tags: [text(3), rand(1000) / 7], nested: { body: text(rand(40)) } }));
    const parts = splitJsonArray(JSON.stringify(records, null, rand(2) ? 2 : 0));
    expect(parts).toHaveLength(records.length);
    expect(parts.map((p) => JSON.parse(p))).toEqual(records);
  });

  it('rejects text that is not an array, or an unterminated one', () => {
    expect(() => splitJsonArray('{"a":1}')).toThrow('not a JSON array');
    expect(() => splitJsonArray('[1, 2')).toThrow('unterminated JSON array');
    expect(() => splitJsonArray('["abc\\"]')).toThrow('unterminated JSON array');
  });
});
