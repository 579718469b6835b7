import { DomainTypes } from 'devlake-ts';
import type { ModelRow, SelectRowOf, SubTaskMeta } from 'devlake-ts';
import { Board, BoardRepo, CicdScope, Repo } from './domain';
import { GithubRepo } from '../models';
import { RAW, convert, ids } from './shared';
import type { GithubTaskData } from './task-data';

/** The domain repo, board, board-repo link and CI/CD scope for one tool repo. */
export function convertRepo(repo: SelectRowOf<typeof GithubRepo>, data: GithubTaskData): ModelRow<any>[] {
  const id = ids.repo.generate(data.options.connectionId, repo.github_id ?? 0);
  const name = repo.full_name ?? '';
  const url = repo.html_url ?? '';
  const description = repo.description ?? '';
  const createdDate = repo.created_date;
  const updatedDate = repo.updated_date;
  return [
    Repo.row({
      id,
      name,
      url,
      description,
      forked_from: repo.parent_html_url ?? '',
      language: repo.language ?? '',
      created_date: createdDate,
      updated_date: updatedDate,
      deleted: false,
    }),
    Board.row({ id, name, url: `${url}/issues`, description, created_date: createdDate }),
    BoardRepo.row({ board_id: id, repo_id: id }),
    CicdScope.row({ id, name, url, description, created_date: createdDate, updated_date: updatedDate }),
  ];
}

/** Convert Repos: `_tool_github_repos` → `repos`, `boards`, `board_repos`, `cicd_scopes`. */
export const ConvertRepoMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Convert Repos',
  enabledByDefault: true,
  description: 'Convert tool layer table github_repos into domain layer tables repos and boards',
  domainTypes: [DomainTypes.CODE, DomainTypes.TICKET, DomainTypes.CICD, DomainTypes.CODE_REVIEW, DomainTypes.CROSS],
  async entryPoint(ctx) {
    const data = ctx.getData();
    const { connectionId, githubId } = data.options;
    await convert<SelectRowOf<typeof GithubRepo>>(
      ctx,
      GithubRepo,
      RAW.repositories,
      [Repo, Board, BoardRepo, CicdScope],
      (db) => db('_tool_github_repos').select('*').where({ github_id: githubId, connection_id: connectionId }),
      ['connection_id', 'github_id'],
      (row) => convertRepo(row, data),
    );
  },
};
