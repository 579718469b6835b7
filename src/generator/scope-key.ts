import { DevlakeError } from '../core/errors';
import { camelCase, pascalCase, snakeCase } from '../core/naming';
import type { PluginsView } from './plan-common';

/**
 * The scope key of a generated plugin: the task option naming what one task
 * collects (`name` for `owner/repo`, `projectId`, `boardId`), stored in the
 * params in DevLake's form (`{"ConnectionId":1,"Name":"…"}`) and keying the
 * scopes table with `connection_id`. A key ending in `Id` is a number, as
 * DevLake's `ProjectId` and `BoardId` are; any other is a string.
 */

/** What the templates and the fixtures of later commands need to know about the scope key. */
export interface ScopeKey {
  /** The task option, camelCase: `name`, `projectId`. */
  option: string;
  /** Its params field, PascalCase: `Name`, `ProjectId`. */
  param: string;
  /** Its scopes-table column, snake_case: `name`, `project_id`. */
  column: string;
  numeric: boolean;
  tsType: 'number' | 'string';
  /** The column declaration in the scopes table. */
  decl: string;
  /** Options for examples: `{"connectionId":1,"name":"default"}`. */
  exampleOptions: string;
  /** TypeScript literals of the options of two scopes generated tests use: this run's, and another connection's. */
  testOptions: [string, string];
  /** `_raw_data_params` of the first / second test scope. */
  fixtureParams: string;
  otherParams: string;
  /** `otherParams` as a TypeScript string literal, and the scopes rows both runs record. */
  otherParamsLiteral: string;
  expectedRows: string;
}

/** Options that name something else, never a scope key. */
const TAKEN = new Set(['connectionId', 'scopeConfig', 'scopeConfigId', 'scope']);

/** The scope key `key` (camelCase or snake_case), or DEVLAKE_E_GEN_INVALID_ANSWER. */
export function scopeKey(key: string): ScopeKey {
  const option = camelCase(key);
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(key) || !/^[a-z][A-Za-z0-9]*$/.test(option) || TAKEN.has(option)) {
    throw new DevlakeError('DEVLAKE_E_GEN_INVALID_ANSWER', `--scope-key "${key}" is not a scope key: ${TAKEN.has(option) ? 'that option is taken' : 'it must be an identifier'}`, {
      hint: 'Pass the task option naming one scope, e.g. --scope-key name (owner/repo) or --scope-key projectId (a number).',
    });
  }
  const numeric = /Id$/.test(option);
  const param = pascalCase(option);
  const value = (i: number) => (numeric ? String(i + 1) : ['default', 'other'][i]!);
  const json = (i: number) => (numeric ? value(i) : JSON.stringify(value(i)));
  const ts = (i: number) => (numeric ? value(i) : `'${value(i)}'`);
  const params = (i: number) => `{"ConnectionId":${i + 1},"${param}":${json(i)}}`;
  return {
    option,
    param,
    column: snakeCase(option),
    numeric,
    tsType: numeric ? 'number' : 'string',
    decl: numeric ? 'col.bigint().primaryKey()' : 'col.string(255).primaryKey()',
    exampleOptions: `{"connectionId":1,"${option}":${numeric ? '42' : '"default"'}}`,
    testOptions: [`{ connectionId: 1, ${option}: ${ts(0)} }`, `{ connectionId: 2, ${option}: ${ts(1)} }`],
    fixtureParams: params(0),
    otherParams: params(1),
    otherParamsLiteral: `'${params(1)}'`,
    expectedRows: `[1, ${ts(0)}], [2, ${ts(1)}]`,
  };
}

/** How fixtures of a plugin made before scope keys (params `{"Scope":…}`, option `scope`) are written. */
const LEGACY = { testOptions: ["{ scope: 'default' }", ''], fixtureParams: '{"Scope":"default"}', otherParams: '{"Scope":"other"}' };

/**
 * The scope key of an existing plugin, read from its task-data.ts (the
 * `<Plugin>Params` interface the generator wrote): what later commands'
 * fixtures and tests use. A plugin made before scope keys gets its old form.
 */
export function pluginScopeKey(
  view: PluginsView,
  plugin: string,
): Pick<ScopeKey, 'fixtureParams' | 'otherParams'> & { testOptions: readonly string[]; connectionParam: boolean } {
  const text = view.read(`${plugin}/task-data.ts`) ?? '';
  const m = /export interface \w+Params \{\s*ConnectionId: number;\s*([A-Z][A-Za-z0-9]*): (?:number|string);/.exec(text);
  return m ? { ...scopeKey(m[1]!.charAt(0).toLowerCase() + m[1]!.slice(1)), connectionParam: true } : { ...LEGACY, connectionParam: false };
}
