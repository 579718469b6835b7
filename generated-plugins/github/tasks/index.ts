import type { SubTaskMeta } from 'devlake-ts';
import { ConvertAccountsMeta } from './account-convertor';
import { ExtractAccountsMeta } from './account-extractor';
import { ExtractAccountOrgMeta } from './account-org-extractor';
import { ConvertJobsMeta } from './cicd-job-convertor';
import { ExtractJobsMeta } from './cicd-job-extractor';
import { ConvertRunsMeta } from './cicd-run-convertor';
import { ExtractRunsMeta } from './cicd-run-extractor';
import { ExtractApiCommentsMeta } from './comment-extractor';
import { ConvertCommitsMeta } from './commit-convertor';
import { ExtractApiCommitsMeta } from './commit-extractor';
import { ExtractApiCommitStatsMeta } from './commit-stats-extractor';
import { ExtractApiEventsMeta } from './event-extractor';
import { ConvertIssueAssigneeMeta } from './issue-assignee-convertor';
import { ConvertIssueCommentsMeta } from './issue-comment-convertor';
import { ConvertIssuesMeta } from './issue-convertor';
import { ExtractApiIssuesMeta } from './issue-extractor';
import { ConvertIssueLabelsMeta } from './issue-label-convertor';
import { ConvertMilestonesMeta } from './milestone-convertor';
import { ExtractMilestonesMeta } from './milestone-extractor';
import { ConvertPullRequestCommentsMeta } from './pr-comment-convertor';
import { ConvertPullRequestCommitsMeta } from './pr-commit-convertor';
import { ExtractApiPullRequestCommitsMeta } from './pr-commit-extractor';
import { ConvertPullRequestsMeta } from './pr-convertor';
import { ExtractApiPullRequestsMeta } from './pr-extractor';
import { ConvertPullRequestIssuesMeta } from './pr-issue-convertor';
import { EnrichPullRequestIssuesMeta } from './pr-issue-enricher';
import { ConvertPullRequestLabelsMeta } from './pr-label-convertor';
import { ExtractApiPrReviewCommentsMeta } from './pr-review-comment-extractor';
import { ConvertPullRequestReviewsMeta } from './pr-review-convertor';
import { ExtractApiPullRequestReviewsMeta } from './pr-review-extractor';
import { ConvertRepoMeta } from './repo-convertor';
import type { GithubTaskData } from './task-data';

/** Every subtask of the plugin, in pipeline order (collect, extract, enrich, convert). */
export const githubSubTaskMetas: SubTaskMeta<GithubTaskData>[] = [
  ExtractApiIssuesMeta,
  ExtractApiPullRequestsMeta,
  ExtractApiCommentsMeta,
  ExtractMilestonesMeta,
  ExtractApiPullRequestReviewsMeta,
  ExtractApiPrReviewCommentsMeta,
  ExtractApiPullRequestCommitsMeta,
  ExtractApiCommitsMeta,
  ExtractApiCommitStatsMeta,
  ExtractApiEventsMeta,
  ExtractAccountsMeta,
  ExtractAccountOrgMeta,
  ExtractRunsMeta,
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
  ConvertPullRequestLabelsMeta,
  ConvertPullRequestCommitsMeta,
  ConvertPullRequestIssuesMeta,
  ConvertCommitsMeta,
  ConvertAccountsMeta,
  ConvertRunsMeta,
  ConvertJobsMeta,
];
