/**
 * Every error devlake-ts raises is defined here, and nowhere else.
 *
 * Match on `err.code` (or `isDevlakeError`), not `instanceof`: a plugin in a
 * user's repository may load its own copy of the package.
 * `docs/errors.md` has one row per code; `test/core/errors.test.ts` keeps the
 * two in step. A code is never renamed or reused.
 */

/** Exit codes chosen by the CLI's single error handler. */
export const ExitCode = {
  OK: 0,
  FAILURE: 1,
  USAGE: 2,
  CANCELLED: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * The code table: code → default exit code. Grouped by area; the prefix after
 * `DEVLAKE_E_` names the area.
 */
export const ErrorCodes = {
  // CLI usage and configuration
  DEVLAKE_E_USAGE: ExitCode.USAGE,
  DEVLAKE_E_CONFIG: ExitCode.USAGE,
  DEVLAKE_E_OPTIONS_JSON: ExitCode.USAGE,
  DEVLAKE_E_TIME_AFTER: ExitCode.USAGE,
  DEVLAKE_E_MISSING_FLAGS: ExitCode.USAGE,
  DEVLAKE_E_FS_WRITE: ExitCode.USAGE,
  // plugins and subtasks
  DEVLAKE_E_PLUGIN_NOT_FOUND: ExitCode.FAILURE,
  DEVLAKE_E_PLUGIN_INVALID: ExitCode.FAILURE,
  DEVLAKE_E_PLUGIN_LOAD: ExitCode.FAILURE,
  DEVLAKE_E_PLUGIN_FAILED: ExitCode.FAILURE,
  DEVLAKE_E_SUBTASK_UNKNOWN: ExitCode.USAGE,
  DEVLAKE_E_PLUGIN_NO_SUBTASKS: ExitCode.USAGE,
  DEVLAKE_E_SUBTASK_FAILED: ExitCode.FAILURE,
  DEVLAKE_E_CANCELLED: ExitCode.CANCELLED,
  DEVLAKE_E_RUN_LOCKED: ExitCode.FAILURE,
  DEVLAKE_E_RUN_ABANDONED: ExitCode.FAILURE,
  // database
  DEVLAKE_E_DB_URL: ExitCode.USAGE,
  DEVLAKE_E_DB_CONNECT: ExitCode.FAILURE,
  DEVLAKE_E_DB_QUERY: ExitCode.FAILURE,
  DEVLAKE_E_DB_MIGRATION: ExitCode.FAILURE,
  DEVLAKE_E_DB_MIGRATION_CHECKSUM: ExitCode.FAILURE,
  DEVLAKE_E_DB_ARGUMENT: ExitCode.FAILURE,
  DEVLAKE_E_DB_ROW_TOO_LARGE: ExitCode.FAILURE,
  DEVLAKE_E_DB_TABLE_INCOMPATIBLE: ExitCode.FAILURE,
  // HTTP collection
  DEVLAKE_E_API_RESPONSE: ExitCode.FAILURE,
  DEVLAKE_E_API_AUTH: ExitCode.FAILURE,
  DEVLAKE_E_API_NOT_FOUND: ExitCode.FAILURE,
  DEVLAKE_E_API_RETRIES_EXHAUSTED: ExitCode.FAILURE,
  DEVLAKE_E_API_TIMEOUT: ExitCode.FAILURE,
  DEVLAKE_E_API_NETWORK: ExitCode.FAILURE,
  DEVLAKE_E_API_JSON: ExitCode.FAILURE,
  DEVLAKE_E_API_CONFIG: ExitCode.USAGE,
  DEVLAKE_E_API_RATE_LIMITED: ExitCode.FAILURE,
  DEVLAKE_E_API_PAGINATION: ExitCode.FAILURE,
  DEVLAKE_E_REPLAY_MISS: ExitCode.FAILURE,
  DEVLAKE_E_REPLAY_FILE: ExitCode.USAGE,
  DEVLAKE_E_RECORD_FILE: ExitCode.USAGE,
  // extraction, conversion, testing
  DEVLAKE_E_EXTRACT: ExitCode.FAILURE,
  DEVLAKE_E_CONVERT: ExitCode.FAILURE,
  DEVLAKE_E_MODEL: ExitCode.FAILURE,
  DEVLAKE_E_CSV: ExitCode.FAILURE,
  DEVLAKE_E_SNAPSHOT_MISSING: ExitCode.FAILURE,
  DEVLAKE_E_SNAPSHOT_MISMATCH: ExitCode.FAILURE,
  // generator
  DEVLAKE_E_GEN_NAME: ExitCode.USAGE,
  DEVLAKE_E_GEN_CONFLICT: ExitCode.FAILURE,
  DEVLAKE_E_GEN_TEMPLATE: ExitCode.FAILURE,
  DEVLAKE_E_GEN_REGISTER: ExitCode.FAILURE,
  DEVLAKE_E_GEN_PLUGIN_MISSING: ExitCode.USAGE,
  DEVLAKE_E_GEN_INVALID_ANSWER: ExitCode.USAGE,
  // connections, secrets and the server
  DEVLAKE_E_SECRET_KEY_MISSING: ExitCode.USAGE,
  DEVLAKE_E_SECRET_KEY_INVALID: ExitCode.USAGE,
  DEVLAKE_E_SECRET_DECRYPT: ExitCode.FAILURE,
  DEVLAKE_E_CONNECTION_NOT_FOUND: ExitCode.USAGE,
  DEVLAKE_E_CONNECTION_INVALID: ExitCode.USAGE,
  DEVLAKE_E_CONNECTION_CONFLICT: ExitCode.USAGE,
  DEVLAKE_E_SCOPE_NOT_FOUND: ExitCode.USAGE,
  DEVLAKE_E_SERVER_API_KEY_REQUIRED: ExitCode.USAGE,
  DEVLAKE_E_SERVER_LISTEN: ExitCode.FAILURE,
  DEVLAKE_E_SERVER_REQUEST: ExitCode.USAGE,
  // anything unexpected
  // pipelines, blueprints, queue workers
  DEVLAKE_E_PIPELINE_PLAN: ExitCode.USAGE,
  DEVLAKE_E_PIPELINE_RUNNING: ExitCode.USAGE,
  DEVLAKE_E_PIPELINE_NOT_FOUND: ExitCode.USAGE,
  DEVLAKE_E_BLUEPRINT: ExitCode.USAGE,
  DEVLAKE_E_BLUEPRINT_NOT_FOUND: ExitCode.USAGE,
  DEVLAKE_E_BLUEPRINT_CONFLICT: ExitCode.USAGE,
  DEVLAKE_E_QUEUE_CONNECT: ExitCode.FAILURE,
  DEVLAKE_E_QUEUE_LOST: ExitCode.FAILURE,
  DEVLAKE_E_INTERNAL: ExitCode.FAILURE,
} as const satisfies Record<string, ExitCodeValue>;

/** A stable error code, typed as a string literal so `switch (err.code)` is checked. */
export type ErrorCode = keyof typeof ErrorCodes;

const kDevlakeError = Symbol.for('devlake-ts.error');

/** Options accepted by every DevlakeError. */
export interface DevlakeErrorOptions<TData = Record<string, unknown>> {
  /** One sentence naming the next step: a flag, an environment variable or a command. */
  hint?: string;
  /** The error that caused this one; printed as `Caused by:` lines. */
  cause?: unknown;
  /** Override the code's default exit code. */
  exitCode?: ExitCodeValue;
  /** Typed data about the failure (status, url, table…), kept out of the message. */
  data?: TData;
}

/** The one base class of every error the toolkit raises. */
export class DevlakeError<TData = Record<string, unknown>> extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;
  readonly exitCode: ExitCodeValue;
  readonly data: TData;
  readonly [kDevlakeError] = true;

  constructor(code: ErrorCode, message: string, options: DevlakeErrorOptions<TData> = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DevlakeError';
    this.code = code;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? ErrorCodes[code];
    this.data = options.data ?? ({} as TData);
  }

  /** Matches instances made by any copy of the package. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isDevlakeError(value);
  }
}

/** True for any DevlakeError, whichever copy of the package made it. */
export function isDevlakeError(value: unknown): value is DevlakeError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[kDevlakeError] === true;
}

/** True when `err` is a DevlakeError with the given code. */
export function hasErrorCode(err: unknown, code: ErrorCode): err is DevlakeError {
  return isDevlakeError(err) && err.code === code;
}

/** A run was cancelled (SIGINT, `c` on a TTY, or an aborted signal). */
export function cancelledError(reason = 'Run cancelled'): DevlakeError {
  return new DevlakeError('DEVLAKE_E_CANCELLED', reason, {
    hint: 'Run the same command again to resume; completed work is kept.',
  });
}

/** Throws the cancellation error when the signal is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw isDevlakeError(signal.reason) ? signal.reason : cancelledError();
  }
}
