import type { Outcome } from "./errors";
import { answerFailure, isObject, isSuccessStatus } from "./json-body";

/** Paging facts of a list answer; only fields of the right type are kept, whatever the server sent. */
export interface ResultInfo {
  page?: number;
  per_page?: number;
  count?: number;
  total_count?: number;
  total_pages?: number;
  /** Next page's cursor (cursor-paginated endpoints); absent or empty on the last page. */
  cursor?: string;
}

/** An entry of the envelope's `errors` or `messages`. */
export interface ApiMessage {
  code?: number;
  message: string;
}

export interface EnvelopeResult<T> {
  result: T;
  resultInfo?: ResultInfo;
  messages: ApiMessage[];
}

const NUMERIC_INFO = ["page", "per_page", "count", "total_count", "total_pages"] as const;

/**
 * Reads a REST answer's JSON: `{success, errors, messages, result, result_info}`. Anything else,
 * and `success: false` or a non-2xx status, is a failure that says what the server said.
 */
export function readEnvelope<T>(status: number, body: unknown, retryAfterMs: number | null): Outcome<EnvelopeResult<T>> {
  if (!isObject(body) || typeof body.success !== "boolean") {
    const ok = isSuccessStatus(status);
    const detail = `HTTP ${status}: response is JSON but not a Cloudflare API envelope`;
    return { ok: false, failure: answerFailure(status, retryAfterMs, { kind: ok ? "malformed" : "http", detail }) };
  }
  if (!body.success || !isSuccessStatus(status)) {
    const errors = apiMessages(body.errors);
    const said = errors.length > 0 ? describeMessages(errors) : "Cloudflare reported a failure without saying why";
    return {
      ok: false,
      failure: answerFailure(status, retryAfterMs, {
        kind: "api",
        detail: `HTTP ${status}: ${said}`,
        codes: errors.flatMap((e) => (e.code === undefined ? [] : [e.code])),
        messages: errors.map((e) => e.message),
      }),
    };
  }
  return {
    ok: true,
    value: { result: body.result as T, resultInfo: resultInfo(body.result_info), messages: apiMessages(body.messages) },
  };
}

/** `[10000] Authentication error; [7003] No route for the URI` */
export function describeMessages(items: ApiMessage[]): string {
  return items.map((e) => (e.code === undefined ? e.message : `[${e.code}] ${e.message}`)).join("; ");
}

function apiMessages(raw: unknown): ApiMessage[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((item) => {
    if (typeof item === "string") return { message: item };
    if (!isObject(item)) return { message: JSON.stringify(item) };
    const message = typeof item.message === "string" ? item.message : JSON.stringify(item);
    return typeof item.code === "number" ? { code: item.code, message } : { message };
  });
}

function resultInfo(raw: unknown): ResultInfo | undefined {
  if (!isObject(raw)) return undefined;
  const info: ResultInfo = {};
  for (const key of NUMERIC_INFO) {
    const value = raw[key];
    if (typeof value === "number" && Number.isFinite(value)) info[key] = value;
  }
  if (typeof raw.cursor === "string") info.cursor = raw.cursor;
  return info;
}
