import * as fs from 'node:fs';
import * as path from 'node:path';
import type HandlebarsNs from 'handlebars';
import { DevlakeError } from '../core/errors';
import { camelCase, constantCase, kebabCase, pascalCase, snakeCase, titleCase } from '../core/naming';

/**
 * Renders `templates/**\/*.ts.hbs` with Handlebars. The case helpers are the
 * runtime's own naming functions, so a template's `{{pascalCase name}}` and
 * the runner's table names can never disagree.
 */

/** The toolkit's `templates/` folder, from `src/generator` or `dist/generator` alike. */
export function templatesDir(): string {
  return path.resolve(__dirname, '..', '..', 'templates');
}

let instance: typeof HandlebarsNs | undefined;

/** A Handlebars environment with the naming helpers; created on first use (handlebars loads lazily). */
function handlebars(): typeof HandlebarsNs {
  if (instance) return instance;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const hb = (require('handlebars') as typeof HandlebarsNs).create();
  const str = (v: unknown): string => (typeof v === 'string' ? v : String(v ?? ''));
  hb.registerHelper('camelCase', (v: unknown) => camelCase(str(v)));
  hb.registerHelper('pascalCase', (v: unknown) => pascalCase(str(v)));
  hb.registerHelper('snakeCase', (v: unknown) => snakeCase(str(v)));
  hb.registerHelper('kebabCase', (v: unknown) => kebabCase(str(v)));
  hb.registerHelper('constantCase', (v: unknown) => constantCase(str(v)));
  hb.registerHelper('titleCase', (v: unknown) => titleCase(str(v)));
  // A TypeScript string literal: `'it''s'` is never produced by hand-quoting.
  hb.registerHelper('quote', (v: unknown) => `'${str(v).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`);
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  instance = hb;
  return hb;
}

const cache = new Map<string, HandlebarsNs.TemplateDelegate>();

/**
 * Renders one template (path relative to `templates/`) with `context`.
 * A missing or broken template is DEVLAKE_E_GEN_TEMPLATE naming the file.
 */
export function renderTemplate(template: string, context: object, dir: string = templatesDir()): string {
  const file = path.join(dir, template);
  try {
    let compiled = cache.get(file);
    if (!compiled) {
      compiled = handlebars().compile(fs.readFileSync(file, 'utf8'), { noEscape: true, strict: true });
      cache.set(file, compiled);
    }
    // Blank lines left by `{{#if}}` blocks are collapsed so output reads as hand-written.
    return compiled(context).replace(/\n{3,}/g, '\n\n');
  } catch (cause) {
    throw new DevlakeError('DEVLAKE_E_GEN_TEMPLATE', `Template ${template} failed to render: ${(cause as Error).message}`, {
      hint: 'Report it; the toolkit installation may be incomplete (templates/ folder).',
      cause,
    });
  }
}
