import { DomainTypes } from 'devlake-ts';
import type { ModelRow, SubTaskMeta } from 'devlake-ts';
import { GithubRepo, GithubRepoAccount } from '../models';
import { field, int, str, time } from 'devlake-ts/devlake';
import { RAW, account, extract, repoAccount } from './shared';
import type { GithubTaskData } from './task-data';

/** Tool rows for the raw repository: the repo and its owner's repo account. */
export function extractRepo(record: unknown, data: GithubTaskData): ModelRow<any>[] {
  const githubId = int(field(record, 'id'));
  if (githubId === 0) return [];
  const owner = account(record, 'owner');
  const parent = field<unknown>(record, 'parent');
  const rows: ModelRow<any>[] = [
    GithubRepo.row({
      connection_id: data.options.connectionId,
      github_id: githubId,
      name: str(field(record, 'name')),
      full_name: str(field(record, 'full_name')),
      html_url: str(field(record, 'html_url')),
      description: str(field(record, 'description')),
      owner_id: owner?.id ?? 0,
      language: str(field(record, 'language')),
      parent_github_id: parent && typeof parent === 'object' ? int(field(parent, 'id')) : 0,
      parent_html_url: parent && typeof parent === 'object' ? str(field(parent, 'html_url')) : '',
      clone_url: str(field(record, 'clone_url')),
      created_date: time(field(record, 'created_at')),
      updated_date: time(field(record, 'updated_at')),
    }),
  ];
  if (owner) rows.push(repoAccount(owner, data));
  return rows;
}

/** Extract Repo: `_raw_github_api_repositories` → `_tool_github_repos`. */
export const ExtractApiRepoMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Extract Repo',
  enabledByDefault: true,
  description: 'Extract the raw repository into tool layer table github_repos',
  domainTypes: [DomainTypes.CODE, DomainTypes.TICKET, DomainTypes.CICD, DomainTypes.CODE_REVIEW, DomainTypes.CROSS],
  async entryPoint(ctx) {
    const data = ctx.getData();
    await extract(ctx, RAW.repositories, [GithubRepo, GithubRepoAccount], (record) => extractRepo(record, data));
  },
};
