const MARKER = /^(?:<{7}|={7}|>{7})(?:[ \t]|$)/;

/**
 * The 1-based lines of `text` that are merge-conflict markers: `<<<<<<<`, `=======` or `>>>>>>>`
 * at the start of a line, alone or followed by a space or tab (git's `<<<<<<< HEAD`). A file
 * holding any is in conflict: nothing in it is claimed or written until they are gone.
 */
export function conflictMarkerLines(text: string): number[] {
  const lines: number[] = [];
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  body.split('\n').forEach((line, index) => {
    if (MARKER.test(line.endsWith('\r') ? line.slice(0, -1) : line)) lines.push(index + 1);
  });
  return lines;
}
