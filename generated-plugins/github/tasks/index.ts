import type { SubTaskMeta } from 'devlake-ts';
import { CollectAccountsMeta } from './account-collector';
import { ConvertAccountsMeta } from './account-convertor';
import { ExtractAccountsMeta } from './account-extractor';
import { CollectAccountOrgMeta } from './account-org-collector';
import { ExtractAccountOrgMeta } from './account-org-extractor';
import { ConvertJobsMeta } from './cicd-job-convertor';
import { ExtractJobsMeta } from './cicd-job-extractor';
import { ConvertRunsMeta } from './cicd-run-convertor';
import { ExtractRunsMeta } from './cicd-run-extractor';
import { CollectApiCommentsMeta } from './comment-collector';
import { ExtractApiCommentsMeta } from './comment-extractor';
import { CollectApiCommitsMeta } from './commit-collector';
import { ConvertCommitsMeta } from './commit-convertor';
import { ExtractApiCommitsMeta } from './commit-extractor';
import { CollectApiCommitStatsMeta } from './commit-stats-collector';
import { ExtractApiCommitStatsMeta } from './commit-stats-extractor';
import { CollectApiEventsMeta } from './event-collector';
import { ExtractApiEventsMeta } from './event-extractor';
import { ConvertIssueAssigneeMeta } from './issue-assignee-convertor';
import { CollectApiIssuesMeta } from './issue-collector';
import { ConvertIssueCommentsMeta } from './issue-comment-convertor';
import { ConvertIssuesMeta } from './issue-convertor';
import { ExtractApiIssuesMeta } from './issue-extractor';
import { ConvertIssueLabelsMeta } from './issue-label-convertor';
import { CollectJobsMeta } from './job-collector';
import { CollectMilestonesMeta } from './milestone-collector';
import { ConvertMilestonesMeta } from './milestone-convertor';
import { ExtractMilestonesMeta } from './milestone-extractor';
import { CollectApiPullRequestsMeta } from './pr-collector';
import { ConvertPullRequestCommentsMeta } from './pr-comment-convertor';
import { CollectApiPullRequestCommitsMeta } from './pr-commit-collector';
import { ConvertPullRequestCommitsMeta } from './pr-commit-convertor';
import { ExtractApiPullRequestCommitsMeta } from './pr-commit-extractor';
import { ConvertPullRequestsMeta } from './pr-convertor';
import { ExtractApiPullRequestsMeta } from './pr-extractor';
import { ConvertPullRequestIssuesMeta } from './pr-issue-convertor';
import { EnrichPullRequestIssuesMeta } from './pr-issue-enricher';
import { ConvertPullRequestLabelsMeta } from './pr-label-convertor';
import { CollectApiPullRequestReviewsMeta } from './pr-review-collector';
import { CollectPrReviewCommentsMeta } from './pr-review-comment-collector';
import { ExtractApiPrReviewCommentsMeta } from './pr-review-comment-extractor';
import { ConvertPullRequestReviewsMeta } from './pr-review-convertor';
import { ExtractApiPullRequestReviewsMeta } from './pr-review-extractor';
import { ConvertReviewsMeta } from './pr-reviewer-convertor';
import { CollectApiRepoMeta } from './repo-collector';
import { ConvertRepoMeta } from './repo-convertor';
import { ExtractApiRepoMeta } from './repo-extractor';
import { CollectRunsMeta } from './run-collector';
import type { GithubTaskData } from '../task-data';

/**
 * Every subtask of the plugin, in pipeline order: the repo first, then each
 * collection followed by its extraction (child collections read what the
 * extraction before them wrote; users last, as every extractor records the
 * accounts it sees), the enricher, then the converters.
 */
export const githubSubTaskMetas: SubTaskMeta<GithubTaskData>[] = [
  CollectApiRepoMeta,
  ExtractApiRepoMeta,
  CollectApiIssuesMeta,
  ExtractApiIssuesMeta,
  CollectApiPullRequestsMeta,
  ExtractApiPullRequestsMeta,
  CollectApiCommentsMeta,
  ExtractApiCommentsMeta,
  CollectMilestonesMeta,
  ExtractMilestonesMeta,
  CollectApiPullRequestReviewsMeta,
  ExtractApiPullRequestReviewsMeta,
  CollectPrReviewCommentsMeta,
  ExtractApiPrReviewCommentsMeta,
  CollectApiPullRequestCommitsMeta,
  ExtractApiPullRequestCommitsMeta,
  CollectApiCommitsMeta,
  ExtractApiCommitsMeta,
  CollectApiCommitStatsMeta,
  ExtractApiCommitStatsMeta,
  CollectApiEventsMeta,
  ExtractApiEventsMeta,
  CollectAccountsMeta,
  ExtractAccountsMeta,
  CollectAccountOrgMeta,
  ExtractAccountOrgMeta,
  CollectRunsMeta,
  ExtractRunsMeta,
  CollectJobsMeta,
  ExtractJobsMeta,
  EnrichPullRequestIssuesMeta,
  ConvertRepoMeta,
  ConvertIssuesMeta,
  ConvertIssueAssigneeMeta,
  ConvertIssueCommentsMeta,
  ConvertIssueLabelsMeta,
  ConvertMilestonesMeta,
  ConvertPullRequestsMeta,
  ConvertPullRequestCommentsMeta,
  ConvertPullRequestReviewsMeta,
  ConvertReviewsMeta,
  ConvertPullRequestLabelsMeta,
  ConvertPullRequestCommitsMeta,
  ConvertPullRequestIssuesMeta,
  ConvertCommitsMeta,
  ConvertAccountsMeta,
  ConvertRunsMeta,
  ConvertJobsMeta,
];
