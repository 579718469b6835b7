import type * as TS from 'typescript';
import { DevlakeError } from '../core/errors';

/**
 * Registers a subtask, model or migration in a plugin's existing source by
 * editing its syntax tree (TypeScript compiler API): the identifier is added
 * to an array and imported. Registering what is already there returns the
 * source unchanged, so running a command twice changes nothing.
 */

/** Where the array to extend lives. */
export type RegistrationTarget =
  /** The array returned by a method or property of an object literal, e.g. `subTaskMetas() { return [...]; }`. */
  | { method: string }
  /** The array a variable is initialised with, e.g. `export const migrationScripts = [...]`. */
  | { variable: string };

export interface Registration {
  target: RegistrationTarget;
  /** The identifier to add, e.g. `CollectCommitterMeta`. */
  identifier: string;
  /** The module to import it from, e.g. `./tasks/committer-collector`. */
  from: string;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

// Lazy: typescript is large and only the create-* commands need it.
const tsLib = (): typeof TS => require('typescript') as typeof TS;

const MAX_LINE = 110;

/** Returns `source` with `registration` applied (unchanged when already registered). */
export function registerInSource(source: string, fileName: string, registration: Registration): string {
  const ts = tsLib();
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const array = findArray(ts, sf, registration.target);
  if (!array) {
    const where = 'method' in registration.target ? `the array returned by ${registration.target.method}()` : `the array ${registration.target.variable}`;
    throw new DevlakeError('DEVLAKE_E_GEN_REGISTER', `Cannot find ${where} in ${fileName} to register ${registration.identifier}`, {
      hint: `Add ${registration.identifier} (imported from '${registration.from}') to ${where} by hand.`,
    });
  }
  const edits: Edit[] = [];
  const present = array.elements.some((e) => ts.isIdentifier(e) && e.text === registration.identifier);
  if (!present) edits.push(arrayEdit(sf, array, registration.identifier));
  const importEdit = importEditFor(ts, sf, registration);
  if (importEdit) edits.push(importEdit);
  // Apply from the end so earlier offsets stay valid.
  return edits
    .sort((a, b) => b.start - a.start)
    .reduce((text, e) => text.slice(0, e.start) + e.text + text.slice(e.end), source);
}

function findArray(ts: typeof TS, sf: TS.SourceFile, target: RegistrationTarget): TS.ArrayLiteralExpression | undefined {
  let found: TS.ArrayLiteralExpression | undefined;
  const unwrap = (e: TS.Expression | undefined): TS.ArrayLiteralExpression | undefined => {
    while (e && (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e))) e = e.expression;
    return e && ts.isArrayLiteralExpression(e) ? e : undefined;
  };
  const fromFunctionBody = (body: TS.Node | undefined): TS.ArrayLiteralExpression | undefined => {
    if (!body) return undefined;
    if (!ts.isBlock(body)) return unwrap(body as TS.Expression);
    for (const stmt of body.statements) {
      if (ts.isReturnStatement(stmt)) return unwrap(stmt.expression);
    }
    return undefined;
  };
  const visit = (node: TS.Node): void => {
    if (found) return;
    if ('method' in target) {
      const nameOf = (n: TS.PropertyName): string | undefined => (ts.isIdentifier(n) || ts.isStringLiteral(n) ? n.text : undefined);
      if (ts.isMethodDeclaration(node) && nameOf(node.name) === target.method && ts.isObjectLiteralExpression(node.parent)) {
        found = fromFunctionBody(node.body);
      } else if (ts.isPropertyAssignment(node) && nameOf(node.name) === target.method) {
        const init = node.initializer;
        found = ts.isArrowFunction(init) || ts.isFunctionExpression(init) ? fromFunctionBody(init.body) : undefined;
      }
    } else if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === target.variable) {
      found = unwrap(node.initializer);
    }
    if (!found) ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

function indentOf(sf: TS.SourceFile, pos: number): string {
  const lineStart = sf.text.lastIndexOf('\n', pos - 1) + 1;
  return /^[ \t]*/.exec(sf.text.slice(lineStart))![0];
}

/** Rewrites the array with the new element: one line when it fits, one element per line otherwise. */
function arrayEdit(sf: TS.SourceFile, array: TS.ArrayLiteralExpression, identifier: string): Edit {
  const start = array.getStart(sf);
  const elements = [...array.elements.map((e) => e.getText(sf)), identifier];
  const indent = indentOf(sf, start);
  const column = start - (sf.text.lastIndexOf('\n', start - 1) + 1);
  const oneLine = `[${elements.join(', ')}]`;
  const multiLineBefore = array.getText(sf).includes('\n');
  const text =
    !multiLineBefore && column + oneLine.length + 2 <= MAX_LINE
      ? oneLine
      : `[\n${elements.map((e) => `${indent}  ${e},`).join('\n')}\n${indent}]`;
  return { start, end: array.getEnd(), text };
}

/** Adds `identifier` to an existing import from the module, or a new import line after the last import. */
function importEditFor(ts: typeof TS, sf: TS.SourceFile, registration: Registration): Edit | undefined {
  const imports = sf.statements.filter(ts.isImportDeclaration);
  for (const decl of imports) {
    if (!ts.isStringLiteral(decl.moduleSpecifier) || decl.moduleSpecifier.text !== registration.from) continue;
    const bindings = decl.importClause?.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings) || decl.importClause?.isTypeOnly) continue;
    if (bindings.elements.some((el) => el.name.text === registration.identifier)) return undefined;
    const names = [...bindings.elements.map((el) => el.getText(sf)), registration.identifier];
    return { start: bindings.getStart(sf), end: bindings.getEnd(), text: `{ ${names.join(', ')} }` };
  }
  // Declared in this very file (not imported): nothing to import.
  const declaredHere = sf.statements.some(
    (s) =>
      (ts.isVariableStatement(s) && s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === registration.identifier)) ||
      ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && s.name?.text === registration.identifier),
  );
  if (declaredHere) return undefined;
  const line = `import { ${registration.identifier} } from '${registration.from}';`;
  const last = imports[imports.length - 1];
  if (last) return { start: last.getEnd(), end: last.getEnd(), text: `\n${line}` };
  return { start: 0, end: 0, text: `${line}\n\n` };
}
