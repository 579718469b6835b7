import { DomainTypes } from 'devlake-ts';
import type { ModelRow, Row, SubTaskMeta } from 'devlake-ts';
import { GithubPrIssue } from '../models';
import { compileGoRegexp, findString, type GoRegexp, replaceAllLiteral } from 'devlake-ts/devlake';
import { dbInt, dbStr } from './db-values';
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
  const pattern = (data.options.scopeConfig.prBodyClosePattern ?? '').replace('%s', data.options.name);
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
    const issues = new Map<number, Row>();
    const issueRows = (await ctx.db
      .knex('_tool_github_issues')
      .select('github_id', 'number')
      .where({ repo_id: githubId, connection_id: connectionId })
      .orderBy('github_id', 'desc')) as Row[];
    for (const i of issueRows) issues.set(dbInt(i.number), i);
    await convert<Row>(
      ctx,
      RAW.pullRequests,
      [GithubPrIssue],
      (db) => db('_tool_github_pull_requests').select('*').where({ repo_id: githubId, connection_id: connectionId }),
      ['connection_id', 'github_id'],
      (pr) => {
        const rows: ModelRow<any>[] = [];
        for (const n of closedIssueNumbers(dbStr(pr.body), closeRegex)) {
          const issue = issues.get(n);
          if (!issue || dbInt(issue.number) === 0) continue;
          rows.push(
            GithubPrIssue.row({
              connection_id: connectionId,
              pull_request_id: dbInt(pr.github_id),
              issue_id: dbInt(issue.github_id),
              pull_request_number: dbInt(pr.number),
              issue_number: dbInt(issue.number),
            }),
          );
        }
        return rows;
      },
    );
  },
};
