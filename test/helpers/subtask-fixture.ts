import { mapConfig } from '../../src/core/config';
import type { SubTaskContext } from '../../src/core/context';
import { silentLogger } from '../../src/core/logger';
import type { Dal } from '../../src/dal/types';
import { createSubTaskContext, createTaskContext, type SubTaskProgress } from '../../src/runner/context';

/** A real subtask context over a test database, for helper tests. */
export function subTaskContext(dal: Dal, signal?: AbortSignal, data: unknown = {}): { ctx: SubTaskContext<any>; progress: SubTaskProgress } {
  const task = createTaskContext({ pluginName: 'demo', options: {}, db: dal, logger: silentLogger, config: mapConfig({}), signal });
  return createSubTaskContext(task, 'Test Subtask', data);
}
