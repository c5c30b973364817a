/**
 * A model name as agents accept it: starts with a letter or digit, then letters, digits and
 * `. _ : / @ + -`, at most 128 characters. Anything else (a leading `-`, spaces, `=`) could be
 * read by the agent as an option, so it is refused where it is written.
 */
const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,127}$/;

/** True when `name` is a plain model name (never an option of another program). */
export function isModelName(name: string): boolean {
  return MODEL_NAME.test(name);
}
