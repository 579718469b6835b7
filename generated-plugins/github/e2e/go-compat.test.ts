import { compileGoRegexp, findString, findStringSubmatch, RegexEnricher, replaceAllLiteral } from 'devlake-ts/devlake';
import { rawJsonField } from 'devlake-ts/devlake';
import { closedIssueNumbers } from '../tasks/pr-issue-enricher';
import { buildTaskData } from '../task-data';
import { organizationOf } from '../tasks/account-convertor';
import { shouldSkipByUsername, resetExcludedUsernames } from '../tasks/username-filter';

describe('Go RE2 patterns in JavaScript', () => {
  it('turns leading (?flags) into RegExp flags and keeps group semantics', () => {
    const re = compileGoRegexp('(?mi)^(fix|close)[\\s]*#(\\d+)');
    expect(findStringSubmatch(re, 'text\nCLOSE #12')).toEqual(['CLOSE #12', 'CLOSE', '12']);
  });

  it('matches . and \\s as Go does: . stops only at \\n, \\s is ASCII', () => {
    expect(compileGoRegexp('a.b').test('a\rb')).toBe(true);
    expect(compileGoRegexp('a.b').test('a\nb')).toBe(false);
    expect(compileGoRegexp('a\\sb').test('a\u00a0b')).toBe(false);
    expect(compileGoRegexp('a\\sb').test('a\tb')).toBe(true);
  });

  it('accepts escaped punctuation Go allows and JS unicode mode rejects', () => {
    const re = compileGoRegexp('https\\:\\/\\/api\\.github\\.com\\/repos\\/o\\/r\\/pulls\\/(\\d+)');
    expect(findStringSubmatch(re, 'https://api.github.com/repos/o/r/pulls/42')?.[1]).toBe('42');
  });

  it('supports (?P<name>), \\A, \\z and POSIX classes', () => {
    expect(findStringSubmatch(compileGoRegexp('(?P<n>[[:digit:]]+)\\z'), 'ab12')?.[1]).toBe('12');
    expect(compileGoRegexp('\\Aab').test('xab')).toBe(false);
  });

  it('rejects an invalid pattern with a config error and a hint', () => {
    expect(() => compileGoRegexp('(unclosed', 'prType')).toThrow(expect.objectContaining({ code: 'DEVLAKE_E_CONFIG' }));
  });

  // Each case: what Go's regexp.MatchString answers (or that regexp.Compile fails).
  it.each([
    ['a\\sb', 'a\u000bb', false], // \s never matches \v in Go
    ['a[\\S]b', 'a\u000bb', true], // so \S in a class does
    ['a(?i:B)c', 'abc', true],
    ['a(?i:B)c', 'abC', false],
    ['a(?i)b', 'aB', true],
    ['x(?i:[b-d])', 'xC', true],
    ['(?i)k', '\u212a', true], // Kelvin sign folds to k
    ['x(?i)k', 'x\u212a', true],
    ['(?m)c$', 'c\r\nd', false], // Go's multi-line $ stops only before \n, JS's also before \r
    ['(?m)^d', 'c\nd', true],
    ['(?s:a.b)', 'a\nb', true],
    ['\\pL+$', 'abc', true],
    ['\\p{Greek}', '\u03b1', true],
    ['\\PL', 'a', false],
    ['[[:^alpha:]]', '1', true],
    ['[[:^alpha:]]', 'a', false],
    ['\\x{263a}', '\u263a', true],
    ['\\101', 'A', true], // octal
    ['a{,2}', 'a{,2}', true], // not a repeat in RE2: literal braces
    ['a{2}', 'aa', true],
    ['x*', '', true],
  ] as const)('matches %s on %j like Go: %s', (pattern, text, want) => {
    expect(compileGoRegexp(pattern).test(text)).toBe(want);
  });

  it.each([
    ['(a)\\1', 'invalid escape sequence'], // backreferences
    ['a(?=b)', 'invalid or unsupported Perl syntax'], // lookaround
    ['a(?<!b)', 'invalid named capture'], // lookbehind
    ['\\8', 'invalid escape'],
    ['\\e', 'invalid escape'],
    ['a{1001}', 'repeat count'],
    ['[a', 'missing closing ]'],
  ])('refuses %s as RE2 does (%s), with a config error', (pattern, reason) => {
    expect(() => compileGoRegexp(pattern, 'prType')).toThrow(
      expect.objectContaining({ code: 'DEVLAKE_E_CONFIG', message: expect.stringContaining(reason), hint: expect.any(String) }),
    );
  });

  it('takes the flags Go takes: (?U) ungreedy, (?-i) turning case folding off', () => {
    expect(findString(compileGoRegexp('(?U)a+'), 'aaa')).toBe('a');
    expect(compileGoRegexp('(?i)a(?-i)b').test('Ab')).toBe(true);
    expect(compileGoRegexp('(?i)a(?-i)b').test('AB')).toBe(false);
  });

  it('finds the leftmost match and replaces literally like FindString / ReplaceAllString', () => {
    const re = compileGoRegexp('[\\/a-zA-Z\\s,]+');
    expect(replaceAllLiteral(re, 'fixes #1, and #2', '#')).toBe('##1##2');
    expect(findString(compileGoRegexp('x+'), 'axxbxxx')).toBe('xx');
  });

  it('extracts closed issue numbers from a PR body as DevLake does', () => {
    const re = compileGoRegexp('(?mi)(fix|close|resolve|fixes|closes|resolves|fixed|closed|resolved)[\\s]*.*(((and )?(#|https:\\/\\/github.com\\/o\\/r\\/issues\\/)\\d+[ ]*)+)');
    expect(closedIssueNumbers('"This fixes #12 and #13"', re)).toEqual([12, 13]);
    expect(closedIssueNumbers('"Closes https://github.com/o/r/issues/7"', re)).toEqual([7]);
    expect(closedIssueNumbers('"nothing here"', re)).toEqual([]);
  });
});

describe('Go JSON and values', () => {
  it('keeps the exact text of a json.RawMessage field, escapes included', () => {
    const raw = '{"id":1,"body":"a\\r\\n\\u003cb\\u003e","nested":{"body":"x"},"BODY2":null}';
    expect(rawJsonField(raw, 'body')).toBe('"a\\r\\n\\u003cb\\u003e"');
    expect(rawJsonField(raw, 'Body')).toBe('"a\\r\\n\\u003cb\\u003e"');
    expect(rawJsonField(raw, 'nested')).toBe('{"body":"x"}');
    expect(rawJsonField(raw, 'missing')).toBe('');
    expect(rawJsonField('{"steps": [1, {"a": "]"}], "x": 1}', 'steps')).toBe('[1, {"a": "]"}]');
  });

  it('cuts the organization list at 255 bytes like a Go byte slice', () => {
    expect(organizationOf(['a', 'b'])).toBe('a,b');
    expect(Buffer.byteLength(organizationOf(Array.from({ length: 100 }, (_, i) => `org${i}`)))).toBe(255);
  });
});

describe('RegexEnricher and the bot exclude list', () => {
  it('names a match, and treats an omitted pattern as a match only for the omitted-or-matched form', () => {
    const r = new RegexEnricher();
    expect(r.returnNameIfMatched('DEPLOYMENT', 'deploy')).toBe('');
    expect(r.returnNameIfOmittedOrMatched('PRODUCTION', 'x')).toBe('PRODUCTION');
    r.tryAdd('PRODUCTION', 'prod.*');
    r.tryAdd('PRODUCTION', 'ignored because taken');
    expect(r.returnNameIfOmittedOrMatched('PRODUCTION', 'main', 'prod-eu')).toBe('PRODUCTION');
    expect(r.returnNameIfOmittedOrMatched('PRODUCTION', 'main')).toBe('');
  });

  it('starts from the scope config deploymentPattern / productionPattern, and refuses an invalid one', () => {
    const { regexEnricher } = buildTaskData({
      connectionId: 1,
      name: 'o/r',
      scopeConfig: { deploymentPattern: '(?i)^deploy', productionPattern: 'prod(uction)?$' },
    });
    expect(regexEnricher.returnNameIfMatched('DEPLOYMENT', 'build', 'Deploy to EU')).toBe('DEPLOYMENT');
    expect(regexEnricher.returnNameIfMatched('DEPLOYMENT', 'build')).toBe('');
    expect(regexEnricher.returnNameIfOmittedOrMatched('PRODUCTION', 'eu-production')).toBe('PRODUCTION');
    expect(regexEnricher.returnNameIfOmittedOrMatched('PRODUCTION', 'staging')).toBe('');
    expect(() => buildTaskData({ connectionId: 1, name: 'o/r', scopeConfig: { deploymentPattern: '(' } })).toThrow(
      expect.objectContaining({ code: 'DEVLAKE_E_CONFIG', hint: expect.any(String) }),
    );
  });

  it("compiles prBodyClosePattern once, with its first %s replaced by the repo name (Go's strings.Replace, n=1)", () => {
    const { prBodyCloseRegex } = buildTaskData({ connectionId: 1, name: 'o/r', scopeConfig: { prBodyClosePattern: '(?i)closes (%s|%s)?#\\d+' } });
    expect(closedIssueNumbers('Closes o/r#12', prBodyCloseRegex)).toEqual([12]);
    expect(closedIssueNumbers('closes %s#13', prBodyCloseRegex)).toEqual([13]);
    expect(buildTaskData({ connectionId: 1, name: 'o/r', scopeConfig: {} }).prBodyCloseRegex).toBeUndefined();
    expect(() => buildTaskData({ connectionId: 1, name: 'o/r', scopeConfig: { prBodyClosePattern: '(' } })).toThrow(expect.objectContaining({ code: 'DEVLAKE_E_CONFIG' }));
  });

  it('reads GITHUB_PR_EXCLUDELIST once, case-insensitively, until reset', () => {
    const before = process.env.GITHUB_PR_EXCLUDELIST;
    try {
      process.env.GITHUB_PR_EXCLUDELIST = ' Renovate[bot] , dependabot ';
      resetExcludedUsernames();
      expect(shouldSkipByUsername('renovate[BOT]')).toBe(true);
      expect(shouldSkipByUsername('alice')).toBe(false);
      expect(shouldSkipByUsername('')).toBe(false);
      process.env.GITHUB_PR_EXCLUDELIST = 'alice';
      expect(shouldSkipByUsername('alice')).toBe(false);
      resetExcludedUsernames();
      expect(shouldSkipByUsername('alice')).toBe(true);
    } finally {
      if (before === undefined) delete process.env.GITHUB_PR_EXCLUDELIST;
      else process.env.GITHUB_PR_EXCLUDELIST = before;
      resetExcludedUsernames();
    }
  });
});
