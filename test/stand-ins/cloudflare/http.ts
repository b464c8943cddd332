import type { IncomingHttpHeaders } from "node:http";

/** One request as the stand-in saw it; the Authorization value is never kept. */
export interface RecordedRequest {
  method: string;
  /** Below the API root (`/accounts/…`, `/graphql`), without the query string. */
  path: string;
  /** The raw query string without `?`, to check how parameters were spelled. */
  search: string;
  /** Repeated parameters: `query.getAll("idp_id")`. */
  query: URLSearchParams;
  /** All headers but `authorization`. */
  headers: IncomingHttpHeaders;
  auth: "ok" | "missing" | "wrong";
  /** The body parsed as JSON, the raw text when it is not JSON, undefined when empty. */
  body: unknown;
  /** performance.now() when the request arrived. */
  at: number;
}

/** A request routed to a handler, with the path's named segments. */
export interface ApiRequest extends RecordedRequest {
  params: Record<string, string>;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** A string goes out as it is; anything else as JSON. */
  body: unknown;
}

export interface ApiErrorItem {
  code: number;
  message: string;
}

/**
 * Error codes the stand-in answers with. 10000, 7003 and 971 are Cloudflare's; the others are the
 * stand-in's own (Cloudflare's codes for those cases are not documented).
 */
export const CODES = {
  authentication: 10000,
  noRoute: 7003,
  rateLimited: 971,
  forbidden: 9109,
  invalidRequest: 1001,
  notFound: 1002,
  fault: 9999,
} as const;

/** A handler refusing a request with a Cloudflare error body. */
export class ApiRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export function ok(result: unknown, resultInfo?: Record<string, unknown>): Reply {
  return { body: { success: true, errors: [], messages: [], result, ...(resultInfo ? { result_info: resultInfo } : {}) } };
}

export function failed(status: number, errors: ApiErrorItem[]): Reply {
  return { status, body: { success: false, errors, messages: [], result: null } };
}
