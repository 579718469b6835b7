import { DomainTypes, mappedExtractor, pick } from 'devlake-ts';
import type { ModelRow } from 'devlake-ts';
import { GithubIssue, GithubIssueAssignee, GithubIssueLabel, GithubRepoAccount } from '../models';
import type { GithubIssueRow } from '../models';
import { compileOptional, field, findStringSubmatch, type GoRegexp, int, leadTimeMinutes, str } from 'devlake-ts/devlake';
import { RAW, account, repoAccount, repoIdRule } from './shared';
import type { GithubScopeConfig, GithubTaskData } from '../task-data';

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
export function classifyIssueLabels(re: IssueRegexes, labels: string[], issue: Partial<Pick<GithubIssueRow, 'severity' | 'component' | 'priority' | 'std_type' | 'type'>>): void {
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

/**
 * Extract Issues: `_raw_github_api_issues` → issues (pull requests listed as
 * issues are skipped), their labels and assignees, and the repo accounts seen.
 */
export const ExtractApiIssuesMeta = mappedExtractor<GithubTaskData, typeof GithubIssue>({
  entity: 'issues',
  description: 'Extract raw Issues data into tool layer table github_issues',
  domainTypes: [DomainTypes.TICKET],
  rawTable: RAW.issues,
  table: GithubIssue,
  columns: {
    connection_id: pick.param('ConnectionId'),
    github_id: pick.int('id', { nullAs: 0 }),
    repo_id: repoIdRule,
    number: pick.int('number', { nullAs: 0 }),
    state: pick.asIs('state', { nullAs: '' }),
    title: pick.asIs('title', { nullAs: '' }),
    body: pick.json('body', { nullAs: 'null' }),
    url: pick.asIs('html_url', { nullAs: '' }),
    author_id: pick.int('user.id', { nullAs: 0 }),
    author_name: pick.asIs('user.login', { nullAs: '' }),
    assignee_id: pick.int('assignee.id', { nullAs: 0 }),
    assignee_name: pick.asIs('assignee.login', { nullAs: '' }),
    milestone_id: pick.int('milestone.id', { nullAs: 0 }),
    closed_at: pick.time('closed_at'),
    github_created_at: pick.time('created_at'),
    github_updated_at: pick.time('updated_at'),
  },
  alsoWrites: [GithubIssueLabel, GithubIssueAssignee, GithubRepoAccount],
  perRecord: (data) => {
    const re = issueRegexes(data.options.scopeConfig);
    const { connectionId, githubId: repoId } = data.options;
    return (issue, record) => {
      if (issue.github_id === 0 || str(field(field(record, 'pull_request'), 'url')) !== '') return false;
      Object.assign(issue, { priority: '', type: '', std_type: '', severity: '', component: '' });
      // *uint in DevLake: NULL until the issue is closed
      issue.lead_time_minutes = leadTimeMinutes(issue.github_created_at, issue.closed_at);
      const labels = (field<unknown[]>(record, 'labels') ?? []).map((l) => str(field(l, 'name')));
      classifyIssueLabels(re, labels, issue);
      const rows: ModelRow<any>[] = labels.map((name) => GithubIssueLabel.row({ connection_id: connectionId, issue_id: issue.github_id, label_name: name }));
      for (const user of [account(record, 'assignee'), account(record, 'user')]) if (user) rows.push(repoAccount(user, data));
      for (const a of field<unknown[]>(record, 'assignees') ?? []) {
        if (!a || typeof a !== 'object') continue;
        const assigneeId = int(field(a, 'id'));
        rows.push(GithubIssueAssignee.row({ connection_id: connectionId, issue_id: issue.github_id, repo_id: repoId, assignee_id: assigneeId, assignee_name: str(field(a, 'login')) }));
      }
      return rows;
    };
  },
});
