import { cicdResult, cicdStatus, type ResultRule, type StatusRule } from 'devlake-ts/devlake';

/** GitHub's conclusions and statuses, as DevLake's GitHub plugin maps them. */
const RESULT: ResultRule = { success: ['SUCCESS'], failure: ['FAILURE', 'CANCELLED', 'TIMED_OUT', 'STARTUP_FAILURE'] };
const STATUS: StatusRule = {
  done: ['COMPLETED', 'SUCCESS', 'FAILURE', 'CANCELLED', 'TIMED_OUT', 'STARTUP_FAILURE'],
  inProgress: ['IN_PROGRESS', 'QUEUED', 'WAITING', 'PENDING'],
};

/** The outcome columns of a pipeline or a task: DevLake's result and status, and GitHub's own words. */
export function cicdOutcome(status: string, conclusion: string): { result: string; status: string; original_status: string; original_result: string } {
  return { result: cicdResult(RESULT, conclusion), status: cicdStatus(STATUS, status), original_status: status, original_result: conclusion };
}
