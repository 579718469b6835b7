import { DomainTypes, extractor } from 'devlake-ts';
import type { ModelRow } from 'devlake-ts';
import { GithubAccountOrg } from '../models';
import { field, int, str } from 'devlake-ts/devlake';
import { RAW } from './shared';
import type { GithubTaskData } from '../task-data';

/** Tool rows for one raw page of a user's orgs; the user comes from the raw row's input. */
export function extractAccountOrgs(record: unknown, input: unknown, data: GithubTaskData): ModelRow<any>[] {
  const accountId = int(field(input, 'AccountId'));
  return (Array.isArray(record) ? record : []).map((org) =>
    GithubAccountOrg.row({
      connection_id: data.options.connectionId,
      account_id: accountId,
      org_id: int(field(org, 'id')),
      org_login: str(field(org, 'login')),
    }),
  );
}

/** Extract User Org: `_raw_github_api_account_orgs` → account orgs. */
export const ExtractAccountOrgMeta = extractor<GithubTaskData>({
  entity: 'account_orgs',
  name: 'Extract User Org',
  description: 'Extract raw account org data into tool layer table github_account_orgs',
  domainTypes: [DomainTypes.CROSS],
  rawTable: RAW.accountOrgs,
  outputs: [GithubAccountOrg],
  extract: (record, { data, raw }) => extractAccountOrgs(record, raw.inputJson, data),
});
