import { CODES, failed, type ApiErrorItem, type RecordedRequest, type Reply } from "./http";

/** Which requests a fault or hook applies to. */
export interface RequestMatch {
  /** Exact path below the API root, or a pattern tested against it. */
  path: string | RegExp;
  method?: string;
  /** Further condition, e.g. `(r) => r.query.get("page") === "2"`. */
  when?: (req: RecordedRequest) => boolean;
  /** How many matching requests it applies to; default 1, `Infinity` for all. */
  times?: number;
}

/**
 * What to answer instead. A fault with nothing but `delayMs` only delays the normal answer; one
 * with nothing at all answers 500.
 */
export interface FaultSpec extends RequestMatch {
  /** Wait this long before answering (a slow server; longer than the client's timeout, a hung one). */
  delayMs?: number;
  /** Default 500, or 200 when `body` or `errors` is given. */
  status?: number;
  /** Sent as the Retry-After header: seconds or an HTTP date. */
  retryAfter?: number | string;
  /** Answer a `success: false` envelope with these errors. */
  errors?: ApiErrorItem[];
  /**
   * Answer exactly this: a string as it is (malformed JSON, an HTML page), anything else as JSON;
   * a function makes the body per request (a server whose pages lie in a new way each time).
   */
  body?: unknown;
  /** Close the connection without answering (a network error). */
  reset?: boolean;
}

export interface HookSpec extends RequestMatch {
  /** Runs before the request is answered, e.g. to add records between two pages. */
  run: (req: RecordedRequest) => void;
}

const DEFAULT_ERRORS: Record<number, ApiErrorItem> = {
  401: { code: CODES.authentication, message: "Authentication error" },
  403: { code: CODES.authentication, message: "Authentication error" },
  404: { code: CODES.noRoute, message: "No route for the URI" },
  429: { code: CODES.rateLimited, message: "Please wait and consider throttling your request speed" },
};

/** Rules keyed by request, each used up after its `times`. The first live rule that matches applies. */
export class RuleList<T extends RequestMatch> {
  private readonly rules: Array<{ spec: T; left: number }> = [];

  add(spec: T): void {
    this.rules.push({ spec, left: spec.times ?? 1 });
  }

  take(req: RecordedRequest): T | null {
    const rule = this.rules.find(({ spec, left }) => left > 0 && applies(spec, req));
    if (!rule) return null;
    rule.left--;
    return rule.spec;
  }

  clear(): void {
    this.rules.length = 0;
  }
}

function applies(spec: RequestMatch, req: RecordedRequest): boolean {
  const pathOk = typeof spec.path === "string" ? spec.path === req.path : spec.path.test(req.path);
  return pathOk && (spec.method === undefined || spec.method.toUpperCase() === req.method) && (spec.when?.(req) ?? true);
}

/** The answer a fault forces, or null when it only delays. */
export function faultReply(fault: FaultSpec, req: RecordedRequest): Reply | null {
  const onlyDelays = fault.status === undefined && fault.errors === undefined && fault.body === undefined && fault.delayMs !== undefined;
  if (onlyDelays) return null;
  const status = fault.status ?? (fault.body !== undefined || fault.errors !== undefined ? 200 : 500);
  const headers = fault.retryAfter === undefined ? undefined : { "retry-after": String(fault.retryAfter) };
  if (fault.body !== undefined) return { status, headers, body: typeof fault.body === "function" ? fault.body(req) : fault.body };
  const errors = fault.errors ?? [DEFAULT_ERRORS[status] ?? { code: CODES.fault, message: `stand-in fault: HTTP ${status}` }];
  return { ...failed(status, errors), headers };
}
