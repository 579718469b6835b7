import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { commandName, NO_RESPAWN_ENV, respawnPlan, RUN_V8_FLAGS, terminalDeliversSigint } from '../../src/cli/respawn';
import { devlake } from './helpers';

const NODE = '/usr/bin/node';

/** Whether a process is alive and not a zombie waiting for a reaper (a container's pid 1 may never reap). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = `/proc/${pid}/stat`;
  return !fs.existsSync(stat) || fs.readFileSync(stat, 'utf8').slice(fs.readFileSync(stat, 'utf8').lastIndexOf(')') + 2)[0] !== 'Z';
}
const argv = (...args: string[]) => [NODE, '/x/bin/devlake', ...args];

describe('respawnPlan', () => {
  it('finds the command after global options', () => {
    expect(commandName(argv('run', 'demo'))).toBe('run');
    expect(commandName(argv('--db', 'sqlite:./a.db', '--log-level', 'debug', '--verbose', 'run', 'x'))).toBe('run');
    expect(commandName(argv('--db=sqlite:./run', 'list'))).toBe('list');
    expect(commandName(argv('--help'))).toBeUndefined();
  });

  it('re-executes `run` only, with the tuned flags, the user flags, the script and the same arguments', () => {
    const plan = respawnPlan(argv('--db', 'sqlite:./a.db', 'run', 'demo', '--json'), { PATH: '/bin' }, ['-r', '/hook.js'], NODE);
    expect(plan).toEqual({
      execPath: NODE,
      args: [...RUN_V8_FLAGS, '-r', '/hook.js', '/x/bin/devlake', '--db', 'sqlite:./a.db', 'run', 'demo', '--json'],
      env: { PATH: '/bin', [NO_RESPAWN_ENV]: '1' },
    });
    for (const other of [argv('list'), argv('migrate'), argv('create-plugin', 'run'), argv('--help'), argv()]) {
      expect(respawnPlan(other, {}, [], NODE)).toBeUndefined();
    }
  });

  it('keeps `run --help`, the opt-out and a debugged node in this process', () => {
    expect(respawnPlan(argv('run', '--help'), {}, [], NODE)).toBeUndefined();
    expect(respawnPlan(argv('run', 'demo', '-h'), {}, [], NODE)).toBeUndefined();
    expect(respawnPlan(argv('run', 'demo'), { [NO_RESPAWN_ENV]: '1' }, [], NODE)).toBeUndefined();
    expect(respawnPlan(argv('run', 'demo'), {}, ['--inspect-brk=9229'], NODE)).toBeUndefined();
    expect(respawnPlan(argv('run', 'demo'), { NODE_OPTIONS: '--inspect' }, [], NODE)).toBeUndefined();
  });

  it('lets flags the user gave (node flags or NODE_OPTIONS, either spelling) win over the tuned ones', () => {
    const plan = respawnPlan(argv('run', 'demo'), { NODE_OPTIONS: '--max_old_space_size=300' }, [], NODE);
    expect(plan?.args).toEqual(['--max-semi-space-size=4', '/x/bin/devlake', 'run', 'demo']);
    const both = respawnPlan(argv('run', 'demo'), { NODE_OPTIONS: '--max-old-space-size=300' }, ['--max-semi-space-size=8'], NODE);
    expect(both).toBeUndefined();
  });

  it('forwards SIGINT unless a terminal on stdio already delivers it to the child', () => {
    expect(terminalDeliversSigint(() => false)).toBe(false);
    expect(terminalDeliversSigint((fd) => fd === 2)).toBe(true);
  });
});

describe('devlake run in a tuned child', () => {
  let dir: string;
  let hook: string;
  let report: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'devlake-respawn-'));
    hook = path.join(dir, 'hook.js');
    report = path.join(dir, 'procs.jsonl');
    // Preloaded into the launcher and (through execArgv) into the child: who ran, with which V8 heap.
    fs.writeFileSync(
      hook,
      `const fs = require('node:fs');
       fs.appendFileSync(${JSON.stringify(report)}, JSON.stringify({ pid: process.pid, ppid: process.ppid, execArgv: process.execArgv,
         heapMb: Math.round(require('node:v8').getHeapStatistics().heap_size_limit / 1048576) }) + '\\n');`,
    );
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const procs = () =>
    fs.readFileSync(report, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { pid: number; ppid: number; execArgv: string[]; heapMb: number });
  const LONG = ['--options', '{"count":100000,"delayMs":5}'];
  const nodeArgs = () => ['-r', hook];

  it('runs the plugin in a child started with the tuned flags and the launcher’s own flags, and keeps the exit code', async () => {
    const r = await devlake(['run', 'demo', '--db', 'sqlite:./a.db', '--options', '{"count":3}', '--json'], { cwd: dir, nodeArgs: nodeArgs() });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).status).toBe('COMPLETED');
    const [launcher, child] = procs();
    expect(child.ppid).toBe(launcher.pid);
    expect(child.execArgv).toEqual([...RUN_V8_FLAGS, '-r', hook]);
    expect(launcher.execArgv).toEqual(['-r', hook]);

    const usage = await devlake(['run', 'demo', '--db', 'sqlite:./a.db', '--options', '[1]'], { cwd: dir });
    const inProcess = await devlake(['run', 'demo', '--db', 'sqlite:./a.db', '--options', '[1]'], { cwd: dir, env: { [NO_RESPAWN_ENV]: '1' } });
    expect(usage.code).toBe(2);
    expect({ code: usage.code, stderr: usage.stderr }).toEqual({ code: inProcess.code, stderr: inProcess.stderr });
  });

  it('runs in one process with DEVLAKE_NO_RESPAWN=1, and NODE_OPTIONS given by the user win', async () => {
    const single = await devlake(['run', 'demo', '--db', 'sqlite:./a.db', '--options', '{"count":2}'], { cwd: dir, nodeArgs: nodeArgs(), env: { [NO_RESPAWN_ENV]: '1' } });
    expect(single.code).toBe(0);
    expect(procs()).toHaveLength(1);
    fs.rmSync(report);

    const own = await devlake(['run', 'demo', '--db', 'sqlite:./a.db', '--options', '{"count":2}'], { cwd: dir, nodeArgs: nodeArgs(), env: { NODE_OPTIONS: '--max-old-space-size=300' } });
    expect(own.code).toBe(0);
    const [, child] = procs();
    expect(child.execArgv).toEqual(['--max-semi-space-size=4', '-r', hook]);
    expect(child.heapMb).toBeGreaterThanOrEqual(300);
    expect(child.heapMb).toBeLessThan(400);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('forwards %s to the run: it cancels gracefully and the launcher exits 130', async (signal) => {
    let sent = false;
    const r = await devlake(['run', 'demo', '--db', 'sqlite:./c.db', ...LONG], {
      cwd: dir,
      env: { DB_URL: undefined },
      onStderr: (chunk, child) => {
        if (!sent && chunk.includes('executing subtask Write Numbers')) {
          sent = true;
          child.kill(signal);
        }
      },
    });
    expect(sent).toBe(true);
    expect(r.stderr).toContain(`cancelling (${signal})`);
    expect(r.stderr).toContain('DEVLAKE_E_CANCELLED');
    expect(r.code).toBe(130);
  });

  it('reports a child that cannot start as a DevlakeError with a hint, exit code 1', () => {
    const respawn = path.resolve(__dirname, '..', '..', 'dist', 'cli', 'respawn.js');
    const script = `require(${JSON.stringify(respawn)}).runChild({ execPath: ${JSON.stringify(path.join(dir, 'no-node'))}, args: [], env: {} })`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Error [DEVLAKE_E_INTERNAL] Could not start node for `devlake run`');
    expect(r.stderr).toContain(`Try: Set ${NO_RESPAWN_ENV}=1 to run in this process.`);
  });

  it('dies of the signal that killed the run', async () => {
    let killed = false;
    const r = await devlake(['run', 'demo', '--db', 'sqlite:./k.db', ...LONG], {
      cwd: dir,
      nodeArgs: nodeArgs(),
      onStderr: (chunk) => {
        if (!killed && chunk.includes('executing subtask Write Numbers')) {
          killed = true;
          process.kill(procs()[1]!.pid, 'SIGKILL');
        }
      },
    });
    expect(killed).toBe(true);
    expect({ code: r.code, signal: r.signal }).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('ends the run at once when the launcher is killed outright (nothing runs on orphaned)', async () => {
    let childPid = 0;
    const r = await devlake(['run', 'demo', '--db', 'sqlite:./o.db', ...LONG], {
      cwd: dir,
      nodeArgs: nodeArgs(),
      onStderr: (chunk, launcher) => {
        if (!childPid && chunk.includes('executing subtask Write Numbers')) {
          childPid = procs()[1]!.pid;
          launcher.kill('SIGKILL');
        }
      },
    });
    // 'close' fires once every holder of the output pipes is gone: the child too.
    expect(r.signal).toBe('SIGKILL');
    expect(childPid).toBeGreaterThan(0);
    // The pipes close while the kernel is still tearing the child down (fds go before the zombie state): poll, bounded.
    for (let i = 0; i < 100 && running(childPid); i++) await new Promise((r) => setTimeout(r, 50));
    expect(running(childPid)).toBe(false);
  });
});
