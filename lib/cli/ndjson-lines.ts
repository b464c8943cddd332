import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { sniffGzip } from "../ingest/gzip-sniff";
import { LineSplitter } from "../ingest/line-splitter";

/** A file path, or the bytes of one NDJSON document (plain or gzip) as they arrive. */
export type ReplaySource = string | AsyncIterable<Buffer | string>;

/** Far above any Logpush record (a few KB) and the webhook's own line limit; bounds memory. */
const MAX_LINE_BYTES = 64 * 1024 * 1024;

/**
 * The non-blank lines of each source in turn, byte for byte as written minus the newline, so a
 * replay sends exactly what was logged. Streams throughout: memory holds a chunk and a line, never
 * a file, and a line is at most MAX_LINE_BYTES. Errors name the source they came from.
 */
export async function* ndjsonLines(sources: Iterable<ReplaySource>): AsyncGenerator<Buffer> {
  for (const source of sources) {
    try {
      yield* lines(decompressed(bytesOf(source)));
    } catch (err) {
      const name = typeof source === "string" ? source : "<stream>";
      throw new Error(`${name}: ${(err as Error).message}`, { cause: err });
    }
  }
}

/** The bytes of a file or a stream, strings as UTF-8. */
export async function* bytesOf(source: ReplaySource): AsyncGenerator<Buffer> {
  const chunks: AsyncIterable<Buffer | string> = typeof source === "string" ? createReadStream(source) : source;
  for await (const chunk of chunks) yield typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
}

/** Gunzips the bytes when they start with the gzip magic, whatever the file is called. */
export async function* decompressed(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const { gzip, bytes } = await sniffGzip(chunks);
  if (!gzip) {
    yield* bytes;
    return;
  }
  const gunzip = createGunzip();
  const piped = pipeline(Readable.from(bytes), gunzip);
  // Any failure also surfaces through iterating `gunzip`; this only keeps the promise from
  // counting as an unhandled rejection when the iteration reports it first.
  piped.catch(() => undefined);
  yield* gunzip;
  await piped;
}

/** Lines as the splitter finds them; a line past the limit stops the replay with its number. */
async function* lines(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let found: Buffer[] = [];
  let tooLong = 0;
  const splitter = new LineSplitter(MAX_LINE_BYTES, {
    line: (bytes) => {
      if (!isBlank(bytes)) found.push(bytes);
    },
    tooLong: (lineNo) => {
      tooLong ||= lineNo;
    },
  });
  const drain = function* () {
    if (tooLong) throw new Error(`line ${tooLong} is longer than ${MAX_LINE_BYTES} bytes`);
    const ready = found;
    found = [];
    yield* ready;
  };
  for await (const chunk of chunks) {
    splitter.write(chunk);
    yield* drain();
  }
  splitter.end();
  yield* drain();
}

/** Blank includes a lone CR, what an empty line of a CRLF file leaves once split on LF. */
function isBlank(line: Buffer): boolean {
  for (const byte of line) if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d) return false;
  return true;
}
