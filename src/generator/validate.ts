import { DevlakeError } from '../core/errors';
import { snakeCase } from '../core/naming';

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

/** Why `name` fails NAME_RE, in words: the hint alone would say `_` and `-` are allowed. */
function whyNotAName(name: string): string {
  const bad = /[^a-z0-9_-]/.exec(name);
  if (bad) {
    return /[A-Z]/.test(bad[0])
      ? `has an upper-case letter ("${bad[0]}"): names are lower case, e.g. "${name.toLowerCase()}"`
      : `contains ${JSON.stringify(bad[0])}, which is not allowed`;
  }
  if (!/^[a-z]/.test(name)) return 'must start with a letter';
  if (/[_-]$/.test(name)) return `ends with "${name.slice(-1)}": \`_\` and \`-\` only separate words`;
  const double = /[_-]{2,}/.exec(name);
  return `has "${double?.[0] ?? '?'}": \`_\` and \`-\` separate words one at a time`;
}

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
    throw new DevlakeError('DEVLAKE_E_GEN_NAME', `The ${kind} name "${name}" ${whyNotAName(name)}`, { hint });
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

/** The keys of `DomainTypes` a subtask may declare. */
export const DOMAIN_TYPE_KEYS = ['CODE', 'TICKET', 'CODE_REVIEW', 'CROSS', 'CICD', 'CODE_QUALITY'] as const;

/**
 * Parses `--domain-types` (`TICKET` or `CROSS,CODE_REVIEW`, any case) into
 * keys of `DomainTypes`; default `CROSS`. Throws DEVLAKE_E_GEN_INVALID_ANSWER
 * naming an unknown one.
 */
export function parseDomainTypes(text: string | undefined): string[] {
  const list = (text ?? 'CROSS').split(',').map((t) => t.trim().toUpperCase()).filter((t) => t !== '');
  const bad = list.find((t) => !(DOMAIN_TYPE_KEYS as readonly string[]).includes(t));
  if (bad !== undefined || list.length === 0) {
    throw new DevlakeError('DEVLAKE_E_GEN_INVALID_ANSWER', `Unknown domain type "${bad ?? text}"`, {
      hint: `Pass --domain-types with one or more of ${DOMAIN_TYPE_KEYS.join(', ')}, separated by commas.`,
    });
  }
  return [...new Set(list)];
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

/** One column of a primary key: the record's field as given (`userId`) and its column (`user_id`). */
export interface KeyColumn {
  field: string;
  column: string;
}

const FIELD_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Parses `--primary-key`: one field or a comma-separated composite
 * (`connection_id,gitlab_id`). Each is a field of the API record, camelCase
 * or snake_case; its column is the snake_case form, as DevLake's columns are.
 * Throws DEVLAKE_E_GEN_INVALID_ANSWER naming the bad part.
 */
export function parsePrimaryKey(value: string): KeyColumn[] {
  const hint = 'Pass --primary-key with a field of the record (e.g. id, userId) or several separated by commas (e.g. connection_id,gitlab_id).';
  const parts = value.split(',').map((p) => p.trim());
  if (parts.length === 0 || parts.some((p) => p === '')) {
    throw new DevlakeError('DEVLAKE_E_GEN_INVALID_ANSWER', `The primary key "${value}" has an empty column`, { hint });
  }
  const keys = parts.map((field) => {
    if (!FIELD_RE.test(field)) {
      throw new DevlakeError('DEVLAKE_E_GEN_INVALID_ANSWER', `The primary key column "${field}" is not a field name (letters, digits and _, not starting with a digit)`, { hint });
    }
    const column = snakeCase(field);
    if (column.length > 64) {
      throw new DevlakeError('DEVLAKE_E_GEN_INVALID_ANSWER', `The primary key column "${field}" is longer than 64 characters`, { hint });
    }
    return { field, column };
  });
  const columns = keys.map((k) => k.column);
  const dup = columns.find((c, i) => columns.indexOf(c) !== i);
  if (dup) throw new DevlakeError('DEVLAKE_E_GEN_INVALID_ANSWER', `The primary key names the column "${dup}" twice`, { hint });
  return keys;
}

/**
 * Throws DEVLAKE_E_GEN_INVALID_ANSWER unless `value` is a migration version
 * `YYYYMMDDhhmmss` that is a real UTC time (month 01-12, hour 00-23, …), so a
 * typo cannot push every later default version to 15 digits.
 */
export function validateMigrationVersion(value: string | number): number {
  const text = String(value);
  const hint = 'Pass 14 digits YYYYMMDDhhmmss in UTC, e.g. --migration-version 20240101000000, or leave it out for now.';
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!m) throw new DevlakeError('DEVLAKE_E_GEN_INVALID_ANSWER', `The migration version "${text}" is not 14 digits YYYYMMDDhhmmss`, { hint });
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  const real =
    y >= 1970 && date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && date.getUTCHours() === h && date.getUTCMinutes() === mi && date.getUTCSeconds() === s;
  if (!real) throw new DevlakeError('DEVLAKE_E_GEN_INVALID_ANSWER', `The migration version "${text}" is not a date and time (YYYYMMDDhhmmss, UTC)`, { hint });
  return Number(text);
}
