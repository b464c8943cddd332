import { parseRecord } from "../parsers";
import { DATASETS } from "../schema/event";
import { parseArgs, UsageError, type FlagSpec } from "./args";
import { datasetFlag } from "./dataset-flag";
import { LineOutput } from "./line-output";
import type { ReplaySource } from "./ndjson-lines";
import { readRecords } from "./record-input";

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
    dataset = datasetFlag(parsed.strings.get("dataset"));
    files = parsed.positionals.length > 0 ? parsed.positionals : ["-"];
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    stderr.write(`ztna parse: ${err.message}\n\n${USAGE}\n`);
    return 2;
  }
  const output = new LineOutput(stdout);
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
  output: LineOutput,
  stderr: NodeJS.WritableStream,
  fixedTime: string | undefined,
): Promise<number> {
  let skipped = 0;
  let receivedAt = fixedTime ?? new Date().toISOString();
  const bad = (line: number, reason: string) => {
    skipped++;
    stderr.write(`ztna parse: ${name}:${line}: ${reason}\n`);
  };
  const readable = await readRecords(
    source,
    name,
    {
      record: (record, line) => {
        const result = parseRecord(record, dataset, { receivedAt });
        if (result.ok) output.add(JSON.stringify(result.event));
        else bad(line, result.error.reason);
      },
      bad,
      chunkDone: async () => {
        await output.flush();
        receivedAt = fixedTime ?? new Date().toISOString();
      },
    },
    output,
    stderr,
    "parse",
  );
  return readable ? skipped : skipped + 1;
}
