#!/usr/bin/env node
import { runParse } from "./parse-command";
import { runReplay } from "./replay-command";

const USAGE = `usage: ztna <command> [options]

commands:
  parse [--dataset NAME] [FILE...]
      normalize raw Cloudflare records (NDJSON, plain or gzip; none or "-" = stdin)
      into ECS events, one JSON per line
  replay --url URL --secret S [--dataset NAME] [--batch N] [--rate R] FILE...
      send NDJSON files (plain or gzip) to a webhook exactly as Cloudflare Logpush does

run "ztna <command> --help" for a command's options`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "parse":
      return runParse(rest, process.stdout, process.stderr);
    case "replay":
      return runReplay(rest, process.stdout, process.stderr);
    case undefined:
    case "-h":
    case "--help":
    case "help":
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`ztna: unknown command "${command}"\n${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: Error) => {
    process.stderr.write(`ztna: ${err.message}\n`);
    process.exitCode = 1;
  },
);
