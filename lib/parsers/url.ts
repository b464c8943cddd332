import type { EcsUrl } from "../schema/event";
import { port } from "./fields";

/**
 * Splits a logged URL into ECS `url.*` by scanning it once. WHATWG `new URL()` would cost more than
 * the rest of a normalizer, and it rejects or rewrites what Gateway logs as seen (no scheme, raw
 * spaces, odd ports); here the parts are substrings of the original, only scheme and host
 * lower-cased. A URL without `scheme://` is read as `host/path`.
 */
export function urlParts(full: string): EcsUrl {
  const url: EcsUrl = { original: full, full };
  const sep = full.indexOf("://");
  let start = 0;
  if (sep > 0 && isScheme(full, sep)) {
    url.scheme = full.slice(0, sep).toLowerCase();
    start = sep + 3;
  }
  let end = start;
  while (end < full.length) {
    const c = full.charCodeAt(end);
    if (c === 0x2f || c === 0x3f || c === 0x23) break; // / ? #
    end++;
  }
  hostAndPort(full.slice(start, end), url);
  const hash = full.indexOf("#", end);
  const stop = hash < 0 ? full.length : hash;
  const question = full.indexOf("?", end);
  const query = question >= 0 && question < stop ? question : -1;
  const pathEnd = query >= 0 ? query : stop;
  if (pathEnd > end) url.path = full.slice(end, pathEnd);
  if (query >= 0 && stop > query + 1) url.query = full.slice(query + 1, stop);
  if (hash >= 0 && hash < full.length - 1) url.fragment = full.slice(hash + 1);
  return url;
}

/** `url.domain` and `url.port` of a Host header; undefined when it names neither. */
export function hostUrl(host: string): EcsUrl | undefined {
  const url = hostAndPort(host, {});
  return url.domain !== undefined || url.port !== undefined ? url : undefined;
}

/**
 * `domain` (lower-cased) and `port` of an authority (`user@host:port`), set on `url`; an IPv6
 * literal keeps its brackets, as ECS asks.
 */
function hostAndPort(authority: string, url: EcsUrl): EcsUrl {
  const at = authority.lastIndexOf("@");
  const hostPort = at >= 0 ? authority.slice(at + 1) : authority;
  const bracket = hostPort.startsWith("[") ? hostPort.indexOf("]") : -1;
  const colon = hostPort.lastIndexOf(":");
  let host = hostPort;
  if (colon > bracket && (bracket >= 0 || hostPort.indexOf(":") === colon)) {
    host = hostPort.slice(0, colon);
    const p = port(hostPort.slice(colon + 1));
    if (p !== undefined) url.port = p;
  }
  if (host !== "") url.domain = host.toLowerCase();
  return url;
}

function isScheme(s: string, end: number): boolean {
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    const ok = letter || (i > 0 && ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e));
    if (!ok) return false;
  }
  return true;
}

/** `url.domain` and `url.path` of a bare `host/path`, such as Access's `AppDomain`. */
export function domainAndPath(hostPath: string): EcsUrl | undefined {
  const slash = hostPath.indexOf("/");
  const domain = slash < 0 ? hostPath : hostPath.slice(0, slash);
  const url: EcsUrl = {};
  if (domain !== "") url.domain = domain.toLowerCase();
  if (slash >= 0 && slash < hostPath.length - 1) url.path = hostPath.slice(slash);
  return url.domain === undefined && url.path === undefined ? undefined : url;
}
