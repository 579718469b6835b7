import type { SubTaskContext } from 'devlake-ts';
import { streamInput } from './collect';
import { GithubPullRequest } from '../models';
import type { GithubTaskData } from './task-data';

/** DevLake's SimplePr: the input of per-PR collections, as stored in the raw rows' `input`. */
export interface SimplePr {
  GithubId: number;
  Number: number;
}

/** The repo's extracted pull requests, streamed in id order (stable, so a crashed collection resumes). */
export function prInputs(ctx: SubTaskContext<GithubTaskData>): AsyncIterable<SimplePr> {
  const { connectionId, githubId } = ctx.getData().options;
  return streamInput(
    ctx,
    GithubPullRequest,
    (db) => db('_tool_github_pull_requests').select('github_id', 'number').where({ connection_id: connectionId, repo_id: githubId }),
    ['github_id'],
    (r) => ({ GithubId: r.github_id ?? 0, Number: r.number ?? 0 }),
  );
}
