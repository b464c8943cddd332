export interface LineSink {
  /** One line without its newline; `bytes` may be a view into the caller's chunk. */
  line(bytes: Buffer, lineNo: number): void;
  /** The line was longer than the limit and has been dropped while it streamed past. */
  tooLong(lineNo: number): void;
}

const NEWLINE = 0x0a;

/**
 * Splits a byte stream into lines on 0x0A, which never occurs inside a UTF-8 sequence, so chunks
 * may end anywhere, even inside a character. Memory is bounded by `maxLineBytes`: a longer line is
 * reported as soon as it passes the limit and skipped up to its newline.
 */
export class LineSplitter {
  private carry: Buffer[] = [];
  private carryBytes = 0;
  private skipping = false;
  private lineNo = 0;

  constructor(
    private readonly maxLineBytes: number,
    private readonly sink: LineSink,
  ) {}

  /** Lines seen so far, blank ones included. */
  get lines(): number {
    return this.lineNo;
  }

  write(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length) {
      const nl = chunk.indexOf(NEWLINE, pos);
      if (nl < 0) {
        this.hold(chunk.subarray(pos));
        return;
      }
      const piece = chunk.subarray(pos, nl);
      pos = nl + 1;
      this.lineNo++;
      if (this.skipping) {
        this.skipping = false;
      } else if (this.carryBytes + piece.length > this.maxLineBytes) {
        this.dropCarry();
        this.sink.tooLong(this.lineNo);
      } else if (this.carryBytes > 0) {
        this.carry.push(piece);
        const whole = Buffer.concat(this.carry, this.carryBytes + piece.length);
        this.dropCarry();
        this.sink.line(whole, this.lineNo);
      } else {
        this.sink.line(piece, this.lineNo);
      }
    }
  }

  /** Flushes a final line that has no newline. */
  end(): void {
    if (this.skipping) {
      this.skipping = false;
      this.lineNo++;
      return;
    }
    if (this.carryBytes === 0) return;
    this.lineNo++;
    const whole = Buffer.concat(this.carry, this.carryBytes);
    this.dropCarry();
    this.sink.line(whole, this.lineNo);
  }

  private hold(rest: Buffer): void {
    if (this.skipping) return;
    if (this.carryBytes + rest.length > this.maxLineBytes) {
      // Reported now, under the number the line will have once its newline arrives.
      this.dropCarry();
      this.skipping = true;
      this.sink.tooLong(this.lineNo + 1);
      return;
    }
    // Copied: the caller may reuse the chunk's memory.
    this.carry.push(Buffer.from(rest));
    this.carryBytes += rest.length;
  }

  private dropCarry(): void {
    this.carry = [];
    this.carryBytes = 0;
  }
}
