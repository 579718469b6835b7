import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

/**
 * No SQL text for one database outside its dialect folder (src/dal/<dialect>/):
 * the string literals of every source file are searched for constructs only
 * some databases have. Comments may name them; code may not.
 */

const SRC = path.join(__dirname, '../../src');

/** Constructs and the dialects that have them. */
const CONSTRUCTS: Array<{ re: RegExp; owners: string[] }> = [
  { re: /\bPRAGMA\b/i, owners: ['sqlite'] },
  { re: /\bjson_each\b|\bjson_extract\(|\bsqlite_master\b/i, owners: ['sqlite', 'mysql'] },
  { re: /\bpg_[a-z_]+\b|\bset_config\(|\bcurrent_setting\(|\bsetval\(|\bto_regclass\(/i, owners: ['postgres'] },
  { re: /\bSET LOCAL\b|\bsynchronous_commit\b|\bjson_array_elements\b|\blateral\b|::(json|jsonb|text|int|bigint|timestamptz)\b/i, owners: ['postgres'] },
  { re: /\b(CREATE|DROP) SCHEMA\b/i, owners: ['postgres'] },
  { re: /\bON CONFLICT\b|\bexcluded\./i, owners: ['sqlite', 'postgres'] },
  { re: /\bON DUPLICATE KEY\b|\bGET_LOCK\(|\bRELEASE_LOCK\(|\bLOAD DATA\b|\bJSON_TABLE\(|\bJSON_UNQUOTE\(|\bSHOW CREATE TABLE\b|\bAUTO_INCREMENT\b|\bENGINE\s*=/i, owners: ['mysql'] },
  { re: /\binformation_schema\b/i, owners: ['postgres', 'mysql'] },
  { re: /\bGREATEST\(|\bILIKE\b/i, owners: ['postgres', 'mysql'] },
];
/** Files outside the dialect folders that hold text several dialects share, and which dialects share it. */
const SHARED: Record<string, string[]> = { 'dal/ansi-sql.ts': ['sqlite', 'postgres'] };
const DIALECTS = ['sqlite', 'postgres', 'mysql'];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** The text of every string and template literal of a TypeScript file (comments skipped). */
export function stringLiterals(text: string): string[] {
  const out: string[] = [];
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text);
  const braces: boolean[] = []; // per open brace: does it belong to a template `${`?
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.OpenBraceToken) braces.push(false);
    else if (kind === ts.SyntaxKind.TemplateHead) {
      out.push(scanner.getTokenValue());
      braces.push(true);
    } else if (kind === ts.SyntaxKind.CloseBraceToken) {
      if (braces.pop()) {
        kind = scanner.reScanTemplateToken(false);
        out.push(scanner.getTokenValue());
        if (kind === ts.SyntaxKind.TemplateMiddle) braces.push(true);
      }
    } else if (kind === ts.SyntaxKind.StringLiteral || kind === ts.SyntaxKind.NoSubstitutionTemplateLiteral) out.push(scanner.getTokenValue());
    else if (kind === ts.SyntaxKind.SlashToken || kind === ts.SyntaxKind.SlashEqualsToken) {
      // A regular expression here would otherwise be scanned as code.
      kind = scanner.reScanSlashToken();
    }
  }
  return out;
}

/** Which dialects may hold text in this file: its dialect folder's, or a shared file's. */
function allowedIn(rel: string): string[] {
  const folder = /^dal\/([^/]+)\//.exec(rel)?.[1];
  if (folder && DIALECTS.includes(folder)) return [folder];
  return SHARED[rel] ?? [];
}

describe('dialect-specific SQL', () => {
  it('stays in src/dal/<dialect>/', () => {
    const leaks: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const rel = path.relative(SRC, file).split(path.sep).join('/');
      const allowed = allowedIn(rel);
      const text = fs.readFileSync(file, 'utf8');
      for (const literal of stringLiterals(text)) {
        for (const { re, owners } of CONSTRUCTS) {
          const m = re.exec(literal);
          // A construct is allowed where every dialect that could run this text has it.
          if (m && !(allowed.length > 0 && allowed.every((d) => owners.includes(d)))) leaks.push(`${rel}: "${m[0]}" in ${JSON.stringify(literal.slice(0, 80))}`);
        }
      }
      // Branching on the dialect outside the dialect folders means its SQL (or quirk) lives elsewhere.
      if (allowed.length === 0 && /\.dialect\s*[!=]==?\s*'/.test(text)) leaks.push(`${rel}: branches on the dialect`);
    }
    expect(leaks).toEqual([]);
  });

  it('finds SQL in string and template literals, not in comments', () => {
    const code = "// PRAGMA in a comment\nconst a = 'PRAGMA table_info';\nconst b = `x ${1} ON CONFLICT ${2} y`;\nconst r = /SET LOCAL/;";
    expect(stringLiterals(code)).toEqual(['PRAGMA table_info', 'x ', ' ON CONFLICT ', ' y']);
  });
});
