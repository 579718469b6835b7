import { DomainTypes, readRows } from 'devlake-ts';
import type { ModelRow, SelectRowOf, SubTaskMeta } from 'devlake-ts';
import { GithubIssue, GithubPrIssue, GithubPullRequest } from '../models';
import { compileGoRegexp, findString, type GoRegexp, replaceAllLiteral } from 'devlake-ts/devlake';
import { RAW, convert } from './shared';
import type { GithubTaskData } from './task-data';

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

/** The close pattern of the scope config with `%s` replaced by the repo name, or undefined when empty. */
export function prBodyCloseRegex(data: GithubTaskData): GoRegexp | undefined {
  const pattern = data.options.scopeConfig.prBodyClosePattern ?? ''.replace('%s', data.options.name);
  return pattern ? compileGoRegexp(pattern, 'prBodyClosePattern') : undefined;
}

/** Enrich PR Issues: links PRs to the issues their bodies close → `_tool_github_pull_request_issues`. */
export const EnrichPullRequestIssuesMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Enrich PR Issues',
  enabledByDefault: true,
  description: 'Create tool layer table github_pull_request_issues from github_pull_requests',
  domainTypes: [DomainTypes.CROSS],
  async entryPoint(ctx) {
    const data = ctx.getData();
    const { connectionId, githubId } = data.options;
    const closeRegex = prBodyCloseRegex(data);
    // Issue numbers are read up front: the enrichment runs in one transaction.
    const issues = new Map<number, SelectRowOf<typeof GithubIssue>>();
    const issueRows = readRows<SelectRowOf<typeof GithubIssue>>(
      ctx.db,
      await ctx.db.knex(GithubIssue.table).select('github_id', 'number').where({ repo_id: githubId, connection_id: connectionId }).orderBy('github_id', 'desc'),
      GithubIssue,
    );
    for (const i of issueRows) issues.set(i.number ?? 0, i);
    await convert<SelectRowOf<typeof GithubPullRequest>>(
      ctx,
      GithubPullRequest,
      RAW.pullRequests,
      [GithubPrIssue],
      (db) => db('_tool_github_pull_requests').select('*').where({ repo_id: githubId, connection_id: connectionId }),
      ['connection_id', 'github_id'],
      (pr) => {
        const rows: ModelRow<any>[] = [];
        for (const n of closedIssueNumbers(pr.body ?? '', closeRegex)) {
          const issue = issues.get(n);
          if (!issue || (issue.number ?? 0) === 0) continue;
          rows.push(
            GithubPrIssue.row({
              connection_id: connectionId,
              pull_request_id: pr.github_id ?? 0,
              issue_id: issue.github_id ?? 0,
              pull_request_number: pr.number ?? 0,
              issue_number: issue.number ?? 0,
            }),
          );
        }
        return rows;
      },
    );
  },
};
