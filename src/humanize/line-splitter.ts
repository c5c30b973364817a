import { StringDecoder } from 'node:string_decoder';

/**
 * Turns chunks of bytes into whole lines: a line cut between two reads, or a UTF-8 character cut
 * between two chunks, is kept until the rest arrives.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private rest = '';

  /** The whole lines completed by this chunk. */
  push(chunk: Buffer): string[] {
    const text = this.rest + this.decoder.write(chunk);
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    return lines;
  }

  /** The last line when the input ends without a newline. */
  end(): string[] {
    const text = this.rest + this.decoder.end();
    this.rest = '';
    return text === '' ? [] : [text];
  }
}
