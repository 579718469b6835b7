import { DevlakeError } from '../core/errors';
import * as code from '../domain/code';
import * as crossdomain from '../domain/crossdomain';
import * as devops from '../domain/devops';
import type { DomainTableSpec } from '../domain/table-spec';
import * as ticket from '../domain/ticket';

/**
 * Domain tables a generated converter can target, with the domain model
 * exported by `devlake-ts` and a first mapping from the tool row (its primary
 * key and `name` column) that the author then refines. Every DevLake domain
 * entity (a table keyed by one `id` from DomainIdGenerator) is a target;
 * relation tables (composite keys such as `board_issues`) are written next to
 * an entity by hand, as DevLake's converters do.
 */
export interface DomainTarget {
  /** DevLake's table name, e.g. `accounts`. */
  table: string;
  /** The domain model exported by `devlake-ts`, e.g. `Account`. */
  model: string;
  /** The domain type for `SubTaskMeta.domainTypes`, a key of `DomainTypes`. */
  domainType: 'CODE' | 'CODE_REVIEW' | 'TICKET' | 'CROSS' | 'CICD';
  /** Columns set besides `id`: column → TypeScript expression over `row`. */
  fields(primaryKey: string): Array<{ column: string; expr: string }>;
}

type DomainModule = Record<string, unknown>;

/** The exported model (a ModelDef) of each table of a domain module, by table name. */
function modelNames(mod: DomainModule): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(mod)) {
    const v = value as { table?: unknown; row?: unknown } | null;
    if (v && typeof v === 'object' && typeof v.table === 'string' && typeof v.row === 'function') out.set(v.table, name);
  }
  return out;
}

/** A first mapping for a table: the tool row's name into the table's name-like column. */
function defaultFields(spec: DomainTableSpec): DomainTarget['fields'] {
  const columns = new Set(spec.columns.flatMap((c) => (Array.isArray(c) ? [c[0] as string] : [])));
  const nameColumn = ['name', 'title'].find((c) => columns.has(c));
  return () => (nameColumn ? [{ column: nameColumn, expr: 'row.name' }] : []);
}

function targetsOf(mod: DomainModule, specs: readonly DomainTableSpec[], domainType: DomainTarget['domainType']): DomainTarget[] {
  const models = modelNames(mod);
  return specs
    .filter((spec) => spec.primaryKey.length === 1 && spec.primaryKey[0] === 'id' && models.has(spec.table))
    .map((spec) => ({
      table: spec.table,
      model: models.get(spec.table)!,
      // DevLake files pull requests under code review, not code.
      domainType: domainType === 'CODE' && spec.table.startsWith('pull_request') ? 'CODE_REVIEW' : domainType,
      fields: defaultFields(spec),
    }));
}

const ACCOUNTS: DomainTarget = {
  table: 'accounts',
  model: 'Account',
  domainType: 'CROSS',
  fields: (pk) => [
    { column: 'user_name', expr: `row.${pk}` },
    { column: 'full_name', expr: 'row.name' },
  ],
};

// accounts first: the default, and the ICLA example's target.
const TARGETS: readonly DomainTarget[] = [
  ACCOUNTS,
  ...[
    ...targetsOf(crossdomain as DomainModule, crossdomain.crossdomainTables, 'CROSS'),
    ...targetsOf(code as DomainModule, code.codeTables, 'CODE'),
    ...targetsOf(ticket as DomainModule, ticket.ticketTables, 'TICKET'),
    ...targetsOf(devops as DomainModule, devops.devopsTables, 'CICD'),
  ].filter((t) => t.table !== ACCOUNTS.table),
];

/** Table names a converter can target. */
export const DOMAIN_TABLES = TARGETS.map((t) => t.table);

/** The target for `table`, or DEVLAKE_E_GEN_INVALID_ANSWER listing the supported ones. */
export function domainTarget(table: string): DomainTarget {
  const hit = TARGETS.find((t) => t.table === table);
  if (!hit) {
    throw new DevlakeError('DEVLAKE_E_GEN_INVALID_ANSWER', `Unsupported domain table "${table}"`, {
      hint: `Pass --domain-table with one of: ${DOMAIN_TABLES.join(', ')} (relation tables such as board_issues are written by hand next to one of these).`,
    });
  }
  return hit;
}
