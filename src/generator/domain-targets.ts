import { DevlakeError } from '../core/errors';
import type * as CodeNs from '../domain/code';
import type * as CrossdomainNs from '../domain/crossdomain';
import type * as DevopsNs from '../domain/devops';
import type { DomainTableSpec } from '../domain/table-spec';
import type * as TicketNs from '../domain/ticket';

/**
 * Domain tables a generated converter can target: every table of DevLake's
 * domain layer that `devlake-ts` exports a model for, entities keyed by one
 * `id` from DomainIdGenerator and relation tables with composite keys alike.
 * The list is read from the domain layer's own specs (`src/domain`), so a new
 * table there is a new target.
 */
export interface DomainTarget {
  /** DevLake's table name, e.g. `accounts`. */
  table: string;
  /** The domain model exported by `devlake-ts`, e.g. `Account`. */
  model: string;
  /** The domain type for `SubTaskMeta.domainTypes`, a key of `DomainTypes`. */
  domainType: 'CODE' | 'CODE_REVIEW' | 'TICKET' | 'CROSS' | 'CICD';
  /** The table's primary key columns. */
  primaryKey: readonly string[];
  /** Its own columns (not the common timestamps and provenance), in DevLake's order, with DevLake's type. */
  columns: ReadonlyArray<readonly [string, string]>;
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

function targetsOf(mod: DomainModule, specs: readonly DomainTableSpec[], domainType: DomainTarget['domainType']): DomainTarget[] {
  const models = modelNames(mod);
  return specs
    .filter((spec) => models.has(spec.table))
    .map((spec) => ({
      table: spec.table,
      model: models.get(spec.table)!,
      // DevLake files pull requests under code review, not code.
      domainType: domainType === 'CODE' && spec.table.startsWith('pull_request') ? 'CODE_REVIEW' : domainType,
      primaryKey: spec.primaryKey,
      columns: spec.columns.flatMap((c) => (Array.isArray(c) ? [[c[0] as string, c[1] as string] as const] : [])),
    }));
}

let cached: readonly DomainTarget[] | undefined;

/** Every target. Loaded on first use: only create-converter needs the domain layer. */
function targets(): readonly DomainTarget[] {
  if (cached) return cached;
  /* eslint-disable @typescript-eslint/no-require-imports */
  const crossdomain = require('../domain/crossdomain') as typeof CrossdomainNs;
  const code = require('../domain/code') as typeof CodeNs;
  const ticket = require('../domain/ticket') as typeof TicketNs;
  const devops = require('../domain/devops') as typeof DevopsNs;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const all = [
    ...targetsOf(crossdomain as unknown as DomainModule, crossdomain.crossdomainTables, 'CROSS'),
    ...targetsOf(code as unknown as DomainModule, [...code.codeTables, code.repoCommitsSpec], 'CODE'),
    ...targetsOf(ticket as unknown as DomainModule, ticket.ticketTables, 'TICKET'),
    ...targetsOf(devops as unknown as DomainModule, devops.devopsTables, 'CICD'),
  ];
  // accounts first: the default, and the ICLA example's target.
  cached = [...all.filter((t) => t.table === 'accounts'), ...all.filter((t) => t.table !== 'accounts')];
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
      hint: `Pass --domain-table with one of: ${domainTables().join(', ')}.`,
    });
  }
  return hit;
}
