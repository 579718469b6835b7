import { columnTypes, DataConverter, ProjectPrMetric, readRows } from 'devlake-ts';
import type { ProjectPrMetricRow, SubTaskContext, SubTaskMeta } from 'devlake-ts';
import type { DoraTaskData } from '../task-data';
import { computeTimeSpan } from 'devlake-ts/devlake';
import { PRODUCTION, projectRowIds, SUCCESS } from './shared';

interface PrInput {
  id: string;
  created_date: Date | null;
  merged_date: Date | null;
  merge_commit_sha: string | null;
}

interface FirstCommit {
  sha: string;
  authored: Date;
}

interface FirstReview {
  id: string;
  created: Date;
}

interface Deployment {
  id: string;
  started: Date | null;
  finished: Date | null;
}

/**
 * DevLake's dora calculateChangeLeadTime: one `project_pr_metrics` row per
 * merged pull request of the project's repos, with coding (first commit →
 * PR created), pickup (created → first review by someone else), review
 * (first review → merged), deploy (merged → the first production deployment
 * that shipped its merge commit finished) and cycle time, in minutes rounded
 * up. The project's earlier rows are deleted first.
 */
export async function calculateChangeLeadTime(ctx: SubTaskContext<DoraTaskData>): Promise<void> {
  const { options, params } = ctx.getData();
  const project = options.projectName;
  const knex = ctx.db.knex;
  await knex('project_pr_metrics').where({ project_name: project }).delete();

  // Looked up once, before the conversion's transaction (DataConverter's convert must not query ctx.db).
  const firstCommits = await fetchFirstCommits(ctx, project);
  const firstReviews = await fetchFirstReviews(ctx, project);
  const deployments = await fetchDeployments(ctx, project);
  ctx.logger.info(`dora: ${firstCommits.size} first commits, ${firstReviews.size} first reviews, ${deployments.size} deployed merge commits for project ${project}`);

  await new DataConverter<PrInput>({
    ctx,
    rawTable: '_raw_pull_requests',
    params,
    inputKey: ['pr.id'],
    inputColumns: columnTypes({ created_date: 'datetime', merged_date: 'datetime' }),
    input: (db) =>
      db
        .select('pr.id', 'pr.created_date', 'pr.merged_date', 'pr.merge_commit_sha')
        .from('pull_requests as pr')
        .whereNotNull('pr.merged_date')
        .whereIn('pr.base_repo_id', projectRowIds(db, project, 'repos')),
    outputs: [],
    batchSize: 100,
    convert: (pr) => [ProjectPrMetric.row(prMetric(pr, project, firstCommits.get(pr.id), firstReviews.get(pr.id), deployments.get(pr.merge_commit_sha ?? '')))],
  }).execute();
}

/** The metric row of one merged pull request. */
export function prMetric(pr: PrInput, project: string, commit?: FirstCommit, review?: FirstReview, deployment?: Deployment): ProjectPrMetricRow {
  const created = pr.created_date;
  const merged = pr.merged_date;
  const row: ProjectPrMetricRow = { id: pr.id, project_name: project, pr_created_date: created, pr_merged_date: merged };
  if (commit) {
    row.pr_coding_time = computeTimeSpan(commit.authored, created);
    row.first_commit_sha = commit.sha;
    row.first_commit_authored_date = commit.authored;
  }
  if (review) {
    row.pr_pickup_time = computeTimeSpan(created, review.created);
    row.pr_review_time = computeTimeSpan(review.created, merged);
    row.first_review_id = review.id;
    row.first_comment_date = review.created;
  }
  if (deployment?.finished) {
    row.pr_deploy_time = computeTimeSpan(merged, deployment.finished);
    row.deployment_commit_id = deployment.id;
    row.pr_deployed_date = deployment.finished;
  }
  // A missing part counts as 0: the cycle time is never NULL.
  row.pr_cycle_time = (row.pr_coding_time ?? 0) + (computeTimeSpan(created, merged) ?? 0) + (row.pr_deploy_time ?? 0);
  return row;
}

/** The project's merged-or-not PRs' earliest authored commit, by PR id. */
async function fetchFirstCommits(ctx: SubTaskContext<DoraTaskData>, project: string): Promise<Map<string, FirstCommit>> {
  const knex = ctx.db.knex;
  const rows = readRows<{ pull_request_id: string; commit_sha: string; commit_authored_date: Date | null }>(ctx.db, await knex('pull_request_commits as prc')
    .select('prc.pull_request_id', 'prc.commit_sha', 'prc.commit_authored_date')
    .join('pull_requests as pr', 'pr.id', 'prc.pull_request_id')
    .whereIn('pr.base_repo_id', projectRowIds(knex, project, 'repos'))
    .orderBy(['prc.pull_request_id', 'prc.commit_sha']), columnTypes({ commit_authored_date: 'datetime' }));
  const first = new Map<string, FirstCommit>();
  for (const r of rows) {
    const authored = r.commit_authored_date;
    if (!authored) continue; // MIN() and '=' never pick a NULL date
    const seen = first.get(r.pull_request_id);
    if (!seen || authored < seen.authored) first.set(r.pull_request_id, { sha: r.commit_sha, authored });
  }
  return first;
}

/** The project's PRs' earliest comment by someone other than the PR's author (any comment when the author is unknown). */
async function fetchFirstReviews(ctx: SubTaskContext<DoraTaskData>, project: string): Promise<Map<string, FirstReview>> {
  const knex = ctx.db.knex;
  type Comment = { id: string; pull_request_id: string; created_date: Date | null; account_id: string | null; author_id: string | null };
  const rows = readRows<Comment>(ctx.db, await knex('pull_request_comments as prc')
    .select('prc.id', 'prc.pull_request_id', 'prc.created_date', 'prc.account_id', 'pr.author_id')
    .join('pull_requests as pr', 'pr.id', 'prc.pull_request_id')
    .whereIn('pr.base_repo_id', projectRowIds(knex, project, 'repos'))
    .orderBy(['prc.pull_request_id', 'prc.id']), columnTypes({ created_date: 'datetime' }));
  const first = new Map<string, FirstReview>();
  for (const r of rows) {
    // SQL's `account_id != author_id` is not true when account_id is NULL.
    const byOther = r.author_id === null || r.author_id === '' || (r.account_id !== null && r.account_id !== r.author_id);
    const created = r.created_date;
    if (!byOther || !created) continue;
    const seen = first.get(r.pull_request_id);
    if (!seen || created < seen.created) first.set(r.pull_request_id, { id: r.id, created });
  }
  return first;
}

/**
 * By merge commit sha: the successful production deployment commit of the
 * project that shipped it, found through `commits_diffs` between the
 * deployment and its previous successful one (earliest start, then lowest id).
 */
async function fetchDeployments(ctx: SubTaskContext<DoraTaskData>, project: string): Promise<Map<string, Deployment>> {
  const knex = ctx.db.knex;
  type Row = { id: string; started_date: Date | null; finished_date: Date | null; merge_sha: string };
  const rows = readRows<Row>(ctx.db, await knex('cicd_deployment_commits as dc')
    .select('dc.id', 'dc.started_date', 'dc.finished_date', 'cd.commit_sha as merge_sha')
    .leftJoin('cicd_deployment_commits as p', 'dc.prev_success_deployment_commit_id', 'p.id')
    .join('commits_diffs as cd', (j) => j.on('cd.new_commit_sha', 'dc.commit_sha').andOn('cd.old_commit_sha', knex.raw("COALESCE(p.commit_sha, '')")))
    .whereNot('dc.prev_success_deployment_commit_id', '')
    .whereNotNull('dc.prev_success_deployment_commit_id')
    .where('dc.environment', PRODUCTION)
    .where('dc.result', SUCCESS)
    .whereIn('dc.cicd_scope_id', projectRowIds(knex, project, 'cicd_scopes')), columnTypes({ started_date: 'datetime', finished_date: 'datetime' }));
  const best = new Map<string, Deployment>();
  for (const r of rows) {
    const d: Deployment = { id: r.id, started: r.started_date, finished: r.finished_date };
    const seen = best.get(r.merge_sha);
    if (!seen || earlier(d, seen)) best.set(r.merge_sha, d);
  }
  return best;
}

/** DevLake's `ORDER BY started_date ASC, id ASC` on MySQL: a NULL start sorts first. */
function earlier(a: Deployment, b: Deployment): boolean {
  const as = a.started?.getTime() ?? -Infinity;
  const bs = b.started?.getTime() ?? -Infinity;
  if (as !== bs) return as < bs;
  return a.id < b.id;
}

export const CalculateChangeLeadTimeMeta: SubTaskMeta<DoraTaskData> = {
  name: 'calculateChangeLeadTime',
  entryPoint: calculateChangeLeadTime,
  enabledByDefault: true,
  description: 'Calculate change lead time',
  domainTypes: ['CICD', 'CODE'],
};
