/** A heading of tasks.md: where it is and its plain text. */
export interface HeadingBlock {
  kind: 'heading';
  line: number;
  column: number;
  text: string;
}

/**
 * One paragraph's lines. `first` is the offset where the first line's text starts (after a list
 * bullet); the other lines start at their first non-blank character.
 */
export interface ParagraphLines {
  fromLine: number;
  toLine: number;
  first: number;
}

/** Lines that can hold tasks and their details: one paragraph, or the paragraphs of a list item. */
export interface LinesBlock {
  kind: 'lines';
  paragraphs: ParagraphLines[];
}

/** The structure of tasks.md that the task reader needs, in document order. */
export type Block = HeadingBlock | LinesBlock;
