/**
 * DevLake's devops result and status rules (`devops.GetResult`,
 * `devops.GetStatus`): a tool's own words mapped, case-insensitively, onto the
 * domain's `SUCCESS`/`FAILURE` results and `DONE`/`IN_PROGRESS`/`OTHER` statuses.
 */

export const RESULT_SUCCESS = 'SUCCESS';
export const RESULT_FAILURE = 'FAILURE';
export const STATUS_DONE = 'DONE';
export const STATUS_IN_PROGRESS = 'IN_PROGRESS';
export const STATUS_OTHER = 'OTHER';

/** The tool values meaning success and failure; anything else gives `default`. */
export interface ResultRule {
  success: readonly string[];
  failure: readonly string[];
  /** Default `''`. */
  default?: string;
}

/** The tool values meaning done and in progress; anything else gives `default`. */
export interface StatusRule {
  done: readonly string[];
  inProgress: readonly string[];
  /** Default `OTHER`. */
  default?: string;
}

/** `SUCCESS`, `FAILURE` or the rule's default for a tool's result word. */
export function cicdResult(rule: ResultRule, value: string): string {
  const v = value.toUpperCase();
  if (rule.success.some((s) => s.toUpperCase() === v)) return RESULT_SUCCESS;
  if (rule.failure.some((s) => s.toUpperCase() === v)) return RESULT_FAILURE;
  return rule.default ?? '';
}

/** `DONE`, `IN_PROGRESS` or the rule's default for a tool's status word. */
export function cicdStatus(rule: StatusRule, value: string): string {
  const v = value.toUpperCase();
  if (rule.done.some((s) => s.toUpperCase() === v)) return STATUS_DONE;
  if (rule.inProgress.some((s) => s.toUpperCase() === v)) return STATUS_IN_PROGRESS;
  return rule.default ?? STATUS_OTHER;
}

/** Whole seconds from `from` to `to` (Go's `uint64(d.Seconds())`), or null when either is missing. */
export function durationSec(from: Date | null, to: Date | null): number | null {
  if (!from || !to) return null;
  return Math.max(0, Math.trunc((to.getTime() - from.getTime()) / 1000));
}

/** A tool's words for both columns: what its results and its statuses mean. */
export interface OutcomeRule {
  result: ResultRule;
  status: StatusRule;
}

/** The four outcome columns of a `cicd_pipelines` or `cicd_tasks` row: DevLake's result and status, and the tool's own words. */
export function cicdOutcome(rule: OutcomeRule, status: string, result: string): { result: string; status: string; original_status: string; original_result: string } {
  return { result: cicdResult(rule.result, result), status: cicdStatus(rule.status, status), original_status: status, original_result: result };
}
