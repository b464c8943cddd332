import { domainToASCII } from "node:url";
import { parseIpAddress } from "./ip-address";
import type { Indicator, IndicatorType } from "./types";

export type Normalized = { ok: true; indicator: Indicator } | { ok: false; reason: string };

/** URLs carry paths and queries; anything else this long is not an indicator but an attack on the parser. */
const MAX_URL_LENGTH = 8192;
const MAX_OTHER_LENGTH = 1024;
const MAX_DOMAIN_LENGTH = 253;
const MAX_LABEL_LENGTH = 63;
const MAX_EMAIL_LOCAL_LENGTH = 64;

const CONTROL = /\p{Cc}/u;
/** Invisible formatting characters (bidi overrides, zero-width joiners) make a value look like another. */
const FORMAT = /\p{Cf}/u;
const LABEL = /^[a-z0-9_-]+$/;
const HEX = /^[0-9a-fA-F]+$/;
const URL_SCHEMES = new Set(["http:", "https:", "ftp:", "ws:", "wss:"]);
const HASH_TYPE_BY_LENGTH: Readonly<Record<number, IndicatorType>> = { 32: "md5", 40: "sha1", 64: "sha256" };
const HASH_LENGTH: Readonly<Record<string, number>> = { md5: 32, sha1: 40, sha256: 64 };

const fail = (reason: string): Normalized => ({ ok: false, reason });
const ok = (type: IndicatorType, value: string): Normalized => ({ ok: true, indicator: { type, value } });

/**
 * The indicator `raw` names as `type`, in canonical form (see Indicator), or why it is none. An
 * IPv4-mapped IPv6 address comes back as IPv4, and a "domain" that is an address (`0x7f.1`,
 * full-width digits) as that address: the name resolves to it, so it must be judged as it.
 */
export function normalizeIndicator(type: IndicatorType, raw: unknown): Normalized {
  const text = prepare(raw, type === "url" ? MAX_URL_LENGTH : MAX_OTHER_LENGTH);
  if (typeof text !== "string") return text;
  switch (type) {
    case "ipv4":
    case "ipv6": {
      const address = parseIpAddress(text);
      // An IPv4-mapped IPv6 address is written as IPv6 and comes back as IPv4.
      if (!address || text.includes(":") !== (type === "ipv6")) return fail(`not an ${type === "ipv4" ? "IPv4" : "IPv6"} address`);
      return ok(address.v6 ? "ipv6" : "ipv4", address.text);
    }
    case "domain":
      return normalizeHost(text);
    case "url":
      return normalizeUrl(text);
    case "email":
      return normalizeEmail(text);
    default:
      return normalizeHash(text, type);
  }
}

/** An IPv4 or IPv6 address in canonical form. */
export function normalizeAddress(raw: unknown): Normalized {
  const text = prepare(raw, MAX_OTHER_LENGTH);
  if (typeof text !== "string") return text;
  const address = parseIpAddress(text);
  return address ? ok(address.v6 ? "ipv6" : "ipv4", address.text) : fail("not an IP address");
}

/** Like normalizeIndicator, the type read from the value: address, hash, URL (has a scheme), email, else domain. */
export function inferIndicator(raw: unknown): Normalized {
  const text = prepare(raw, MAX_URL_LENGTH);
  if (typeof text !== "string") return text;
  const address = parseIpAddress(text);
  if (address) return ok(address.v6 ? "ipv6" : "ipv4", address.text);
  if (HEX.test(text) && HASH_TYPE_BY_LENGTH[text.length]) return normalizeHash(text, HASH_TYPE_BY_LENGTH[text.length]);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return normalizeUrl(text);
  if (text.length > MAX_OTHER_LENGTH) return fail(`longer than ${MAX_OTHER_LENGTH} characters`);
  if (text.includes("@")) return normalizeEmail(text);
  const host = normalizeHost(text);
  return host.ok ? host : fail("not an IP address, domain, URL, email or hash");
}

/** A string within the length limit, trimmed, non-empty and free of control characters; or why not. */
function prepare(raw: unknown, maxLength: number): string | Normalized {
  if (typeof raw !== "string") return fail("not text");
  if (raw.length > maxLength + 64) return fail(`longer than ${maxLength} characters`);
  const text = raw.trim();
  if (text === "") return fail("empty");
  if (text.length > maxLength) return fail(`longer than ${maxLength} characters`);
  if (CONTROL.test(text)) return fail("contains control characters");
  return text;
}

/**
 * A host name lower-cased, without its trailing dot, IDN as punycode; an address if the name is
 * one. `domainToASCII` applies IDNA (UTS #46) as browsers do: it drops soft hyphens and zero-width
 * spaces and refuses bidi overrides.
 */
function normalizeHost(text: string): Normalized {
  const literal = parseIpAddress(text);
  if (literal) return ok(literal.v6 ? "ipv6" : "ipv4", literal.text);
  const name = text.endsWith(".") ? text.slice(0, -1) : text;
  const ascii = domainToASCII(name.toLowerCase());
  if (ascii === "") return fail("not a valid domain name");
  const address = parseIpAddress(ascii);
  if (address) return ok(address.v6 ? "ipv6" : "ipv4", address.text);
  if (ascii.length > MAX_DOMAIN_LENGTH) return fail(`domain longer than ${MAX_DOMAIN_LENGTH} characters`);
  for (const label of ascii.split(".")) {
    if (label.length === 0 || label.length > MAX_LABEL_LENGTH || !LABEL.test(label)) return fail("not a valid domain name");
  }
  return ok("domain", ascii);
}

/**
 * WHATWG URL: lower-case host in punycode, default port dropped, path percent-encoded. The
 * fragment never reaches the server, so it is no part of the indicator; user name and password
 * are credentials and are dropped.
 */
function normalizeUrl(text: string): Normalized {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail("not a valid URL");
  }
  if (!URL_SCHEMES.has(url.protocol)) return fail(`URL scheme ${url.protocol.slice(0, 16)} is not looked up`);
  if (url.hostname === "") return fail("URL has no host");
  url.username = "";
  url.password = "";
  url.hash = "";
  return url.href.length > MAX_URL_LENGTH ? fail(`longer than ${MAX_URL_LENGTH} characters`) : ok("url", url.href);
}

function normalizeEmail(text: string): Normalized {
  const at = text.lastIndexOf("@");
  const local = text.slice(0, at);
  if (at <= 0 || local.length > MAX_EMAIL_LOCAL_LENGTH || /[\s@<>]/u.test(local) || FORMAT.test(local)) return fail("not a valid email address");
  const domain = normalizeHost(text.slice(at + 1));
  if (!domain.ok || domain.indicator.type !== "domain") return fail("not a valid email address");
  return ok("email", `${local.toLowerCase()}@${domain.indicator.value}`);
}

function normalizeHash(text: string, type: IndicatorType): Normalized {
  const length = HASH_LENGTH[type];
  if (!HEX.test(text) || text.length !== length) return fail(`a ${type} hash is ${length} hexadecimal digits`);
  return ok(type, text.toLowerCase());
}

/** The type a bare hash has by its length, or undefined. */
export function hashTypeOf(text: string): IndicatorType | undefined {
  return HEX.test(text) ? HASH_TYPE_BY_LENGTH[text.length] : undefined;
}

/** The host of a normalized URL indicator, as an indicator of its own (domain or address). */
export function urlHost(urlValue: string): Indicator | undefined {
  let hostname: string;
  try {
    hostname = new URL(urlValue).hostname;
  } catch {
    return undefined;
  }
  const host = normalizeHost(hostname.startsWith("[") ? hostname.slice(1, -1) : hostname);
  return host.ok ? host.indicator : undefined;
}
