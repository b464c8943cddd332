import Joi from "joi";
import type { Parsed } from "../../schema/parsed";
import { COMMON_DEFAULTS, PROVIDER_DEFAULTS, PROVIDER_NAMES, type RemoteProviderName } from "./defaults";
import type { ResilienceSettings } from "./resilient-provider";

/** One provider's settings as a flow or the editor gives them; everything but `enabled` has a default. */
export interface ProviderConfigInput {
  enabled?: unknown;
  /** The API key; for Cloudflare the account's API token. */
  key?: unknown;
  baseUrl?: unknown;
  /** `{limit, intervalMs}`, or null for no rate limit beyond the quota. */
  rate?: unknown;
  /** Requests per UTC day, or null for none. */
  quota?: unknown;
  timeoutMs?: unknown;
  concurrency?: unknown;
  queue?: unknown;
  cacheSize?: unknown;
  retries?: unknown;
  retryBaseMs?: unknown;
  maxRetryAfterMs?: unknown;
  /** `{failures, cooldownMs}` */
  breaker?: unknown;
  /** Cloudflare only. */
  accountId?: unknown;
}

export type RemoteConfigInput = Partial<Record<RemoteProviderName, ProviderConfigInput>>;

export interface ProviderSettings extends ResilienceSettings {
  enabled: boolean;
  /** Empty when there is none. */
  key: string;
  /** Why the provider cannot be asked (no key, unset environment variable, no account), or null. */
  unavailable: string | null;
  baseUrl: string;
  /** Cloudflare only; empty otherwise. */
  accountId: string;
  maxResponseBytes: number;
}

export type RemoteSettings = Record<RemoteProviderName, ProviderSettings>;

/** A whole-value `${NAME}` left as it was: the environment variable is not set. */
const UNSET_ENV_RE = /^\$\{(\S+)\}$/;

/**
 * Joi's default messages quote the offending value, and for a key that value is the secret: every
 * message used here names the field (its path, e.g. `virustotal.rate.limit`) and never the value.
 */
const MESSAGES: Record<string, string> = {
  "any.required": "{{#label}} is missing",
  "boolean.base": "{{#label}} must be true or false",
  "number.base": "{{#label}} must be a number",
  "number.integer": "{{#label}} must be a whole number",
  "number.min": "{{#label}} must be at least {{#limit}}",
  "number.max": "{{#label}} must be at most {{#limit}}",
  "number.unsafe": "{{#label}} is too large",
  "number.infinity": "{{#label}} must be finite",
  "string.base": "{{#label}} must be text",
  "string.uri": "{{#label}} must be an http(s) URL",
  "string.uriCustomScheme": "{{#label}} must be an http(s) URL",
  "object.base": "{{#label}} must be an object",
  "object.unknown": "{{#label}} is not a setting",
};

const int = (min: number, max: number) => Joi.number().integer().min(min).max(max);

function providerSchema(name: RemoteProviderName): Joi.ObjectSchema {
  const d = PROVIDER_DEFAULTS[name];
  const c = COMMON_DEFAULTS;
  const keys: Record<string, Joi.Schema> = {
    enabled: Joi.boolean().default(false),
    key: Joi.string().trim().allow("").pattern(/^\S*$/).default("").messages({ "string.pattern.base": "{{#label}} must not contain spaces" }),
    baseUrl: Joi.string().trim().uri({ scheme: ["https", "http"] }).empty("").default(d.baseUrl),
    rate: Joi.object({ limit: int(1, 1_000_000).required(), intervalMs: int(1, 86_400_000).required() })
      .allow(null)
      .default(d.rate),
    quota: int(1, 100_000_000).allow(null).default(d.quota),
    timeoutMs: int(1, 120_000).default(d.timeoutMs),
    concurrency: int(1, 100).default(d.concurrency),
    queue: int(0, 1_000_000).default(c.queue),
    cacheSize: int(0, 10_000_000).default(c.cacheSize),
    retries: int(0, 2).default(c.retries),
    retryBaseMs: int(0, 60_000).default(c.retryBaseMs),
    maxRetryAfterMs: int(0, 3_600_000).default(c.maxRetryAfterMs),
    breaker: Joi.object({ failures: int(1, 1000).default(c.breaker.failures), cooldownMs: int(1, 86_400_000).default(c.breaker.cooldownMs) }).default(),
  };
  if (name === "cloudflare") {
    keys.accountId = Joi.string()
      .trim()
      .lowercase()
      .allow("")
      .pattern(/^[0-9a-f]{32}$/)
      .default("")
      .messages({ "string.pattern.base": "{{#label}} must be 32 hexadecimal characters (Cloudflare dashboard, Account home)" });
  }
  return Joi.object(keys).default();
}

const schema = Joi.object(Object.fromEntries(PROVIDER_NAMES.map((name) => [name, providerSchema(name)]))).default();

/** Validates the remote providers' configuration; an error names the field and never repeats a key. */
export function parseRemoteConfig(input: RemoteConfigInput | undefined): Parsed<RemoteSettings> {
  const { value, error } = schema.validate(input ?? {}, { convert: true, abortEarly: true, messages: MESSAGES, errors: { wrap: { label: false } } });
  if (error) {
    const [first] = error.details;
    const topLevel = first.type === "object.unknown" && first.path.length === 1;
    return { ok: false, error: topLevel ? `${first.path[0]} is not a provider` : first.message };
  }
  const settings = {} as RemoteSettings;
  for (const name of PROVIDER_NAMES) {
    const v = value[name];
    const unset = UNSET_ENV_RE.exec(v.key);
    const key = unset ? "" : v.key;
    settings[name] = {
      ...v,
      key,
      accountId: v.accountId ?? "",
      baseUrl: v.baseUrl.replace(/\/+$/, ""),
      maxResponseBytes: COMMON_DEFAULTS.maxResponseBytes,
      unavailable: unavailable(name, key, unset?.[1], v.accountId ?? ""),
    };
  }
  return { ok: true, value: settings };
}

function unavailable(name: RemoteProviderName, key: string, unsetVariable: string | undefined, accountId: string): string | null {
  if (name === "cloudflare" && accountId === "") return "no Cloudflare account configured";
  if (!PROVIDER_DEFAULTS[name].needsKey) return null;
  const what = name === "cloudflare" ? "API token" : "API key";
  if (unsetVariable !== undefined) return `the ${what} refers to environment variable ${unsetVariable}, which is not set`;
  return key === "" ? `no ${what} configured` : null;
}
