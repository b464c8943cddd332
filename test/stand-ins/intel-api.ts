import { setMaxListeners } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { RuleList, type RequestMatch } from "./cloudflare/faults";
import type { RecordedRequest } from "./cloudflare/http";
import { AbuseIpdbArea } from "./intel/abuseipdb";
import { withRetryAfter, type IntelAreaName, type IntelRequest, type ProviderArea, type Reply } from "./intel/area";
import { GreyNoiseArea } from "./intel/greynoise";
import { InternetDbArea } from "./intel/internetdb";
import { OtxArea } from "./intel/otx";
import { ThreatFoxArea } from "./intel/threatfox";
import { UrlhausArea } from "./intel/urlhaus";
import { VirusTotalArea } from "./intel/virustotal";

export { INTEL_AREAS, type IntelAreaName, type IntelRequest } from "./intel/area";

/** Distinctive enough that finding one in any output means it leaked. */
export const INTEL_KEYS: Readonly<Record<IntelAreaName, string>> = {
  abuseipdb: "abuseipdb-KEY-SENTINEL-7c1e93",
  greynoise: "greynoise-KEY-SENTINEL-2b8f41",
  virustotal: "virustotal-KEY-SENTINEL-9d04a6",
  otx: "otx-KEY-SENTINEL-53e7c2",
  internetdb: "",
  urlhaus: "urlhaus-KEY-SENTINEL-e61b08",
  threatfox: "threatfox-KEY-SENTINEL-4a9d75",
};

/** What to answer instead of the normal answer, for requests to one provider. */
export interface IntelFault {
  provider: IntelAreaName;
  /** Path below the provider's API root (`/check`, `/ip_addresses/1.2.3.4`); any when left out. */
  path?: string | RegExp;
  when?: (req: IntelRequest) => boolean;
  /** How many matching requests it applies to; default 1, `Infinity` for all. */
  times?: number;
  /** The provider's own quota-exhausted answer, or its own 429. */
  kind?: "quota" | "rate_limited";
  /** Another status, with the provider's own error body (500, 503…); with `body`, that body. */
  status?: number;
  /** Sent as Retry-After (seconds or HTTP date). */
  retryAfter?: number | string;
  /** Exactly this body: a string as it is (malformed JSON, an HTML page, a huge answer), else JSON. */
  body?: unknown;
  /** Wait this long first; alone, it only delays the normal answer. */
  delayMs?: number;
  /** Close the connection without answering. */
  reset?: boolean;
}

interface Rule extends RequestMatch {
  fault: IntelFault;
}

export interface IntelStandInOptions {
  /** Keys each provider accepts; default INTEL_KEYS. */
  keys?: Partial<Record<IntelAreaName, string>>;
  /** Added before every answer (a benchmark's fixed provider latency). */
  latencyMs?: number;
}

/**
 * Every HTTP threat-intel provider on one server on 127.0.0.1, each below its own prefix
 * (`/abuseipdb/api/v2/check`, `/internetdb/1.2.3.4`): the documented paths and answer shapes
 * over seeded data, the provider's key checked in the provider's header, and on request the
 * provider's own misbehaviour (429 with and without Retry-After, quota spent, 5xx, slow or
 * malformed answers, dropped connections). Every request is logged per provider, key never kept.
 */
export class IntelApiStandIn {
  /** `http://127.0.0.1:<port>` */
  url = "";
  /** May be changed at any time; `reset` restores the one the stand-in started with. */
  latencyMs: number;
  private readonly initialLatencyMs: number;
  readonly abuseipdb = new AbuseIpdbArea();
  readonly greynoise = new GreyNoiseArea();
  readonly virustotal = new VirusTotalArea();
  readonly otx = new OtxArea();
  readonly internetdb = new InternetDbArea();
  readonly urlhaus = new UrlhausArea();
  readonly threatfox = new ThreatFoxArea();
  readonly requests: IntelRequest[] = [];
  private readonly areas: Map<string, ProviderArea>;
  private readonly keys: Record<IntelAreaName, string>;
  private readonly rules = new RuleList<Rule>();
  private readonly closing = new AbortController();
  private readonly server: Server;

  constructor(opts: IntelStandInOptions = {}) {
    this.keys = { ...INTEL_KEYS, ...opts.keys };
    this.latencyMs = this.initialLatencyMs = opts.latencyMs ?? 0;
    // Every delayed answer listens for close; under a benchmark's load that is thousands at once.
    setMaxListeners(0, this.closing.signal);
    const areas: ProviderArea[] = [this.abuseipdb, this.greynoise, this.virustotal, this.otx, this.internetdb, this.urlhaus, this.threatfox];
    this.areas = new Map(areas.map((a) => [a.name, a]));
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: Error) => send(res, { status: 500, body: { stand_in_error: err.message } }));
    });
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** The base URL to configure for a provider, as its real one but on the stand-in. */
  baseUrl(provider: IntelAreaName): string {
    return `${this.url}/${provider}${this.area(provider).root}`;
  }

  key(provider: IntelAreaName): string {
    return this.keys[provider];
  }

  fail(fault: IntelFault): void {
    this.rules.add({
      fault,
      path: fault.path ?? /(?:)/,
      times: fault.times,
      when: (r: RecordedRequest) => (r as IntelRequest).provider === fault.provider && (fault.when?.(r as IntelRequest) ?? true),
    });
  }

  requestsTo(provider: IntelAreaName, path?: string | RegExp): IntelRequest[] {
    return this.requests.filter((r) => r.provider === provider && (path === undefined || (typeof path === "string" ? r.path === path : path.test(r.path))));
  }

  count(provider: IntelAreaName, path?: string | RegExp): number {
    return this.requestsTo(provider, path).length;
  }

  /** Forgets seeded data, counters, faults, a changed latency and the request log. */
  reset(): void {
    this.latencyMs = this.initialLatencyMs;
    for (const area of this.areas.values()) area.reset();
    this.rules.clear();
    this.requests.length = 0;
  }

  async close(): Promise<void> {
    this.closing.abort();
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((err) => (err ? reject(err) : resolve())));
  }

  private area(name: IntelAreaName): ProviderArea {
    const area = this.areas.get(name);
    if (!area) throw new Error(`the stand-in does not serve ${name}`);
    return area;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rec = await this.record(req);
    if (!rec) return send(res, { status: 404, body: "no such provider on the stand-in" });
    this.requests.push(rec);
    const fault = this.rules.take(rec)?.fault;
    const delay = this.latencyMs + (fault?.delayMs ?? 0);
    if (delay > 0 && !(await sleep(delay, true, { signal: this.closing.signal }).catch(() => false))) return;
    if (fault?.reset) {
      req.socket.destroy();
      return;
    }
    send(res, (fault && this.forced(fault, rec)) ?? this.answer(rec));
  }

  private answer(rec: IntelRequest): Reply {
    const area = this.area(rec.provider);
    return rec.auth === "ok" ? area.answer(rec) : area.unauthorized(rec);
  }

  /** The fault's answer, or null when it only delays. */
  private forced(fault: IntelFault, rec: IntelRequest): Reply | null {
    const area = this.area(rec.provider);
    if (fault.body !== undefined) return withRetryAfter({ status: fault.status ?? 200, body: fault.body }, fault.retryAfter);
    if (fault.kind === "quota") return area.quotaExhausted();
    if (fault.kind === "rate_limited") return area.rateLimited(fault.retryAfter);
    if (fault.status !== undefined) return withRetryAfter(area.failure(fault.status), fault.retryAfter);
    return fault.delayMs !== undefined ? null : area.failure(500);
  }

  /** The request as recorded, or null when its first path segment names no provider served here. */
  private async record(req: IncomingMessage): Promise<IntelRequest | null> {
    const at = performance.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", "http://stand-in");
    const [, provider, ...rest] = url.pathname.split("/");
    const area = this.areas.get(provider);
    if (!area) return null;
    const below = `/${rest.join("/")}`;
    if (!below.startsWith(area.root)) return null;
    const headers = { ...req.headers };
    let auth: IntelRequest["auth"] = "ok";
    if (area.keyHeader !== null) {
      const given = headers[area.keyHeader];
      delete headers[area.keyHeader];
      auth = given === undefined ? "missing" : given === this.keys[area.name] ? "ok" : "wrong";
    }
    const text = Buffer.concat(chunks).toString("utf8");
    const form = String(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded") ? new URLSearchParams(text) : new URLSearchParams();
    return {
      provider: area.name,
      method: req.method ?? "GET",
      path: below.slice(area.root.length) || "/",
      search: url.search.replace(/^\?/, ""),
      query: url.searchParams,
      headers,
      auth,
      body: parseBody(text),
      form,
      at,
    };
  }
}

export async function startIntelApi(opts: IntelStandInOptions = {}): Promise<IntelApiStandIn> {
  return new IntelApiStandIn(opts).listen();
}

function parseBody(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.headersSent || res.destroyed) return;
  const text = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
  res.writeHead(reply.status ?? 200, { "content-type": "application/json", ...reply.headers });
  res.end(text);
}
