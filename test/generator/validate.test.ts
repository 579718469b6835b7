import { hasErrorCode } from 'devlake-ts';
import { validateEndpoint, validateHttpPath, validateName, validatePagination } from '../../src/generator/validate';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code;
  }
};

describe('validateName', () => {
  it.each(['icla', 'pull_requests', 'pull-requests', 'ci_cd', 'gitlab2', 'a1-b2_c3'])('accepts %s', (name) => {
    expect(validateName('plugin', name)).toBe(name);
  });

  it.each([
    ['', 'empty'],
    ['../x', 'path'],
    ['a/b', 'path'],
    ['a\\b', 'path'],
    ['PRReview', 'upper case'],
    ['1abc', 'digit first'],
    ['_x', 'underscore first'],
    ['a--b', 'double separator'],
    ['a b', 'space'],
    ['index', 'reserved'],
    ['class', 'reserved word'],
    ['devlake', 'reserved'],
    ['x'.repeat(41), 'too long'],
  ])('refuses %j (%s) with DEVLAKE_E_GEN_NAME and a hint', (name) => {
    let caught: unknown;
    try {
      validateName('plugin', name);
    } catch (err) {
      caught = err;
    }
    expect(hasErrorCode(caught, 'DEVLAKE_E_GEN_NAME')).toBe(true);
    expect((caught as { hint?: string }).hint).toBeTruthy();
  });
});

describe('validateEndpoint', () => {
  it('adds a trailing slash and keeps the path', () => {
    expect(validateEndpoint('https://people.apache.org')).toBe('https://people.apache.org/');
    expect(validateEndpoint('http://127.0.0.1:8080/api/v4')).toBe('http://127.0.0.1:8080/api/v4/');
  });

  it.each(['people.apache.org', 'ftp://x.org/', 'https://user:secret@x.org/', ''])('refuses %j', (url) => {
    expect(codeOf(() => validateEndpoint(url))).toBe('DEVLAKE_E_GEN_INVALID_ANSWER');
  });

  it('never echoes credentials in the error', () => {
    let message = '';
    try {
      validateEndpoint('https://user:hunter2@x.org/');
    } catch (err) {
      message = `${(err as Error).message} ${(err as { hint?: string }).hint}`;
    }
    expect(message).not.toContain('hunter2');
  });
});

describe('validatePagination and validateHttpPath', () => {
  it('accepts the known modes only', () => {
    expect(validatePagination('page')).toBe('page');
    expect(codeOf(() => validatePagination('pages'))).toBe('DEVLAKE_E_GEN_INVALID_ANSWER');
  });

  it('strips a leading slash and refuses absolute URLs and template injection', () => {
    expect(validateHttpPath('/public/icla-info.json')).toBe('public/icla-info.json');
    expect(codeOf(() => validateHttpPath('https://x.org/a'))).toBe('DEVLAKE_E_GEN_INVALID_ANSWER');
    expect(codeOf(() => validateHttpPath('a/${process.env.X}'))).toBe('DEVLAKE_E_GEN_INVALID_ANSWER');
    expect(codeOf(() => validateHttpPath('  '))).toBe('DEVLAKE_E_GEN_INVALID_ANSWER');
  });
});
