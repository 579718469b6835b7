import type { Command } from 'commander';
import type { Config } from '../core/config';
import type { LogLevel } from '../core/logger';
import { DevlakeError } from '../core/errors';

/** Options every command shares, resolved from flags, the environment and `.env`. */
export interface GlobalOptions {
  dbUrl: string;
  logLevel: LogLevel;
  verbose: boolean;
  config: Config;
  cwd: string;
}

const LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug'];

/**
 * Reads the global flags from the root program. `.env` in the working
 * directory is read underneath the real environment (the environment wins),
 * and its values are registered as secrets when they look like ones.
 */
export function globalOptions(cmd: Command, cwd = process.cwd()): GlobalOptions {
  const { loadConfig } = require('../runner/env-config') as typeof import('../runner/env-config');
  const config = loadConfig(cwd);
  let root = cmd;
  while (root.parent) root = root.parent;
  const flags = root.opts<{ db?: string; logLevel?: string; verbose?: boolean }>();
  const verbose = !!flags.verbose;
  const level = (flags.logLevel ?? config.get('LOG_LEVEL') ?? (verbose ? 'debug' : 'info')).toLowerCase();
  if (!LEVELS.includes(level as LogLevel)) {
    throw new DevlakeError('DEVLAKE_E_USAGE', `Unknown log level "${level}"`, { hint: `Use one of: ${LEVELS.join(', ')}.` });
  }
  const { DEFAULT_DB_URL } = require('../dal/url') as typeof import('../dal/url');
  const dbUrl = flags.db ?? config.get('DB_URL') ?? DEFAULT_DB_URL;
  const { registerUrlPassword } = require('../core/redact') as typeof import('../core/redact');
  registerUrlPassword(dbUrl);
  return { dbUrl, logLevel: level as LogLevel, verbose, config, cwd };
}
