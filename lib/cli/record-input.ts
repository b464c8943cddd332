import { DEFAULT_LIMITS } from "../ingest/limits";
import { NdjsonDecoder } from "../ingest/ndjson-decoder";
import type { RawRecord } from "../ingest/logpush-body";
import type { LineOutput } from "./line-output";
import { bytesOf, decompressed, type ReplaySource } from "./ndjson-lines";

/** As for `ztna replay`: far above any record, and a bound on memory. */
const MAX_LINE_BYTES = 64 * 1024 * 1024;

export interface RecordSink {
  /** One JSON object of the input, with its line number. */
  record(record: RawRecord, line: number): void;
  /** A line that is not a JSON object (or anything else the sink refuses), with its number. */
  bad(line: number, reason: string): void;
  /** After each chunk of input has been decoded: the moment to write out and wait for stdout. */
  chunkDone(): Promise<void>;
}

/**
 * Reads one NDJSON input (a file or a byte stream, plain or gzip) as it streams, line by line.
 * Stops early when `output` has failed. Resolves to false when the input itself could not be
 * read, after reporting why.
 */
export async function readRecords(source: ReplaySource, name: string, sink: RecordSink, output: LineOutput, stderr: NodeJS.WritableStream, command: string): Promise<boolean> {
  const decoder = new NdjsonDecoder(
    { maxLineBytes: MAX_LINE_BYTES, maxDepth: DEFAULT_LIMITS.maxDepth },
    {
      record: ({ record, line }) => sink.record(record, line),
      lineError: ({ line, reason, text }) => sink.bad(line, text === "" ? reason : `${reason}: ${text}`),
    },
  );
  try {
    for await (const chunk of decompressed(bytesOf(source))) {
      decoder.write(chunk);
      await sink.chunkDone();
      if (output.failure !== undefined) return true;
    }
    decoder.end();
    await sink.chunkDone();
    return true;
  } catch (err) {
    stderr.write(`ztna ${command}: ${name}: ${(err as Error).message}\n`);
    return false;
  }
}
