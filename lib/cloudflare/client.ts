import axios, { type AxiosInstance } from "axios";
import { setTimeout as sleep } from "node:timers/promises";
import { parseRetryAfter } from "../cli/retry-policy";
import { DEFAULT_BASE_URL, normalizeBaseUrl } from "./base-url";
import { budgetFor } from "./budget-registry";
import { readEnvelope, type EnvelopeResult } from "./envelope";
import { CloudflareApiError, redactor, type Failure, type Outcome } from "./errors";
import { readGraphql } from "./graphql-response";
import { parseJsonBody } from "./json-body";
import { cursorPages, numberedPages, type Page, type PageOptions } from "./pagination";
import { encodeQuery, type Query } from "./query-string";
import type { RateBudget } from "./rate-budget";
import { RetryPolicy } from "./retry-policy";

export interface CloudflareClientOptions {
  accountId: string;
  token: string;
  /** Default https://api.cloudflare.com/client/v4. */
  baseUrl?: string;
  /** Per attempt, from sending the request to the end of the answer. Default 30 s. */
  timeoutMs?: number;
  /** Retries of a retryable failure (429, 5xx, network, timeout). Default 4. */
  maxRetries?: number;
  /** First back-off when the server gives no Retry-After; doubles per retry. Default 1 s. */
  retryBaseMs?: number;
  /** Default: the account's shared REST budget, `budgetFor(accountId, baseUrl)`. */
  budget?: RateBudget;
  /** Default: the account's shared GraphQL budget, `budgetFor(accountId, baseUrl, "graphql")`. */
  graphqlBudget?: RateBudget;
}

export interface RequestOptions {
  query?: Query;
  /** Sent as JSON. */
  body?: unknown;
}

export interface ListOptions<T> extends PageOptions {
  /** Picks the items out of a `result` that is not itself the list (e.g. `{users: [...]}`). */
  items?: (result: unknown) => T[] | undefined;
}

type Reader<R> = (status: number, body: unknown, retryAfterMs: number | null) => Outcome<R>;

const MAX_BACKOFF_MS = 60_000;
/** Far above any list page Cloudflare sends; a bound so that no answer can exhaust memory. */
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
/** Transport errors that no retry will fix. */
const PERMANENT_TRANSPORT_CODES = new Set(["ERR_BAD_RESPONSE", "ERR_FR_MAX_CONTENT_LENGTH_EXCEEDED", "ERR_INVALID_URL", "ERR_BAD_OPTION_VALUE", "ERR_BAD_OPTION"]);

/**
 * The Cloudflare API, REST and GraphQL, for one account and one token. Every request waits for
 * the account's shared rate budget, is retried on 429/5xx/network failures with back-off, and
 * fails with a `CloudflareApiError` that never holds the token.
 */
export class CloudflareClient {
  readonly accountId: string;
  readonly baseUrl: string;
  readonly budget: RateBudget;
  readonly graphqlBudget: RateBudget;
  /** A private field: not shown by util.inspect or JSON.stringify of the client. */
  readonly #token: string;
  readonly #redact: (text: string) => string;
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;
  /** Carries no credentials: the token is added to each request, so inspecting this shows none. */
  private readonly http: AxiosInstance;

  constructor(opts: CloudflareClientOptions) {
    if (typeof opts.token !== "string" || opts.token.trim() === "") throw new TypeError("Cloudflare API token is missing");
    if (typeof opts.accountId !== "string" || opts.accountId === "") throw new TypeError("Cloudflare account id is missing");
    this.accountId = opts.accountId;
    this.baseUrl = normalizeBaseUrl(opts.baseUrl ?? DEFAULT_BASE_URL);
    if (!/^https?:\/\/[^/]/i.test(this.baseUrl)) throw new TypeError(`base URL must be http(s): ${this.baseUrl}`);
    this.#token = opts.token.trim();
    this.#redact = redactor(this.#token);
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.retry = new RetryPolicy({ maxRetries: opts.maxRetries ?? 4, baseMs: opts.retryBaseMs ?? 1000, maxBackoffMs: MAX_BACKOFF_MS });
    this.budget = opts.budget ?? budgetFor(this.accountId, this.baseUrl);
    this.graphqlBudget = opts.graphqlBudget ?? budgetFor(this.accountId, this.baseUrl, "graphql");
    this.http = axios.create({
      // Status, body and JSON are judged here, not by axios, so that every answer can be explained.
      validateStatus: () => true,
      responseType: "text",
      transformResponse: (data: unknown) => data,
      // A redirect would carry the Authorization header along; the API does not redirect.
      maxRedirects: 0,
      maxContentLength: MAX_RESPONSE_BYTES,
    });
  }

  /** `/accounts/<id><sub>`, the id URL-encoded. */
  accountPath(sub: string): string {
    return `/accounts/${encodeURIComponent(this.accountId)}${sub}`;
  }

  /** GET, returning the envelope's `result`. */
  async get<T>(path: string, query?: Query): Promise<T> {
    return (await this.request<T>("GET", path, { query })).result;
  }

  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<EnvelopeResult<T>> {
    return this.send(method, path, opts, [this.budget], readEnvelope<T>);
  }

  /** A page-numbered list, one page at a time; see `numberedPages` for when it stops. */
  pages<T>(path: string, query?: Query, opts: ListOptions<T> = {}): AsyncGenerator<Page<T>> {
    return numberedPages(async (page, perPage) => {
      const got = await this.request<unknown>("GET", path, { query: { ...query, page, per_page: perPage } });
      return { items: this.items(path, got.result, opts.items), resultInfo: got.resultInfo };
    }, opts);
  }

  /** A cursor-paginated list, one page at a time; see `cursorPages` for when it stops. */
  cursorPages<T>(path: string, query?: Query, opts: ListOptions<T> = {}): AsyncGenerator<Page<T>> {
    return cursorPages(async (cursor, perPage) => {
      const got = await this.request<unknown>("GET", path, { query: { ...query, cursor, per_page: perPage } });
      return { items: this.items(path, got.result, opts.items), resultInfo: got.resultInfo };
    }, opts);
  }

  /**
   * A GraphQL query, returning `data`. Values travel only in `variables`, never pasted into the
   * query text, so nothing a flow hands in can change the query. Counts against both budgets.
   */
  async graphql<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    return this.send("POST", "/graphql", { body: { query, variables } }, [this.graphqlBudget, this.budget], readGraphql<T>);
  }

  private async send<R>(method: string, path: string, opts: RequestOptions, budgets: RateBudget[], read: Reader<R>): Promise<R> {
    const verb = method.toUpperCase();
    const endpoint = `${verb} ${path}`;
    const url = `${this.baseUrl}${path}${encodeQuery(opts.query)}`;
    for (let attempt = 1; ; attempt++) {
      for (const budget of budgets) await budget.acquire();
      const outcome = await this.attempt(verb, url, opts.body, read);
      if (outcome.ok) return outcome.value;
      const failure = outcome.failure;
      if (!this.retry.allows(attempt, failure.retryable)) throw new CloudflareApiError(endpoint, this.redacted(failure), attempt);
      const waitMs = this.retry.delayMs(attempt, failure.retryAfterMs);
      // The whole account is rate limited, not just this call: everyone sharing the budget waits.
      if (failure.status === 429) budgets[0].blockUntil(Date.now() + waitMs);
      else await sleep(waitMs);
    }
  }

  /** One HTTP exchange. Never throws: whatever happens becomes an Outcome built from plain values. */
  private async attempt<R>(method: string, url: string, body: unknown, read: Reader<R>): Promise<Outcome<R>> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    const headers: Record<string, string> = { authorization: `Bearer ${this.#token}`, accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    let status: number;
    let text: string;
    let retryAfter: unknown;
    try {
      const res = await this.http.request<string>({ method, url, headers, signal, data: body === undefined ? undefined : JSON.stringify(body) });
      status = res.status;
      text = typeof res.data === "string" ? res.data : "";
      retryAfter = res.headers["retry-after"];
    } catch (err) {
      return { ok: false, failure: this.transportFailure(err, signal) };
    }
    const retryAfterMs = typeof retryAfter === "string" ? parseRetryAfter(retryAfter, Date.now()) : null;
    const parsed = parseJsonBody(status, text, retryAfterMs);
    return parsed.ok ? read(status, parsed.value, retryAfterMs) : parsed;
  }

  /** Picks the code and message out of the HTTP library's error and drops the rest (it holds the request headers). */
  private transportFailure(err: unknown, signal: AbortSignal): Failure {
    const base = { status: null, codes: [], messages: [], retryAfterMs: null };
    if (signal.aborted) {
      return { ...base, kind: "timeout", retryable: true, detail: `no complete answer within ${this.timeoutMs} ms` };
    }
    const e = err as { code?: unknown; message?: unknown };
    const code = typeof e?.code === "string" ? e.code : "";
    const message = typeof e?.message === "string" ? e.message : "unknown error";
    return { ...base, kind: "network", retryable: !PERMANENT_TRANSPORT_CODES.has(code), detail: `${code || "network error"}: ${message}` };
  }

  private items<T>(path: string, result: unknown, select: ((result: unknown) => T[] | undefined) | undefined): T[] {
    const items = select ? select(result) : result;
    if (Array.isArray(items)) return items as T[];
    const detail = "the answer's result holds no list of items";
    throw new CloudflareApiError(`GET ${path}`, { kind: "malformed", status: null, codes: [], messages: [], retryable: false, retryAfterMs: null, detail }, 1);
  }

  private redacted(failure: Failure): Failure {
    return { ...failure, detail: this.#redact(failure.detail), messages: failure.messages.map(this.#redact) };
  }
}
