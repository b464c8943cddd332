import path from "node:path";
import type { Parsed } from "../schema/parsed";

/** Where the project keeps its data when ZTNA_DATA_DIR is not set, as `npm start` does. */
const DEFAULT_DATA_DIR = "data";
const ENV_REF_RE = /\$\{([^}]*)\}/g;
const ENV_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A configured path with `${NAME}` references read from the environment (Node-RED replaces only a
 * property that is one reference as a whole, and these are written `${ZTNA_DATA_DIR}/events.db`),
 * relative paths taken from the working directory as `npm start` does. `${ZTNA_DATA_DIR}` falls
 * back to ./data, like everywhere else in the project. `what` names the setting in errors.
 */
export function resolveDataPath(template: string, what: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Parsed<string> {
  let problem: string | null = null;
  const expanded = template.replace(ENV_REF_RE, (ref, name: string) => {
    if (!ENV_NAME_RE.test(name)) {
      problem ??= `${what} has ${ref}, which is not an environment variable reference`;
      return ref;
    }
    const value = env[name] || (name === "ZTNA_DATA_DIR" ? DEFAULT_DATA_DIR : undefined);
    if (value === undefined) problem ??= `${what} refers to environment variable ${name}, which is not set`;
    return value ?? ref;
  });
  if (problem) return { ok: false, error: problem };
  if (expanded.includes("\u0000")) return { ok: false, error: `${what} contains a NUL character` };
  return { ok: true, value: path.resolve(cwd, expanded) };
}
