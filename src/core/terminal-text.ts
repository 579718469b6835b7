/**
 * Text that came from outside (an API body, a header, a plugin's error) is
 * printed to a terminal: escape sequences in it would clear the screen, move
 * the cursor or retitle the window. `terminalSafe` removes ANSI/OSC sequences
 * and replaces every other control character (C0 but tab and newline, DEL,
 * C1) with U+FFFD, so what is printed is what was sent, visibly.
 */

const ESCAPE_SEQUENCES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]/g;
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/** `text` without escape sequences and with other control characters shown as `�`. */
export function terminalSafe(text: string): string {
  if (!/[\x00-\x08\x0b-\x1f\x7f-\x9f]/.test(text)) return text;
  return text.replace(ESCAPE_SEQUENCES, '').replace(CONTROL, '\ufffd');
}
