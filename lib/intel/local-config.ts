import Joi from "joi";
import type { Parsed } from "../schema/parsed";
import { SPAMHAUS_DROP_URLS } from "./feeds/spamhaus-drop-list";
import { TOR_EXIT_LIST_URL } from "./feeds/tor-exit-list";
import { normalizeAddress, normalizeIndicator } from "./indicator";
import { parseIpNetwork } from "./ip-address";

/** The offline intel settings as a flow or a config node stores them. */
export interface LocalIntelConfigInput {
  /** The user's IOC files; empty or absent: none. */
  iocDir?: unknown;
  /** The user's allowlists; empty or absent: none. */
  allowDir?: unknown;
  /** Where downloaded feeds keep their last good copy; required when a feed is enabled. */
  feedsDir?: unknown;
  tor?: { enabled?: unknown; url?: unknown; intervalMs?: unknown };
  drop?: { enabled?: unknown; urls?: unknown; intervalMs?: unknown };
  /** A list, or text with one entry per line or comma. */
  ownDomains?: unknown;
  ownNetworks?: unknown;
  /** The folders' periodic re-check. */
  rescanMs?: unknown;
  maxFileBytes?: unknown;
}

export interface LocalIntelSettings {
  iocDir?: string;
  allowDir?: string;
  feedsDir?: string;
  tor: { enabled: boolean; url: string; intervalMs: number };
  drop: { enabled: boolean; urls: string[]; intervalMs: number };
  ownDomains: string[];
  ownNetworks: string[];
  rescanMs: number;
  maxFileBytes: number;
}

const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;

const folder = Joi.string().trim().empty("").max(4096).messages({ "string.base": "{{#label}} must be a folder path" });
const url = Joi.string().trim().uri({ scheme: ["https", "http"] }).messages({ "string.uri": "{{#label}} must be an http(s) URL", "string.uriCustomScheme": "{{#label}} must be an http(s) URL", "string.base": "{{#label}} must be an http(s) URL" });
/** Both sites ask for no more than one download an hour (Spamhaus DROP terms; the Tor list is rebuilt about every 40 minutes). */
const interval = (fallback: number) =>
  Joi.number().integer().min(HOUR).max(WEEK).default(fallback).messages({
    "number.min": `{{#label}} must be at least ${HOUR} ms (an hour): the list's site asks for no more than one download an hour`,
    "number.max": `{{#label}} must be at most ${WEEK} ms (a week)`,
    "number.base": "{{#label}} must be a number of milliseconds",
    "number.integer": "{{#label}} must be a whole number of milliseconds",
  });

const domainName = Joi.string().custom((value: string, helpers) => {
  const n = normalizeIndicator("domain", value);
  return n.ok && n.indicator.type === "domain" ? n.indicator.value : helpers.error("any.invalid");
}).messages({ "any.invalid": "{{#label}} is not a domain name", "string.base": "{{#label}} is not a domain name" });

const network = Joi.string().custom((value: string, helpers) => {
  const address = normalizeAddress(value);
  if (address.ok) return address.indicator.value;
  return parseIpNetwork(value.trim())?.text ?? helpers.error("any.invalid");
}).messages({ "any.invalid": "{{#label}} is not an address or CIDR network", "string.base": "{{#label}} is not an address or CIDR network" });

const schema = Joi.object({
  iocDir: folder,
  allowDir: folder,
  feedsDir: folder,
  tor: Joi.object({
    enabled: Joi.boolean().default(false),
    url: url.default(TOR_EXIT_LIST_URL),
    intervalMs: interval(HOUR),
  }).default(),
  drop: Joi.object({
    enabled: Joi.boolean().default(false),
    urls: Joi.array().items(url).min(1).max(4).default(SPAMHAUS_DROP_URLS),
    intervalMs: interval(12 * HOUR),
  }).default(),
  ownDomains: Joi.array().items(domainName).max(1000).default([]),
  ownNetworks: Joi.array().items(network).max(1000).default([]),
  rescanMs: Joi.number().integer().min(1000).max(WEEK).default(30_000),
  maxFileBytes: Joi.number().integer().min(1024).max(1024 ** 3).default(64 * 1024 * 1024),
})
  .unknown(true)
  .messages({ "object.base": "the intel settings must be an object" });

/** Validates the offline intel settings; an error names the field, e.g. `tor.intervalMs must be at least …`. */
export function parseLocalIntelConfig(input: LocalIntelConfigInput): Parsed<LocalIntelSettings> {
  const prepared = typeof input === "object" && input !== null ? { ...input, ownDomains: entries(input.ownDomains), ownNetworks: entries(input.ownNetworks) } : input;
  const { value, error } = schema.validate(prepared, { convert: true, errors: { wrap: { label: false } } });
  if (error) return { ok: false, error: error.message };
  const settings = value as LocalIntelSettings;
  if ((settings.tor.enabled || settings.drop.enabled) && !settings.feedsDir) return { ok: false, error: "feedsDir is required when the Tor or DROP list is enabled" };
  return { ok: true, value: settings };
}

/** Text holds one entry per line or comma; a list is taken as it is. */
function entries(value: unknown): unknown {
  if (typeof value !== "string") return value;
  return value.split(/[\s,]+/).filter((s) => s !== "");
}
