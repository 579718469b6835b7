import { spawn } from 'node:child_process';
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

/** Runs `devlake …` as a child process (never interactive: CI=true, stdin closed). */
export function devlake(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string | undefined>; nodeArgs?: string[]; onStderr?: (chunk: string, child: import('node:child_process').ChildProcess) => void; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), BIN, ...args], {
      cwd: opts.cwd,
      env: { ...process.env, CI: 'true', DEVLAKE_PLUGINS_PATH: FIXTURE_PLUGINS, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`devlake ${args.join(' ')} timed out; stderr: ${stderr}`));
    }, opts.timeoutMs ?? 30000);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      opts.onStderr?.(String(d), child);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve(signal ? { code, signal, stdout, stderr } : { code, stdout, stderr });
    });
  });
}
