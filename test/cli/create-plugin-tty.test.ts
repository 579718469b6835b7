import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BIN } from './helpers';

/**
 * The prompts, driven through a real pseudo-terminal: util-linux `script`
 * runs `devlake` on a pty and relays our stdin to it. Each answer is sent only
 * once its question is on screen, so nothing depends on timing.
 */

interface Step {
  /** Text (ANSI codes removed) that must have appeared since the previous answer. */
  waitFor: string;
  /** Keys to type, `\r` for Enter. */
  send: string;
}

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;
const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

function onTty(args: string[], cwd: string, env: Record<string, string | undefined>, steps: Step[]): Promise<{ code: number | null; screen: string }> {
  return new Promise((resolve, reject) => {
    const command = [process.execPath, BIN, ...args].map(quote).join(' ');
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete childEnv[k];
    const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd, env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    let from = 0;
    let next = 0;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no answer on the pty; screen so far:\n${screen}`));
    }, 30_000);
    const onData = (d: Buffer) => {
      screen += d.toString('utf8').replace(ANSI, '');
      while (next < steps.length) {
        const at = screen.indexOf(steps[next].waitFor, from);
        if (at < 0) break;
        from = at + steps[next].waitFor.length;
        child.stdin.write(steps[next].send);
        next++;
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ code, screen });
    });
  });
}

describe('devlake create-plugin on a terminal', () => {
  let cwd: string;
  beforeEach(() => {
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'devlake-tty-'));
  });
  afterEach(() => fs.rmSync(cwd, { recursive: true, force: true }));

  it('asks for the API client and its endpoint, re-asks on an invalid URL, and writes the answers', async () => {
    const r = await onTty(['create-plugin', 'asked', '--dir', 'p'], cwd, { CI: undefined }, [
      { waitFor: 'Does the plugin need an API client?', send: '\r' },
      { waitFor: 'API endpoint (base URL)', send: 'not a url\r' },
      { waitFor: 'is not a URL', send: '\x15https://api.example.com/v2\r' },
      // bearer is the default; two down from it is header, whose name defaults to X-Api-Key.
      { waitFor: 'How does the API authenticate?', send: '\x1b[B\x1b[B\r' },
      { waitFor: 'Which header carries the credential?', send: '\r' },
      { waitFor: 'Task option naming one scope', send: 'projectId\r' },
      // none is the default; one down is page.
      { waitFor: 'How does the API page its lists?', send: '\x1b[B\r' },
    ]);
    expect({ code: r.code, screen: r.code === 0 ? '' : r.screen }).toEqual({ code: 0, screen: '' });
    expect(r.screen).toContain('created   p/asked/api-client.ts');
    expect(fs.readFileSync(path.join(cwd, 'p/asked/api-client.ts'), 'utf8')).toContain("export const DEFAULT_ENDPOINT = 'https://api.example.com/v2/';");
    expect(fs.readFileSync(path.join(cwd, 'p/asked/models/connection.ts'), 'utf8')).toContain("{ type: 'header', name: get('ASKED_AUTH_HEADER_NAME') ?? 'X-Api-Key', value }");
    expect(fs.readFileSync(path.join(cwd, 'p/asked/api-client.ts'), 'utf8')).toContain("export const PAGINATION = 'page';");
    expect(fs.readFileSync(path.join(cwd, 'p/asked/task-data.ts'), 'utf8')).toContain('  ProjectId: number;\n');
  });

  it('takes "no" for the API client and then asks only for the scope key', async () => {
    const r = await onTty(['create-plugin', 'plain', '--dir', 'p'], cwd, { CI: undefined }, [
      { waitFor: 'Does the plugin need an API client?', send: 'n\r' },
      { waitFor: 'Task option naming one scope', send: '\r' },
    ]);
    expect({ code: r.code, screen: r.code === 0 ? '' : r.screen }).toEqual({ code: 0, screen: '' });
    expect(r.screen).not.toContain('API endpoint');
    expect(r.screen).not.toContain('How does the API page');
    expect(fs.readFileSync(path.join(cwd, 'p/plain/task-data.ts'), 'utf8')).toContain('  Name: string;\n');
    expect(fs.existsSync(path.join(cwd, 'p/plain/index.ts'))).toBe(true);
    expect(fs.existsSync(path.join(cwd, 'p/plain/api-client.ts'))).toBe(false);
  });

  it('with CI set, never prompts even on a terminal: a usage error listing the missing flags', async () => {
    const r = await onTty(['create-plugin', 'ci', '--dir', 'p'], cwd, { CI: 'true' }, []);
    expect(r.code).toBe(2);
    expect(r.screen).toContain('DEVLAKE_E_MISSING_FLAGS');
    expect(r.screen).toContain('--with-api-client | --no-api-client, --endpoint <url>');
    expect(r.screen).not.toContain('Does the plugin need');
    expect(fs.existsSync(path.join(cwd, 'p'))).toBe(false);
  });
});

describe('devlake create-extractor --from-sample on a terminal', () => {
  let cwd: string;
  beforeEach(() => {
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'devlake-tty-'));
  });
  afterEach(() => fs.rmSync(cwd, { recursive: true, force: true }));

  it('shows the inferred table, takes a --columns spec as an answer, then drops and renames', async () => {
    const made = await onTty(['create-plugin', 'hub', '--dir', 'p', '--no-api-client', '--scope-key', 'name'], cwd, { CI: 'true' }, []);
    expect({ code: made.code, screen: made.code === 0 ? '' : made.screen }).toEqual({ code: 0, screen: '' });
    fs.writeFileSync(path.join(cwd, 'issues.json'), JSON.stringify([{ id: 1, title: 't', html_url: 'u', state: 'open', milestone: { id: 2 } }]));
    const r = await onTty(['create-extractor', 'hub', 'issue', '--collector', 'issue', '--model', 'issue', '--primary-key', 'id', '--from-sample', 'issues.json', '--dir', 'p'], cwd, { CI: undefined }, [
      { waitFor: 'Columns to keep', send: 'url=html_url:text,state,title,milestone_id=milestone.id\r' },
      { waitFor: 'Columns to drop', send: 'title\r' },
      { waitFor: 'Columns to rename', send: 'state=status\r' },
    ]);
    expect({ code: r.code, screen: r.code === 0 ? '' : r.screen }).toEqual({ code: 0, screen: '' });
    expect(r.screen).toContain('milestone_id  bigint');
    const ext = fs.readFileSync(path.join(cwd, 'p/hub/tasks/issue-extractor.ts'), 'utf8');
    expect(ext.match(/^ {4}\w+: pick\..*$/gm)).toEqual([
      "    connection_id: pick.param('ConnectionId'),",
      "    hub_id: pick.int('id'),",
      "    url: pick.asIs('html_url'),",
      "    status: pick.asIs('state'),",
      "    milestone_id: pick.int('milestone.id'),",
    ]);
  });
});
