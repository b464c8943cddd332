import type { Parsed } from "../schema/parsed";
import { resolveDataPath } from "../storage/data-path";
import type { LocalIntelConfigInput } from "./local-config";
import type { RemoteConfigInput } from "./remote";
import { PROVIDER_NAMES, type RemoteProviderName } from "./remote/defaults";

/** The `ztna-intel` config node's settings as the editor stores them. */
export interface IntelNodeInput extends Partial<Record<RemoteProviderName, unknown>> {
  iocDir?: unknown;
  allowDir?: unknown;
  feedsDir?: unknown;
  tor?: unknown;
  drop?: unknown;
  ownDomains?: unknown;
  ownNetworks?: unknown;
  /**
   * Per provider, another API root (a mirror, a proxy, a stand-in). Not in the editor: a flow
   * sets it, e.g. `"endpoints": {"abuseipdb": "https://tip-proxy.example/abuseipdb/api/v2"}`.
   */
  endpoints?: unknown;
}

/** Keys as credentials: URLhaus and ThreatFox share abuse.ch's one Auth-Key. */
export interface IntelKeys {
  abuseipdbKey?: string;
  greynoiseKey?: string;
  virustotalKey?: string;
  otxKey?: string;
  abusechKey?: string;
}

/** The Cloudflare account whose token Cloudflare Intel uses. */
export interface IntelAccount {
  accountId: string;
  token: string;
  baseUrl: string;
}

const KEY_OF: Readonly<Record<Exclude<RemoteProviderName, "cloudflare" | "internetdb">, keyof IntelKeys>> = {
  abuseipdb: "abuseipdbKey",
  greynoise: "greynoiseKey",
  virustotal: "virustotalKey",
  otx: "otxKey",
  urlhaus: "abusechKey",
  threatfox: "abusechKey",
};

/** Node-RED stores a checkbox as a boolean, a flow written by hand may say "true". */
function switchedOn(v: unknown): boolean {
  return v === true || v === "true";
}

function folder(value: unknown, what: string): Parsed<string | undefined> {
  if (value === undefined || value === null || value === "") return { ok: true, value: undefined };
  if (typeof value !== "string") return { ok: false, error: `${what} must be a folder path` };
  return resolveDataPath(value.trim(), what);
}

/**
 * The node's flat settings split into the offline providers' and the online providers'
 * configurations; `${ZTNA_DATA_DIR}` in folders is read from the environment here because
 * Node-RED substitutes only whole-value references.
 */
export function intelConfigOf(input: IntelNodeInput, keys: IntelKeys, account: IntelAccount | null): Parsed<{ local: LocalIntelConfigInput; remote: RemoteConfigInput }> {
  const dirs: Record<"iocDir" | "allowDir" | "feedsDir", string | undefined> = { iocDir: undefined, allowDir: undefined, feedsDir: undefined };
  for (const [field, what] of [
    ["iocDir", "IOC folder"],
    ["allowDir", "allowlist folder"],
    ["feedsDir", "lists folder"],
  ] as const) {
    const resolved = folder(input[field], what);
    if (!resolved.ok) return resolved;
    dirs[field] = resolved.value;
  }
  const local: LocalIntelConfigInput = {
    ...dirs,
    tor: { enabled: switchedOn(input.tor) },
    drop: { enabled: switchedOn(input.drop) },
    ownDomains: input.ownDomains ?? "",
    ownNetworks: input.ownNetworks ?? "",
  };
  const endpoints = input.endpoints ?? {};
  if (typeof endpoints !== "object" || endpoints === null || Array.isArray(endpoints)) return { ok: false, error: "endpoints must be an object of provider names to API roots" };
  const unknownName = Object.keys(endpoints).find((name) => !(PROVIDER_NAMES as readonly string[]).includes(name));
  if (unknownName !== undefined) return { ok: false, error: `endpoints.${unknownName.slice(0, 40)} is not a provider` };
  const endpointOf = (name: RemoteProviderName) => (endpoints as Record<string, unknown>)[name];
  const remote: RemoteConfigInput = {};
  for (const name of PROVIDER_NAMES) {
    if (!switchedOn(input[name])) continue;
    if (name === "cloudflare") remote.cloudflare = { enabled: true, key: account?.token ?? "", accountId: account?.accountId ?? "", baseUrl: account?.baseUrl };
    else if (name === "internetdb") remote.internetdb = { enabled: true, baseUrl: endpointOf(name) };
    else remote[name] = { enabled: true, key: keys[KEY_OF[name]] ?? "", baseUrl: endpointOf(name) };
  }
  return { ok: true, value: { local, remote } };
}
