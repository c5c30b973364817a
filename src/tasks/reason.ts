// Control characters are exactly what this removes.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const MAX_LENGTH = 200;

/**
 * A failure reason fit for the end of a task line (SPEC §2.5): one line (control characters and
 * newlines become spaces, runs of whitespace collapse), trimmed, never containing ` // ` (which
 * would move where the error starts), at most 200 characters (cut with `…`), never empty.
 */
export function sanitizeReason(text: string): string {
  let reason = text
    .replace(CONTROL, ' ')
    .replace(LONE_SURROGATE, '\ufffd')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/ \/\/(?= )/g, ' /');
  if (reason.length > MAX_LENGTH) {
    let cut = MAX_LENGTH - 1;
    const last = reason.charCodeAt(cut - 1);
    if (last >= 0xd800 && last <= 0xdbff) cut -= 1;
    reason = `${reason.slice(0, cut).trimEnd()}…`;
  }
  return reason === '' ? 'unknown error' : reason;
}
