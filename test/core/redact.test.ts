import { clearSecrets, isSecretQueryParam, redact, redactUrl, registerSecret } from '../../src/core/redact';

afterEach(() => clearSecrets());

describe('redact', () => {
  it('masks registered secrets, also URL-encoded', () => {
    registerSecret('p@ss word/1');
    expect(redact('a p@ss word/1 b p%40ss%20word%2F1 c')).toBe('a *** b *** c');
  });

  it('masks passwords in URLs and bearer tokens', () => {
    expect(redactUrl('postgres://u:pw@h:5432/db')).toBe('postgres://u:***@h:5432/db');
    expect(redact('Authorization: Bearer abcdefgh.ijk')).toBe('Authorization: Bearer ***');
  });

  it('masks every credential query parameter the cassettes drop, and only those', () => {
    for (const name of ['access_token', 'token', 'private_token', 'api_key', 'apikey', 'key', 'password', 'client_secret', 'sig', 'signature']) {
      expect(isSecretQueryParam(name.toUpperCase())).toBe(true);
      expect(redact(`https://x/y?page=2&${name}=s3cr3t&q=1`)).toBe(`https://x/y?page=2&${name}=***&q=1`);
    }
    expect(isSecretQueryParam('page')).toBe(false);
    expect(redact('https://x/y?page=2&since=2024')).toBe('https://x/y?page=2&since=2024');
  });
});
