import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { planCollector, planConverter, planExtractor, planMigration, planPlugin, type PluginsView } from '../../src/generator/plan';
import { domainTables } from '../../src/generator/domain-targets';
import { parseColumnSpec, selectColumns } from '../../src/generator/column-spec';
import { inferTable } from '../../src/generator/infer-sample';
import { validateEndpoint } from '../../src/generator/validate';
import type { GeneratedFile } from '../../src/generator/write-files';
import { ROOT, typeCheck } from '../cli/generated-project';

/**
 * Every user string that reaches a template (description, endpoint, HTTP path)
 * is escaped for where it lands: a JSDoc comment, a string literal, Markdown.
 * The plugin is planned with hostile values through every template, written,
 * and compiled strictly; the literals must hold exactly what was given.
 */

const DESCRIPTION =
  "Collects builds from /api/*/builds */ process.exit(9); /* `${process.exit(8)}` 'single' \"double\"\nsecond line\r\n</script><script>alert(1)</script>\u2028 back\\slash // end";
const ENDPOINT = "https://api.example.com/a*/b'c/</script>/?q=${x}&r=\"y\"#*/";
const HTTP_PATH = "repos/*/issues'x\"y</script>/{{params.Scope}}?a=*/";

/** Records for --columns: hostile keys, and `q.r` null in the second. */
const PICKED = [
  { id: 1, 'a*/b': { ok: 'x' }, "q'`${x}": 's', nested: { 'c-d': true }, q: { r: { s: 1, at: '2024-01-01T00:00:00Z' } } },
  { id: 2, 'a*/b': { ok: 'y' }, "q'`${x}": 't', nested: { 'c-d': false }, q: { r: null } },
];

function view(files: GeneratedFile[]): PluginsView {
  const map = new Map(files.map((f) => [f.path, f.content]));
  return {
    read: (p) => map.get(p),
    list: (dir) => [...map.keys()].filter((p) => p.startsWith(`${dir}/`) && !p.slice(dir.length + 1).includes('/')).map((p) => p.slice(dir.length + 1)).sort(),
  };
}

function apply(state: GeneratedFile[], plan: GeneratedFile[]): GeneratedFile[] {
  const map = new Map(state.map((f) => [f.path, f]));
  for (const f of plan) if (!(f.policy === 'keep' && map.has(f.path))) map.set(f.path, f);
  return [...map.values()];
}

/** The string literal assigned to `property` (first found) in a TypeScript file. */
function literalOf(source: string, property: string): string | undefined {
  const file = ts.createSourceFile('x.ts', source, ts.ScriptTarget.ES2022, true);
  let found: string | undefined;
  const visit = (node: ts.Node): void => {
    if (found !== undefined) return;
    if (ts.isPropertyAssignment(node) && node.name.getText(file) === property && ts.isStringLiteral(node.initializer)) found = node.initializer.text;
    if (ts.isVariableDeclaration(node) && node.name.getText(file) === property && node.initializer && ts.isStringLiteral(node.initializer)) found = node.initializer.text;
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe('hostile strings in every template (and a converter into every domain table)', () => {
  let dir: string;
  let state: GeneratedFile[] = [];
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(ROOT, '.tmp-hostile-'));
    state = planPlugin({ name: 'evil', withApiClient: true, endpoint: ENDPOINT, description: DESCRIPTION, initVersion: 20240101000000, auth: 'header', authHeader: "X-Key'`" });
    const steps = [
      ...['none', 'page', 'totalPages', 'offset', 'cursor', 'link'].map(
        (pagination) => (v: PluginsView) => planCollector(v, { plugin: 'evil', name: `by-${pagination.toLowerCase()}`, httpPath: HTTP_PATH, pagination: pagination as 'none' }),
      ),
      (v: PluginsView) => planExtractor(v, { plugin: 'evil', name: 'by-page', primaryKey: 'userId', version: 20240101000001 }),
      (v: PluginsView) => planExtractor(v, { plugin: 'evil', name: 'pair', collector: 'by-none', primaryKey: 'connection_id,evil_id', version: 20240101000002 }),
      // A declarative extractor from a sample whose keys are hostile: pick paths, the not-mapped comment, column names.
      (v: PluginsView) =>
        planExtractor(v, {
          plugin: 'evil',
          name: 'sampled',
          collector: 'by-link',
          table: inferTable([{ id: 1, 'a*/b': { '*/ process.exit(7); /*': 1, ok: 'x' }, "q'`${x}": 's', nested: { 'c-d': true } }], { prefix: 'evil' }),
          version: 20240101000005,
        }),
      // Columns picked with --columns (renamed, deep, kinds overridden; a parent null in one record), in both extractor forms.
      ...[true, false].map(
        (declarative) => (v: PluginsView) =>
          planExtractor(v, {
            plugin: 'evil',
            name: declarative ? 'picked' : 'picked-fn',
            collector: 'by-offset',
            table: selectColumns(
              inferTable(PICKED, { prefix: 'evil' }),
              parseColumnSpec("evil_id=id:bigint,deep=q.r.s:int,when=q.r.at,flag=nested.c-d:bool,text=q'`${x}:text,odd=a*/b.ok:string(32),raw=q.r:json"),
            ),
            declarative,
            zeroValues: !declarative,
            version: declarative ? 20240101000006 : 20240101000007,
          }),
      ),
      (v: PluginsView) => planConverter(v, { plugin: 'evil', name: 'by-page', domainTable: 'issues' }),
      (v: PluginsView) => planConverter(v, { plugin: 'evil', name: 'pair', domainTable: 'pull_request_commits' }),
      // A converter into every domain table the framework defines: each one must compile.
      ...domainTables().map((table) => (v: PluginsView) => planConverter(v, { plugin: 'evil', name: `to-${table}`.slice(0, 40), model: 'pair', domainTable: table })),
      (v: PluginsView) => planMigration(v, { plugin: 'evil', name: 'add-thing', version: 20240101000003 }),
      (v: PluginsView) => planMigration(v, { plugin: 'evil', name: 'add-email-column', version: 20240101000004, addColumn: { table: 'pair', column: 'email', type: 'text' } }),
    ];
    for (const step of steps) state = apply(state, step(view(state)));
    for (const f of state) {
      fs.mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
      fs.writeFileSync(path.join(dir, f.path), f.content);
    }
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const file = (p: string): string => state.find((f) => f.path === p)!.content;

  it('compiles strictly: no string ends its comment or literal early', async () => {
    const { errors, output } = await typeCheck(dir, { extends: path.join(ROOT, 'tsconfig.json'), include: ['**/*.ts'] });
    expect({ errors, output: errors.length ? output : '' }).toEqual({ errors: [], output: '' });
  }, 120_000);

  it('keeps each value exactly in its string literal, and comments on one line', () => {
    const index = file('evil/index.ts');
    expect(literalOf(index, 'description')).toBe(DESCRIPTION.replace(/\s+/g, ' ').trim());
    // Nothing of the description runs: the only statements are the imports and the export.
    const parsed = ts.createSourceFile('index.ts', index, ts.ScriptTarget.ES2022, true);
    const kinds = parsed.statements.map((s) => ts.SyntaxKind[s.kind]);
    expect(new Set(kinds.slice(0, -1))).toEqual(new Set(['ImportDeclaration']));
    expect(kinds.at(-1)).toBe('ExportAssignment');
    expect(literalOf(file('evil/api-client.ts'), 'DEFAULT_ENDPOINT')).toBe(validateEndpoint(ENDPOINT));
    for (const mode of ['none', 'page', 'totalpages', 'offset', 'cursor', 'link']) {
      expect(literalOf(file(`evil/tasks/by-${mode}-collector.ts`), 'urlTemplate')).toBe(HTTP_PATH);
    }
    // The sampled extractor reads what pick can read and names the rest in its comment, on one line each.
    const sampled = file('evil/tasks/sampled-extractor.ts');
    expect(sampled).toContain("nested_c_d: pick.bool('nested.c-d'),");
    expect(sampled.match(/^ \* Not mapped: .*$/gm)).toHaveLength(3);
    expect(sampled).not.toContain('*/ process.exit(7)'); // the key cannot close the comment
    // Picked columns: in the spec's order after the key, each read by its kind's rule.
    const picked = file('evil/tasks/picked-extractor.ts');
    expect(picked.match(/^ {4}\w+: pick\.\w+\(.*\),$/gm)).toEqual([
      "    connection_id: pick.param('ConnectionId'),",
      "    evil_id: pick.int('id'),",
      "    deep: pick.int('q.r.s'),",
      "    when: pick.time('q.r.at'),",
      "    flag: pick.bool('nested.c-d'),",
      "    raw: pick.json('q.r'),",
    ]);
    expect(picked.match(/^ \* Not mapped: .*$/gm)).toHaveLength(2);
    expect(file('evil/tasks/picked-fn-extractor.ts')).toContain('deep: record.q.r?.s ?? 0,');
  });

  it('writes the README without HTML or line breaks from the description', () => {
    const readme = file('evil/README.md');
    expect(readme).not.toContain('<script>');
    expect(readme).not.toContain('</script>');
    expect(readme.split('\n')[2]).toContain('&lt;/script&gt;&lt;script&gt;alert(1)');
    expect(readme.split('\n')[2]).toContain('second line');
  });
});
