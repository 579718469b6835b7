import { DevlakeError } from '../core/errors';

/**
 * Domain tables a generated converter can target, with the domain model
 * exported by `devlake-ts` and a first mapping from the tool row (its primary
 * key and `name` column) that the author then refines.
 */
export interface DomainTarget {
  /** DevLake's table name, e.g. `accounts`. */
  table: string;
  /** The domain model exported by `devlake-ts`, e.g. `Account`. */
  model: string;
  /** The domain type for `SubTaskMeta.domainTypes`, a key of `DomainTypes`. */
  domainType: 'CODE' | 'TICKET' | 'CROSS' | 'CICD';
  /** Columns set besides `id`: column → TypeScript expression over `row`. */
  fields(primaryKey: string): Array<{ column: string; expr: string }>;
}

const TARGETS: readonly DomainTarget[] = [
  {
    table: 'accounts',
    model: 'Account',
    domainType: 'CROSS',
    fields: (pk) => [
      { column: 'user_name', expr: `row.${pk}` },
      { column: 'full_name', expr: 'row.name' },
    ],
  },
  { table: 'users', model: 'User', domainType: 'CROSS', fields: () => [{ column: 'name', expr: 'row.name' }] },
  { table: 'teams', model: 'Team', domainType: 'CROSS', fields: () => [{ column: 'name', expr: 'row.name' }] },
  { table: 'boards', model: 'Board', domainType: 'TICKET', fields: () => [{ column: 'name', expr: 'row.name' }] },
  { table: 'repos', model: 'Repo', domainType: 'CODE', fields: () => [{ column: 'name', expr: 'row.name' }] },
];

/** Table names a converter can target. */
export const DOMAIN_TABLES = TARGETS.map((t) => t.table);

/** The target for `table`, or DEVLAKE_E_GEN_INVALID_ANSWER listing the supported ones. */
export function domainTarget(table: string): DomainTarget {
  const hit = TARGETS.find((t) => t.table === table);
  if (!hit) {
    throw new DevlakeError('DEVLAKE_E_GEN_INVALID_ANSWER', `Unsupported domain table "${table}"`, {
      hint: `Pass --domain-table with one of: ${DOMAIN_TABLES.join(', ')}.`,
    });
  }
  return hit;
}
