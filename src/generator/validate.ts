import { DevlakeError } from '../core/errors';

/**
 * Checks every answer before anything is rendered, so a bad name or URL
 * fails with a stable code and nothing is written.
 */

/** What a name is for: shown in the error message. */
export type NameKind = 'plugin' | 'collector' | 'extractor' | 'converter' | 'migration' | 'model' | 'raw table' | 'table';

/** Pagination modes a generated collector can start from (see ApiCollector). */
export const PAGINATION_MODES = ['none', 'page', 'totalPages', 'offset', 'cursor', 'link'] as const;
export type PaginationMode = (typeof PAGINATION_MODES)[number];

// Names that would clash with the toolkit, JavaScript or the generated layout.
const RESERVED = new Set([
  'devlake', 'devlake-ts', 'core', 'dal', 'domain', 'helpers', 'runner', 'testing', 'generator', 'cli', 'templates',
  'index', 'tasks', 'models', 'migrations', 'e2e', 'fixtures', 'node_modules', 'test', 'src', 'dist', 'plugin', 'plugins',
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum', 'export',
  'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null', 'return', 'super',
  'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield', 'let', 'static', 'await',
  'constructor', 'prototype', '__proto__',
]);

const NAME_RE = /^[a-z][a-z0-9]*(?:[_-][a-z0-9]+)*$/;

/** Throws DEVLAKE_E_GEN_NAME unless `name` is a lower-case identifier that is safe as a file and table name. */
export function validateName(kind: NameKind, name: string): string {
  const hint = 'Use lower-case letters, digits, `_` or `-`, starting with a letter (e.g. `pull_requests`).';
  if (typeof name !== 'string' || name.length === 0) {
    throw new DevlakeError('DEVLAKE_E_GEN_NAME', `The ${kind} name is empty`, { hint });
  }
  if (name.includes('/') || name.includes('\\') || name.includes('..')) {
    throw new DevlakeError('DEVLAKE_E_GEN_NAME', `The ${kind} name "${name}" contains a path separator or "..": it must be a plain name`, { hint });
  }
  if (!NAME_RE.test(name)) {
    throw new DevlakeError('DEVLAKE_E_GEN_NAME', `The ${kind} name "${name}" is not a lower-case identifier`, { hint });
  }
  if (name.length > 40) {
    throw new DevlakeError('DEVLAKE_E_GEN_NAME', `The ${kind} name "${name}" is longer than 40 characters`, {
      hint: 'Table names are built from it and must stay short; pick a shorter name.',
    });
  }
  if (RESERVED.has(name)) {
    throw new DevlakeError('DEVLAKE_E_GEN_NAME', `The ${kind} name "${name}" is reserved`, { hint: 'Pick another name.' });
  }
  return name;
}

/** Throws DEVLAKE_E_GEN_INVALID_ANSWER unless `endpoint` is an http(s) URL; returns it with a trailing `/`. */
export function validateEndpoint(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch (cause) {
    throw new DevlakeError('DEVLAKE_E_GEN_INVALID_ANSWER', `The endpoint "${endpoint}" is not a URL`, {
      hint: 'Pass --endpoint with a full URL, e.g. --endpoint https://api.example.com/',
      cause,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new DevlakeError('DEVLAKE_E_GEN_INVALID_ANSWER', `The endpoint "${endpoint}" is not an http(s) URL`, {
      hint: 'Pass --endpoint with an http:// or https:// URL.',
    });
  }
  if (url.username || url.password) {
    throw new DevlakeError('DEVLAKE_E_GEN_INVALID_ANSWER', 'The endpoint must not contain credentials', {
      hint: 'Pass the token through the <PLUGIN>_TOKEN environment variable instead.',
    });
  }
  const text = url.toString();
  return text.endsWith('/') ? text : `${text}/`;
}

/** Throws DEVLAKE_E_GEN_INVALID_ANSWER unless `mode` is a known pagination mode. */
export function validatePagination(mode: string): PaginationMode {
  if ((PAGINATION_MODES as readonly string[]).includes(mode)) return mode as PaginationMode;
  throw new DevlakeError('DEVLAKE_E_GEN_INVALID_ANSWER', `Unknown pagination mode "${mode}"`, {
    hint: `Pass --pagination with one of: ${PAGINATION_MODES.join(', ')}.`,
  });
}

/** Throws DEVLAKE_E_GEN_INVALID_ANSWER unless `path` is a relative HTTP path (no scheme, no leading `/`). */
export function validateHttpPath(path: string): string {
  const trimmed = path.trim().replace(/^\/+/, '');
  if (!trimmed || /^[a-z]+:\/\//i.test(trimmed) || /[\s`$\\]/.test(trimmed)) {
    throw new DevlakeError('DEVLAKE_E_GEN_INVALID_ANSWER', `The HTTP path "${path}" is not a relative API path`, {
      hint: 'Pass --http-path relative to the endpoint, e.g. --http-path repos/{{params.name}}/issues',
    });
  }
  return trimmed;
}
