import { memoryLogger } from '../../src/core/logger';
import { registerSecret } from '../../src/core/redact';
import { MAX_LINES_PER_TASK, TaskLogHub, type TaskLogEvent } from '../../src/server/task-logs';

describe('TaskLogHub', () => {
  it("replays a task's lines to a late subscriber, streams new ones, ends with the status, and redacts", () => {
    const hub = new TaskLogHub();
    const parent: string[] = [];
    const logger = hub.loggerFor(7, memoryLogger(parent), { plugin: 'icla' });
    registerSecret('sekrit-value-123');
    logger.info('total step: 3');
    logger.child({ subtask: 'Collect Committer' }).warn('token sekrit-value-123 rejected');
    logger.debug('not in the task log');
    const events: TaskLogEvent[] = [];
    const unsubscribe = hub.subscribe(7, (e) => events.push(e));
    logger.info('finished step: 1 / 3');
    hub.finish(7, 'COMPLETED');
    logger.info('after the end: not sent');
    unsubscribe();
    expect(events.map((e) => (e.type === 'log' ? e.line.replace(/^\[[^\]]+\] /, '') : `END ${e.status}`))).toEqual([
      'INFO [icla] total step: 3',
      'WARN [icla] [Collect Committer] token *** rejected',
      'INFO [icla] finished step: 1 / 3',
      'END COMPLETED',
    ]);
    expect(hub.isLocal(7)).toBe(true);
    expect(parent).toContain('INFO [icla] task 7: total step: 3');
    // A finished task's log is replayed whole, then the end.
    const again: TaskLogEvent[] = [];
    hub.subscribe(7, (e) => again.push(e));
    expect(again.at(-1)).toEqual({ type: 'end', status: 'COMPLETED' });
    // A rerun of the task: a new logger, and the log is live again until its new end.
    const rerun = hub.loggerFor(7, memoryLogger(), { plugin: 'icla' });
    const third: TaskLogEvent[] = [];
    hub.subscribe(7, (e) => third.push(e));
    rerun.info('second attempt');
    hub.finish(7, 'FAILED');
    expect(third.filter((e) => e.type === 'end')).toEqual([{ type: 'end', status: 'FAILED' }]);
    expect(third.at(-2)).toMatchObject({ type: 'log', line: expect.stringContaining('INFO [icla] second attempt') });
  });

  it('keeps the last lines of a long task and says how many were dropped', () => {
    const hub = new TaskLogHub();
    const logger = hub.loggerFor(1, memoryLogger());
    for (let i = 0; i < MAX_LINES_PER_TASK + 10; i++) logger.info(`line ${i}`);
    const events: TaskLogEvent[] = [];
    hub.subscribe(1, (e) => events.push(e));
    expect(events[0]).toEqual({ type: 'log', line: '(10 earlier lines dropped)' });
    expect(events).toHaveLength(MAX_LINES_PER_TASK + 1);
    expect(hub.isLocal(2)).toBe(false);
  });
});
