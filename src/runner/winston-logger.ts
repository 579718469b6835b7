import type { Logger, LogLevel } from '../core/logger';
import { redact } from '../core/redact';
import { terminalSafe } from '../core/terminal-text';

/** Where log lines go; defaults to stderr so `--json` output on stdout stays clean. */
export interface LoggerOptions {
  level: LogLevel;
  /** Stream to write to (default process.stderr). */
  stream?: NodeJS.WritableStream;
  /** Called before each line is written (the progress bar clears its line). */
  beforeWrite?: () => void;
}

/**
 * The CLI logger: winston, one line per message in DevLake's shape
 * `[time] LEVEL [plugin] [subtask] message`, every line redacted and
 * without control characters.
 */
export function createWinstonLogger(opts: LoggerOptions): Logger {
  const winston = require('winston') as typeof import('winston');
  const stream = opts.stream ?? process.stderr;
  const line = winston.format.printf((info) => {
    const scope = [info.plugin && `[${String(info.plugin)}]`, info.subtask && `[${String(info.subtask)}]`].filter(Boolean).join(' ');
    // Messages may quote API data: no escape sequence reaches the terminal.
    return redact(terminalSafe(`[${String(info.timestamp)}] ${info.level.toUpperCase()} ${scope ? `${scope} ` : ''}${String(info.message)}`));
  });
  const base = winston.createLogger({
    level: opts.level,
    format: winston.format.combine(winston.format.timestamp({ format: 'YYYY-MM-DD HH:mm:ss' }), line),
    transports: [new winston.transports.Stream({ stream })],
  });
  const wrap = (w: import('winston').Logger): Logger => {
    const write = (level: LogLevel) => (message: string, meta?: Record<string, unknown>) => {
      // A line below the level neither clears the progress bar nor has its meta serialized.
      if (!w.isLevelEnabled(level)) return;
      opts.beforeWrite?.();
      w.log(level, meta && Object.keys(meta).length ? `${message} ${JSON.stringify(meta)}` : message);
    };
    return {
      error: write('error'),
      warn: write('warn'),
      info: write('info'),
      debug: write('debug'),
      child: (scope) => wrap(w.child(scope)),
    };
  };
  return wrap(base);
}
