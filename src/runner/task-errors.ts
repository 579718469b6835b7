import type { SubTaskMeta } from '../core/plugin';
import { environmentProblem } from '../core/environment-errors';
import { DevlakeError, isDevlakeError } from '../core/errors';
import { isConnectionError, lostConnectionError } from '../dal/connection-error';

/** Wraps anything a subtask threw into a DevlakeError naming the subtask. */
export function asSubtaskError(meta: SubTaskMeta, err: unknown): DevlakeError {
  // A database that went away is not the plugin's fault, whatever layer wrapped the driver's error.
  if (!(isDevlakeError(err) && err.code === 'DEVLAKE_E_CANCELLED') && isConnectionError(err)) return lostConnectionError(err, `subtask "${meta.name}"`);
  if (isDevlakeError(err)) return err;
  return new DevlakeError('DEVLAKE_E_SUBTASK_FAILED', `Subtask "${meta.name}" failed: ${err instanceof Error ? err.message : String(err)}`, {
    // A full disk or a read-only file is not the plugin's fault: say so.
    hint: environmentProblem(err)?.hint ?? 'Re-run with --verbose for the stack trace; fix the plugin code or its input.',
    cause: err,
  });
}

/**
 * A throw from the plugin's own code (`init`, `prepareTaskData`): a bug to fix
 * there, so the hint names the place the stack points at (or the plugin file)
 * and `--verbose`, not the options.
 */
export function pluginCodeError(pluginName: string, err: unknown, pluginFile: string | undefined): DevlakeError {
  const where = firstOwnFrame(err) ?? pluginFile;
  return new DevlakeError('DEVLAKE_E_PLUGIN_FAILED', `Plugin "${pluginName}" failed while preparing its task data: ${err instanceof Error ? err.message : String(err)}`, {
    hint: `Fix the plugin code${where ? ` at ${where}` : ''}; re-run with --verbose for the stack trace.`,
    cause: err,
    data: { plugin: pluginName, ...(where ? { where } : {}) },
  });
}

/** `file:line:col` of the first stack frame outside node's internals and node_modules. */
function firstOwnFrame(err: unknown): string | undefined {
  const stack = err instanceof Error && typeof err.stack === 'string' ? err.stack : '';
  for (const line of stack.split('\n').slice(1)) {
    const m = /\(?((?:[A-Za-z]:)?[^():\s]+):(\d+):(\d+)\)?\s*$/.exec(line.trim());
    if (!m || m[1]!.startsWith('node:') || m[1]!.includes('node_modules')) continue;
    return `${m[1]}:${m[2]}:${m[3]}`;
  }
  return undefined;
}
