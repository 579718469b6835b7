import { converter, DomainTypes, readRows } from 'devlake-ts';
import type { SelectRowOf } from 'devlake-ts';
import { compileGoRegexp, findString, type GoRegexp, replaceAllLiteral } from 'devlake-ts/devlake';
import { GithubIssue, GithubPrIssue, GithubPullRequest } from '../models';
import { RAW, ofRepo } from './shared';
import type { GithubTaskData } from '../task-data';

const CHAR_PATTERN = compileGoRegexp('[\\/a-zA-Z\\s,]+');

/**
 * Issue numbers a PR body says it closes: the first match of the close
 * pattern, letters/spaces/slashes/commas turned into '#', split on '#', and the
 * parts that are integers (Go strconv.Atoi).
 */
export function closedIssueNumbers(body: string, closePattern: GoRegexp | undefined): number[] {
  if (!closePattern) return [];
  const found = findString(closePattern, body);
  if (found === '') return [];
  return replaceAllLiteral(CHAR_PATTERN, found, '#')
    .split('#')
    .map((s) => s.trim())
    .filter((s) => /^[+-]?\d+$/.test(s))
    .map((s) => Number(s));
}

/** Enrich PR Issues: links PRs to the issues their bodies close → `_tool_github_pull_request_issues`. */
export const EnrichPullRequestIssuesMeta = converter<GithubTaskData, SelectRowOf<typeof GithubPullRequest>>({
  entity: 'pull_request_issues',
  name: 'Enrich PR Issues',
  description: 'Create tool layer table github_pull_request_issues from github_pull_requests',
  domainTypes: [DomainTypes.CROSS],
  rawTable: RAW.pullRequests,
  from: GithubPullRequest,
  where: (q, data) => q.where(ofRepo(data)),
  outputs: [GithubPrIssue],
  async convert(pr, { data, db }) {
    const numbers = closedIssueNumbers(pr.body ?? '', data.prBodyCloseRegex);
    if (numbers.length === 0) return [];
    const query = db.knex(GithubIssue.table).select('github_id', 'number').where(ofRepo(data)).whereIn('number', numbers).orderBy('github_id', 'desc');
    // The last row of a number wins, as in DevLake's map of the repo's issues.
    const issues = new Map(readRows<SelectRowOf<typeof GithubIssue>>(db, await query, GithubIssue).map((i) => [i.number ?? 0, i]));
    return numbers.flatMap((n) => {
      const issue = issues.get(n);
      if (!issue || !issue.number) return [];
      const { connectionId } = data.options;
      return [GithubPrIssue.row({ connection_id: connectionId, pull_request_id: pr.github_id ?? 0, issue_id: issue.github_id ?? 0, pull_request_number: pr.number ?? 0, issue_number: issue.number })];
    });
  },
});
