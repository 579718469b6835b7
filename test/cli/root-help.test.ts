import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildProgram } from '../../src/cli/main';
import { ROOT_HELP } from '../../src/cli/root-help';
import { devlake } from './helpers';

/** The root help as commander renders it from every command's registration. */
function renderedRootHelp(): string {
  const program = buildProgram();
  let out = '';
  program.configureOutput({ writeOut: (s) => (out += s) });
  program.outputHelp();
  return out;
}

describe('devlake --help', () => {
  it('prints text equal to what commander renders from the commands (update src/cli/root-help.ts when this fails)', () => {
    const fresh = renderedRootHelp();
    if (fresh !== ROOT_HELP) {
      // The fresh constant, to paste into src/cli/root-help.ts.
      process.stderr.write(`ROOT_HELP is stale; new lines:\n${fresh.split('\n').map((l) => `  ${JSON.stringify(l)},`).join('\n')}\n`);
    }
    expect(ROOT_HELP).toBe(fresh);
  });

  it('loads neither commander nor any command module, and `help run` / `run --help` still work through commander', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'devlake-help-'));
    try {
      const hook = path.join(dir, 'hook.js');
      const report = path.join(dir, 'modules.json');
      fs.writeFileSync(hook, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(report)}, JSON.stringify(Object.keys(require.cache))));`);
      const root = await devlake(['--help'], { cwd: dir, nodeArgs: ['-r', hook] });
      expect(root.code).toBe(0);
      expect(root.stdout).toBe(ROOT_HELP);
      const loaded = (JSON.parse(fs.readFileSync(report, 'utf8')) as string[]).map((f) => path.relative(path.resolve(__dirname, '..', '..'), f));
      expect(loaded.filter((f) => f.includes('commander') || /cli[\\/](run|list|migrate|create-)/.test(f))).toEqual([]);

      const viaHelp = await devlake(['help', 'run'], { cwd: dir });
      const viaFlag = await devlake(['run', '--help'], { cwd: dir, nodeArgs: ['-r', hook] });
      expect(viaFlag.code).toBe(0);
      expect(viaFlag.stdout).toContain('Usage: devlake run [options] <plugin>');
      expect(viaFlag.stdout).toContain('$ devlake run icla --replay');
      expect({ code: viaHelp.code, stdout: viaHelp.stdout }).toEqual({ code: 0, stdout: viaFlag.stdout });
      const runLoaded = (JSON.parse(fs.readFileSync(report, 'utf8')) as string[]).filter((f) => /cli[\\/](run|list|migrate|create-[a-z0-9-]+)\.js$/.test(f));
      expect(runLoaded.map((f) => path.basename(f))).toEqual(['run.js']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
