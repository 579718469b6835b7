import type { SubTaskContext } from '../core/context';
import { DevlakeError } from '../core/errors';
import type { ModelDef, ModelRow } from '../core/model';
import type { RawRow } from '../dal/raw-table';
import type { Dal } from '../dal/types';
import type { Knex } from 'knex';
import { paramsString } from './batch-save';
import { pendingRawFrom } from './raw-staging';
import { runStreamTransform } from './stream-transform';

/** A raw row as `extract` sees it: the row plus its parsed `input` column. */
export type ExtractorRawRow = RawRow & { inputJson: unknown };

/** Arguments of an ApiExtractor. */
export interface ApiExtractorArgs<TRecord = unknown> {
  /** The subtask context: its `db`, `signal` and progress are used. */
  ctx: SubTaskContext<any, any>;
  /** The full raw table name, e.g. `_raw_github_api_issues`. */
  rawTable: string;
  /**
   * The scope params. Raw rows are selected where `params` equals
   * `JSON.stringify(params)` exactly (a string is used as is), so key order matters:
   * `{ ConnectionId: 1, Name: 'org/repo' }`.
   */
  params: unknown;
  /**
   * The tables this extractor writes for these params. Their rows from the same
   * raw table and params are deleted first, so rows a new run no longer produces
   * vanish even when a table gets zero rows. Tables not listed are cleared the
   * first time a row for them comes back (DevLake's behaviour). Default `[]`.
   */
  outputs?: ModelDef<any>[];
  /**
   * Implement to turn one raw record into tool rows: `Model.row({...})` for any
   * number of rows of any tables. Reads `rawTable`, writes the rows' tables. It runs
   * again on every extraction of the same params, so it must be pure. Provenance
   * columns are set for you (`_raw_data_remark` stays yours to set, default '').
   * To look something up, load it before `execute()`, or query `db` (the run's
   * transaction) — never `ctx.db`: on SQLite the run holds the only connection.
   *
   * @example
   * extract: (issue: { id: number; title: string }) => [GithubIssue.row({ connection_id: 1, github_id: issue.id, title: issue.title })]
   */
  extract(record: TRecord, raw: ExtractorRawRow, db: Dal): ModelRow<any>[] | Promise<ModelRow<any>[]>;
  /** Rows per upsert statement and per table buffer. Default 500 (DevLake's). */
  batchSize?: number;
}

const DEFAULT_BATCH_SIZE = 500;

/**
 * Extracts tool rows from the raw rows of one params: streams them in keyset
 * pages, calls `extract`, and batch-upserts what comes back with provenance.
 * Atomic and idempotent: old rows of the same raw table and params are replaced
 * in one transaction; a throw or cancel leaves the previous rows untouched.
 */
export class ApiExtractor<TRecord = unknown> {
  readonly #args: ApiExtractorArgs<TRecord>;

  constructor(args: ApiExtractorArgs<TRecord>) {
    if (!args?.ctx || !args.rawTable || typeof args.extract !== 'function') {
      throw new DevlakeError('DEVLAKE_E_EXTRACT', 'ApiExtractor needs ctx, rawTable and extract', {
        hint: 'Pass { ctx, rawTable: "_raw_<plugin>_<name>", params, extract }.',
      });
    }
    this.#args = args;
  }

  /** Runs the extraction. Returns rows written per table. */
  async execute(): Promise<Map<string, number>> {
    const { ctx, rawTable, extract } = this.#args;
    const params = paramsString(this.#args.params ?? {});
    if (!(await ctx.db.hasTable(rawTable))) {
      throw new DevlakeError('DEVLAKE_E_EXTRACT', `${ctx.name}: raw table ${rawTable} does not exist`, {
        hint: 'Run the collector subtask for these params first.',
        data: { table: rawTable },
      });
    }
    // Rows of a collection still in progress (a crashed run's, until it resumes) are not the scope's yet.
    const pending = await pendingRawFrom(ctx.db, rawTable, params);
    const scope = (q: Knex.QueryBuilder): Knex.QueryBuilder => (pending === undefined ? q : q.where('id', '<', pending));
    return runStreamTransform<RawRow>({
      ctx,
      origin: { rawTable, params },
      outputs: this.#args.outputs ?? [],
      batchSize: this.#args.batchSize ?? DEFAULT_BATCH_SIZE,
      input: (db) => scope(db(rawTable).select('*').where('params', params)),
      // Raw rows are committed by the collector and never written here: a second connection reads them.
      inputCommitted: true,
      inputKey: ['id'],
      count: (db) => scope(db(rawTable).where('params', params)).count({ n: '*' }),
      errorCode: 'DEVLAKE_E_EXTRACT',
      fn: 'extract()',
      describe: (raw) => `raw row ${raw.id} of ${rawTable}`,
      hint: `Fix extract() for the raw row named in the message (SELECT * FROM ${rawTable} WHERE id = …).`,
      keepOwnProvenance: false,
      call(raw, tx) {
        const record = JSON.parse(text(raw.data)) as TRecord;
        const input = text(raw.input);
        // The row is this read's own object: set the field on it rather than copy it (once per raw row).
        const withInput = raw as ExtractorRawRow;
        withInput.inputJson = input ? JSON.parse(input) : null;
        return extract(record, withInput, tx);
      },
      provenance: (raw) => ({
        _raw_data_params: params,
        _raw_data_table: rawTable,
        _raw_data_id: Number(raw.id),
        _raw_data_remark: '',
      }),
    });
  }
}

/** Raw `data`/`input` may come back as text or bytes depending on the driver. */
function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return String(v);
}
