import type { SubTaskContext } from '../../src/core/context';
import { mapConfig } from '../../src/core/config';
import { silentLogger } from '../../src/core/logger';
import type { Dal } from '../../src/dal/types';
import { createSubTaskContext, createTaskContext } from '../../src/runner/context';

/** A subtask context as the runner builds it, over `db`, with a silent logger. */
export function benchSubTask(db: Dal, name: string): SubTaskContext<unknown, Record<string, unknown>> {
  const task = createTaskContext({ pluginName: 'bench', options: {}, db, logger: silentLogger, config: mapConfig({}) });
  return createSubTaskContext(task, name, undefined).ctx;
}
