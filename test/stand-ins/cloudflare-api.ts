import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { accessRoutes } from "./cloudflare/access";
import { Seeder, StandInData } from "./cloudflare/data";
import { deviceRoutes } from "./cloudflare/devices";
import { faultReply, RuleList, type FaultSpec, type HookSpec } from "./cloudflare/faults";
import { graphqlRoutes } from "./cloudflare/graphql";
import { ApiRefusal, CODES, failed, type RecordedRequest, type Reply } from "./cloudflare/http";
import { intelRoutes } from "./cloudflare/intel";
import { riskRoutes } from "./cloudflare/risk";
import { RouteTable } from "./cloudflare/routes";

export type { FaultSpec, HookSpec } from "./cloudflare/faults";
export type { RecordedRequest } from "./cloudflare/http";

/** Where the API lives on the stand-in, as on api.cloudflare.com. */
export const API_ROOT = "/client/v4";
/** The account id Cloudflare's own API examples use. */
const STAND_IN_ACCOUNT_ID = "023e105f4ecef8ad9ca31a8372d0c353";

export interface StandInOptions {
  /** The API token the stand-in accepts as `Authorization: Bearer <token>`. */
  token: string;
  accountId?: string;
}

/**
 * A stand-in for the Cloudflare API on 127.0.0.1: the endpoints the project uses, answering with
 * Cloudflare's envelope, paging and filters over seeded data; faults on request; every request
 * recorded. Areas live in `./cloudflare/*.ts`, each adding its routes to one table: a later
 * endpoint is a route there, not another server.
 */
export class CloudflareApiStandIn {
  /** The base URL to hand the client: `http://127.0.0.1:<port>/client/v4`. */
  url = "";
  readonly accountId: string;
  readonly requests: RecordedRequest[] = [];
  readonly seed: Seeder;
  private data: StandInData;
  private readonly routes = new RouteTable();
  private readonly faults = new RuleList<FaultSpec>();
  private readonly hooks = new RuleList<HookSpec>();
  private readonly closing = new AbortController();
  private readonly server: Server;

  constructor(private readonly opts: StandInOptions) {
    this.accountId = opts.accountId ?? STAND_IN_ACCOUNT_ID;
    this.data = new StandInData(this.accountId);
    this.seed = new Seeder(() => this.data);
    for (const area of [accessRoutes, riskRoutes, deviceRoutes, graphqlRoutes, intelRoutes]) area(this.routes);
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: Error) => send(res, { status: 500, body: { stand_in_error: err.message } }));
    });
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${API_ROOT}`;
    return this;
  }

  /** Answers matching requests with a fault instead (see FaultSpec); faults apply before authentication. */
  fail(spec: FaultSpec): void {
    this.faults.add(spec);
  }

  /** Runs `spec.run` when a matching request arrives, before it is answered. */
  onRequest(spec: HookSpec): void {
    this.hooks.add(spec);
  }

  /** Requests to a path below the API root (exact, or matching a pattern); all of them without one. */
  requestsTo(path?: string | RegExp): RecordedRequest[] {
    if (path === undefined) return this.requests;
    return this.requests.filter((r) => (typeof path === "string" ? r.path === path : path.test(r.path)));
  }

  count(path?: string | RegExp): number {
    return this.requestsTo(path).length;
  }

  /** Forgets seeded data, faults, hooks and recorded requests. */
  reset(): void {
    this.data = new StandInData(this.accountId);
    this.faults.clear();
    this.hooks.clear();
    this.requests.length = 0;
  }

  async close(): Promise<void> {
    this.closing.abort();
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((err) => (err ? reject(err) : resolve())));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rec = await record(req, this.opts.token);
    if (!rec) return send(res, failed(404, [{ code: CODES.noRoute, message: "No route for the URI" }]));
    this.requests.push(rec);
    this.hooks.take(rec)?.run(rec);
    const fault = this.faults.take(rec);
    if (fault?.delayMs !== undefined) {
      const waited = await sleep(fault.delayMs, true, { signal: this.closing.signal }).catch(() => false);
      if (!waited) return;
    }
    if (fault?.reset) {
      req.socket.destroy();
      return;
    }
    const forced = fault ? faultReply(fault, rec) : null;
    send(res, forced ?? this.answer(rec));
  }

  private answer(rec: RecordedRequest): Reply {
    if (rec.auth !== "ok") return failed(401, [{ code: CODES.authentication, message: "Authentication error" }]);
    const route = this.routes.match(rec.method, rec.path);
    if (!route) return failed(404, [{ code: CODES.noRoute, message: "No route for the URI" }]);
    if (route.params.account !== undefined && route.params.account !== this.accountId) {
      return failed(403, [{ code: CODES.forbidden, message: "Unauthorized to access requested resource" }]);
    }
    try {
      return route.handler({ ...rec, params: route.params }, this.data);
    } catch (err) {
      if (err instanceof ApiRefusal) return failed(err.status, [{ code: err.code, message: err.message }]);
      throw err;
    }
  }
}

export async function startCloudflareApi(opts: StandInOptions): Promise<CloudflareApiStandIn> {
  return new CloudflareApiStandIn(opts).listen();
}

/** The request as recorded, or null when it is not below the API root. */
async function record(req: IncomingMessage, token: string): Promise<RecordedRequest | null> {
  const at = performance.now();
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const url = new URL(req.url ?? "/", "http://stand-in");
  if (url.pathname !== API_ROOT && !url.pathname.startsWith(`${API_ROOT}/`)) return null;
  const { authorization, ...headers } = req.headers;
  const text = Buffer.concat(chunks).toString("utf8");
  let body: unknown = undefined;
  if (text !== "") {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return {
    method: req.method ?? "GET",
    path: url.pathname.slice(API_ROOT.length) || "/",
    search: url.search.replace(/^\?/, ""),
    query: url.searchParams,
    headers,
    auth: authorization === undefined ? "missing" : authorization === `Bearer ${token}` ? "ok" : "wrong",
    body,
    at,
  };
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.headersSent || res.destroyed) return;
  const text = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
  res.writeHead(reply.status ?? 200, { "content-type": "application/json", ...reply.headers });
  res.end(text);
}
