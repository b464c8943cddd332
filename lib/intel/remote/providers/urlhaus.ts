import type { Indicator } from "../../types";
import { bandScore, found, type Attempt } from "../attempt";
import { compact, excerpt } from "../compact";
import { PROVIDER_DEFAULTS } from "../defaults";
import { badShape, isObject } from "../http-reply";
import type { HttpProviderSpec } from "../http-source";
import { abuseChBody } from "./abuse-ch";

/** The endpoint and form field for an indicator. */
function query(indicator: Indicator): { path: string; field: string } {
  switch (indicator.type) {
    case "url":
      return { path: "/url/", field: "url" };
    case "md5":
      return { path: "/payload/", field: "md5_hash" };
    case "sha256":
      return { path: "/payload/", field: "sha256_hash" };
    default:
      return { path: "/host/", field: "host" };
  }
}

const urlSummary = (u: Record<string, unknown>) => compact({ url: u.url, url_status: u.url_status, threat: u.threat, date_added: u.date_added, tags: u.tags });

/**
 * abuse.ch URLhaus: `POST /url/`, `/host/` (a domain or IPv4) and `/payload/` (MD5 or SHA-256),
 * form-encoded, Auth-Key header. Everything URLhaus lists was serving malware: online is
 * malicious, offline suspicious (it was, and may be again). A payload is malicious.
 */
export const urlhaus: HttpProviderSpec = {
  name: "urlhaus",
  types: PROVIDER_DEFAULTS.urlhaus.types,
  call(indicator, key) {
    const { path, field } = query(indicator);
    return {
      method: "POST",
      path,
      headers: { "auth-key": key, accept: "application/json", "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ [field]: indicator.value }).toString(),
    };
  },
  read(reply, indicator) {
    const got = abuseChBody("URLhaus", reply, "no_results");
    if (!got.ok) return got.attempt;
    if (indicator.type === "url") return readUrl(got.body);
    if (indicator.type === "md5" || indicator.type === "sha256") return readPayload(got.body);
    return readHost(got.body);
  },
};

function readUrl(b: Record<string, unknown>): Attempt {
  if (typeof b.url_status !== "string") return badShape("URLhaus", "url_status");
  const kept = compact({ url_status: b.url_status, threat: b.threat, date_added: b.date_added, tags: b.tags, blacklists: b.blacklists, urlhaus_reference: b.urlhaus_reference });
  const threat = typeof b.threat === "string" ? excerpt(b.threat, 40) : "malware";
  if (b.url_status === "online") return found("malicious", 100, `${threat}, online`, kept);
  return found("suspicious", bandScore("suspicious", 0.7), `${threat}, ${excerpt(b.url_status, 20)} now`, kept);
}

function readHost(b: Record<string, unknown>): Attempt {
  if (!Array.isArray(b.urls)) return badShape("URLhaus", "urls");
  const urls = b.urls.filter(isObject);
  const online = urls.filter((u) => u.url_status === "online").length;
  const count = Number(b.url_count ?? urls.length) || urls.length;
  const kept = compact({ url_count: count, online, blacklists: b.blacklists, firstseen: b.firstseen, urls: urls.slice(0, 5).map(urlSummary), urlhaus_reference: b.urlhaus_reference });
  if (online > 0) return found("malicious", bandScore("malicious", online / 5), `${online} of ${count} malware URLs online`, kept);
  return found("suspicious", bandScore("suspicious", 0.7), `${count} malware URLs, none online`, kept);
}

function readPayload(b: Record<string, unknown>): Attempt {
  if (!Array.isArray(b.urls)) return badShape("URLhaus", "urls");
  const signature = typeof b.signature === "string" && b.signature !== "" ? excerpt(b.signature, 40) : null;
  const kept = compact({
    file_type: b.file_type,
    file_size: b.file_size,
    signature: b.signature,
    firstseen: b.firstseen,
    lastseen: b.lastseen,
    url_count: b.url_count,
    urls: b.urls.filter(isObject).slice(0, 5).map(urlSummary),
  });
  return found("malicious", 95, `malware payload${signature ? ` (${signature})` : ""} served from ${b.url_count ?? b.urls.length} URLs`, kept);
}
