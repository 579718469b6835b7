import * as swc from '@swc/core';
import * as ts from 'typescript';
import type { MigrationScript } from 'devlake-ts';
import { checksumOf } from '../../src/dal/migration-checksum';

const SOURCE = (column: string) => `
import type { Knex } from 'knex';
import { addRawDataOrigin, addTimestamps } from '../dal/columns';
import * as helpers from './helpers';
export const script = {
  version: 20240101000000,
  name: 'add_things',
  async up(db: Knex) {
    // comments are not part of the script's meaning
    await db.schema.createTable('_tool_things', (t) => {
      t.string("${column}", 255).primary();
      t.decimal('ratio', 10, 2).defaultTo(1.5);
      addTimestamps(t);
      addRawDataOrigin(t,);
    });
    await db('_tool_things').insert({ ${column}: \`seed-\${helpers.SUFFIX}\`, ratio: 0.25 });
  },
};`;

/** Loads a compiled CommonJS module, with its imports stubbed (only `up`'s text matters). */
function load(js: string): MigrationScript {
  const module = { exports: {} as { script: MigrationScript } };
  new Function('exports', 'require', 'module', js)(module.exports, () => ({}), module);
  return module.exports.script;
}

const viaTsc = (src: string) => load(ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText);
const viaSwc = (src: string) => load(swc.transformSync(src, { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }).code);

describe('migration checksum', () => {
  it('is the same whether the script was compiled by tsc (dist) or swc (plugins, jest)', () => {
    expect(checksumOf(viaTsc(SOURCE('id')))).toBe(checksumOf(viaSwc(SOURCE('id'))));
  });

  it('changes when the script changes', () => {
    expect(checksumOf(viaSwc(SOURCE('id')))).not.toBe(checksumOf(viaSwc(SOURCE('key'))));
    const a = viaTsc(SOURCE('id'));
    expect(checksumOf({ ...a, name: 'renamed' })).not.toBe(checksumOf(a));
    expect(checksumOf({ ...a, version: a.version + 1 })).not.toBe(checksumOf(a));
  });
});

describe('toolkit migrations', () => {
  // dist/ is built by tsc (jest's globalSetup); this file runs the swc-compiled src/.
  it('have the same checksums in dist/ (the CLI) as in src/ (plugins and tests)', () => {
    const dist = (m: string) => require(`../../dist/${m}`);
    const src = (m: string) => require(`../../src/${m}`);
    const sets = [
      ['dal/framework-migrations', 'frameworkMigrations'],
      ['domain', 'domainMigrations'],
    ] as const;
    for (const [mod, name] of sets) {
      const a = (src(mod)[name] as MigrationScript[]).map(checksumOf);
      const b = (dist(mod)[name] as MigrationScript[]).map(checksumOf);
      expect(a.length).toBeGreaterThan(0);
      expect(b).toEqual(a);
    }
  });
});
