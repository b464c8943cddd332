#!/usr/bin/env node
import { runDetect } from "./detect-command";
import { runParse } from "./parse-command";
import { runReplay } from "./replay-command";
import { runRules } from "./rules-command";

const USAGE = `usage: ztna <command> [options]

commands:
  parse [--dataset NAME] [FILE...]
      normalize raw Cloudflare records (NDJSON, plain or gzip; none or "-" = stdin)
      into ECS events, one JSON per line
  detect [--dataset NAME] [--rules DIR] [--include-optin] [FILE...]
      run the detection rules over raw records or normalized events; alerts, one JSON per line
  rules list | test [DIR]
      the rule catalog as a table; run every rule's own tests
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
    case "detect":
      return runDetect(rest, process.stdout, process.stderr);
    case "rules":
      return runRules(rest, process.stdout, process.stderr);
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
