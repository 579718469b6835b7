import { DevlakeError } from '../core/errors';

/**
 * The user's package.json gets one script per generated plugin,
 * `test:<plugin>`, running its tests with the toolkit's jest preset. Pure:
 * text in, text out; an existing script of that name is left as it is.
 */

/** The script's command: jest with `devlake-ts`'s preset (TypeScript through swc), limited to the plugin's folder. */
export function testScript(pluginDir: string): string {
  return `jest --preset devlake-ts ${pluginDir}`;
}

/** `text` with `scripts["test:<plugin>"]` added when absent; indentation and the final newline are kept. */
export function withTestScript(text: string, plugin: string, pluginDir: string): string {
  let pkg: { scripts?: Record<string, string> } & Record<string, unknown>;
  try {
    pkg = JSON.parse(text) as typeof pkg;
  } catch (cause) {
    throw new DevlakeError('DEVLAKE_E_GEN_INVALID_ANSWER', `package.json is not valid JSON, so the test:${plugin} script cannot be added`, {
      hint: 'Fix package.json, or pass --no-test-script to leave it alone.',
      cause,
    });
  }
  if (pkg === null || typeof pkg !== 'object' || Array.isArray(pkg)) return text;
  const key = `test:${plugin}`;
  if (pkg.scripts?.[key] !== undefined) return text;
  const indent = /^[ \t]+(?=")/m.exec(text)?.[0] ?? '  ';
  const next = { ...pkg, scripts: { ...(pkg.scripts ?? {}), [key]: testScript(pluginDir) } };
  return JSON.stringify(next, null, indent) + (text.endsWith('\n') ? '\n' : '');
}
