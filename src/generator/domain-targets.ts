import { DevlakeError } from '../core/errors';
import type * as CodeNs from '../domain/code';
import type * as CrossdomainNs from '../domain/crossdomain';
import type * as DevopsNs from '../domain/devops';
import type { DomainTableSpec } from '../domain/table-spec';
import type * as TicketNs from '../domain/ticket';

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

let cached: readonly DomainTarget[] | undefined;

/** Every target, accounts first (the default, and the ICLA example's target). Loaded on first use: only create-converter needs the domain layer. */
function targets(): readonly DomainTarget[] {
  if (cached) return cached;
  /* eslint-disable @typescript-eslint/no-require-imports */
  const crossdomain = require('../domain/crossdomain') as typeof CrossdomainNs;
  const code = require('../domain/code') as typeof CodeNs;
  const ticket = require('../domain/ticket') as typeof TicketNs;
  const devops = require('../domain/devops') as typeof DevopsNs;
  /* eslint-enable @typescript-eslint/no-require-imports */
  cached = [
    ACCOUNTS,
    ...[
      ...targetsOf(crossdomain as unknown as DomainModule, crossdomain.crossdomainTables, 'CROSS'),
      ...targetsOf(code as unknown as DomainModule, code.codeTables, 'CODE'),
      ...targetsOf(ticket as unknown as DomainModule, ticket.ticketTables, 'TICKET'),
      ...targetsOf(devops as unknown as DomainModule, devops.devopsTables, 'CICD'),
    ].filter((t) => t.table !== ACCOUNTS.table),
  ];
  return cached;
}

/** Table names a converter can target. */
export function domainTables(): string[] {
  return targets().map((t) => t.table);
}

/** The target for `table`, or DEVLAKE_E_GEN_INVALID_ANSWER listing the supported ones. */
export function domainTarget(table: string): DomainTarget {
  const hit = targets().find((t) => t.table === table);
  if (!hit) {
    throw new DevlakeError('DEVLAKE_E_GEN_INVALID_ANSWER', `Unsupported domain table "${table}"`, {
      hint: `Pass --domain-table with one of: ${domainTables().join(', ')} (relation tables such as board_issues are written by hand next to one of these).`,
    });
  }
  return hit;
}
