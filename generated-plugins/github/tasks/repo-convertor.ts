import { DomainTypes } from 'devlake-ts';
import type { ModelRow, Row, SubTaskMeta } from 'devlake-ts';
import { Board, BoardRepo, CicdScope, Repo } from './domain';
import { dbInt, dbStr, dbTime } from './db-values';
import { RAW, convert, ids } from './shared';
import type { GithubTaskData } from './task-data';

/** The domain repo, board, board-repo link and CI/CD scope for one tool repo. */
export function convertRepo(repo: Row, data: GithubTaskData): ModelRow<any>[] {
  const id = ids.repo.generate(data.options.connectionId, dbInt(repo.github_id));
  const name = dbStr(repo.full_name);
  const url = dbStr(repo.html_url);
  const description = dbStr(repo.description);
  const createdDate = dbTime(repo.created_date);
  const updatedDate = dbTime(repo.updated_date);
  return [
    Repo.row({
      id,
      name,
      url,
      description,
      forked_from: dbStr(repo.parent_html_url),
      language: dbStr(repo.language),
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
    await convert<Row>(
      ctx,
      RAW.repositories,
      [Repo, Board, BoardRepo, CicdScope],
      (db) => db('_tool_github_repos').select('*').where({ github_id: githubId, connection_id: connectionId }),
      ['connection_id', 'github_id'],
      (row) => convertRepo(row, data),
    );
  },
};
