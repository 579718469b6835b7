import { DomainTypes } from 'devlake-ts';
import type { ModelRow, SubTaskMeta } from 'devlake-ts';
import { GithubAccount } from '../models';
import { field, int, str } from 'devlake-ts/devlake';
import { RAW, extract } from './shared';
import type { GithubTaskData } from './task-data';

/** The tool row for one raw user (GET /users/:login). */
export function extractAccount(record: unknown, data: GithubTaskData): ModelRow<any>[] {
  const id = int(field(record, 'id'));
  if (id === 0) return [];
  return [
    GithubAccount.row({
      connection_id: data.options.connectionId,
      id,
      login: str(field(record, 'login')),
      name: str(field(record, 'name')),
      company: str(field(record, 'company')),
      email: str(field(record, 'email')),
      avatar_url: str(field(record, 'avatar_url')),
      url: str(field(record, 'url')),
      html_url: str(field(record, 'html_url')),
      type: str(field(record, 'type')),
    }),
  ];
}

/** Extract Users: `_raw_github_api_accounts` → accounts. */
export const ExtractAccountsMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Extract Users',
  enabledByDefault: true,
  description: 'Extract raw account data into tool layer table github_accounts',
  domainTypes: [DomainTypes.CROSS],
  async entryPoint(ctx) {
    const data = ctx.getData();
    await extract(ctx, RAW.accounts, [GithubAccount], (record) => extractAccount(record, data));
  },
};
