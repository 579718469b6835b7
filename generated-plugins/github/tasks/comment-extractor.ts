import { DomainTypes, extractor, readRows } from 'devlake-ts';
import type { Dal, ModelRow } from 'devlake-ts';
import { GithubIssue, GithubIssueComment, GithubPrComment, GithubPullRequest, GithubRepoAccount } from '../models';
import { field, int, rawJsonField, str, time } from 'devlake-ts/devlake';
import { RAW, account, repoAccount } from './shared';
import type { GithubTaskData } from '../task-data';

/** The issue number at the end of an `issue_url` (DevLake's GetIssueIdByIssueUrl), or 0. */
export function issueNumberFromUrl(url: string): number {
  const m = /\/(\d+)$/.exec(url);
  return m ? Number(m[1]) : 0;
}

/** Issue and PR github ids of this repo by number: comments are filed under whichever exists. */
export interface NumberIndex {
  issues: Map<number, number>;
  pulls: Map<number, number>;
}

/** Tool rows for one raw issue comment: an issue comment, or a NORMAL PR comment when the number is a PR. */
export function extractComment(record: unknown, rawText: string, data: GithubTaskData, index: NumberIndex): ModelRow<any>[] {
  const githubId = int(field(record, 'id'));
  if (githubId === 0) return [];
  const { connectionId } = data.options;
  const number = issueNumberFromUrl(str(field(record, 'issue_url')));
  const user = account(record, 'user');
  const common = {
    connection_id: connectionId,
    github_id: githubId,
    body: rawJsonField(rawText, 'body'),
    github_created_at: time(field(record, 'created_at')),
    github_updated_at: time(field(record, 'updated_at')),
    author_username: user?.login ?? '',
    author_user_id: user?.id ?? 0,
  };
  const rows: ModelRow<any>[] = [];
  const issueId = index.issues.get(number);
  if (issueId === undefined) {
    rows.push(GithubPrComment.row({ ...common, pull_request_id: index.pulls.get(number) ?? 0, commit_sha: '', review_id: 0, type: 'NORMAL' }));
  } else {
    rows.push(GithubIssueComment.row({ ...common, issue_id: issueId }));
  }
  if (user) rows.push(repoAccount(user, data));
  return rows;
}

/** Loads the repo's issue and PR numbers once, so extraction needs no per-row query. */
export async function loadNumberIndex(db: Dal, data: GithubTaskData): Promise<NumberIndex> {
  const where = { connection_id: data.options.connectionId, repo_id: data.options.githubId };
  const byNumber = async (table: typeof GithubIssue | typeof GithubPullRequest): Promise<Map<number, number>> => {
    const map = new Map<number, number>();
    const rows = readRows<{ number: number | null; github_id: number }>(db, await db.knex(table.table).select('number', 'github_id').where(where).orderBy('github_id', 'desc'), table);
    for (const r of rows) map.set(r.number ?? 0, r.github_id);
    return map;
  };
  return { issues: await byNumber(GithubIssue), pulls: await byNumber(GithubPullRequest) };
}

/** Extract Comments: `_raw_github_api_comments` → issue comments, PR comments, repo accounts. */
export const ExtractApiCommentsMeta = extractor<GithubTaskData, unknown, NumberIndex>({
  entity: 'comments',
  description: 'Extract raw comment data into tool layer tables github_pull_request_comments and github_issue_comments',
  domainTypes: [DomainTypes.CODE_REVIEW, DomainTypes.TICKET],
  rawTable: RAW.comments,
  outputs: [GithubIssueComment, GithubPrComment, GithubRepoAccount],
  prepare: ({ db, data }) => loadNumberIndex(db, data),
  extract: (record, { data, raw, prepared }) => extractComment(record, String(raw.data), data, prepared),
});
