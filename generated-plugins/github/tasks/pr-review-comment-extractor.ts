import { DomainTypes, extractor } from 'devlake-ts';
import type { ModelRow } from 'devlake-ts';
import { GithubPrComment, GithubRepoAccount } from '../models';
import { loadNumberIndex } from './comment-extractor';
import type { NumberIndex } from './comment-extractor';
import { compileGoRegexp, field, findStringSubmatch, type GoRegexp, int, rawJsonField, str, time } from 'devlake-ts/devlake';
import { RAW, account, repoAccount } from './shared';
import type { GithubTaskData } from '../task-data';
import { shouldSkipByUsername } from './username-filter';

/** Tool rows for one raw PR review comment (a DIFF comment); comments by excluded users yield nothing. */
export function extractPrReviewComment(
  record: unknown,
  rawText: string,
  data: GithubTaskData,
  prUrl: GoRegexp,
  index: NumberIndex,
): ModelRow<any>[] {
  const groups = findStringSubmatch(prUrl, str(field(record, 'pull_request_url')));
  const prNumber = groups && groups.length > 1 ? Number(groups[1]) : undefined;
  const user = account(record, 'user');
  if (user && shouldSkipByUsername(user.login)) return [];
  const rows: ModelRow<any>[] = [];
  if (user) rows.push(repoAccount(user, data));
  rows.push(
    GithubPrComment.row({
      connection_id: data.options.connectionId,
      github_id: int(field(record, 'id')),
      body: rawJsonField(rawText, 'body'),
      commit_sha: str(field(record, 'commit_id')),
      review_id: int(field(record, 'pull_request_review_id')),
      github_created_at: time(field(record, 'created_at')),
      github_updated_at: time(field(record, 'updated_at')),
      type: 'DIFF',
      pull_request_id: prNumber === undefined ? 0 : index.pulls.get(prNumber) ?? 0,
      author_user_id: user?.id ?? 0,
      author_username: user?.login ?? '',
    }),
  );
  return rows;
}

/** Extract PR Review Comments: `_raw_github_api_pull_request_review_comments` → DIFF PR comments, repo accounts. */
export const ExtractApiPrReviewCommentsMeta = extractor<GithubTaskData, unknown, { prUrl: GoRegexp; index: NumberIndex }>({
  entity: 'pr_review_comments',
  name: 'Extract PR Review Comments',
  description: 'Extract raw PR review comment data into tool layer table github_pull_request_comments',
  domainTypes: [DomainTypes.CROSS, DomainTypes.CODE_REVIEW],
  rawTable: RAW.prReviewComments,
  outputs: [GithubPrComment, GithubRepoAccount],
  prepare: async ({ db, data }) => ({
    prUrl: compileGoRegexp(`https\\:\\/\\/api\\.github\\.com\\/repos\\/${data.options.name}\\/pulls\\/(\\d+)`, 'PR URL'),
    index: await loadNumberIndex(db, data),
  }),
  extract: (record, { data, raw, prepared }) => extractPrReviewComment(record, String(raw.data), data, prepared.prUrl, prepared.index),
});
