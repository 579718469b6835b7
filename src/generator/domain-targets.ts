import { DevlakeError } from '../core/errors';
import type * as DomainNs from '../domain';
import type { DomainTableSpec } from '../domain/table-spec';

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
  domainType: 'CODE' | 'CODE_REVIEW' | 'TICKET' | 'CROSS' | 'CICD' | 'CODE_QUALITY';
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

/** The domain type of a table from its Go package (`code.PullRequest` → CODE_REVIEW, `qa.*` → CROSS). */
function domainTypeOf(spec: DomainTableSpec): DomainTarget['domainType'] {
  const pkg = spec.goModel.split('.')[0];
  // DevLake files pull requests under code review, not code.
  if (pkg === 'code') return spec.table.startsWith('pull_request') ? 'CODE_REVIEW' : 'CODE';
  return ({ ticket: 'TICKET', devops: 'CICD', codequality: 'CODE_QUALITY' } as const)[pkg as 'ticket'] ?? 'CROSS';
}

let cached: readonly DomainTarget[] | undefined;

/** Every target. Loaded on first use: only create-converter needs the domain layer. */
function targets(): readonly DomainTarget[] {
  if (cached) return cached;
  const domain = require('../domain') as typeof DomainNs;
  const models = modelNames(domain as unknown as DomainModule);
  const all = domain.domainTables
    .filter((spec) => models.has(spec.table))
    .map((spec) => ({
      table: spec.table,
      model: models.get(spec.table)!,
      domainType: domainTypeOf(spec),
      primaryKey: spec.primaryKey,
      columns: spec.columns.flatMap((c) => (Array.isArray(c) ? [[c[0] as string, c[1] as string] as const] : [])),
      provenance: spec.columns.some((c) => typeof c === 'string'),
    }))
    // A table without a key (repo_languages) cannot be upserted by a converter, nor one without provenance columns
    // (commits_diffs, components, ref_commits: DevLake fills them outside plugins) be replaced per raw table.
    .filter((t) => t.primaryKey.length > 0 && t.provenance)
    .map(({ provenance: _, ...t }) => t);
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
