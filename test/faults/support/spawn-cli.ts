import { spawn, type ChildProcess } from 'node:child_process';
import { BIN, type CliResult } from '../../cli/helpers';

/** A running `devlake` child: its process (to signal it) and its outcome. */
export interface RunningCli {
  child: ChildProcess;
  /** Resolves when the child exits; `signal` is set when it died of one. */
  done: Promise<CliResult & { signal: NodeJS.Signals | null }>;
}

/**
 * Spawns `devlake …` (never interactive: CI=true, stdin closed) and hands the
 * process back at once, so a test can interrupt it at a precise point.
 * Killed with SIGKILL after `timeoutMs`.
 */
export function spawnDevlake(
  args: string[],
  opts: { cwd: string; env: Record<string, string | undefined>; onStderr?: (text: string) => void; timeoutMs?: number },
): RunningCli {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: opts.cwd,
    env: { ...process.env, CI: 'true', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const done = new Promise<CliResult & { signal: NodeJS.Signals | null }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`devlake ${args.join(' ')} timed out after ${opts.timeoutMs ?? 30000} ms`));
    }, opts.timeoutMs ?? 30000);
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => {
      stderr += d;
      opts.onStderr?.(stderr);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, done };
}
