import { DevlakeError, type TaskContext } from 'devlake-ts';
import { closeIclaApiClient, createIclaApiClient, type IclaApiClient } from './api-client';
import { IclaScope, type IclaScopeRow } from './models/scope';

/** Options of a run: `devlake run icla --options '{"scope":"…"}'`. */
// A type alias (not an interface) so it fits TaskContext's Record<string, unknown> options.
export type IclaOptions = {
  /** Names the scope of this run (an org, a project…); stored as the params of every row. Default `default`. */
  scope?: string;
};

/** The scope params stored with every raw, tool and domain row, so two scopes never clobber each other. */
export interface IclaParams {
  Scope: string;
}

/** What every subtask of icla gets from `ctx.getData()`. */
export interface IclaTaskData {
  options: Required<IclaOptions>;
  params: IclaParams;
  apiClient: IclaApiClient;
}

/** Validates the options, records the scope and builds the task data, once per run before the first subtask. */
export async function prepareTaskData(
  taskCtx: TaskContext<IclaOptions>,
  options: IclaOptions,
): Promise<IclaTaskData> {
  const scope = options?.scope ?? 'default';
  if (typeof scope !== 'string' || scope.trim() === '') {
    throw new DevlakeError('DEVLAKE_E_USAGE', `icla: option "scope" must be a non-empty string, got ${JSON.stringify(scope)}`, {
      hint: `Pass --options '{"scope":"my-scope"}' or leave it out for "default".`,
    });
  }
  const row = { scope, updated_at: new Date() } satisfies IclaScopeRow;
  await taskCtx.db.upsert(IclaScope.table, [row], { primaryKey: IclaScope.primaryKey });
  return {
    options: { scope },
    params: { Scope: scope },
    apiClient: createIclaApiClient(taskCtx),
  };
}

/** Releases the API client after the last subtask, whatever the outcome. */
export async function closeTaskData(taskCtx: TaskContext): Promise<void> {
  await closeIclaApiClient(taskCtx);
}
