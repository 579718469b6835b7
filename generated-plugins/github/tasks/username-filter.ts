/**
 * Bot filtering: PRs, reviews and review comments by logins listed in
 * `GITHUB_PR_EXCLUDELIST` (comma-separated, case-insensitive) are skipped.
 * The list is parsed once per process, like DevLake's sync.Once cache.
 */
let excluded: Set<string> | undefined;

/** Forgets the parsed list so the next check re-reads the environment (tests). */
export function resetExcludedUsernames(): void {
  excluded = undefined;
}

/** True when `username` is on the exclude list. An empty name is never skipped. */
export function shouldSkipByUsername(username: string | undefined | null): boolean {
  excluded ??= new Set((process.env.GITHUB_PR_EXCLUDELIST ?? '').split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== ''));
  return !!username && excluded.has(username.toLowerCase());
}
