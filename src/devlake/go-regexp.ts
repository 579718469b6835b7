import { RE2JS } from 're2js';
import { DevlakeError } from '../core/errors';

/**
 * A Go RE2 pattern (DevLake scope-config regexes: `prType`, `issueComponent`,
 * `deploymentPattern`…) matched with RE2's own semantics through `re2js` (a
 * port of RE2/J): `.` stops only at `\n`, `\s` is ASCII, `(?i)`/`(?m)`/`(?s)`
 * anywhere, `(?P<name>…)`, `\pL`, POSIX classes, literal `{` — and what RE2
 * refuses (lookaround, backreferences) is refused.
 */
export class GoRegexp {
  readonly #re: RE2JS;
  /** The pattern as written. */
  readonly source: string;

  constructor(re: RE2JS, source: string) {
    this.#re = re;
    this.source = source;
  }

  /** Go's `MatchString`: a match anywhere in `s`. */
  test(s: string): boolean {
    return this.#re.matcher(s).find();
  }

  /** Go's `FindStringSubmatch`: the match and its groups (unmatched groups as ''), or undefined. */
  findStringSubmatch(s: string): string[] | undefined {
    const m = this.#re.matcher(s);
    if (!m.find()) return undefined;
    const out: string[] = [];
    for (let g = 0; g <= m.groupCount(); g++) out.push(m.group(g) ?? '');
    return out;
  }

  /** Go's `FindString`: the leftmost match, or '' when none. */
  findString(s: string): string {
    const m = this.#re.matcher(s);
    return m.find() ? (m.group(0) ?? '') : '';
  }

  /** Go's `ReplaceAllLiteralString`. */
  replaceAllLiteral(s: string, replacement: string): string {
    return this.#re.matcher(s).replaceAll(() => replacement);
  }
}

/** Compiles a Go RE2 pattern; an invalid one fails with DEVLAKE_E_CONFIG naming `what` (the option). */
export function compileGoRegexp(pattern: string, what = 'pattern'): GoRegexp {
  try {
    return new GoRegexp(RE2JS.compile(pattern), pattern);
  } catch (err) {
    throw new DevlakeError('DEVLAKE_E_CONFIG', `Invalid ${what} regular expression ${JSON.stringify(pattern)}: ${(err as Error).message}`, {
      hint: 'Scope config patterns use Go RE2 syntax; fix the pattern in the task options.',
      cause: err,
    });
  }
}

/** Compiles when the pattern is non-empty (Go code skips empty patterns). */
export function compileOptional(pattern: string | undefined | null, what: string): GoRegexp | undefined {
  return pattern ? compileGoRegexp(pattern, what) : undefined;
}

/** Go's `FindStringSubmatch` (function form). */
export function findStringSubmatch(re: GoRegexp, s: string): string[] | undefined {
  return re.findStringSubmatch(s);
}

/** Go's `FindString` (function form). */
export function findString(re: GoRegexp, s: string): string {
  return re.findString(s);
}

/** Go's `ReplaceAllLiteralString` (function form). */
export function replaceAllLiteral(re: GoRegexp, s: string, replacement: string): string {
  return re.replaceAllLiteral(s, replacement);
}
