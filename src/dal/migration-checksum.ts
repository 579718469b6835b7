import { createHash } from 'node:crypto';
import type { MigrationScript } from './types';

/**
 * The checksum of a migration script: its version, name and the tokens of its
 * `up` function. Tokens, not text, because the same source compiled by tsc
 * (the CLI's dist/) and by swc (plugins, jest) differs in layout, comments,
 * semicolons, trailing commas and module-interop names (`columns_1.f` vs
 * `_columns.f`, `(0, x.f)(…)`); none of that is an edit of the script.
 */
export function checksumOf(script: MigrationScript): string {
  const body = normalizeTokens(tokenize(script.up.toString())).join(' ');
  // Without a fingerprint the hash is what it always was: applied scripts keep their checksums.
  const data = script.fingerprint === undefined ? '' : `\n${script.fingerprint}`;
  return createHash('sha256').update(`${script.version}\n${script.name}\n${body}${data}`).digest('hex');
}

const PUNCT = ['>>>=', '...', '===', '!==', '**=', '<<=', '>>=', '>>>', '=>', '==', '!=', '<=', '>=', '&&', '||', '??', '?.', '++', '--', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '**', '<<', '>>'];

/** Splits JavaScript source into tokens; comments and white space are dropped, strings become `"<value>"`. */
export function tokenize(src: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      i = end < 0 ? src.length : end + 2;
    } else if (c === '`') {
      // Template literal: text parts as strings, `${…}` parts as tokens (they may name imports).
      let j = i + 1;
      let text = '';
      out.push('`');
      while (j < src.length && src[j] !== '`') {
        if (src[j] === '\\' && j + 1 < src.length) {
          text += src.slice(j, j + 2);
          j += 2;
        } else if (src[j] === '$' && src[j + 1] === '{') {
          let depth = 1;
          let k = j + 2;
          while (k < src.length && depth > 0) {
            if (src[k] === '{') depth++;
            else if (src[k] === '}') depth--;
            k++;
          }
          out.push(`"${text}"`, '${', ...tokenize(src.slice(j + 2, k - 1)), '}');
          text = '';
          j = k;
        } else text += src[j++];
      }
      out.push(`"${text}"`, '`');
      i = j + 1;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      let value = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) {
          value += src[j + 1] === c ? c : src.slice(j, j + 2);
          j += 2;
        } else value += src[j++];
      }
      // Quote style is the compiler's choice; the value is the script's.
      out.push(`"${value}"`);
      i = j + 1;
    } else if (/[A-Za-z_$0-9]/.test(c)) {
      let j = i;
      while (j < src.length && /[A-Za-z_$0-9.]/.test(src[j]) && !(src[j] === '.' && !/[0-9]/.test(c))) j++;
      out.push(src.slice(i, j));
      i = j;
    } else {
      const p = PUNCT.find((s) => src.startsWith(s, i)) ?? c;
      out.push(p);
      i += p.length;
    }
  }
  return out;
}

/** tsc names an imported module `columns_1` (a namespace import keeps its name), swc `_columns`. */
const MODULE_ALIAS = /^(?:[A-Za-z$][\w$]*_\d+|_[A-Za-z$][\w$]*)$/;

/**
 * `columns_1` and `_columns` both become `columns`; `framework_tables_1` (tsc,
 * from framework-tables) and `_frameworktables` (swc) both `frameworktables`.
 */
const unalias = (name: string): string => name.replace(/_\d+$/, '').replace(/_/g, '');

/** Removes what differs between compilers of the same source. */
export function normalizeTokens(tokens: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    // `(0, alias.fn)` → `fn`: the interop call of a named import, written `fn(…)` in the source.
    if (t === '(' && tokens[i + 1] === '0' && tokens[i + 2] === ',' && MODULE_ALIAS.test(tokens[i + 3] ?? '') && tokens[i + 4] === '.' && tokens[i + 6] === ')') {
      out.push(tokens[i + 5]);
      i += 6;
      continue;
    }
    // `alias.name`: an imported binding or namespace member.
    if (MODULE_ALIAS.test(t) && tokens[i + 1] === '.' && out[out.length - 1] !== '.') {
      out.push(unalias(t));
      continue;
    }
    // tsc reads the module's own exported bindings as `exports.name`.
    if (t === 'exports' && tokens[i + 1] === '.' && out[out.length - 1] !== '.') {
      i += 1;
      continue;
    }
    if (t === ';') continue;
    if (t === ',' && (tokens[i + 1] === ')' || tokens[i + 1] === '}' || tokens[i + 1] === ']')) continue;
    out.push(t);
  }
  return out;
}
