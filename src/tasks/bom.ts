/** 1 when `text` starts with a byte order mark (U+FEFF, an encoding mark rather than text), else 0. */
export function bomLength(text: string): 0 | 1 {
  return text.charCodeAt(0) === 0xfeff ? 1 : 0;
}

/** `text` without its leading byte order mark. */
export function withoutBom(text: string): string {
  return text.slice(bomLength(text));
}
