import type { SyncPolicy } from '../core/context';
import type { CollectorState } from './collector-state';
import type { PagePosition } from './pagination';

/**
 * The plan of a collection (full or incremental, since when) and its
 * page-level checkpoint. Pure: the collector stores the checkpoint in
 * `_devlake_ts_collector_latest_state.checkpoint` in the same transaction as the
 * page's staged rows, so what is checkpointed is exactly what is staged.
 *
 * Units: a collection without input has one unit (ordinal 0); with an input
 * iterator each input is a unit, numbered in the order the iterator yields
 * them. A resumed run must therefore see the inputs in the same order (stream
 * them by primary key).
 */

/** Progress of one unit that has started but not finished. */
export interface UnitProgress {
  /** Sequential modes: the next page to fetch. */
  next?: PagePosition;
  /** `totalPages` mode: the page count read from page 1. */
  totalPages?: number;
  /** `totalPages` mode: the pages already staged. */
  pagesDone?: number[];
  /**
   * Stored instead of a next-page URL that carries a secret (e.g. a `Link`
   * echoing `access_token=`): secrets never reach a table, so the next run
   * discards this unit's staged rows and fetches it again from its first page.
   */
  restart?: true;
}

/** A collection in progress. */
export interface Checkpoint {
  v: 1;
  /** Hash of the request shape; a changed collector starts afresh. */
  fingerprint: string;
  mode: 'full' | 'incremental';
  /** ISO instant the requests ask for changes since, or null. */
  since: string | null;
  /** The run's `--time-after`, or null. */
  timeAfter: string | null;
  /** When the collection first started; becomes `latest_success_start` on success. */
  startedAt: string;
  /** Every unit numbered below this is complete. */
  doneBelow: number;
  /** Complete units numbered from `doneBelow` up. */
  done: number[];
  /** Started, unfinished units by ordinal. */
  units: Record<string, UnitProgress>;
}

/** What decides a collection's plan. */
export interface PlanInput {
  state: CollectorState | undefined;
  syncPolicy: SyncPolicy;
  incremental: boolean;
  fingerprint: string;
  /** Subtracted from the last success start, in ms, to catch late updates. */
  lookBackMs: number;
  now: Date;
}

/**
 * Resume the stored checkpoint when it belongs to the same collector and
 * `--time-after` (and `--full-sync` does not ask for more than it was doing);
 * otherwise start a new collection: incremental when the collector supports it,
 * it completed before, `--full-sync` is off and `--time-after` is unchanged.
 */
export function planCollection(p: PlanInput): { checkpoint: Checkpoint; resumed: boolean } {
  const timeAfter = p.syncPolicy.timeAfter ? p.syncPolicy.timeAfter.toISOString() : null;
  const old = p.state?.checkpoint as Checkpoint | undefined;
  if (
    old &&
    old.v === 1 &&
    old.fingerprint === p.fingerprint &&
    old.timeAfter === timeAfter &&
    !(p.syncPolicy.fullSync && old.mode !== 'full') &&
    !(!p.incremental && old.mode !== 'full')
  ) {
    return { checkpoint: old, resumed: true };
  }
  const last = p.state?.latestSuccessStart;
  const sameTimeAfter = (p.state?.timeAfter?.toISOString() ?? null) === timeAfter;
  const incremental = p.incremental && !p.syncPolicy.fullSync && last !== undefined && sameTimeAfter;
  const since = incremental ? new Date(last.getTime() - p.lookBackMs) : p.syncPolicy.timeAfter;
  return {
    checkpoint: {
      v: 1,
      fingerprint: p.fingerprint,
      mode: incremental ? 'incremental' : 'full',
      since: since ? since.toISOString() : null,
      timeAfter,
      startedAt: p.now.toISOString(),
      doneBelow: 0,
      done: [],
      units: {},
    },
    resumed: false,
  };
}

/**
 * The checkpoint as it may be stored: a unit whose next-page URL contains a
 * secret (`hasSecret`) is replaced by `{ restart: true }`.
 */
export function storableCheckpoint(cp: Checkpoint, hasSecret: (text: string) => boolean): Checkpoint {
  const units: Record<string, UnitProgress> = {};
  for (const [key, unit] of Object.entries(cp.units)) units[key] = unit.next?.url !== undefined && hasSecret(unit.next.url) ? { restart: true } : unit;
  return { ...cp, units };
}

/** Ordinals of the units a stored checkpoint says must start again. */
export function unitsToRestart(cp: Checkpoint): number[] {
  return Object.entries(cp.units)
    .filter(([, unit]) => unit.restart)
    .map(([key]) => Number(key));
}

/** True when unit `ordinal` is complete. */
export function isUnitDone(cp: Checkpoint, ordinal: number): boolean {
  return ordinal < cp.doneBelow || cp.done.includes(ordinal);
}

/** Marks a unit complete, folding contiguous ordinals into `doneBelow` so the checkpoint stays small. */
export function markUnitDone(cp: Checkpoint, ordinal: number): void {
  delete cp.units[String(ordinal)];
  if (!isUnitDone(cp, ordinal)) cp.done.push(ordinal);
  const done = new Set(cp.done);
  while (done.has(cp.doneBelow)) {
    done.delete(cp.doneBelow);
    cp.doneBelow++;
  }
  cp.done = [...done].sort((a, b) => a - b);
}

/** Units complete so far. */
export function unitsDone(cp: Checkpoint): number {
  return cp.doneBelow + cp.done.length;
}
