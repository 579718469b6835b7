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
