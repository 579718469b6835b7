import { compileGoRegexp, type GoRegexp } from './go-regexp';

/** DevLake's devops names used as RegexEnricher keys. */
export const DEPLOYMENT = 'DEPLOYMENT';
export const PRODUCTION = 'PRODUCTION';

/**
 * Named regexes classifying CI/CD runs and jobs, as DevLake's
 * `api.RegexEnricher`: `DEPLOYMENT` marks deployments, `PRODUCTION` marks
 * production environments. Task data holds one; tests may add patterns.
 */
export class RegexEnricher {
  readonly #regexes = new Map<string, GoRegexp>();

  /**
   * Adds `pattern` (Go RE2) under `name` unless the pattern is empty or the
   * name is taken; an invalid pattern fails with DEVLAKE_E_CONFIG.
   */
  tryAdd(name: string, pattern: string | undefined | null): void {
    if (!pattern || this.#regexes.has(name)) return;
    this.#regexes.set(name, compileGoRegexp(pattern, name));
  }

  /** `name` when a pattern named `name` exists and matches one of `targets`, else ''. */
  returnNameIfMatched(name: string, ...targets: string[]): string {
    const re = this.#regexes.get(name);
    if (!re) return '';
    return targets.some((t) => re.test(t)) ? name : '';
  }

  /** `name` when no pattern is named `name` (omitted) or it matches one of `targets`, else ''. */
  returnNameIfOmittedOrMatched(name: string, ...targets: string[]): string {
    const re = this.#regexes.get(name);
    if (!re) return name;
    return targets.some((t) => re.test(t)) ? name : '';
  }
}
