import {
  cicdOutcome,
  cicdResult,
  cicdStatus,
  compileGoRegexp,
  computeTimeSpan,
  DomainIdGenerator,
  durationSec,
  field,
  int,
  iso8601Time,
  leadTimeMinutes,
  rawJsonField,
  RegexEnricher,
  str,
} from 'devlake-ts/devlake';

describe('devlake-ts/devlake', () => {
  it("reads JSON fields as Go's encoding/json: case-insensitive keys (exact first), zero values, raw text", () => {
    expect(field({ Login: 'a', login: 'b' }, 'login')).toBe('b');
    expect(field({ Login: 'a' }, 'LOGIN')).toBe('a');
    expect(field({ user_name: 'x' }, 'username')).toBeUndefined(); // underscores count
    expect([int(null), int('7'), int(3.9), str(null), str(5)]).toEqual([0, 0, 3, '', '']);
    expect(rawJsonField('{"body":"a\\"b","n":1}', 'Body')).toBe('"a\\"b"');
  });

  it('parses Iso8601Time layouts, null for empty or absent', () => {
    expect(iso8601Time('2021-04-30T09:32:29Z')).toEqual(new Date('2021-04-30T09:32:29Z'));
    expect(iso8601Time('2021-04-30T17:32:29+0800')).toEqual(new Date('2021-04-30T09:32:29Z'));
    expect(iso8601Time('2021-04-30T09:32:29')).toEqual(new Date('2021-04-30T09:32:29Z'));
    expect([iso8601Time(''), iso8601Time(null), iso8601Time('nope')]).toEqual([null, null, null]);
  });

  it('maps CI/CD words by rule, case-insensitively, with defaults', () => {
    const result = { success: ['success'], failure: ['FAILURE', 'cancelled'] };
    const status = { done: ['COMPLETED'], inProgress: ['QUEUED'] };
    expect([cicdResult(result, 'SUCCESS'), cicdResult(result, 'Cancelled'), cicdResult(result, 'skipped')]).toEqual(['SUCCESS', 'FAILURE', '']);
    expect([cicdStatus(status, 'completed'), cicdStatus(status, 'queued'), cicdStatus(status, 'x')]).toEqual(['DONE', 'IN_PROGRESS', 'OTHER']);
    expect(durationSec(new Date(0), new Date(1999))).toBe(1);
    expect(durationSec(null, new Date())).toBeNull();
  });

  it('gives the four outcome columns of a pipeline or task, keeping the tool words as they came', () => {
    const rule = { result: { success: ['success'], failure: ['failure'] }, status: { done: ['completed'], inProgress: ['queued'] } };
    expect(cicdOutcome(rule, 'completed', 'failure')).toStrictEqual({ result: 'FAILURE', status: 'DONE', original_status: 'completed', original_result: 'failure' });
    expect(cicdOutcome(rule, 'queued', '')).toStrictEqual({ result: '', status: 'IN_PROGRESS', original_status: 'queued', original_result: '' });
  });

  it('matches RE2 patterns with Go semantics and names matches as the RegexEnricher', () => {
    expect(compileGoRegexp('(?m)c$').test('c\r\nd')).toBe(false);
    expect(compileGoRegexp('a.b').test('a\rb')).toBe(true);
    const enricher = new RegexEnricher();
    enricher.tryAdd('DEPLOYMENT', '(?i)deploy');
    expect(enricher.returnNameIfMatched('DEPLOYMENT', 'build', 'Deploy prod')).toBe('DEPLOYMENT');
    expect(enricher.returnNameIfOmittedOrMatched('PRODUCTION', 'x')).toBe('PRODUCTION');
    expect(() => enricher.tryAdd('PRODUCTION', '(')).toThrow(expect.objectContaining({ code: 'DEVLAKE_E_CONFIG' }));
  });

  it('generates domain ids as DevLake does', () => {
    expect(new DomainIdGenerator('github', 'GithubIssue').generate(1, 346842831)).toBe('github:GithubIssue:1:346842831');
  });
});

describe('lead-time minutes', () => {
  const at = (s: string) => new Date(s);
  it('leadTimeMinutes truncates like Go uint(d.Minutes()), null while a time is missing', () => {
    expect(leadTimeMinutes(at('2022-01-01T00:00:00Z'), at('2022-01-01T01:30:59Z'))).toBe(90);
    expect(leadTimeMinutes('2022-01-01T00:00:00.000Z', at('2022-01-01T00:00:59.999Z'))).toBe(0);
    expect(leadTimeMinutes(at('2022-01-02T00:00:00Z'), at('2022-01-01T00:00:00Z'))).toBe(0);
    expect(leadTimeMinutes(null, at('2022-01-01T00:00:00Z'))).toBeNull();
    expect(leadTimeMinutes(at('2022-01-01T00:00:00Z'), undefined)).toBeNull();
  });
  it('computeTimeSpan rounds up like DevLake, null for a negative span', () => {
    expect(computeTimeSpan(at('2022-01-01T00:00:00Z'), at('2022-01-01T00:00:01Z'))).toBe(1);
    expect(computeTimeSpan(at('2022-01-01T00:01:00Z'), at('2022-01-01T00:00:30Z'))).toBe(0);
    expect(Object.is(computeTimeSpan(at('2022-01-01T00:01:00Z'), at('2022-01-01T00:00:30Z')), -0)).toBe(false);
    expect(computeTimeSpan(at('2022-01-01T00:02:00Z'), at('2022-01-01T00:00:00Z'))).toBeNull();
    expect(computeTimeSpan(at('2022-01-01T00:00:00Z'), null)).toBeNull();
  });
});
