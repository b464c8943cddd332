import axios, { type AxiosInstance } from "axios";
import { redactor } from "../../cloudflare/errors";
import type { Indicator, IndicatorType } from "../types";
import { failure, type Attempt, type RemoteSource } from "./attempt";
import { excerpt } from "./compact";
import { scrub } from "./scrub";

/** One request to a provider, relative to its base URL. */
export interface HttpCall {
  method: "GET" | "POST";
  /** Below the base URL, values already URL-encoded. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** An answer that arrived, whatever its status. */
export interface HttpReply {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  text: string;
  /** When it arrived, on the provider's clock: for Retry-After dates and reset times. */
  now: number;
}

/** What makes one HTTP provider: the request for an indicator and the reading of the answer. */
export interface HttpProviderSpec {
  readonly name: string;
  readonly types: readonly IndicatorType[];
  /** The key goes where the provider wants it; never into the path or query. */
  call(indicator: Indicator, key: string): HttpCall;
  read(reply: HttpReply, indicator: Indicator): Attempt;
}

export interface HttpSourceOptions {
  baseUrl: string;
  /** Empty for providers that need none. */
  key: string;
  maxResponseBytes: number;
  now: () => number;
}

/** Transport errors that are about the answer, not the network: asking again gets the same. */
const ANSWER_ERRORS = new Set(["ERR_BAD_RESPONSE", "ERR_FR_MAX_CONTENT_LENGTH_EXCEEDED"]);

/**
 * A third-party HTTP provider as a RemoteSource: axios underneath, with every status and body
 * judged by the provider's `read`, not by axios. Nothing that leaves here holds the key: errors
 * are rebuilt from plain values, and anything a server echoed back is scrubbed of it.
 */
export class HttpSource implements RemoteSource {
  readonly name: string;
  readonly party = "third" as const;
  readonly #key: string;
  readonly #redact: (text: string) => string;
  private readonly http: AxiosInstance;
  private readonly maxResponseBytes: number;
  private readonly now: () => number;

  constructor(
    private readonly spec: HttpProviderSpec,
    opts: HttpSourceOptions,
  ) {
    this.name = spec.name;
    this.#key = opts.key;
    this.maxResponseBytes = opts.maxResponseBytes;
    this.now = opts.now;
    this.#redact = redactor(opts.key);
    this.http = axios.create({
      baseURL: opts.baseUrl.replace(/\/+$/, ""),
      validateStatus: () => true,
      responseType: "text",
      transformResponse: (data: unknown) => data,
      // A redirect would carry the key header to wherever it points.
      maxRedirects: 0,
      maxContentLength: opts.maxResponseBytes,
      // Without this axios sets no limit for the http adapter's own buffering of the request body.
      maxBodyLength: 64 * 1024,
    });
  }

  supports(type: IndicatorType): boolean {
    return this.spec.types.includes(type);
  }

  async request(indicator: Indicator, signal: AbortSignal): Promise<Attempt> {
    const call = this.spec.call(indicator, this.#key);
    let reply: HttpReply;
    try {
      const res = await this.http.request<string>({ method: call.method, url: call.path, headers: call.headers, data: call.body, signal });
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(res.headers)) if (typeof value === "string") headers[name.toLowerCase()] = value;
      reply = { status: res.status, headers, text: typeof res.data === "string" ? res.data : "", now: this.now() };
    } catch (err) {
      return this.transportFailure(err);
    }
    const attempt = this.spec.read(reply, indicator);
    return this.#key === "" ? attempt : scrub(attempt, this.#key);
  }

  /** Code and message only: the HTTP library's error holds the request headers, key included. */
  private transportFailure(err: unknown): Attempt {
    const e = err as { code?: unknown; message?: unknown };
    const code = typeof e?.code === "string" ? e.code : "";
    const message = this.#redact(excerpt(typeof e?.message === "string" ? e.message : "unknown error"));
    if (code === "ERR_FR_MAX_CONTENT_LENGTH_EXCEEDED" || /maxContentLength/i.test(message)) {
      return failure("bad_response", `answer larger than ${this.maxResponseBytes} bytes`);
    }
    if (ANSWER_ERRORS.has(code)) return failure("bad_response", `${code}: ${message}`);
    return failure("network", `${code || "network error"}: ${message}`, { retryable: true });
  }
}
