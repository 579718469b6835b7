import { DevlakeError } from 'devlake-ts';

/**
 * Go RE2 patterns (scope config regexes) compiled to JavaScript RegExps that
 * match the same strings. RE2 and JS agree on leftmost-first alternation and
 * greedy/lazy quantifiers; everything else that differs is rewritten here:
 * - flags: a leading `(?i)` becomes the RegExp `i` flag (Unicode simple folding, as Go);
 *   `m` and `s` (and `i` set later or in a group, `(?i)` / `(?i:…)`) are applied by rewriting `^`, `$`, `.`
 *   and letters, since Node 20 has no inline modifiers and JS `m` also breaks lines at `\r`;
 * - `.` matches anything but `\n` in Go (JS also stops at `\r`, U+2028, U+2029);
 * - `\s` / `\S` are ASCII `[\t\n\f\r ]` in Go, in and out of classes (JS adds `\v` and Unicode spaces);
 * - `\A` / `\z` anchors, `\Q…\E` quoting, `(?P<name>…)`, `\x{…}`, octal `\0`/`\NN`, `\a`,
 *   `\pL` / `\p{Greek}` (scripts), POSIX classes `[[:alpha:]]` and `[[:^alpha:]]`;
 * - a `{` that does not start a repetition is a literal in Go (`a{,2}`);
 * - what RE2 refuses is refused (lookaround, backreferences, `\C`, unknown escapes, repeats over 1000),
 *   where JS would accept it;
 * - Go lets any punctuation be escaped (`\:`), JS `u` mode does not.
 * The `u` flag gives code-point semantics like Go's UTF-8 matching. A pattern
 * that cannot be expressed fails with DEVLAKE_E_CONFIG, never silently differs.
 */
export function compileGoRegexp(pattern: string, what = 'pattern'): RegExp {
  let src = pattern;
  let start: Flags = { i: false, m: false, s: false };
  const lead = /^\(\?([a-zA-Z-]+)\)/.exec(src);
  if (lead) {
    start = applyFlags(start, lead[1], pattern, what);
    src = src.slice(lead[0].length);
  }
  // A case-insensitive whole pattern uses the engine's own folding; only later or scoped (?i) is expanded.
  const out = new Translator(src, start, start.i, pattern, what).run();
  try {
    return new RegExp(out, start.i ? 'iu' : 'u');
  } catch (err) {
    throw invalid(pattern, what, (err as Error).message);
  }
}

/** Compiles when the pattern is non-empty (Go code skips empty patterns). */
export function compileOptional(pattern: string | undefined | null, what: string): RegExp | undefined {
  return pattern ? compileGoRegexp(pattern, what) : undefined;
}

/** Go's `FindStringSubmatch`: the match and its groups (unmatched groups as ''), or undefined. */
export function findStringSubmatch(re: RegExp, s: string): string[] | undefined {
  const m = nonGlobal(re).exec(s);
  return m ? m.map((g) => g ?? '') : undefined;
}

/** Go's `FindString`: the leftmost match, or '' when none. */
export function findString(re: RegExp, s: string): string {
  const m = nonGlobal(re).exec(s);
  return m ? m[0] : '';
}

/** Go's `ReplaceAllString` with a literal replacement (no `$` expansion needed here). */
export function replaceAllLiteral(re: RegExp, s: string, replacement: string): string {
  const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
  return s.replace(g, () => replacement);
}

function nonGlobal(re: RegExp): RegExp {
  if (!re.global && !re.sticky) return re;
  return new RegExp(re.source, re.flags.replace(/[gy]/g, ''));
}

/** The RE2 flags that change what a piece of pattern matches. */
interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
}

const SYNTAX = new Set('^$\\.*+?()[]{}|/'.split(''));
const CLASS_SYNTAX = new Set('\\]^-['.split(''));
const GO_SPACE = '\\t\\n\\f\\r ';
/** Everything but Go's `\s`, as class ranges. */
const GO_NON_SPACE = '\\0-\\x08\\x0B\\x0E-\\x1F!-\\u{10FFFF}';
const MAX_REPEAT = 1000;
/** Unicode general categories; any other `\p{Name}` is a script, as in Go. */
const CATEGORIES = new Set(
  'C Cc Cf Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs'.split(' '),
);
/** Code points with more than one other case under Go's simple folding (k K K, s S ſ). */
const FOLD_ORBITS = [[0x6b, 0x4b, 0x212a], [0x73, 0x53, 0x17f]];

/** Go's (?flags) syntax: `ims`, `-i`, `i-s`; U (ungreedy) is refused. */
function applyFlags(state: Flags, spec: string, pattern: string, what: string): Flags {
  const next = { ...state };
  let on = true;
  for (const f of spec) {
    if (f === '-' && on) on = false;
    else if (f === 'i' || f === 'm' || f === 's') next[f] = on;
    else if (f === 'U') throw invalid(pattern, what, 'the U (ungreedy) flag is not supported');
    else throw invalid(pattern, what, `invalid flag group (?${spec})`);
  }
  return next;
}

const hex = (cp: number): string => `\\u{${cp.toString(16)}}`;

/** The code points a letter matches case-insensitively (itself included). */
function caseVariants(cp: number): number[] {
  const orbit = FOLD_ORBITS.find((o) => o.includes(cp));
  if (orbit) return orbit;
  const ch = String.fromCodePoint(cp);
  const out = new Set([cp]);
  for (const v of [ch.toLowerCase(), ch.toUpperCase()]) if ([...v].length === 1) out.add(v.codePointAt(0)!);
  return [...out];
}

/** A code point as a class member (escaped where a class needs it). */
function classChar(cp: number): string {
  const ch = String.fromCodePoint(cp);
  return CLASS_SYNTAX.has(ch) ? `\\${ch}` : cp < 0x20 || cp === 0x7f ? hex(cp) : ch;
}

/** POSIX classes as code point ranges (ASCII, as in Go). */
const POSIX: Record<string, Array<[number, number]>> = {
  alnum: [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]],
  alpha: [[0x41, 0x5a], [0x61, 0x7a]],
  ascii: [[0x00, 0x7f]],
  blank: [[0x09, 0x09], [0x20, 0x20]],
  cntrl: [[0x00, 0x1f], [0x7f, 0x7f]],
  digit: [[0x30, 0x39]],
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]],
  space: [[0x09, 0x0d], [0x20, 0x20]],
  upper: [[0x41, 0x5a]],
  word: [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]],
  xdigit: [[0x30, 0x39], [0x41, 0x46], [0x61, 0x66]],
};

function complement(ranges: Array<[number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let next = 0;
  for (const [lo, hi] of [...ranges].sort((a, b) => a[0] - b[0])) {
    if (lo > next) out.push([next, lo - 1]);
    next = Math.max(next, hi + 1);
  }
  if (next <= 0x10ffff) out.push([next, 0x10ffff]);
  return out;
}

const rangesToClass = (ranges: Array<[number, number]>): string => ranges.map(([lo, hi]) => (lo === hi ? hex(lo) : `${hex(lo)}-${hex(hi)}`)).join('');

/** One pass over an RE2 pattern, writing the JS pattern; flags are scoped by groups as in RE2. */
class Translator {
  #i = 0;
  #out = '';
  #state: Flags;
  readonly #stack: Flags[] = [];

  constructor(
    private readonly src: string,
    start: Flags,
    /** The RegExp gets the `i` flag: letters need no expansion, and (?-i) cannot be expressed. */
    private readonly engineFoldsCase: boolean,
    private readonly pattern: string,
    private readonly what: string,
  ) {
    this.#state = start;
  }

  run(): string {
    const src = this.src;
    while (this.#i < src.length) {
      const c = src[this.#i]!;
      if (c === '\\') this.#escape();
      else if (c === '[') this.#class();
      else if (c === '(') this.#open();
      else if (c === ')') {
        this.#state = this.#stack.pop() ?? this.#state;
        this.#emit(')', 1);
      } else if (c === '.') this.#emit(this.#state.s ? '[\\s\\S]' : '[^\\n]', 1);
      else if (c === '^') this.#emit(this.#state.m ? '(?:(?<![\\s\\S])|(?<=\\n))' : '^', 1);
      else if (c === '$') this.#emit(this.#state.m ? '(?:(?![\\s\\S])|(?=\\n))' : '$', 1);
      else if (c === '{') this.#brace();
      else if (c === '}') this.#emit('\\}', 1);
      else if (c === '|' || c === '*' || c === '+' || c === '?') this.#emit(c, 1);
      else {
        const cp = src.codePointAt(this.#i)!;
        this.#emit(this.#literal(cp), String.fromCodePoint(cp).length);
      }
    }
    return this.#out;
  }

  #emit(text: string, advance: number): void {
    this.#out += text;
    this.#i += advance;
  }

  #fail(reason: string): never {
    throw invalid(this.pattern, this.what, reason);
  }

  /** A literal code point outside a class, expanded to its case variants under a scoped (?i). */
  #literal(cp: number): string {
    if (this.#state.i && !this.engineFoldsCase) {
      const variants = caseVariants(cp);
      if (variants.length > 1) return `[${variants.map(classChar).join('')}]`;
    }
    const ch = String.fromCodePoint(cp);
    return SYNTAX.has(ch) ? `\\${ch}` : ch;
  }

  #open(): void {
    const rest = this.src.slice(this.#i);
    if (/^\(\?(=|!|<=|<!)/.test(rest)) this.#fail('lookaround assertions are not supported by RE2');
    const named = /^\(\?P?<([A-Za-z0-9_]+)>/.exec(rest);
    const flagsOnly = /^\(\?([a-zA-Z-]+)\)/.exec(rest);
    const flagsGroup = /^\(\?([a-zA-Z-]*):/.exec(rest);
    if (flagsOnly) {
      this.#setState(applyFlags(this.#state, flagsOnly[1]!, this.pattern, this.what));
      this.#i += flagsOnly[0].length;
      return;
    }
    this.#stack.push(this.#state);
    if (named) this.#emit(`(?<${named[1]}>`, named[0].length);
    else if (flagsGroup) {
      this.#setState(applyFlags(this.#state, flagsGroup[1]!, this.pattern, this.what));
      this.#emit('(?:', flagsGroup[0].length);
    } else if (rest.startsWith('(?')) this.#fail('invalid or unsupported group syntax');
    else this.#emit('(', 1);
  }

  #setState(next: Flags): void {
    if (this.engineFoldsCase && !next.i) this.#fail('turning (?i) off inside a pattern that starts with (?i) is not supported');
    this.#state = next;
  }

  /** `{n}`, `{n,}`, `{n,m}` repeat (at most 1000, as RE2); any other `{` is a literal. */
  #brace(): void {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.#i));
    if (!m) return this.#emit('\\{', 1);
    if (Number(m[1]) > MAX_REPEAT || (m[3] && Number(m[3]) > MAX_REPEAT)) this.#fail(`repeat count over ${MAX_REPEAT}`);
    this.#emit(m[0], m[0].length);
  }

  #escape(): void {
    const src = this.src;
    const n = src[this.#i + 1];
    if (n === undefined) this.#fail('trailing backslash');
    if (n === 'Q') {
      const end = src.indexOf('\\E', this.#i + 2);
      const lit = end < 0 ? src.slice(this.#i + 2) : src.slice(this.#i + 2, end);
      this.#out += [...lit].map((ch) => this.#literal(ch.codePointAt(0)!)).join('');
      this.#i = end < 0 ? src.length : end + 2;
      return;
    }
    if (n === 's') return this.#emit(`[${GO_SPACE}]`, 2);
    if (n === 'S') return this.#emit(`[^${GO_SPACE}]`, 2);
    if (n === 'A') return this.#emit('(?<![\\s\\S])', 2);
    if (n === 'z') return this.#emit('(?![\\s\\S])', 2);
    if ('dDwWbB'.includes(n)) return this.#emit(`\\${n}`, 2);
    if (n === 'p' || n === 'P') {
      const [text, len] = this.#unicodeClass();
      return this.#emit(text, len);
    }
    const [cp, len] = this.#charEscape();
    this.#emit(this.#literal(cp), len);
  }

  /** `\pL`, `\p{Greek}`, `\PN`, `\p{^Lu}` at this position: the JS text and the length read. */
  #unicodeClass(): [string, number] {
    const src = this.src;
    let negate = src[this.#i + 1] === 'P';
    let name: string;
    let len: number;
    if (src[this.#i + 2] === '{') {
      const end = src.indexOf('}', this.#i + 3);
      if (end < 0) this.#fail('unterminated \\p{…}');
      name = src.slice(this.#i + 3, end);
      len = end + 1 - this.#i;
    } else {
      name = src[this.#i + 2] ?? '';
      len = 3;
    }
    if (name.startsWith('^')) {
      negate = !negate;
      name = name.slice(1);
    }
    if (!/^[A-Za-z_]+$/.test(name)) this.#fail(`invalid Unicode class \\p{${name}}`);
    const prop = name === 'Any' ? 'Any' : CATEGORIES.has(name) ? name : `Script=${name}`;
    return [`\\${negate ? 'P' : 'p'}{${prop}}`, len];
  }

  /** A single-character escape (`\x41`, `\x{263a}`, octal, `\a`, `\n`, `\.`): its code point and length. */
  #charEscape(): [number, number] {
    const src = this.src;
    const n = src[this.#i + 1]!;
    const simple: Record<string, number> = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };
    if (n in simple) return [simple[n]!, 2];
    if (n === 'x') {
      const braced = /^\\x\{([0-9A-Fa-f]{1,6})\}/.exec(src.slice(this.#i));
      if (braced) return [this.#codePoint(parseInt(braced[1]!, 16)), braced[0].length];
      const two = /^\\x([0-9A-Fa-f]{2})/.exec(src.slice(this.#i));
      if (two) return [parseInt(two[1]!, 16), 4];
      this.#fail('invalid \\x escape');
    }
    if (/[0-7]/.test(n)) {
      const oct = /^\\([0-7]{1,3})/.exec(src.slice(this.#i))!;
      // A single non-zero digit is a backreference in Perl: RE2 has none.
      if (oct[1]!.length === 1 && n !== '0') this.#fail('backreferences are not supported by RE2');
      return [parseInt(oct[1]!, 8), oct[0].length];
    }
    if (/[0-9A-Za-z]/.test(n)) this.#fail(`invalid escape \\${n}`);
    return [src.codePointAt(this.#i + 1)!, 1 + String.fromCodePoint(src.codePointAt(this.#i + 1)!).length];
  }

  #codePoint(cp: number): number {
    if (cp > 0x10ffff) this.#fail('code point out of range');
    return cp;
  }

  /** A bracket class, up to its closing `]` (a `]` first is literal, as in RE2). */
  #class(): void {
    const src = this.src;
    let j = this.#i + 1;
    let negate = false;
    if (src[j] === '^') {
      negate = true;
      j++;
    }
    const parts: string[] = [];
    let first = true;
    for (;;) {
      if (j >= src.length) this.#fail('missing closing ]');
      if (src[j] === ']' && !first) break;
      first = false;
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(src.slice(j));
      if (posix) {
        const ranges = POSIX[posix[2]!];
        if (!ranges) this.#fail(`unsupported class [:${posix[2]}:]`);
        parts.push(rangesToClass(posix[1] ? complement(ranges) : ranges));
        j += posix[0].length;
        continue;
      }
      const lo = this.#classAtom(j);
      j += lo.len;
      if (lo.cp !== undefined && src[j] === '-' && src[j + 1] !== ']' && j + 1 < src.length) {
        const hi = this.#classAtom(j + 1);
        if (hi.cp === undefined) this.#fail('invalid character class range');
        if (hi.cp < lo.cp) this.#fail('invalid character class range');
        j += 1 + hi.len;
        parts.push(`${classChar(lo.cp)}-${classChar(hi.cp)}`, this.#rangeVariants(lo.cp, hi.cp));
      } else if (lo.cp !== undefined) {
        const variants = this.#state.i && !this.engineFoldsCase ? caseVariants(lo.cp) : [lo.cp];
        parts.push(variants.map(classChar).join(''));
      } else parts.push(lo.text);
    }
    this.#out += `[${negate ? '^' : ''}${parts.join('')}]`;
    this.#i = j + 1;
  }

  /** Under a scoped (?i): the other-case counterpart of a range's ASCII letters (and K, ſ). */
  #rangeVariants(lo: number, hi: number): string {
    if (!this.#state.i || this.engineFoldsCase) return '';
    const out: string[] = [];
    for (const [a, z, shift] of [[0x61, 0x7a, -0x20], [0x41, 0x5a, 0x20]] as const) {
      const from = Math.max(lo, a);
      const to = Math.min(hi, z);
      if (from <= to) out.push(`${classChar(from + shift)}-${classChar(to + shift)}`);
    }
    for (const orbit of FOLD_ORBITS) if (orbit.some((cp) => cp >= lo && cp <= hi)) out.push(orbit.map(classChar).join(''));
    return out.join('');
  }

  /** One class member at `j`: a code point (may start a range) or a class escape (`\d`, `\s`, `\pL`). */
  #classAtom(j: number): { cp?: number; text: string; len: number } {
    const src = this.src;
    if (src[j] !== '\\') {
      const cp = src.codePointAt(j)!;
      return { cp, text: classChar(cp), len: String.fromCodePoint(cp).length };
    }
    const n = src[j + 1];
    if (n === undefined) this.#fail('trailing backslash');
    if (n === 's') return { text: GO_SPACE, len: 2 };
    if (n === 'S') return { text: GO_NON_SPACE, len: 2 };
    if ('dDwW'.includes(n)) return { text: `\\${n}`, len: 2 };
    const saved = this.#i;
    this.#i = j;
    try {
      if (n === 'p' || n === 'P') {
        const [text, len] = this.#unicodeClass();
        return { text, len };
      }
      const [cp, len] = this.#charEscape();
      return { cp, text: classChar(cp), len };
    } finally {
      this.#i = saved;
    }
  }
}

function invalid(pattern: string, what: string, reason: string): DevlakeError {
  return new DevlakeError('DEVLAKE_E_CONFIG', `Invalid ${what} regular expression ${JSON.stringify(pattern)}: ${reason}`, {
    hint: 'Scope config patterns use Go RE2 syntax; fix the pattern in the task options.',
  });
}
