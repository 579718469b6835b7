import { terminalSafe } from '../../src/core/terminal-text';

describe('terminalSafe', () => {
  it('removes CSI and OSC sequences and shows other control characters as U+FFFD', () => {
    expect(terminalSafe('a\x1b[2J\x1b[1;31mb\x1b]0;title\x07c\x1b]8;;http://x\x1b\\d')).toBe('abcd');
    expect(terminalSafe('nul\x00 bell\x07 del\x7f c1\x9b')).toBe('nul\ufffd bell\ufffd del\ufffd c1\ufffd');
  });

  it('keeps text, tabs, newlines and non-ASCII as they are (same string when clean)', () => {
    const clean = 'Error [X] naïve – 日本\tok\nnext';
    expect(terminalSafe(clean)).toBe(clean);
  });
});
