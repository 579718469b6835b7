import * as fs from 'node:fs';
import * as path from 'node:path';
import type HandlebarsNs from 'handlebars';
import { DevlakeError } from '../core/errors';
import { camelCase, constantCase, kebabCase, pascalCase, snakeCase, titleCase } from '../core/naming';
import { PRECOMPILED_FILE, TEMPLATE_OPTIONS } from './precompile';

/**
 * Renders `templates/**\/*.ts.hbs` with Handlebars. The case helpers are the
 * runtime's own naming functions, so a template's `{{pascalCase name}}` and
 * the runner's table names can never disagree.
 */

/** The toolkit's `templates/` folder, from `src/generator` or `dist/generator` alike. */
export function templatesDir(): string {
  return path.resolve(__dirname, '..', '..', 'templates');
}

/**
 * A single-quoted TypeScript string literal of `value`: backslashes, quotes,
 * line breaks (also U+2028/2029) and other control characters are escaped, so
 * no input ends the literal early.
 */
export function quoteTs(value: string): string {
  const body = value.replace(/[\\'\u0000-\u001f\u2028\u2029\u007f]/g, (c) => {
    if (c === '\\') return '\\\\';
    if (c === "'") return "\\'";
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  return `'${body}'`;
}

/**
 * Text safe inside a `/** … *\/` or `//` comment: one line (line breaks and
 * control characters become spaces) and `*\/` cannot close the comment.
 */
export function commentText(value: string): string {
  return value
    .replace(/[\u0000-\u001f\u2028\u2029\u007f]+/g, ' ')
    .replace(/\*\//g, '*\\/')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Text safe on one Markdown line: no line breaks, and `<` cannot open HTML (`</script>`). */
export function markdownText(value: string): string {
  return commentText(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `value` when it is a JavaScript identifier; otherwise DEVLAKE_E_GEN_TEMPLATE (a name that escaped validation). */
export function identifier(value: string): string {
  if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(value)) return value;
  throw new Error(`"${value}" is not an identifier`);
}

let instance: typeof HandlebarsNs | undefined;

/** A Handlebars environment with the naming helpers; created on first use (handlebars loads lazily). */
function handlebars(): typeof HandlebarsNs {
  if (instance) return instance;
  const hb = (require('handlebars') as typeof HandlebarsNs).create();
  const str = (v: unknown): string => (typeof v === 'string' ? v : String(v ?? ''));
  hb.registerHelper('camelCase', (v: unknown) => camelCase(str(v)));
  hb.registerHelper('pascalCase', (v: unknown) => pascalCase(str(v)));
  hb.registerHelper('snakeCase', (v: unknown) => snakeCase(str(v)));
  hb.registerHelper('kebabCase', (v: unknown) => kebabCase(str(v)));
  hb.registerHelper('constantCase', (v: unknown) => constantCase(str(v)));
  hb.registerHelper('titleCase', (v: unknown) => titleCase(str(v)));
  // Every user string reaches a template through one of these, chosen for its context.
  hb.registerHelper('quote', (v: unknown) => quoteTs(str(v)));
  hb.registerHelper('comment', (v: unknown) => commentText(str(v)));
  hb.registerHelper('md', (v: unknown) => markdownText(str(v)));
  hb.registerHelper('ident', (v: unknown) => identifier(str(v)));
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  instance = hb;
  return hb;
}

const cache = new Map<string, HandlebarsNs.TemplateDelegate>();

type Precompiled = Record<string, { source: string; spec: Parameters<typeof HandlebarsNs.template>[0] }>;
let precompiled: Precompiled | null | undefined;

/** The build's precompiled templates (dist/ only; from src/ there are none). */
function precompiledTemplates(): Precompiled | null {
  if (precompiled === undefined) {
    const file = path.join(__dirname, PRECOMPILED_FILE);
    precompiled = fs.existsSync(file) ? (require(file) as Precompiled) : null;
  }
  return precompiled;
}

/** The template function for `source`: the build's precompiled one when it was built from this very text. */
function compileTemplate(template: string, source: string, dir: string): HandlebarsNs.TemplateDelegate {
  const built = dir === templatesDir() ? precompiledTemplates()?.[template.split(path.sep).join('/')] : undefined;
  if (built && built.source === source) return handlebars().template(built.spec);
  return handlebars().compile(source, TEMPLATE_OPTIONS);
}

/**
 * Renders one template (path relative to `templates/`) with `context`.
 * A missing or broken template is DEVLAKE_E_GEN_TEMPLATE naming the file.
 */
export function renderTemplate(template: string, context: object, dir: string = templatesDir()): string {
  const file = path.join(dir, template);
  try {
    let compiled = cache.get(file);
    if (!compiled) {
      compiled = compileTemplate(template, fs.readFileSync(file, 'utf8'), dir);
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
