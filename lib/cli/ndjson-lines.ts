import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";

/** A file path, or the bytes of one NDJSON document (plain or gzip) as they arrive. */
export type ReplaySource = string | AsyncIterable<Buffer | string>;

const NEWLINE = 0x0a;
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

/**
 * The non-blank lines of each source in turn, byte for byte as written minus the newline, so a
 * replay sends exactly what was logged. Streams throughout: memory holds a chunk and a line, never
 * a file. Errors name the source they came from.
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

async function* bytesOf(source: ReplaySource): AsyncGenerator<Buffer> {
  const chunks: AsyncIterable<Buffer | string> = typeof source === "string" ? createReadStream(source) : source;
  for await (const chunk of chunks) yield typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
}

/** Gunzips the bytes when they start with the gzip magic, whatever the file is called. */
async function* decompressed(chunks: AsyncGenerator<Buffer>): AsyncGenerator<Buffer> {
  const head: Buffer[] = [];
  let headBytes = 0;
  while (headBytes < GZIP_MAGIC.length) {
    const next = await chunks.next();
    if (next.done) break;
    head.push(next.value);
    headBytes += next.value.length;
  }
  const all = rejoined(head, chunks);
  if (!Buffer.concat(head, headBytes).subarray(0, GZIP_MAGIC.length).equals(GZIP_MAGIC)) {
    yield* all;
    return;
  }
  const gunzip = createGunzip();
  const piped = pipeline(Readable.from(all), gunzip);
  // Any failure also surfaces through iterating `gunzip`; this only keeps the promise from
  // counting as an unhandled rejection when the iteration reports it first.
  piped.catch(() => undefined);
  yield* gunzip;
  await piped;
}

async function* rejoined(head: Buffer[], rest: AsyncGenerator<Buffer>): AsyncGenerator<Buffer> {
  yield* head;
  yield* rest;
}

/** Splits on 0x0A, which never occurs inside a UTF-8 sequence, so chunks may end anywhere. */
async function* lines(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let carry: Buffer[] = [];
  for await (const chunk of chunks) {
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE); nl >= 0; nl = chunk.indexOf(NEWLINE, start)) {
      const piece = chunk.subarray(start, nl);
      start = nl + 1;
      const line = carry.length === 0 ? piece : Buffer.concat([...carry, piece]);
      carry = [];
      if (!isBlank(line)) yield line;
    }
    if (start < chunk.length) carry.push(chunk.subarray(start));
  }
  const last = Buffer.concat(carry);
  if (!isBlank(last)) yield last;
}

/** Blank includes a lone CR, what an empty line of a CRLF file leaves once split on LF. */
function isBlank(line: Buffer): boolean {
  for (const byte of line) if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d) return false;
  return true;
}
