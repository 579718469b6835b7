/**
 * Splits the text of a JSON array into the exact text of each element, without
 * parsing and re-serializing it (which would change number forms, escapes and,
 * on databases with a binary JSON type, key order). Used where a database
 * cannot hand back an array element's text as written. `text` must be a JSON
 * array; white space between elements is dropped.
 */
export function splitJsonArray(text: string): string[] {
  const out: string[] = [];
  let i = text.indexOf('[');
  if (i < 0) throw new SyntaxError('not a JSON array');
  let depth = 0;
  let start = -1;
  for (i = i + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      if (start < 0) start = i;
      // Skip the string: its end is the next quote with an even run of
      // backslashes before it. indexOf scans natively, ~3x the char loop on
      // text-heavy records (issue bodies).
      let q = i;
      for (;;) {
        q = text.indexOf('"', q + 1);
        if (q < 0) throw new SyntaxError('unterminated JSON array');
        let b = q - 1;
        while (text.charCodeAt(b) === 0x5c /* \ */) b--;
        if ((q - 1 - b) % 2 === 0) break;
      }
      i = q;
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (start < 0) start = i;
      depth++;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      if (depth === 0) {
        if (start >= 0) out.push(text.slice(start, i).trimEnd());
        return out;
      }
      depth--;
    } else if (c === 0x2c /* , */ && depth === 0) {
      out.push(text.slice(start, i).trimEnd());
      start = -1;
    } else if (start < 0 && c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
      start = i;
    }
  }
  throw new SyntaxError('unterminated JSON array');
}
