import { statSync } from "node:fs";
import path from "node:path";
import { loadRuleFiles, type LoadResult } from "./rule-loader";

/**
 * Where the built-in pack is: `lib/rules` beside this folder, both in the sources (run through tsx)
 * and in `dist/lib` (the build copies the YAML beside the compiled engine). A `dist` built without
 * the copy falls back to the sources of a checkout.
 */
export function builtinRulesDir(): string | undefined {
  const candidates = [path.resolve(__dirname, "..", "rules"), path.resolve(__dirname, "..", "..", "..", "lib", "rules")];
  return candidates.find((dir) => statSync(dir, { throwIfNoEntry: false })?.isDirectory());
}

let cached: LoadResult | undefined;

/** The built-in rule pack; read and compiled once per process (rules are never changed once loaded). */
export function loadBuiltinRules(): LoadResult {
  if (cached) return cached;
  const dir = builtinRulesDir();
  cached = dir ? loadRuleFiles(dir) : { rules: [], errors: [{ file: path.resolve(__dirname, "..", "rules"), line: 0, reason: "the built-in rule folder is missing; was the package built?" }] };
  return cached;
}
