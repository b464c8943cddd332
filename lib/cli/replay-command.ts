import { open } from "node:fs/promises";
import { numeric, parseArgs, UsageError, type FlagSpec, type ParsedArgs } from "./args";
import { replay, ReplayError, type ReplayEvent, type ReplaySource, type ReplaySummary, type Tally } from "./logpush-sender";
import {
  DEFAULT_BATCH_SIZE,
  DEFAULT_RETRIES,
  DEFAULT_RETRY_DELAY_MS,
  DEFAULT_TIMEOUT_MS,
  ReplayOptionError,
  resolveReplayOptions,
  type ReplayOptionName,
  type ReplayOptions,
} from "./replay-options";

/** Keeps the secret out of the process list, where `--secret` would show it to every local user. */
const SECRET_ENV = "ZTNA_WEBHOOK_SECRET";

const USAGE = `usage: ztna replay --url URL [--secret S] [options] FILE...

Sends NDJSON files (plain or gzip; "-" reads stdin) to a webhook the way Cloudflare
Logpush does: gzip NDJSON POSTs with "Authorization: Bearer S", each batch retried
with exponential back-off or as the server's Retry-After asks.

options:
  --url URL          webhook, e.g. http://127.0.0.1:1880/cloudflare/logpush
  --secret S         webhook secret; by default $${SECRET_ENV}
  --dataset NAME     append /NAME to the URL path, e.g. gateway_http
  --batch N          records per POST (default ${DEFAULT_BATCH_SIZE})
  --rate R           at most R records per second (default: no cap)
  --retries N        retries of a refused batch (default ${DEFAULT_RETRIES})
  --retry-delay MS   wait before the first retry, doubled for each next one (default ${DEFAULT_RETRY_DELAY_MS})
  --timeout MS       deadline of one request (default ${DEFAULT_TIMEOUT_MS})
  -h, --help         show this help

exit status: 0 every batch accepted, 1 a batch failed or an input broke off, 2 usage error`;

const SPEC: FlagSpec = {
  flags: {
    url: "string",
    secret: "string",
    dataset: "string",
    batch: "string",
    rate: "string",
    retries: "string",
    "retry-delay": "string",
    timeout: "string",
    help: "boolean",
  },
  short: { h: "help" },
};

const FLAG: Readonly<Record<ReplayOptionName, string>> = {
  url: "--url",
  secret: "--secret",
  dataset: "--dataset",
  batchSize: "--batch",
  ratePerSecond: "--rate",
  retries: "--retries",
  retryDelayMs: "--retry-delay",
  timeoutMs: "--timeout",
};

/** What the command reads besides its arguments; the process's own when absent. */
export interface ReplayIo {
  /** Read for the input "-". */
  stdin?: AsyncIterable<Buffer | string>;
  /** Where the secret is looked up when --secret is absent. */
  env?: NodeJS.ProcessEnv;
}

/** `ztna replay`: resolves to the exit status. */
export async function runReplay(
  args: string[],
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
  io: ReplayIo = {},
): Promise<number> {
  let options: ReplayOptions;
  let files: readonly string[];
  try {
    const parsed = parseArgs(args, SPEC);
    if (parsed.booleans.has("help")) {
      stdout.write(`${USAGE}\n`);
      return 0;
    }
    options = replayOptions(parsed, io.env ?? process.env);
    files = parsed.positionals;
    await checkInputs(files);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    stderr.write(`ztna replay: ${err.message}\n\n${USAGE}\n`);
    return 2;
  }
  options.onEvent = (event) => stderr.write(`${describe(event)}\n`);
  const sources: ReplaySource[] = files.map((file) => (file === "-" ? (io.stdin ?? process.stdin) : file));
  try {
    const summary = await replay(options, sources);
    stdout.write(report(summary));
    return summary.batches.failed > 0 ? 1 : 0;
  } catch (err) {
    if (!(err instanceof ReplayError)) throw err;
    stderr.write(`ztna replay: stopped: ${err.message}\n`);
    stdout.write(report(err.summary));
    return 1;
  }
}

/** Options checked in full here, so that a mistake is a usage error before anything is sent. */
function replayOptions(parsed: ParsedArgs, env: NodeJS.ProcessEnv): ReplayOptions {
  const url = parsed.strings.get("url");
  if (url === undefined) throw new UsageError("missing --url");
  const secret = parsed.strings.get("secret") ?? (env[SECRET_ENV] || undefined);
  if (secret === undefined) throw new UsageError(`missing --secret (or set ${SECRET_ENV})`);
  const number = (flag: string): number | undefined => {
    const value = parsed.strings.get(flag);
    return value === undefined ? undefined : numeric(`--${flag}`, value);
  };
  const options: ReplayOptions = {
    url,
    secret,
    dataset: parsed.strings.get("dataset"),
    batchSize: number("batch"),
    ratePerSecond: number("rate"),
    retries: number("retries"),
    retryDelayMs: number("retry-delay"),
    timeoutMs: number("timeout"),
  };
  try {
    resolveReplayOptions(options);
  } catch (err) {
    if (err instanceof ReplayOptionError) throw new UsageError(`${FLAG[err.option]} ${err.reason}`);
    throw err;
  }
  return options;
}

/** Opens each file once up front, so a typo in the last name is reported before the first batch goes. */
async function checkInputs(files: readonly string[]): Promise<void> {
  if (files.length === 0) throw new UsageError('no input files (use "-" to read stdin)');
  for (const file of files) {
    if (file === "-") continue;
    const problem = await unreadable(file);
    if (problem !== null) throw new UsageError(`cannot read ${file}: ${problem}`);
  }
}

async function unreadable(file: string): Promise<string | null> {
  try {
    const handle = await open(file, "r");
    try {
      return (await handle.stat()).isDirectory() ? "it is a directory" : null;
    } finally {
      await handle.close();
    }
  } catch (err) {
    return (err as Error).message;
  }
}

function describe(event: ReplayEvent): string {
  const which = `batch ${event.batch} (${event.records} record${event.records === 1 ? "" : "s"})`;
  return event.type === "retry"
    ? `${which}: ${event.reason}; retry ${event.retry} of ${event.retries} in ${seconds(event.waitMs)}`
    : `${which} failed after ${event.tries} tries: ${event.reason}`;
}

function report(summary: ReplaySummary): string {
  const tally = (t: Tally): string => `${t.sent} sent, ${t.accepted} accepted, ${t.retried} retried, ${t.failed} failed`;
  return [
    `replayed to ${summary.destination} in ${seconds(summary.elapsedMs)} (${summary.requests} requests)`,
    `batches: ${tally(summary.batches)}`,
    `records: ${tally(summary.records)}`,
    "",
  ].join("\n");
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
