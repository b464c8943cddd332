import { once } from "node:events";
import { DEFAULT_LIMITS } from "../ingest/limits";
import { NdjsonDecoder, type DecodedRecord, type LineError } from "../ingest/ndjson-decoder";
import { parseRecord } from "../parsers";
import { DATASETS, isDataset } from "../schema/event";
import { parseArgs, UsageError, type FlagSpec } from "./args";
import { bytesOf, decompressed, type ReplaySource } from "./ndjson-lines";

const USAGE = `usage: ztna parse [--dataset NAME] [FILE...]

Reads raw Cloudflare records as NDJSON (plain or gzip; "-" or no FILE reads stdin) and
writes one normalized event (ECS, JSON) per line on stdout. Without --dataset each
record's source is told from its fields. A line that is not a JSON object, or a record
of no known source, is reported on stderr with its file and line number, and skipped.

options:
  --dataset NAME   what the records are: ${DATASETS.join(", ")}
                   (or unknown); a record whose fields say it is of another source is
                   normalized as that source and marked ztna.received_as = NAME
  -h, --help       show this help

exit status: 0 every line normalized, 1 a line skipped or an input unreadable, 2 usage error`;

const SPEC: FlagSpec = { flags: { dataset: "string", help: "boolean" }, short: { h: "help" } };

/** As for `ztna replay`: far above any record, and a bound on memory. */
const MAX_LINE_BYTES = 64 * 1024 * 1024;

export interface ParseIo {
  /** Read for the input "-" (and when no file is given); the process's stdin by default. */
  stdin?: AsyncIterable<Buffer | string>;
  /** Fixes `event.ingested` (tests); by default the time each chunk of input is read. */
  receivedAt?: string;
}

/** `ztna parse`: resolves to the exit status. */
export async function runParse(
  args: string[],
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
  io: ParseIo = {},
): Promise<number> {
  let dataset: string | undefined;
  let files: readonly string[];
  try {
    const parsed = parseArgs(args, SPEC);
    if (parsed.booleans.has("help")) {
      stdout.write(`${USAGE}\n`);
      return 0;
    }
    dataset = parsed.strings.get("dataset");
    if (dataset !== undefined && dataset !== "unknown" && !isDataset(dataset)) {
      throw new UsageError(`--dataset must be one of ${DATASETS.join(", ")} or unknown, not "${dataset}"`);
    }
    files = parsed.positionals.length > 0 ? parsed.positionals : ["-"];
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    stderr.write(`ztna parse: ${err.message}\n\n${USAGE}\n`);
    return 2;
  }
  const output = new Output(stdout);
  let skipped = 0;
  try {
    for (const file of files) {
      const source: ReplaySource = file === "-" ? (io.stdin ?? process.stdin) : file;
      skipped += await parseSource(source, file === "-" ? "<stdin>" : file, dataset, output, stderr, io.receivedAt);
      if (output.failure !== undefined) break;
    }
  } finally {
    output.close();
  }
  if (output.failure !== undefined) {
    stderr.write(`ztna parse: cannot write the output: ${output.failure.message}\n`);
    return 1;
  }
  return skipped > 0 ? 1 : 0;
}

/** Normalizes one input, line by line as it streams; resolves to the number of lines skipped. */
async function parseSource(
  source: ReplaySource,
  name: string,
  dataset: string | undefined,
  output: Output,
  stderr: NodeJS.WritableStream,
  fixedTime: string | undefined,
): Promise<number> {
  let skipped = 0;
  let receivedAt = fixedTime ?? new Date().toISOString();
  const report = (line: number, reason: string) => {
    skipped++;
    stderr.write(`ztna parse: ${name}:${line}: ${reason}\n`);
  };
  const decoder = new NdjsonDecoder(
    { maxLineBytes: MAX_LINE_BYTES, maxDepth: DEFAULT_LIMITS.maxDepth },
    {
      record: ({ record, line }: DecodedRecord) => {
        const result = parseRecord(record, dataset, { receivedAt });
        if (result.ok) output.add(JSON.stringify(result.event));
        else report(line, result.error.reason);
      },
      lineError: ({ line, reason, text }: LineError) => report(line, text === "" ? reason : `${reason}: ${text}`),
    },
  );
  try {
    for await (const chunk of decompressed(bytesOf(source))) {
      receivedAt = fixedTime ?? new Date().toISOString();
      decoder.write(chunk);
      await output.flush();
      if (output.failure !== undefined) return skipped;
    }
    decoder.end();
    await output.flush();
  } catch (err) {
    skipped++;
    stderr.write(`ztna parse: ${name}: ${(err as Error).message}\n`);
  }
  return skipped;
}

/**
 * Events of one input chunk go out in one write, and the next chunk is read only once stdout has
 * taken them: a slow reader (a pager, a pipe to a SIEM shipper) bounds memory instead of growing it.
 * A write error (EPIPE when the reader quits) is kept and ends the run.
 */
class Output {
  private pending = "";
  failure: Error | undefined;
  private readonly onError = (err: Error) => {
    this.failure ??= err;
  };

  constructor(private readonly stream: NodeJS.WritableStream) {
    stream.on("error", this.onError);
  }

  add(line: string): void {
    this.pending += `${line}\n`;
  }

  async flush(): Promise<void> {
    if (this.pending === "" || this.failure !== undefined) return;
    const text = this.pending;
    this.pending = "";
    if (this.stream.write(text)) return;
    try {
      await once(this.stream, "drain");
    } catch (err) {
      this.failure ??= err as Error;
    }
  }

  close(): void {
    this.stream.off("error", this.onError);
  }
}
