import type { CommanderError } from 'commander';
import { environmentProblem } from '../core/environment-errors';
import { DevlakeError, ExitCode, isDevlakeError } from '../core/errors';
import { redact } from '../core/redact';
import { isConnectionError, lostConnectionError } from '../dal/connection-error';
import { terminalSafe } from '../core/terminal-text';

/**
 * The single place errors become output: one line `Error [CODE] message`,
 * a `Try:` hint, the cause, and a stack only with --verbose. Returns the exit code.
 */
export function printError(err: unknown, opts: { verbose: boolean }, write = (s: string) => process.stderr.write(s)): number {
  const e = toDevlakeError(err);
  write(`Error [${e.code}] ${redact(oneLine(e.message))}\n`);
  if (e.hint) write(`  Try: ${redact(oneLine(e.hint))}\n`);
  const cause = e.cause instanceof Error ? e.cause : undefined;
  // `verboseCause`: the message already says what the cause says, at length (a compiler's drawn output).
  const quiet = e.data.verboseCause === true;
  if (cause && cause.message && cause.message !== e.message && !quiet) write(`  Caused by: ${redact(oneLine(cause.message))}\n`);
  if (opts.verbose) write(`${redact(terminalSafe(String((cause ?? e).stack ?? '')))}\n`);
  return e.exitCode;
}

/** One line, without control characters: messages may quote an API's body or a plugin's text. */
function oneLine(s: string): string {
  return terminalSafe(s.replace(/\s*\n\s*/g, ' ').trim());
}

function isCommanderError(err: unknown): err is CommanderError {
  return err instanceof Error && typeof (err as CommanderError).code === 'string' && (err as CommanderError).code.startsWith('commander.');
}

/** Any thrown value as the DevlakeError the CLI reports (usage, file-system and internal errors included). */
export function toDevlakeError(err: unknown): DevlakeError {
  if (isDevlakeError(err)) return err;
  if (isCommanderError(err)) {
    return new DevlakeError('DEVLAKE_E_USAGE', err.message.replace(/^error:\s*/i, ''), {
      hint: 'Run `devlake --help` or `devlake <command> --help` for usage.',
      exitCode: ExitCode.USAGE,
    });
  }
  if (isConnectionError(err)) return lostConnectionError(err, 'the run');
  // A file-system failure nobody wrapped is the environment's, not a bug: its own code and a hint about the cause.
  const problem = environmentProblem(err);
  if (problem && typeof (err as { syscall?: unknown })?.syscall === 'string') {
    return new DevlakeError('DEVLAKE_E_FS_WRITE', err instanceof Error ? err.message : String(err), { hint: problem.hint, data: { path: problem.path } });
  }
  return new DevlakeError('DEVLAKE_E_INTERNAL', err instanceof Error ? err.message : String(err), {
    hint: 'Re-run with --verbose for the stack trace; please report it if it persists.',
    cause: err,
  });
}

/**
 * The `error` member of a `--json` result: code, message and hint, redacted
 * and on one line, exactly as the error line on stderr says them.
 */
export function errorJson(err: unknown): { code: string; message: string; hint?: string } {
  const e = toDevlakeError(err);
  return { code: e.code, message: redact(oneLine(e.message)), ...(e.hint ? { hint: redact(oneLine(e.hint)) } : {}) };
}
