/** Task and subtask context construction lives in core/ (core/task-context.ts); re-exported for existing imports. */
export * from '../core/task-context';
