import { DomainTypes, mappedExtractor, pick } from 'devlake-ts';
import { GithubRepo, GithubRepoAccount } from '../models';
import { account, RAW, repoAccount } from './shared';
import type { GithubTaskData } from '../task-data';

/** Extract Repo: `_raw_github_api_repositories` → `_tool_github_repos` and its owner's repo account. */
export const ExtractApiRepoMeta = mappedExtractor<GithubTaskData, typeof GithubRepo>({
  entity: 'repo',
  description: 'Extract the raw repository into tool layer table github_repos',
  domainTypes: [DomainTypes.CODE, DomainTypes.TICKET, DomainTypes.CICD, DomainTypes.CODE_REVIEW, DomainTypes.CROSS],
  rawTable: RAW.repositories,
  table: GithubRepo,
  columns: {
    connection_id: pick.param('ConnectionId'),
    github_id: pick.int('id', { nullAs: 0 }),
    name: pick.asIs('name', { nullAs: '' }),
    full_name: pick.asIs('full_name', { nullAs: '' }),
    html_url: pick.asIs('html_url', { nullAs: '' }),
    description: pick.asIs('description', { nullAs: '' }),
    owner_id: pick.int('owner.id', { nullAs: 0 }),
    language: pick.asIs('language', { nullAs: '' }),
    parent_github_id: pick.int('parent.id', { nullAs: 0 }),
    parent_html_url: pick.asIs('parent.html_url', { nullAs: '' }),
    clone_url: pick.asIs('clone_url', { nullAs: '' }),
    created_date: pick.time('created_at'),
    updated_date: pick.time('updated_at'),
  },
  alsoWrites: [GithubRepoAccount],
  perRecord: (data) => (repo, record) => {
    if (repo.github_id === 0) return false;
    const owner = account(record, 'owner');
    return owner ? [repoAccount(owner, data)] : [];
  },
});
