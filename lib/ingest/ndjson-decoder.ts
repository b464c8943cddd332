import { LineSplitter } from "./line-splitter";
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

const EXCERPT_BYTES = 200;

/**
 * Streaming NDJSON decoder over bytes: lines from a LineSplitter (bounded by `maxLineBytes`), each
 * parsed on its own, so a bad line costs only itself.
 */
export class NdjsonDecoder {
  private readonly splitter: LineSplitter;
  records = 0;
  errors = 0;
  neutralised = 0;

  constructor(
    private readonly opts: NdjsonDecoderOptions,
    private readonly sink: NdjsonSink,
  ) {
    this.splitter = new LineSplitter(opts.maxLineBytes, {
      line: (bytes, lineNo) => this.line(bytes, lineNo),
      tooLong: (lineNo) => this.fail(lineNo, `line is longer than ${opts.maxLineBytes} bytes`, ""),
    });
  }

  /** Lines seen, blank lines included. */
  get lines(): number {
    return this.splitter.lines;
  }

  write(chunk: Buffer): void {
    this.splitter.write(chunk);
  }

  /** Flush a final line that has no trailing newline. */
  end(): void {
    this.splitter.end();
  }

  private line(bytes: Buffer, lineNo: number): void {
    let text = bytes.toString("utf8");
    if (lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.length > 0 && text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
    if (text.trim().length === 0) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      this.fail(lineNo, `not JSON: ${(e as Error).message}`, text);
      return;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      const kind = value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;
      this.fail(lineNo, `not a JSON object but ${kind}`, text);
      return;
    }
    const verdict = sanitizeRecord(value as Record<string, unknown>, this.opts.maxDepth);
    if (verdict.tooDeep) {
      this.fail(lineNo, `nested deeper than ${this.opts.maxDepth} levels`, text);
      return;
    }
    this.neutralised += verdict.removedKeys;
    this.records++;
    this.sink.record({ record: value as Record<string, unknown>, line: lineNo, bytes: bytes.length + 1 });
  }

  private fail(line: number, reason: string, text: string): void {
    this.errors++;
    this.sink.lineError({ line, reason, text: excerpt(text) });
  }
}

function excerpt(text: string): string {
  return text.length > EXCERPT_BYTES ? `${text.slice(0, EXCERPT_BYTES)}…` : text;
}
