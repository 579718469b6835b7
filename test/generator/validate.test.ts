import { hasErrorCode } from 'devlake-ts';
import { parseDomainTypes, parsePrimaryKey, validateEndpoint, validateHttpPath, validateMigrationVersion, validateName, validatePagination } from '../../src/generator/validate';

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

describe('parseDomainTypes', () => {
  it('takes DomainTypes keys in any case, comma-separated, CROSS by default, and names an unknown one', () => {
    expect(parseDomainTypes(undefined)).toEqual(['CROSS']);
    expect(parseDomainTypes(' ticket , CODE_REVIEW,ticket')).toEqual(['TICKET', 'CODE_REVIEW']);
    expect(codeOf(() => parseDomainTypes('TICKETS'))).toBe('DEVLAKE_E_GEN_INVALID_ANSWER');
    expect(() => parseDomainTypes('CICD,x-y')).toThrow(/Unknown domain type "X-Y"/);
    expect(codeOf(() => parseDomainTypes(' , '))).toBe('DEVLAKE_E_GEN_INVALID_ANSWER');
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

describe('why a name is refused', () => {
  const messageOf = (fn: () => unknown): string => {
    try {
      fn();
      return '';
    } catch (err) {
      return (err as Error).message;
    }
  };

  it.each([
    ['a_', 'ends with "_": `_` and `-` only separate words'],
    ['x--y', 'has "--": `_` and `-` separate words one at a time'],
    ['x_-y', 'has "_-": `_` and `-` separate words one at a time'],
    ['1abc', 'must start with a letter'],
    ['myApi', 'has an upper-case letter ("A"): names are lower case, e.g. "myapi"'],
    ['my api', 'contains " ", which is not allowed'],
  ])('%j: %s', (name, why) => {
    expect(messageOf(() => validateName('plugin', name))).toBe(`The plugin name "${name}" ${why}`);
  });
});

describe('parsePrimaryKey', () => {
  it('takes one field or a composite, camelCase or snake_case, with snake_case columns', () => {
    expect(parsePrimaryKey('id')).toEqual([{ field: 'id', column: 'id' }]);
    expect(parsePrimaryKey('userId')).toEqual([{ field: 'userId', column: 'user_id' }]);
    expect(parsePrimaryKey('connection_id, gitlab_id')).toEqual([
      { field: 'connection_id', column: 'connection_id' },
      { field: 'gitlab_id', column: 'gitlab_id' },
    ]);
  });

  it.each(['', 'a,', 'x-y', '1a', 'a b', "a'b", 'id,id'])('refuses %j with DEVLAKE_E_GEN_INVALID_ANSWER', (key) => {
    expect(codeOf(() => parsePrimaryKey(key))).toBe('DEVLAKE_E_GEN_INVALID_ANSWER');
  });
});

describe('validateMigrationVersion', () => {
  it('accepts a real UTC date and time YYYYMMDDhhmmss', () => {
    expect(validateMigrationVersion('20240229235959')).toBe(20240229235959);
    expect(validateMigrationVersion(20300101000000)).toBe(20300101000000);
  });

  it.each(['99999999999999', '20230229000000', '20241301000000', '20240101240000', '20240101006000', '2024010100000', '202401010000000', '2024-01-01'])(
    'refuses %j',
    (v) => {
      expect(codeOf(() => validateMigrationVersion(v))).toBe('DEVLAKE_E_GEN_INVALID_ANSWER');
    },
  );
});
