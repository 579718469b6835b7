import { createProgressDisplay } from '../../src/runner/progress';

describe('progress display', () => {
  it('prints plain, throttled progress lines when not on a TTY', () => {
    const lines: string[] = [];
    const stream = { isTTY: false, write: () => true } as unknown as NodeJS.WriteStream;
    const display = createProgressDisplay(stream, { intervalMs: 60_000, log: (m) => lines.push(m) });
    display.update('Collect Committer', { current: 1, total: 4, rowsWritten: new Map() });
    display.update('Collect Committer', { current: 2, total: 4, rowsWritten: new Map() }); // throttled
    display.update('Extract Committer', { current: 7, total: 0, rowsWritten: new Map() });
    expect(lines).toEqual(['progress Collect Committer: 1 / 4 (25%)', 'progress Extract Committer: 7']);
  });

  it('names the unit, prints no 0% line, and ends each completed subtask with a final line', () => {
    const lines: string[] = [];
    const stream = { isTTY: false, write: () => true } as unknown as NodeJS.WriteStream;
    const display = createProgressDisplay(stream, { intervalMs: 60_000, log: (m) => lines.push(m) });
    display.update('Extract Committer', { current: 0, total: 3000, unit: 'records', rowsWritten: new Map() });
    display.finish('Extract Committer', { current: 3000, total: 3000, unit: 'records', rowsWritten: new Map() });
    display.update('Collect Users', { current: 41, total: 0, unit: 'pages', rowsWritten: new Map() });
    display.update('Collect Users', { current: 42, total: 0, unit: 'pages', rowsWritten: new Map() }); // throttled
    display.finish('Collect Users', { current: 50, total: 0, unit: 'pages', rowsWritten: new Map() });
    expect(lines).toEqual([
      'progress Extract Committer: 3000 / 3000 records (100%)',
      'progress Collect Users: 41 pages',
      'progress Collect Users: 50 pages, done',
    ]);
  });

  it('shows a wait on the TTY bar line', () => {
    const out: string[] = [];
    const stream = { isTTY: true, write: (s: string) => out.push(s) } as unknown as NodeJS.WriteStream;
    const display = createProgressDisplay(stream);
    display.update('Collect Users', { current: 28, total: 0, unit: 'pages', rowsWritten: new Map() });
    display.waiting('waiting 60 min, until 08:15:02 UTC (Retry-After: 3600)');
    expect(out[1]).toBe('\r\x1b[2KCollect Users 28 pages · waiting 60 min, until 08:15:02 UTC (Retry-After: 3600)');
  });

  it('redraws one bar line on a TTY and clears it before logs', () => {
    const out: string[] = [];
    const stream = { isTTY: true, write: (s: string) => out.push(s) } as unknown as NodeJS.WriteStream;
    const display = createProgressDisplay(stream);
    display.update('Extract', { current: 2, total: 4, rowsWritten: new Map() });
    display.clear();
    expect(out[0]).toContain('Extract [############------------] 2 / 4 (50%)');
    expect(out[0].startsWith('\r')).toBe(true);
    expect(out[1]).toBe('\r\x1b[2K');
  });
});
