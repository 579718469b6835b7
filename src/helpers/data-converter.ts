import type { Knex } from 'knex';
import type { SubTaskContext } from '../core/context';
import { DevlakeError } from '../core/errors';
import type { ModelDef, ModelRow, Row } from '../core/model';
import type { ColumnTypes } from '../core/table';
import type { Dal } from '../dal/types';
import { paramsString } from './batch-save';
import { runStreamTransform } from './stream-transform';

/** Arguments of a DataConverter. */
export interface DataConverterArgs<TIn extends object = Row> {
  /** The subtask context: its `db`, `signal` and progress are used. */
  ctx: SubTaskContext<any, any>;
  /** The raw table the input rows came from; old output rows with this provenance table are replaced. */
  rawTable: string;
  /** The scope params (object, or the exact JSON string); old output rows with these params are replaced. */
  params: unknown;
  /**
   * Implement to select the input rows, e.g.
   * `(db) => db('_tool_github_issues').where({ connection_id: 1, repo_id: 2 })`.
   * It must select the `inputKey` columns; it is called once per page.
   */
  input: (db: Knex) => Knex.QueryBuilder;
  /** Unique key of the input rows, for keyset paging. Default `['id']`. */
  inputKey?: string[];
  /**
   * The declared types of the input's columns, e.g. `GithubIssue.spec.columns`
   * (a `defineTable` table's, spread several for a join): `convert` then gets
   * the same values on every database (numbers, `Date`, `boolean`, `null`).
   * Default: none, values as the driver returns them.
   */
  inputColumns?: ColumnTypes;
  /** The domain tables this converter writes (cleared for these params first, even if no row comes back). Default `[]`. */
  outputs?: ModelDef<any>[];
  /**
   * Implement to turn one input row into domain rows: `Issue.row({...})`.
   * Provenance is copied from the input row's `_raw_data_*` columns unless the
   * returned row sets `_raw_data_table` itself. Runs again on every conversion,
   * so it must be pure. To look something up, load it before `execute()`, or
   * query `db` (the run's transaction) — never `ctx.db`: on SQLite the run holds
   * the only connection.
   */
  convert(row: TIn, db: Dal): ModelRow<any>[] | Promise<ModelRow<any>[]>;
  /** Rows per upsert statement and per table buffer. Default 500. */
  batchSize?: number;
}

const DEFAULT_BATCH_SIZE = 500;

/**
 * Converts tool rows into domain rows: streams `input` in keyset pages, calls
 * `convert`, batch-upserts the results. Atomic and idempotent like ApiExtractor.
 */
export class DataConverter<TIn extends object = Row> {
  readonly #args: DataConverterArgs<TIn>;

  constructor(args: DataConverterArgs<TIn>) {
    if (!args?.ctx || !args.rawTable || typeof args.input !== 'function' || typeof args.convert !== 'function') {
      throw new DevlakeError('DEVLAKE_E_CONVERT', 'DataConverter needs ctx, rawTable, input and convert', {
        hint: 'Pass { ctx, rawTable, params, input: (db) => db(table).where(...), convert }.',
      });
    }
    this.#args = args;
  }

  /** Runs the conversion. Returns rows written per table. */
  async execute(): Promise<Map<string, number>> {
    const { ctx, rawTable, convert, input } = this.#args;
    const params = paramsString(this.#args.params ?? {});
    const inputKey = this.#args.inputKey ?? ['id'];
    return runStreamTransform<Row>({
      ctx,
      origin: { rawTable, params },
      outputs: this.#args.outputs ?? [],
      batchSize: this.#args.batchSize ?? DEFAULT_BATCH_SIZE,
      input,
      inputKey,
      columns: this.#args.inputColumns,
      count: (db) => db.count({ n: '*' }).from(input(db).as('devlake_input')),
      errorCode: 'DEVLAKE_E_CONVERT',
      fn: 'convert()',
      describe: (row) => `input row ${inputKey.map((k) => `${k}=${String(row[k.slice(k.lastIndexOf('.') + 1)])}`).join(', ')}`,
      hint: 'Fix convert() for the input row named in the message.',
      keepOwnProvenance: true,
      call: (row, tx) => convert(row as TIn, tx),
      provenance: (row) => ({
        _raw_data_params: row._raw_data_params ?? params,
        _raw_data_table: row._raw_data_table ?? rawTable,
        _raw_data_id: row._raw_data_id ?? null,
        _raw_data_remark: row._raw_data_remark ?? '',
      }),
    });
  }
}
