import { sanitizeRecord } from "./sanitize-record";

/** One raw record as it left the decoder, with the line it came from. */
export interface DecodedRecord {
  record: Record<string, unknown>;
  line: number;
  bytes: number;
}

/** A line that did not yield a record. `text` is a bounded excerpt, never the whole line. */
export interface LineError {
  line: number;
  reason: string;
  text: string;
}

export interface NdjsonDecoderOptions {
  maxLineBytes: number;
  maxDepth: number;
}

export interface NdjsonSink {
  record(rec: DecodedRecord): void;
  lineError(err: LineError): void;
}

const NEWLINE = 0x0a;
const EXCERPT_BYTES = 200;

/**
 * Streaming NDJSON decoder over bytes. Splitting on 0x0A is safe for UTF-8 (the byte never occurs
 * inside a multi-byte sequence), so chunk boundaries may fall anywhere, even inside a character.
 * Memory is bounded by `maxLineBytes`: an over-long line is dropped while it streams past.
 */
export class NdjsonDecoder {
  private carry: Buffer[] = [];
  private carryBytes = 0;
  private skipping = false;
  private lineNo = 0;
  /** Lines seen, blank lines included. */
  get lines(): number {
    return this.lineNo;
  }
  records = 0;
  errors = 0;
  neutralised = 0;

  constructor(
    private readonly opts: NdjsonDecoderOptions,
    private readonly sink: NdjsonSink,
  ) {}

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
        continue;
      }
      if (this.carryBytes > 0) {
        if (this.carryBytes + piece.length > this.opts.maxLineBytes) {
          this.refuseLong();
          continue;
        }
        this.carry.push(piece);
        const whole = Buffer.concat(this.carry, this.carryBytes + piece.length);
        this.carry = [];
        this.carryBytes = 0;
        this.line(whole);
      } else if (piece.length > this.opts.maxLineBytes) {
        this.refuseLong();
      } else {
        this.line(piece);
      }
    }
  }

  /** Flush a final line that has no trailing newline. */
  end(): void {
    if (this.skipping) {
      this.skipping = false;
      this.lineNo++;
      return;
    }
    if (this.carryBytes === 0) return;
    this.lineNo++;
    const whole = Buffer.concat(this.carry, this.carryBytes);
    this.carry = [];
    this.carryBytes = 0;
    this.line(whole);
  }

  private hold(rest: Buffer): void {
    if (this.skipping) return;
    if (this.carryBytes + rest.length > this.opts.maxLineBytes) {
      // Report now with the number the line will have once its newline arrives.
      this.carry = [];
      this.carryBytes = 0;
      this.skipping = true;
      this.reportLong(this.lineNo + 1);
      return;
    }
    // Copy: the caller may reuse the chunk's memory.
    this.carry.push(Buffer.from(rest));
    this.carryBytes += rest.length;
  }

  private refuseLong(): void {
    this.carry = [];
    this.carryBytes = 0;
    this.reportLong(this.lineNo);
  }

  private reportLong(line: number): void {
    this.fail(line, `line is longer than ${this.opts.maxLineBytes} bytes`, "");
  }

  private line(bytes: Buffer): void {
    let text = bytes.toString("utf8");
    if (this.lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.length > 0 && text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
    if (text.trim().length === 0) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      this.fail(this.lineNo, `not JSON: ${(e as Error).message}`, text);
      return;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      const kind = value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;
      this.fail(this.lineNo, `not a JSON object but ${kind}`, text);
      return;
    }
    const verdict = sanitizeRecord(value as Record<string, unknown>, this.opts.maxDepth);
    if (verdict.tooDeep) {
      this.fail(this.lineNo, `nested deeper than ${this.opts.maxDepth} levels`, text);
      return;
    }
    this.neutralised += verdict.removedKeys;
    this.records++;
    this.sink.record({ record: value as Record<string, unknown>, line: this.lineNo, bytes: bytes.length + 1 });
  }

  private fail(line: number, reason: string, text: string): void {
    this.errors++;
    this.sink.lineError({ line, reason, text: excerpt(text) });
  }
}

function excerpt(text: string): string {
  return text.length > EXCERPT_BYTES ? `${text.slice(0, EXCERPT_BYTES)}…` : text;
}
