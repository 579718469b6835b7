import { hasErrorCode } from '../../src/core/errors';
import { DomainIdGenerator } from '../../src/helpers/didgen';

describe('DomainIdGenerator', () => {
  it('builds ids byte for byte as DevLake does', () => {
    expect(new DomainIdGenerator('github', 'GithubIssue').generate(1, 346842831)).toBe('github:GithubIssue:1:346842831');
    expect(new DomainIdGenerator('github', 'GithubRun').generate(1, 134018330, 577324554)).toBe('github:GithubRun:1:134018330:577324554');
    expect(new DomainIdGenerator('github', 'GithubAccount').generate(1, 'panjf2000')).toBe('github:GithubAccount:1:panjf2000');
    expect(new DomainIdGenerator('github', 'GithubRepo').generate(1, 134018330)).toBe('github:GithubRepo:1:134018330');
  });

  it('prints integers as Go %v does, without exponent, and keeps big ids given as bigint or string', () => {
    const gen = new DomainIdGenerator('jira', 'JiraIssue');
    expect(gen.generate(1e21, 0)).toBe('jira:JiraIssue:1000000000000000000000:0');
    expect(gen.generate(9007199254740993n, '18446744073709551615')).toBe('jira:JiraIssue:9007199254740993:18446744073709551615');
    expect(gen.prefix).toBe('jira:JiraIssue');
  });

  it('checks the number of key parts when told the key length', () => {
    const gen = new DomainIdGenerator('github', 'GithubIssue', 2);
    expect(gen.generate(1, 2)).toBe('github:GithubIssue:1:2');
    let err: unknown;
    try {
      gen.generate(1);
    } catch (e) {
      err = e;
    }
    expect(hasErrorCode(err, 'DEVLAKE_E_MODEL')).toBe(true);
  });

  it('rejects an invalid prefix and empty key parts', () => {
    expect(() => new DomainIdGenerator('', 'X')).toThrow(/Invalid domain id prefix/);
    expect(() => new DomainIdGenerator('a:b', 'X')).toThrow(/Invalid domain id prefix/);
    const gen = new DomainIdGenerator('github', 'GithubIssue');
    expect(() => gen.generate(1, null as unknown as number)).toThrow(/empty or non-finite/);
    expect(() => gen.generate(Number.NaN)).toThrow(/empty or non-finite/);
  });
});
