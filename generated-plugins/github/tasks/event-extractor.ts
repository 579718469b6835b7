import { DomainTypes } from 'devlake-ts';
import type { ModelRow, SubTaskMeta } from 'devlake-ts';
import { GithubIssueEvent, GithubRepoAccount } from '../models';
import { field, int, str, time } from 'devlake-ts/devlake';
import { RAW, account, extract, repoAccount } from './shared';
import type { GithubTaskData } from './task-data';

/** Tool rows for one raw issue event; events without an id or actor are skipped. */
export function extractEvent(record: unknown, data: GithubTaskData): ModelRow<any>[] {
  const githubId = int(field(record, 'id'));
  const actor = account(record, 'actor');
  if (githubId === 0 || !actor) return [];
  return [
    repoAccount(actor, data),
    GithubIssueEvent.row({
      connection_id: data.options.connectionId,
      github_id: githubId,
      issue_id: int(field(field(record, 'issue') ?? {}, 'id')),
      type: str(field(record, 'event')),
      author_username: actor.login ?? '',
      github_created_at: time(field(record, 'created_at')),
    }),
  ];
}

/** Extract Events: `_raw_github_api_events` → issue events, repo accounts. */
export const ExtractApiEventsMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Extract Events',
  enabledByDefault: true,
  description: 'Extract raw Events data into tool layer table github_issue_events',
  domainTypes: [DomainTypes.TICKET],
  async entryPoint(ctx) {
    const data = ctx.getData();
    await extract(ctx, RAW.events, [GithubIssueEvent, GithubRepoAccount], (record) => extractEvent(record, data));
  },
};
