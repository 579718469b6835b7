import { RAW_DATA_ORIGIN_COLUMNS } from 'devlake-ts';

/**
 * The columns of DevLake's `common.NoPKModel`, in its order: every
 * `_tool_github_*` table has them (the migrations add them with
 * `addNoPkModelColumns`), so the models list them once from here.
 */
export const NO_PK_MODEL_COLUMNS = ['created_at', 'updated_at', ...RAW_DATA_ORIGIN_COLUMNS] as const;
