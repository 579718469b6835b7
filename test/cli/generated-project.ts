import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Type-checks and tests a folder of generated plugins with the toolkit's own
 * compiler and jest, as a user's project would: `devlake-ts` resolves to this
 * toolkit's sources (in the checkout) or to an installed package.
 */

export const ROOT = path.resolve(__dirname, '..', '..');

export interface Spawned {
  code: number | null;
  output: string;
}

/** Runs a node script with a time bound; output is stdout + stderr. */
export function runNode(args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<Spawned> {
  return runCommand(process.execPath, args, opts);
}

/** Runs a command (not through a shell) with a time bound and CI set; output is stdout + stderr. */
export function runCommand(command: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: opts.cwd, env: { ...process.env, CI: 'true', ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} timed out:\n${output}`));
    }, opts.timeoutMs ?? 120_000);
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** `tsc --noEmit` over every .ts file in `dir`, strict, with the given base config. Returns error lines inside `dir`. */
export async function typeCheck(dir: string, config: object): Promise<{ errors: string[]; output: string }> {
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(config, null, 2));
  const r = await runNode([require.resolve('typescript/bin/tsc'), '--noEmit', '-p', path.join(dir, 'tsconfig.json')], { cwd: dir });
  const rel = path.relative(ROOT, dir);
  // Only errors in generated files count: the toolkit's own files are checked by its own build.
  const errors = r.output.split('\n').filter((l) => /error TS\d+/.test(l) && (l.startsWith(rel) || !l.startsWith('src/')));
  return { errors, output: r.output };
}

/** Runs the generated jest tests in `dir` on the toolkit's jest; returns exit code and output. */
export async function runGeneratedTests(dir: string, moduleNameMapper: Record<string, string>, env?: NodeJS.ProcessEnv): Promise<Spawned> {
  const config = {
    rootDir: dir,
    testEnvironment: 'node',
    testMatch: ['**/e2e/**/*.test.ts'],
    transform: { '^.+\\.ts$': [require.resolve('@swc/jest'), { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }] },
    moduleNameMapper,
    testTimeout: 60_000,
    maxWorkers: 2,
  };
  fs.writeFileSync(path.join(dir, 'jest.config.json'), JSON.stringify(config, null, 2));
  return runNode([require.resolve('jest/bin/jest'), '--config', path.join(dir, 'jest.config.json'), '--ci'], { cwd: dir, env });
}

/**
 * ESLint with the toolkit's own config over every .ts file under `pluginDir`,
 * each linted as if it sat in `generated-plugins/<plugin>/` (where the config
 * applies to plugins). Returns `file:line:col rule message` per problem.
 */
export async function lintPlugin(pluginDir: string): Promise<string[]> {
  // Lazy: only the tests that lint load ESLint.
  const { ESLint } = require('eslint') as typeof import('eslint');
  // The repository's config, passed in directly: ESLint's own loader needs dynamic import(), which jest lacks.
  const eslint = new ESLint({ cwd: ROOT, overrideConfigFile: true, overrideConfig: require(path.join(ROOT, 'eslint.config.js')) as import('eslint').Linter.Config[] });
  const plugin = path.basename(pluginDir);
  const files = (fs.readdirSync(pluginDir, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).sort();
  if (files.length === 0) throw new Error(`no .ts files under ${pluginDir}`);
  const problems: string[] = [];
  for (const f of files) {
    const text = fs.readFileSync(path.join(pluginDir, f), 'utf8');
    for (const r of await eslint.lintText(text, { filePath: path.join(ROOT, 'generated-plugins', plugin, f) })) {
      for (const m of r.messages) problems.push(`${plugin}/${f}:${m.line}:${m.column} ${m.ruleId ?? ''} ${m.message}`);
    }
  }
  return problems;
}
