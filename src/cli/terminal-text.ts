// C0 controls but tab and newline, DEL, and C1 controls: what a terminal would act on.
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Text from tasks.md made safe for a terminal: ESC, BEL and every other control character but
 * tab and newline are shown as `\x1b`-style escapes instead of being acted on.
 */
export function printable(text: string): string {
  return text.replace(CONTROL, (character) => {
    return `\\x${character.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}
