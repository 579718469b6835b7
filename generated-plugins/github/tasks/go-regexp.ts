import { DevlakeError } from 'devlake-ts';

/**
 * Go RE2 patterns (scope config regexes) compiled to JavaScript RegExps that
 * match the same strings. RE2 and JS agree on leftmost-first alternation and
 * greedy quantifiers; they differ in a few classes and flags, rewritten here:
 * - `(?flags)` at the start becomes RegExp flags (i, m, s); `(?P<name>` becomes `(?<name>`;
 * - `.` matches anything but `\n` in Go (JS also stops at `\r`, U+2028, U+2029);
 * - `\s` is ASCII `[\t\n\f\r ]` in Go (JS adds `\v` and Unicode spaces);
 * - `\A` / `\z` are text anchors; `\Q…\E` quotes;
 * - Go lets any punctuation be escaped (`\:`), JS `u` mode does not.
 * The `u` flag gives code-point semantics like Go's UTF-8 matching.
 */
export function compileGoRegexp(pattern: string, what = 'pattern'): RegExp {
  let flags = '';
  let src = pattern;
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  if (lead) {
    if (lead[1].includes('U')) throw invalid(pattern, what, 'the U (ungreedy) flag is not supported');
    flags = [...new Set(lead[1].split(''))].join('');
    src = src.slice(lead[0].length);
  }
  const dotAll = flags.includes('s');
  const out = translate(src, dotAll, pattern, what);
  try {
    return new RegExp(out, `${flags.replace('s', '')}u`);
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

const SYNTAX = new Set('^$\\.*+?()[]{}|/'.split(''));
const GO_SPACE = '\\t\\n\\f\\r ';

function translate(src: string, dotAll: boolean, pattern: string, what: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      const n = src[i + 1];
      if (n === undefined) throw invalid(pattern, what, 'trailing backslash');
      i++;
      if (n === 'Q') {
        const end = src.indexOf('\\E', i + 1);
        const lit = end < 0 ? src.slice(i + 1) : src.slice(i + 1, end);
        out += [...lit].map((ch) => (SYNTAX.has(ch) || ch === '-' ? `\\${ch}` : ch)).join('');
        i = end < 0 ? src.length : end + 1;
      } else if (n === 's') out += inClass ? GO_SPACE : `[${GO_SPACE}]`;
      else if (n === 'S') out += inClass ? '\\S' : `[^${GO_SPACE}]`;
      else if (!inClass && n === 'A') out += '(?<![\\s\\S])';
      else if (!inClass && n === 'z') out += '(?![\\s\\S])';
      else if (/[0-9a-zA-Z]/.test(n)) out += `\\${n}`;
      else if (SYNTAX.has(n) || (inClass && n === '-')) out += `\\${n}`;
      else out += n;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      if (c === '[' && src[i + 1] === ':') {
        const end = src.indexOf(':]', i);
        if (end > 0) {
          out += posixClass(src.slice(i + 2, end), pattern, what);
          i = end + 1;
          continue;
        }
      }
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (src[i + 1] === '^') out += src[++i];
      if (src[i + 1] === ']') out += `\\${src[++i]}`; // a leading ] is literal in RE2
      continue;
    }
    if (c === '.') {
      out += dotAll ? '[\\s\\S]' : '[^\\n]';
      continue;
    }
    if (c === '(' && src.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
      continue;
    }
    out += c;
  }
  return out;
}

function posixClass(name: string, pattern: string, what: string): string {
  const classes: Record<string, string> = {
    alnum: '0-9A-Za-z',
    alpha: 'A-Za-z',
    digit: '0-9',
    lower: 'a-z',
    upper: 'A-Z',
    space: '\\t\\n\\v\\f\\r ',
    word: '0-9A-Za-z_',
    xdigit: '0-9A-Fa-f',
    punct: '!-\\/:-@\\[-`{-~',
  };
  const c = classes[name];
  if (!c) throw invalid(pattern, what, `unsupported class [:${name}:]`);
  return c;
}

function invalid(pattern: string, what: string, reason: string): DevlakeError {
  return new DevlakeError('DEVLAKE_E_CONFIG', `Invalid ${what} regular expression ${JSON.stringify(pattern)}: ${reason}`, {
    hint: 'Scope config patterns use Go RE2 syntax; fix the pattern in the task options.',
  });
}
