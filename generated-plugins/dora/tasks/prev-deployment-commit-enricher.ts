import { CicdDeploymentCommit, readRows } from 'devlake-ts';
import type { SubTaskContext, SubTaskMeta } from 'devlake-ts';
import type { DoraTaskData } from '../task-data';
import { projectRowIds, SUCCESS } from './shared';

/** Appended once to `_raw_data_remark` of each row this subtask rewrites (DevLake's DataEnricher name). */
export const ENRICHER_NAME = 'prev_deployment_commit_id_enricher';

interface DeploymentCommit {
  id: string;
  commit_sha: string;
  cicd_scope_id: string | null;
  repo_url: string;
  environment: string;
  finished_date: Date;
  _raw_data_remark: string | null;
}

/**
 * DevLake's dora enrichPrevSuccessDeploymentCommits: chains the successful
 * deployment commits of each (cicd scope, repo, environment) by finish time
 * and sets each one's `prev_success_deployment_commit_id` to the one before
 * it ('' for the first). Only the selected rows change; nothing is deleted.
 */
export async function enrichPrevSuccessDeploymentCommits(ctx: SubTaskContext<DoraTaskData>): Promise<void> {
  const { options } = ctx.getData();
  const knex = ctx.db.knex;
  const query = knex('cicd_deployment_commits as dc')
    .select('dc.id', 'dc.commit_sha', 'dc.cicd_scope_id', 'dc.repo_url', 'dc.environment', 'dc.finished_date', 'dc._raw_data_remark')
    .whereNotNull('dc.finished_date')
    .whereNotNull('dc.environment')
    .whereNot('dc.environment', '')
    .whereNotNull('dc.repo_url')
    .whereNot('dc.repo_url', '')
    .where('dc.result', SUCCESS)
    .whereIn('dc.cicd_scope_id', options.scopeId !== undefined ? [options.scopeId] : projectRowIds(knex, options.projectName, 'cicd_scopes'));
  const rows = readRows<DeploymentCommit>(ctx.db, await query, CicdDeploymentCommit).map((r) => ({ ...r, finished: r.finished_date.getTime() }));
  // DevLake orders in SQL by scope, repo, environment, finished_date; sorted here so every database agrees on time order.
  rows.sort((a, b) => cmp(a.cicd_scope_id ?? '', b.cicd_scope_id ?? '') || cmp(a.repo_url, b.repo_url) || cmp(a.environment, b.environment) || a.finished - b.finished);
  ctx.setProgress(0, rows.length, 'rows');
  const updates: Array<{ key: { id: string; commit_sha: string }; set: { prev_success_deployment_commit_id: string; _raw_data_remark: string } }> = [];
  let prev: (typeof rows)[number] | undefined;
  for (const row of rows) {
    const sameChain = prev && prev.cicd_scope_id === row.cicd_scope_id && prev.repo_url === row.repo_url && prev.environment === row.environment;
    const remark = row._raw_data_remark ?? '';
    updates.push({
      key: { id: row.id, commit_sha: row.commit_sha },
      set: {
        prev_success_deployment_commit_id: sameChain ? prev!.id : '',
        _raw_data_remark: remark.includes(`${ENRICHER_NAME},`) ? remark : `${remark}${ENRICHER_NAME},`,
      },
    });
    prev = row;
  }
  // One transaction: either every chain link is written or none.
  await ctx.db.transaction(async (tx) => {
    for (const u of updates) {
      if (ctx.signal.aborted) break;
      await tx.knex('cicd_deployment_commits').where(u.key).update(u.set);
      ctx.incProgress();
    }
  });
  ctx.addRowsWritten('cicd_deployment_commits', updates.length);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export const EnrichPrevSuccessDeploymentCommitMeta: SubTaskMeta<DoraTaskData> = {
  name: 'enrichPrevSuccessDeploymentCommits',
  entryPoint: enrichPrevSuccessDeploymentCommits,
  enabledByDefault: false,
  description: 'filling the prev_success_deployment_commit_id for cicd_deployment_commits table',
  domainTypes: ['CODE'],
};
