import { createHash } from 'node:crypto';

/**
 * The lock name of a run: one per plugin and options (the options name the
 * scope), so two runs of one scope never interleave while runs of other scopes
 * go on. Options are compared with their keys sorted.
 */
export function runLockName(plugin: string, options: unknown): string {
  const digest = createHash('sha256').update(canonicalJson(options ?? {})).digest('hex').slice(0, 32);
  return `run:${plugin}:${digest}`;
}

/** JSON with object keys sorted at every level, so `{a,b}` and `{b,a}` name one scope. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}
