import { DomainTypes } from 'devlake-ts';
import type { SelectRowOf, SubTaskMeta } from 'devlake-ts';
import { PullRequestLabel } from './domain';
import { GithubPrLabel } from '../models';
import { RAW, convert, ids } from './shared';
import type { GithubTaskData } from './task-data';

/** Convert PR Labels: labels of this repo's PRs → `pull_request_labels`. */
export const ConvertPullRequestLabelsMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Convert PR Labels',
  enabledByDefault: true,
  description: 'Convert tool layer table github_pull_request_labels into domain layer table pull_request_labels',
  domainTypes: [DomainTypes.CROSS, DomainTypes.CODE_REVIEW],
  async entryPoint(ctx) {
    const { connectionId, githubId } = ctx.getData().options;
    await convert<SelectRowOf<typeof GithubPrLabel>>(
      ctx,
      GithubPrLabel,
      RAW.pullRequests,
      [PullRequestLabel],
      (db) =>
        db('_tool_github_pull_request_labels as l')
          .select('l.*')
          .leftJoin('_tool_github_pull_requests as p', 'p.github_id', 'l.pull_id')
          .where('p.repo_id', githubId)
          .andWhere('p.connection_id', connectionId),
      ['l.connection_id', 'l.pull_id', 'l.label_name'],
      (row) => [
        PullRequestLabel.row({ pull_request_id: ids.pullRequest.generate(connectionId, row.pull_id ?? 0), label_name: row.label_name ?? '' }),
      ],
    );
  },
};
