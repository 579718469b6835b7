import { scanString, scanValue, skipWs } from '../../src/core/json-scan';

describe('json-scan', () => {
  it('finds where strings, containers and scalars end, escapes and nesting included', () => {
    const s = '{"a": "x\\"}y", "b": [1, {"c": "]"}], "n": -1.5e3, "t": true}';
    const a = s.indexOf('"x');
    expect(s.slice(a, scanString(s, a))).toBe('"x\\"}y"');
    const b = s.indexOf('[');
    expect(s.slice(b, scanValue(s, b))).toBe('[1, {"c": "]"}]');
    const n = s.indexOf('-1.5');
    expect(s.slice(n, scanValue(s, n))).toBe('-1.5e3');
    expect(scanValue(s, 0)).toBe(s.length);
  });

  it('skips JSON whitespace only', () => {
    expect(skipWs(' \n\r\tx', 0)).toBe(4);
    expect(skipWs('\u00a0x', 0)).toBe(0);
  });
});
