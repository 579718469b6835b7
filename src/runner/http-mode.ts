import * as path from 'node:path';
import type { HttpSettings } from '../core/context';
import type { Logger } from '../core/logger';

/** The HTTP mode of a run and how to end it (a recording is written on close). */
export interface RunHttp {
  settings: HttpSettings;
  close(): Promise<void>;
}

/** The cassette a plugin replays by default. */
export function defaultCassette(pluginDir: string): string {
  return path.join(pluginDir, 'fixtures', 'cassette.json');
}

/**
 * Turns `--record [file]` / `--replay [file]` into the run's HTTP settings.
 * With neither, HTTP is live and nothing is opened.
 */
export async function openRunHttp(opts: { pluginDir: string; record?: string | boolean; replay?: string | boolean; logger: Logger }): Promise<RunHttp> {
  const flag = opts.replay !== undefined ? opts.replay : opts.record;
  if (flag === undefined) return { settings: { mode: 'live' }, close: async () => undefined };
  const mode = opts.replay !== undefined ? 'replay' : 'record';
  const cassette = typeof flag === 'string' ? path.resolve(flag) : defaultCassette(opts.pluginDir);
  const { openHttpMode } = (require('./record-replay') as typeof import('./record-replay'));
  const opened = await openHttpMode({ mode, cassette, logger: opts.logger, plugin: path.basename(opts.pluginDir) });
  opts.logger.info(`${mode === 'replay' ? 'replaying HTTP from' : 'recording HTTP to'} ${cassette}`);
  return { settings: opened.http, close: () => opened.close() };
}
