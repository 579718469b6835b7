/**
 * The logger interface plugins and helpers see. The CLI backs it with
 * winston (`[time] LEVEL [plugin] [subtask] message`); tests may use
 * `memoryLogger()`. Every message is redacted before it is written.
 */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

/** A logger with plugin/subtask scope. */
export interface Logger {
  error(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
  debug(message: string, meta?: Record<string, unknown>): void;
  /** A logger whose lines carry more scope, e.g. `child({ subtask: 'Collect Issues' })`. */
  child(scope: { plugin?: string; subtask?: string }): Logger;
}

/** A logger that keeps lines in memory: for tests and for capturing output. */
export function memoryLogger(lines: string[] = [], scope: { plugin?: string; subtask?: string } = {}): Logger & { lines: string[] } {
  const write = (level: LogLevel) => (message: string) => {
    const prefix = [scope.plugin && `[${scope.plugin}]`, scope.subtask && `[${scope.subtask}]`].filter(Boolean).join(' ');
    lines.push(`${level.toUpperCase()} ${prefix ? `${prefix} ` : ''}${message}`);
  };
  return {
    lines,
    error: write('error'),
    warn: write('warn'),
    info: write('info'),
    debug: write('debug'),
    child: (more) => memoryLogger(lines, { ...scope, ...more }),
  };
}

/** A logger that drops everything. */
export const silentLogger: Logger = {
  error: () => undefined,
  warn: () => undefined,
  info: () => undefined,
  debug: () => undefined,
  child: () => silentLogger,
};
