import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

export const BIN = path.resolve(__dirname, '..', '..', 'bin', 'devlake');
export const FIXTURE_PLUGINS = path.resolve(__dirname, '..', 'fixtures', 'plugins');

export interface CliResult {
  code: number | null;
  /** The signal that ended the process, when one did. */
  signal?: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A running `devlake` child: its process (to signal it) and its outcome. */
export interface RunningCli {
  child: ChildProcess;
  /** Resolves when the child exits; `signal` is set when it died of one. */
  done: Promise<CliResult & { signal: NodeJS.Signals | null }>;
}

/** Options of {@link spawnDevlake} and {@link devlake}. */
export interface CliOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  nodeArgs?: string[];
  /** Called on every stderr chunk with the child and all stderr so far. */
  onStderr?: (chunk: string, child: ChildProcess, all: string) => void;
  /** SIGKILLs the child and rejects after this long. Default 30 s. */
  timeoutMs?: number;
}

/**
 * Spawns `devlake …` (never interactive: CI=true, stdin closed) and hands the
 * process back at once, so a test can interrupt it at a precise point.
 */
export function spawnDevlake(args: string[], opts: CliOptions = {}): RunningCli {
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), BIN, ...args], {
    cwd: opts.cwd,
    env: { ...process.env, CI: 'true', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const timeoutMs = opts.timeoutMs ?? 30000;
  const done = new Promise<CliResult & { signal: NodeJS.Signals | null }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`devlake ${args.join(' ')} timed out after ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => {
      stderr += d;
      opts.onStderr?.(String(d), child, stderr);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, done };
}

/** Runs `devlake …` to the end, with the fixture plugins unless `env` says otherwise. */
export async function devlake(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  const { code, signal, stdout, stderr } = await spawnDevlake(args, { ...opts, env: { DEVLAKE_PLUGINS_PATH: FIXTURE_PLUGINS, ...opts.env } }).done;
  return signal ? { code, signal, stdout, stderr } : { code, stdout, stderr };
}
