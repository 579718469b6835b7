import * as fs from 'node:fs';
import * as path from 'node:path';
import { DevlakeError, ErrorCodes, ExitCode, hasErrorCode, isDevlakeError, type ErrorCode } from '../../src/core/errors';
import { devlake } from '../cli/helpers';

const DOC = fs.readFileSync(path.resolve(__dirname, '..', '..', 'docs', 'errors.md'), 'utf8');
const SOURCE = fs.readFileSync(path.resolve(__dirname, '..', '..', 'src', 'core', 'errors.ts'), 'utf8');

/** The rows of the docs table: code, anchor id, meaning, how to fix. */
function docRows(): Array<{ code: string; anchor: string; meaning: string; fix: string }> {
  return DOC.split('\n')
    .filter((l) => l.startsWith('| <a id='))
    .map((l) => {
      const m = /^\| <a id="([^"]+)"><\/a>`([^`]+)` \| (.+?) \| (.+?) \|$/.exec(l);
      if (!m) throw new Error(`malformed row in docs/errors.md: ${l}`);
      return { anchor: m[1], code: m[2], meaning: m[3], fix: m[4] };
    });
}

describe('error codes and docs/errors.md', () => {
  const codes = Object.keys(ErrorCodes);

  it('every code in src/core/errors.ts has a row in docs/errors.md', () => {
    const documented = new Set(docRows().map((r) => r.code));
    expect(codes.filter((c) => !documented.has(c))).toEqual([]);
  });

  it('every row of docs/errors.md names a code that exists, once, with its own anchor', () => {
    const rows = docRows();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((r) => !(r.code in ErrorCodes)).map((r) => r.code)).toEqual([]);
    expect(rows.filter((r) => r.anchor !== r.code).map((r) => r.code)).toEqual([]);
    expect(new Set(rows.map((r) => r.code)).size).toBe(rows.length);
    for (const r of rows) {
      expect(r.meaning.trim()).not.toBe('');
      expect(r.fix.trim()).not.toBe('');
    }
  });

  it('codes follow DEVLAKE_E_<AREA>_<WHAT> and each maps to a known exit code', () => {
    const exits = new Set<number>(Object.values(ExitCode));
    for (const code of codes) {
      expect(code).toMatch(/^DEVLAKE_E_[A-Z0-9]+(_[A-Z0-9]+)*$/);
      expect(exits.has(ErrorCodes[code as ErrorCode])).toBe(true);
    }
  });

  it('each code makes an error carrying that code and its exit code, recognised across copies', () => {
    for (const code of codes as ErrorCode[]) {
      const err = new DevlakeError(code, 'm');
      expect(err.code).toBe(code);
      expect(err.exitCode).toBe(ErrorCodes[code]);
      expect(isDevlakeError(err)).toBe(true);
      expect(hasErrorCode(err, code)).toBe(true);
    }
    // A copy loaded by a plugin marks its errors with the same Symbol.for key.
    const foreign = { [Symbol.for('devlake-ts.error')]: true, code: 'DEVLAKE_E_USAGE' };
    expect(foreign instanceof DevlakeError).toBe(true);
  });

  it('the source names this parity test', () => {
    expect(SOURCE).toContain('test/core/errors.test.ts');
  });

  it('the documented output form is what the CLI prints for a real error', async () => {
    const m = /<!-- rendered-error: devlake (.+?) -->\n```text\n([\s\S]*?)```/.exec(DOC);
    expect(m).not.toBeNull();
    const [, command, expected] = m!;
    // The documented command, split as a shell would (single quotes only).
    const args = [...command.matchAll(/'([^']*)'|(\S+)/g)].map((a) => a[1] ?? a[2]);
    const r = await devlake(args);
    expect(r.stderr).toBe(expected);
    expect(r.code).toBe(ErrorCodes.DEVLAKE_E_OPTIONS_JSON);
    // The form the docs describe in words.
    expect(DOC).toContain('`Error [<CODE>] <message>`');
    expect(DOC).toContain('`Try: <hint>`');
    expect(DOC).not.toMatch(/Try this:|`Code:`/);
  });
});
