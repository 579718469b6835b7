import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PRECOMPILED_FILE, precompiledModule, templateFiles } from '../../src/generator/precompile';
import { commentText, markdownText, quoteTs, renderTemplate, templatesDir } from '../../src/generator/render';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'devlake-render-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('renderTemplate', () => {
  it('offers the runtime naming functions as helpers and quotes TypeScript strings safely', () => {
    fs.writeFileSync(
      path.join(dir, 't.hbs'),
      '{{pascalCase n}} {{camelCase n}} {{snakeCase n}} {{kebabCase n}} {{constantCase n}} {{titleCase n}} {{quote q}}',
    );
    expect(renderTemplate('t.hbs', { n: 'PRReview', q: "it's a \\ test" }, dir)).toBe(
      "PrReview prReview pr_review pr-review PR_REVIEW Pr Review 'it\\'s a \\\\ test'",
    );
  });

  it('escapes each user string for where it lands: string literal, comment, Markdown', () => {
    expect(quoteTs("a'b\\c\nd\r\u2028e`${x}`")).toBe("'a\\'b\\\\c\\nd\\r\\u2028e`${x}`'");
    expect(commentText('a */ b\n  c /* d')).toBe('a *\\/ b c /* d');
    expect(markdownText('x\n</script> & y')).toBe('x &lt;/script&gt; &amp; y');
  });

  it('does not HTML-escape and collapses blank lines left by blocks', () => {
    fs.writeFileSync(path.join(dir, 't.hbs'), 'a<b> & "c"\n{{#if x}}\nx\n{{/if}}\n\n\nend\n');
    expect(renderTemplate('t.hbs', { x: false }, dir)).toBe('a<b> & "c"\n\nend\n');
  });

  it('names the template when it is missing or uses an unknown field', () => {
    fs.writeFileSync(path.join(dir, 'bad.hbs'), '{{nope}}');
    expect(() => renderTemplate('bad.hbs', {}, dir)).toThrow(expect.objectContaining({ code: 'DEVLAKE_E_GEN_TEMPLATE', message: expect.stringContaining('bad.hbs') }));
    expect(() => renderTemplate('missing.hbs', {}, dir)).toThrow(expect.objectContaining({ code: 'DEVLAKE_E_GEN_TEMPLATE', message: expect.stringContaining('missing.hbs') }));
  });

  it('finds the toolkit templates, one per generated file', () => {
    const list = (d: string): string[] =>
      fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? list(path.join(d, e.name)).map((f) => `${e.name}/${f}`) : [e.name]));
    expect(list(templatesDir()).sort()).toEqual([
      'collector/collector.ts.hbs',
      'converter/converter.test.ts.hbs',
      'converter/converter.ts.hbs',
      'converter/snapshot.csv.hbs',
      'extractor/extractor.test.ts.hbs',
      'extractor/extractor.ts.hbs',
      'extractor/mapped-extractor.ts.hbs',
      'extractor/migration.ts.hbs',
      'extractor/model.ts.hbs',
      'extractor/raw.csv.hbs',
      'extractor/snapshot.csv.hbs',
      'migration/add-column.ts.hbs',
      'migration/migration.ts.hbs',
      'plugin/README.md.hbs',
      'plugin/api-client.ts.hbs',
      'plugin/e2e/plugin.test.ts.hbs',
      'plugin/index.ts.hbs',
      'plugin/migrations/index.ts.hbs',
      'plugin/migrations/init.ts.hbs',
      'plugin/models/connection.ts.hbs',
      'plugin/models/scope-config.ts.hbs',
      'plugin/models/scope.ts.hbs',
      'plugin/task-data.ts.hbs',
    ]);
  });
});

describe('precompiled templates (npm run build)', () => {
  it('hold every template with its source text, so an edited one is compiled again', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'devlake-precompiled-'));
    try {
      const file = path.join(out, PRECOMPILED_FILE);
      fs.writeFileSync(file, precompiledModule(require('handlebars') as typeof import('handlebars'), templatesDir()));
      const built = require(file) as Record<string, { source: string; spec: unknown }>;
      const names = templateFiles(templatesDir());
      expect(Object.keys(built).sort()).toEqual(names);
      expect(names.length).toBeGreaterThan(10);
      for (const name of names) {
        expect(built[name]!.source).toBe(fs.readFileSync(path.join(templatesDir(), name), 'utf8'));
        expect(typeof (built[name]!.spec as { main?: unknown }).main).toBe('function');
      }
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
