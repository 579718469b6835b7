import type { ModelDef, Row } from '../core/model';
import type { TableSpec } from '../core/table';
import { domainTables } from './migrations';
import { modelOf } from './table-spec';

/**
 * Every DevLake domain table's model by table name (as the tables are after
 * all domain migrations), for code that handles tables generically, such as
 * the export plugin: `domainModels.issues.spec.columns`.
 */
export const domainModels: Readonly<Record<string, ModelDef & { readonly spec: TableSpec }>> = Object.freeze(
  Object.fromEntries(domainTables.map((spec) => [spec.table, modelOf<Row>(spec)])),
);
