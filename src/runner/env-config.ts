import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Config } from '../core/config';
import { mapConfig } from '../core/config';
import { registerSecretsFromEnv } from '../core/redact';

/**
 * Configuration of a CLI process: the environment over `.env` in the working
 * directory (the environment wins, as in DevLake). Secret-looking values of
 * both are registered for redaction before anything is logged.
 */
export function loadConfig(cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): Config {
  const file = path.join(cwd, '.env');
  let dotenv: Record<string, string> = {};
  if (fs.existsSync(file)) {
    const { parse } = require('dotenv') as typeof import('dotenv');
    dotenv = parse(fs.readFileSync(file));
  }
  registerSecretsFromEnv(dotenv);
  registerSecretsFromEnv(env);
  return mapConfig(env, dotenv);
}
