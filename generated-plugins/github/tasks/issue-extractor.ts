import { DomainTypes } from 'devlake-ts';
import type { ModelRow, SubTaskMeta } from 'devlake-ts';
import { GithubIssue, GithubIssueAssignee, GithubIssueLabel, GithubRepoAccount } from '../models';
import type { GithubIssueRow } from '../models';
import { compileOptional, field, findStringSubmatch, type GoRegexp, int, rawJsonField, str, time } from 'devlake-ts/devlake';
import { RAW, account, extract, repoAccount } from './shared';
import type { GithubScopeConfig, GithubTaskData } from './task-data';

/** Issue label classifiers from the scope config (DevLake's IssueRegexes). */
export interface IssueRegexes {
  severity?: GoRegexp;
  component?: GoRegexp;
  priority?: GoRegexp;
  typeBug?: GoRegexp;
  typeRequirement?: GoRegexp;
  typeIncident?: GoRegexp;
}

/** Compiles the issue patterns of a scope config; empty patterns stay unset. */
export function issueRegexes(config: GithubScopeConfig): IssueRegexes {
  return {
    severity: compileOptional(config.issueSeverity, 'issueSeverity'),
    component: compileOptional(config.issueComponent, 'issueComponent'),
    priority: compileOptional(config.issuePriority, 'issuePriority'),
    typeBug: compileOptional(config.issueTypeBug, 'issueTypeBug'),
    typeRequirement: compileOptional(config.issueTypeRequirement, 'issueTypeRequirement'),
    typeIncident: compileOptional(config.issueTypeIncident, 'issueTypeIncident'),
  };
}

/** Applies label classification to `issue`, as DevLake's convertGithubLabels. */
export function classifyIssueLabels(re: IssueRegexes, labels: string[], issue: GithubIssueRow): void {
  const group1 = (r: GoRegexp | undefined, label: string): string | undefined => {
    const g = r ? findStringSubmatch(r, label) : undefined;
    return g && g.length > 1 ? g[1] : undefined;
  };
  for (const label of labels) {
    issue.severity = group1(re.severity, label) ?? issue.severity;
    issue.component = group1(re.component, label) ?? issue.component;
    issue.priority = group1(re.priority, label) ?? issue.priority;
    if (re.typeRequirement?.test(label)) issue.std_type = 'REQUIREMENT';
    else if (re.typeBug?.test(label)) issue.std_type = 'BUG';
    else if (re.typeIncident?.test(label)) issue.std_type = 'INCIDENT';
  }
  if (labels.length > 0) issue.type = labels.join(',');
}

/** Whole minutes from `from` to `to`, truncated like Go's uint(d.Minutes()). */
export function minutesBetween(from: Date, to: Date): number {
  return Math.max(0, Math.trunc((to.getTime() - from.getTime()) / 60000));
}

/** Tool rows for one raw issue (pull requests listed as issues are skipped). */
export function extractIssue(record: unknown, rawText: string, data: GithubTaskData, re: IssueRegexes): ModelRow<any>[] {
  const githubId = int(field(record, 'id'));
  if (githubId === 0) return [];
  const pr = field<unknown>(record, 'pull_request');
  if (pr && typeof pr === 'object' && str(field(pr, 'url')) !== '') return [];
  const { connectionId, githubId: repoId } = data.options;
  const createdAt = time(field(record, 'created_at'));
  const closedAt = time(field(record, 'closed_at'));
  const milestone = field<unknown>(record, 'milestone');
  const issue: GithubIssueRow = {
    connection_id: connectionId,
    github_id: githubId,
    repo_id: repoId,
    number: int(field(record, 'number')),
    state: str(field(record, 'state')),
    title: str(field(record, 'title')),
    body: rawJsonField(rawText, 'body'),
    url: str(field(record, 'html_url')),
    closed_at: closedAt,
    github_created_at: createdAt,
    github_updated_at: time(field(record, 'updated_at')),
    priority: '',
    type: '',
    std_type: '',
    severity: '',
    component: '',
    author_id: 0,
    author_name: '',
    assignee_id: 0,
    assignee_name: '',
    milestone_id: milestone && typeof milestone === 'object' ? int(field(milestone, 'id')) : 0,
    // *uint in DevLake: NULL until the issue is closed
    lead_time_minutes: closedAt && createdAt ? minutesBetween(createdAt, closedAt) : null,
  };
  const labels = (field<unknown[]>(record, 'labels') ?? []).map((l) => str(field(l, 'name')));
  classifyIssueLabels(re, labels, issue);
  const rows: ModelRow<any>[] = labels.map((name) =>
    GithubIssueLabel.row({ connection_id: connectionId, issue_id: githubId, label_name: name }),
  );
  rows.push(GithubIssue.row(issue));
  const assignee = account(record, 'assignee');
  if (assignee) {
    issue.assignee_id = assignee.id;
    issue.assignee_name = assignee.login;
    rows.push(repoAccount(assignee, data));
  }
  const user = account(record, 'user');
  if (user) {
    issue.author_id = user.id;
    issue.author_name = user.login;
    rows.push(repoAccount(user, data));
  }
  for (const a of field<unknown[]>(record, 'assignees') ?? []) {
    if (!a || typeof a !== 'object') continue;
    rows.push(
      GithubIssueAssignee.row({
        connection_id: connectionId,
        issue_id: githubId,
        repo_id: repoId,
        assignee_id: int(field(a, 'id')),
        assignee_name: str(field(a, 'login')),
      }),
    );
  }
  return rows;
}

/** Extract Issues: `_raw_github_api_issues` → issues, labels, assignees, repo accounts. */
export const ExtractApiIssuesMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Extract Issues',
  enabledByDefault: true,
  description: 'Extract raw Issues data into tool layer table github_issues',
  domainTypes: [DomainTypes.TICKET],
  async entryPoint(ctx) {
    const data = ctx.getData();
    const re = issueRegexes(data.options.scopeConfig);
    await extract(ctx, RAW.issues, [GithubIssue, GithubIssueLabel, GithubIssueAssignee, GithubRepoAccount], (record, _raw, text) =>
      extractIssue(record, text, data, re),
    );
  },
};
