/**
 * `devlake run` in a child node started with memory-tuned V8 flags.
 *
 * Why: V8 sizes its heap at start-up, and with the defaults a streaming run
 * lets promoted garbage grow to ~90 MB over a ~15 MB live heap (228 MB peak
 * RSS on 1 M raw rows). The flags below bound that, and flags set after
 * start-up (`v8.setFlagsFromString`) change nothing, so the launcher
 * (bin/devlake) starts a second node for `run` only: `--help` and the
 * generators stay a single fast process.
 *
 * This file is required by bin/devlake before anything else, so it must stay
 * free of imports beyond node built-ins, loaded only when a child is started.
 */

/** V8 flags a `devlake run` child starts with. Old space stays large (1 GB) so a plugin holding more data never crashes. */
export const RUN_V8_FLAGS: readonly string[] = ['--max-semi-space-size=4', '--max-old-space-size=1024'];

/** Set to `1` to run in the launcher's own process (no child). Also set for the child, so it never respawns again. */
export const NO_RESPAWN_ENV = 'DEVLAKE_NO_RESPAWN';

/** The launcher's pid, given to the child so it can tell its launcher's IPC channel from any other. */
export const LAUNCHER_PID_ENV = 'DEVLAKE_LAUNCHER_PID';

/** Global options of the root program that take a value: skipped when looking for the command name. */
const GLOBAL_WITH_VALUE = new Set(['--db', '--log-level']);

/** What the launcher starts instead of running the CLI itself. */
export interface RespawnPlan {
  /** The node binary (`process.execPath`). */
  execPath: string;
  /** Node flags, script and CLI arguments, in order. */
  args: string[];
  /** The child's environment: the launcher's plus the no-respawn marker (and the launcher's pid, added by {@link runChild}). */
  env: NodeJS.ProcessEnv;
}

/** The command name in `argv` (`node devlake [global options] <command> …`), or undefined. */
export function commandName(argv: readonly string[]): string | undefined {
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return argv[i + 1];
    if (GLOBAL_WITH_VALUE.has(a)) {
      i++;
      continue;
    }
    if (!a.startsWith('-')) return a;
  }
  return undefined;
}

/** The flag's name as V8 sees it (`--max_old_space_size=1` → `--max-old-space-size`). */
function flagName(flag: string): string {
  return flag.split('=')[0]!.replace(/_/g, '-');
}

/**
 * Decides whether to run `argv` in a tuned child, and how. Undefined means
 * "run here": any command but `run`, `run --help`, the opt-out
 * (`DEVLAKE_NO_RESPAWN=1`), a node under a debugger (`--inspect*`: the user
 * attached to this process), or every tuned flag already given by the user.
 * Flags the user gave (in `execArgv` or `NODE_OPTIONS`, which the child
 * inherits) win over ours.
 */
export function respawnPlan(argv: readonly string[], env: NodeJS.ProcessEnv, execArgv: readonly string[], execPath: string): RespawnPlan | undefined {
  if (env[NO_RESPAWN_ENV] === '1') return undefined;
  if (commandName(argv) !== 'run') return undefined;
  const rest = argv.slice(2);
  if (rest.includes('--help') || rest.includes('-h')) return undefined;
  const nodeOptions = (env.NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean);
  const userFlags = [...execArgv, ...nodeOptions];
  if (userFlags.some((f) => /^--inspect(-brk|-wait)?(=|$)/.test(f) || f.startsWith('--debug'))) return undefined;
  const given = new Set(userFlags.map(flagName));
  const tuned = RUN_V8_FLAGS.filter((f) => !given.has(flagName(f)));
  if (tuned.length === 0) return undefined;
  return {
    execPath,
    args: [...tuned, ...execArgv, argv[1]!, ...rest],
    env: { ...env, [NO_RESPAWN_ENV]: '1' },
  };
}

/**
 * Whether a Ctrl-C typed in a terminal reaches the child by itself: the
 * terminal signals the whole foreground process group, launcher and child
 * alike, and forwarding as well would make one Ctrl-C count as two (the
 * second exits at once). Without a terminal on stdin, stdout or stderr
 * (tests, supervisors, pipes) a SIGINT is aimed at the launcher only and is
 * forwarded. Takes `isatty` on fds rather than the process streams: creating
 * those in the launcher costs milliseconds that would delay the signal.
 */
export function terminalDeliversSigint(isatty: (fd: number) => boolean): boolean {
  return [0, 1, 2].some((fd) => isatty(fd));
}

/**
 * Runs the plan's child with inherited stdio, forwards SIGINT/SIGTERM/SIGHUP,
 * and ends the launcher the way the child ended: the same exit code, or the
 * same signal. An IPC channel lets the child notice a launcher killed
 * outright (see {@link watchLauncher}).
 */
export function runChild(plan: RespawnPlan): void {
  const { spawn } = require('node:child_process') as typeof import('node:child_process');
  const { isatty } = require('node:tty') as typeof import('node:tty');
  const forwardSigint = !terminalDeliversSigint(isatty); // decided up front: the handler must forward without delay
  const child = spawn(plan.execPath, plan.args, {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...plan.env, [LAUNCHER_PID_ENV]: String(process.pid) },
  });
  const forward = (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  const onSigint = () => {
    if (forwardSigint) forward('SIGINT');
  };
  const onSigterm = () => forward('SIGTERM');
  const onSighup = () => forward('SIGHUP');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  process.on('SIGHUP', onSighup);
  const detach = () => {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
    process.off('SIGHUP', onSighup);
  };
  child.on('error', (err) => {
    detach();
    // Error path only: the launcher loads nothing it does not need.
    const { DevlakeError } = require('../core/errors') as typeof import('../core/errors');
    const { printError } = require('./print-error') as typeof import('./print-error');
    const error = new DevlakeError('DEVLAKE_E_INTERNAL', 'Could not start node for `devlake run`', {
      hint: `Set ${NO_RESPAWN_ENV}=1 to run in this process.`,
      cause: err,
    });
    process.exitCode = printError(error, { verbose: plan.args.includes('--verbose') });
  });
  child.on('exit', (code, signal) => {
    detach();
    if (signal) process.kill(process.pid, signal); // no handler left: the launcher dies of the same signal
    else process.exitCode = code ?? 1;
  });
}

/**
 * In the child: exits at once, like a crash, when the launcher is gone (it
 * was SIGKILLed and could not forward anything), so no run goes on orphaned.
 * No-op when this process was not started by {@link runChild}.
 */
export function watchLauncher(): void {
  if (!process.channel || process.env[LAUNCHER_PID_ENV] !== String(process.ppid)) return;
  process.channel.unref(); // the channel alone must not keep the run alive
  process.on('disconnect', () => process.kill(process.pid, 'SIGKILL'));
}
