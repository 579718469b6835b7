import { tableInput } from 'devlake-ts';
import type { MappingEnv } from 'devlake-ts';
import { GithubPullRequest } from '../models';
import type { GithubTaskData } from '../task-data';

/** DevLake's SimplePr: the input of per-PR collections, as stored in the raw rows' `input`. */
export interface SimplePr {
  GithubId: number;
  Number: number;
}

/** The repo's extracted pull requests, in id order: the input of the per-PR collectors. */
export function prInputs({ db, data }: MappingEnv<GithubTaskData>): AsyncIterable<SimplePr> {
  const { connectionId, githubId } = data.options;
  return tableInput(
    db,
    GithubPullRequest,
    (q) => q.select('github_id', 'number').where({ connection_id: connectionId, repo_id: githubId }),
    ['github_id'],
    (r) => ({ GithubId: r.github_id ?? 0, Number: r.number ?? 0 }),
  );
}
