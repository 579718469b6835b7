import { hasErrorCode } from 'devlake-ts';
import { checkTimeAfter } from '../../src/runner/time-after';
import { parseTimeAfter } from '../../src/cli/run';

describe('checkTimeAfter', () => {
  const now = new Date('2026-12-03T08:00:00Z');

  it('accepts a time-after in the past, now itself, or none', () => {
    expect(() => checkTimeAfter(new Date('2024-01-31T00:00:00Z'), now)).not.toThrow();
    expect(() => checkTimeAfter(now, now)).not.toThrow();
    expect(() => checkTimeAfter(undefined, now)).not.toThrow();
  });

  it('refuses a time-after later than now as a usage error naming both times', () => {
    let caught: unknown;
    try {
      checkTimeAfter(new Date('2099-01-01T00:00:00Z'), now);
    } catch (err) {
      caught = err;
    }
    expect(hasErrorCode(caught, 'DEVLAKE_E_USAGE')).toBe(true);
    expect((caught as Error).message).toContain('2099-01-01T00:00:00.000Z is in the future');
    expect((caught as Error).message).toContain('2026-12-03T08:00:00.000Z');
  });

  it('is applied by the CLI parser of --time-after', () => {
    expect(() => parseTimeAfter('2099-01-01')).toThrow(/in the future/);
    expect(parseTimeAfter('2024-01-31')?.toISOString()).toBe('2024-01-31T00:00:00.000Z');
  });
});
