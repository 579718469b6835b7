import { Board, BoardRepo, CicdScope, converter, DomainTypes, Repo } from 'devlake-ts';
import type { SelectRowOf } from 'devlake-ts';
import { GithubRepo } from '../models';
import { RAW, ids } from './shared';
import type { GithubTaskData } from '../task-data';

/** Convert Repos: `_tool_github_repos` → `repos`, `boards`, `board_repos`, `cicd_scopes`. */
export const ConvertRepoMeta = converter<GithubTaskData, SelectRowOf<typeof GithubRepo>>({
  entity: 'repos',
  domainTypes: [DomainTypes.CODE, DomainTypes.TICKET, DomainTypes.CICD, DomainTypes.CODE_REVIEW, DomainTypes.CROSS],
  rawTable: RAW.repositories,
  from: GithubRepo,
  where: (q, { options }) => q.where({ connection_id: options.connectionId, github_id: options.githubId }),
  outputs: [Repo, Board, BoardRepo, CicdScope],
  convert: (repo, { data }) => {
    const id = ids.repo.generate(data.options.connectionId, repo.github_id ?? 0);
    const [name, url, description] = [repo.full_name ?? '', repo.html_url ?? '', repo.description ?? ''];
    const dates = { created_date: repo.created_date, updated_date: repo.updated_date };
    return [
      Repo.row({ id, name, url, description, forked_from: repo.parent_html_url ?? '', language: repo.language ?? '', ...dates, deleted: false }),
      Board.row({ id, name, url: `${url}/issues`, description, created_date: repo.created_date }),
      BoardRepo.row({ board_id: id, repo_id: id }),
      CicdScope.row({ id, name, url, description, ...dates }),
    ];
  },
});
