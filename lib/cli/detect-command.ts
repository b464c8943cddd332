import { assembleRules, buildEngine, parseDetectConfig, parseOverrideList } from "../detect/detect-settings";
import { toEvents } from "../detect/to-events";
import type { RawRecord } from "../ingest/logpush-body";
import { DATASETS } from "../schema/event";
import { parseArgs, UsageError, type FlagSpec } from "./args";
import { datasetFlag } from "./dataset-flag";
import { LineOutput } from "./line-output";
import { readRecords } from "./record-input";

const USAGE = `usage: ztna detect [--dataset NAME] [--rules DIR] [--include-optin]
                   [--min-severity LEVEL] [--set ID.KEY=VALUE,...] [FILE...]

Runs the detection rules over raw Cloudflare records or normalized events (NDJSON, plain or
gzip; "-" or no FILE reads stdin) and writes one alert (JSON) per line on stdout. Windows
follow the events' own time, so replaying exported logs gives the alerts live traffic would
have. Bad lines and rules that cannot be loaded are reported on stderr.

options:
  --dataset NAME        what raw records are: ${DATASETS.join(", ")}
                        (without it each record's source is told from its fields)
  --rules DIR           a folder of your own YAML rules, beside the built-in pack; a rule
                        with a built-in rule's id replaces it
  --include-optin       turn on the opt-in rules as well
  --min-severity LEVEL  informational, low, medium, high or critical
  --set ID.KEY=VALUE    override rule settings, comma-separated, e.g.
                        ztna-access-denied-burst.correlation.condition.gte=20,ztna-x.enabled=false
  -h, --help            show this help

exit status: 0 done, 1 a line skipped, a rule refused or an input unreadable, 2 usage error`;

const SPEC: FlagSpec = {
  flags: { dataset: "string", rules: "string", "include-optin": "boolean", "min-severity": "string", set: "string", help: "boolean" },
  short: { h: "help" },
};

/** Records are normalized and detected in batches of this many, as the node receives them. */
const BATCH = 1000;

export interface DetectIo {
  stdin?: AsyncIterable<Buffer | string>;
}

/** `ztna detect`: resolves to the exit status. */
export async function runDetect(args: string[], stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream, io: DetectIo = {}): Promise<number> {
  let dataset: string | undefined;
  let files: readonly string[];
  let settings;
  try {
    const parsed = parseArgs(args, SPEC);
    if (parsed.booleans.has("help")) {
      stdout.write(`${USAGE}\n`);
      return 0;
    }
    dataset = datasetFlag(parsed.strings.get("dataset"));
    let overrides;
    try {
      overrides = parseOverrideList(parsed.strings.get("set") ?? "");
    } catch (err) {
      throw new UsageError(`--set: ${(err as Error).message}`);
    }
    const config = parseDetectConfig({
      rulesDir: parsed.strings.get("rules") ?? "",
      includeOptin: parsed.booleans.has("include-optin"),
      minSeverity: parsed.strings.get("min-severity") ?? "informational",
      overrides,
      telemetry: false,
    });
    if (!config.ok) throw new UsageError(config.error);
    settings = config.value;
    files = parsed.positionals.length > 0 ? parsed.positionals : ["-"];
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    stderr.write(`ztna detect: ${err.message}\n\n${USAGE}\n`);
    return 2;
  }
  const { rules, errors } = assembleRules(settings.rulesDir);
  for (const e of errors) stderr.write(`ztna detect: rule refused: ${e.file}:${e.line}: ${e.reason}\n`);
  let engine;
  try {
    engine = buildEngine(rules, settings);
  } catch (err) {
    stderr.write(`ztna detect: --set: ${(err as Error).message}\n`);
    return 2;
  }
  for (const w of engine.warnings) stderr.write(`ztna detect: ${w}\n`);
  const output = new LineOutput(stdout);
  let problems = errors.length;
  let pending: RawRecord[] = [];
  const detect = () => {
    if (pending.length === 0) return;
    const batch = toEvents(pending, dataset);
    pending = [];
    for (const e of batch.errors) {
      problems++;
      stderr.write(`ztna detect: record skipped: ${e.reason}\n`);
    }
    for (const alert of engine.process(batch.events)) output.add(JSON.stringify(alert));
  };
  try {
    for (const file of files) {
      const name = file === "-" ? "<stdin>" : file;
      const readable = await readRecords(
        file === "-" ? (io.stdin ?? process.stdin) : file,
        name,
        {
          record: (record) => {
            pending.push(record);
            if (pending.length >= BATCH) detect();
          },
          bad: (line, reason) => {
            problems++;
            stderr.write(`ztna detect: ${name}:${line}: ${reason}\n`);
          },
          chunkDone: () => output.flush(),
        },
        output,
        stderr,
        "detect",
      );
      if (!readable) problems++;
      if (output.failure !== undefined) break;
    }
    detect();
    await output.flush();
  } finally {
    output.close();
  }
  if (output.failure !== undefined) {
    stderr.write(`ztna detect: cannot write the output: ${output.failure.message}\n`);
    return 1;
  }
  const s = engine.stats();
  stderr.write(`ztna detect: ${s.events} events, ${s.alerts} alerts, ${s.rules.active} rules\n`);
  return problems > 0 ? 1 : 0;
}
