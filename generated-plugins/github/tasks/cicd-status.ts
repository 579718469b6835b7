/**
 * DevLake's devops result/status rules for GitHub states (case-insensitive):
 * results SUCCESS / FAILURE / '' and statuses DONE / IN_PROGRESS / OTHER.
 */
const SUCCESS = ['SUCCESS'];
const FAILURE = ['FAILURE', 'CANCELLED', 'TIMED_OUT', 'STARTUP_FAILURE'];
const DONE = ['COMPLETED', 'SUCCESS', 'FAILURE', 'CANCELLED', 'TIMED_OUT', 'STARTUP_FAILURE'];
const IN_PROGRESS = ['IN_PROGRESS', 'QUEUED', 'WAITING', 'PENDING'];

/** SUCCESS, FAILURE or '' for a GitHub conclusion. */
export function cicdResult(conclusion: string): string {
  const c = conclusion.toUpperCase();
  if (SUCCESS.includes(c)) return 'SUCCESS';
  if (FAILURE.includes(c)) return 'FAILURE';
  return '';
}

/** DONE, IN_PROGRESS or OTHER for a GitHub status. */
export function cicdStatus(status: string): string {
  const s = status.toUpperCase();
  if (DONE.includes(s)) return 'DONE';
  if (IN_PROGRESS.includes(s)) return 'IN_PROGRESS';
  return 'OTHER';
}

/** The outcome columns of a pipeline or a task: DevLake's result and status, and GitHub's own words. */
export function cicdOutcome(status: string, conclusion: string): { result: string; status: string; original_status: string; original_result: string } {
  return { result: cicdResult(conclusion), status: cicdStatus(status), original_status: status, original_result: conclusion };
}

/** Whole seconds from `from` to `to` (Go's uint64(d.Seconds())), or null when either is missing. */
export function durationSec(from: Date | null, to: Date | null): number | null {
  if (!from || !to) return null;
  return Math.max(0, Math.trunc((to.getTime() - from.getTime()) / 1000));
}
