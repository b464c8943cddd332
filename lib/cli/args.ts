/** A command-line mistake: the command prints it with its usage and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export type FlagKind = "string" | "boolean";

export interface FlagSpec {
  /** Long names, without the leading "--". */
  flags: Readonly<Record<string, FlagKind>>;
  /** Single-letter aliases of long names, e.g. `{ h: "help" }`. */
  short?: Readonly<Record<string, string>>;
}

export interface ParsedArgs {
  strings: ReadonlyMap<string, string>;
  booleans: ReadonlySet<string>;
  positionals: readonly string[];
}

/**
 * Parses `--name value`, `--name=value`, boolean `--name`, short aliases and `--`. A lone "-" is a
 * positional (stdin by convention). A value may not start with "--", so a forgotten value reads as
 * "needs a value" rather than swallowing the next flag.
 */
export function parseArgs(argv: readonly string[], spec: FlagSpec): ParsedArgs {
  const strings = new Map<string, string>();
  const booleans = new Set<string>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === "-" || !arg.startsWith("-")) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const written = eq < 0 ? arg : arg.slice(0, eq);
    const name = longName(written, spec);
    if (strings.has(name) || booleans.has(name)) throw new UsageError(`${written} given more than once`);
    if (spec.flags[name] === "boolean") {
      if (eq >= 0) throw new UsageError(`${written} takes no value`);
      booleans.add(name);
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq < 0 && value.startsWith("--"))) throw new UsageError(`${written} needs a value`);
    strings.set(name, value);
  }
  return { strings, booleans, positionals };
}

function longName(written: string, spec: FlagSpec): string {
  const name = written.startsWith("--") ? written.slice(2) : spec.short?.[written.slice(1)];
  if (name === undefined || !Object.hasOwn(spec.flags, name)) throw new UsageError(`unknown option ${written}`);
  return name;
}

/** A flag's value as a number; whether the number is in range is for its consumer to say. */
export function numeric(flag: string, value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n)) throw new UsageError(`${flag} expects a number, got "${value}"`);
  return n;
}
