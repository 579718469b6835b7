import * as os from 'node:os';
import type { Dal } from '../core/dal';
import type { Logger } from '../core/logger';
import { FRAMEWORK_TABLES } from '../dal/framework-tables';
import { describeHolder, isLockFree, type LockHolder } from '../dal/db-lock';
import { runLockName } from './run-lock';

/** What failOrphanedTasks needs to know about the run that calls it. */
export interface OrphanSweep {
  /** The run lock this run holds: a RUNNING task of the same lock is orphaned by definition. */
  heldLock: string;
  /** The gone holder whose lock this run took over, named in the message. */
  tookOver?: LockHolder;
  staleAfterMs?: number;
  logger?: Logger;
  /** A task row a pipeline made for this very run: never swept. */
  exceptTask?: number;
}

interface RunningTask {
  id: number | string;
  pipeline_id: number | string | null;
  plugin: string;
  options: string | null;
}

/**
 * Marks FAILED every task still RUNNING whose owner is gone: a live run holds
 * the run lock of its plugin and options from before its task row exists until
 * after it is finished, so a RUNNING task whose lock is free (no row, a stale
 * row, no session) was left by a process that was killed or lost its database.
 * Its RUNNING subtasks and its pipeline (when no other task runs) go FAILED too.
 * Returns the ids marked.
 */
export async function failOrphanedTasks(dal: Dal, sweep: OrphanSweep): Promise<number[]> {
  const running = (await dal.knex(FRAMEWORK_TABLES.tasks).select('id', 'pipeline_id', 'plugin', 'options').where({ status: 'RUNNING' })) as RunningTask[];
  const marked: number[] = [];
  for (const task of running) {
    if (sweep.exceptTask !== undefined && Number(task.id) === sweep.exceptTask) continue;
    const name = runLockName(task.plugin, parseOptions(task.options));
    const mine = name === sweep.heldLock;
    if (!mine && !(await isLockFree(dal, name, sweep.staleAfterMs))) continue;
    const gone = mine && sweep.tookOver ? describeHolder(sweep.tookOver) : 'its process is no longer running';
    const message = `Abandoned: the run of this task stopped without finishing (${gone}); marked FAILED at the start of a later run (pid ${process.pid} on host ${os.hostname()})`;
    const now = new Date();
    const n = await dal
      .knex(FRAMEWORK_TABLES.tasks)
      .where({ id: task.id, status: 'RUNNING' })
      .update({ status: 'FAILED', message, error_code: 'DEVLAKE_E_RUN_ABANDONED', finished_at: now, updated_at: now });
    if (n === 0) continue; // finished meanwhile
    await dal
      .knex(FRAMEWORK_TABLES.subtasks)
      .where({ task_id: task.id, status: 'RUNNING' })
      .update({ status: 'FAILED', message, error_code: 'DEVLAKE_E_RUN_ABANDONED', finished_at: now, updated_at: now });
    if (task.pipeline_id !== null) {
      const others = await dal.knex(FRAMEWORK_TABLES.tasks).where({ pipeline_id: task.pipeline_id, status: 'RUNNING' }).first('id');
      if (!others) {
        // A pipeline on queue workers (queue set) is still alive: another worker resumes the task.
        await dal.knex(FRAMEWORK_TABLES.pipelines).where({ id: task.pipeline_id, status: 'RUNNING' }).whereNull('queue').update({ status: 'FAILED', message, finished_at: now, updated_at: now });
      }
    }
    sweep.logger?.warn(`task ${String(task.id)} (${task.plugin}) was left RUNNING by a run that is gone: marked FAILED`);
    marked.push(Number(task.id));
  }
  return marked;
}

function parseOptions(text: string | null): unknown {
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    return {};
  }
}
