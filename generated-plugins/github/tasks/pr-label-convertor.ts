import { converter, DomainTypes, PullRequestLabel } from 'devlake-ts';
import type { SelectRowOf } from 'devlake-ts';
import { GithubPrLabel, GithubPullRequest } from '../models';
import { RAW, ids, ofRepo } from './shared';
import type { GithubTaskData } from '../task-data';

/** Convert PR Labels: labels of this repo's PRs → `pull_request_labels`. */
export const ConvertPullRequestLabelsMeta = converter<GithubTaskData, SelectRowOf<typeof GithubPrLabel>>({
  entity: 'pull_request_labels',
  name: 'Convert PR Labels',
  domainTypes: [DomainTypes.CROSS, DomainTypes.CODE_REVIEW],
  rawTable: RAW.pullRequests,
  from: GithubPrLabel,
  where: (q, data) => q.whereIn('pull_id', (s) => s.select('github_id').from(GithubPullRequest.table).where(ofRepo(data))),
  outputs: [PullRequestLabel],
  convert: (row, { data }) => [
    PullRequestLabel.row({ pull_request_id: ids.pullRequest.generate(data.options.connectionId, row.pull_id ?? 0), label_name: row.label_name ?? '' }),
  ],
});
