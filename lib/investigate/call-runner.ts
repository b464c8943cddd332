import { CloudflareApiError } from "../cloudflare/errors";
import type { BackendStatus, CallStatus } from "./types";

/** What one call gave: its value, and how much of it, for the call's status. */
export interface CallAnswer<T> {
  value: T;
  records: number;
  /** More was there than the call read. */
  truncated?: boolean;
  /** Something the analyst should know about an answer that is still usable (rows dropped as malformed). */
  note?: string;
}

/** A call is handed a signal that aborts at the backend's deadline, so that paging can stop early. */
export type Call<T> = (signal: AbortSignal) => Promise<CallAnswer<T>>;

export interface BackendRun<T> {
  status: BackendStatus;
  /** The value of each call that succeeded, by name. */
  values: Partial<T>;
}

/** Reasons longer than this are cut: a server's error text ends up in the alert. */
const MAX_REASON = 300;

/**
 * Runs one backend's calls side by side under one deadline. Each call succeeds or fails on its
 * own; at the deadline every call still running is reported as timed out, and what the others gave
 * is kept. Never throws.
 */
export async function runCalls<T extends Record<string, unknown>>(
  calls: { [K in keyof T]?: Call<T[K]> },
  timeoutMs: number,
): Promise<BackendRun<T>> {
  const started = Date.now();
  const names = Object.keys(calls) as Array<keyof T & string>;
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => {
      abort.abort();
      resolve("timeout");
    }, timeoutMs);
  });
  const values: Partial<T> = {};
  const statuses: Record<string, CallStatus> = {};
  try {
    await Promise.all(
      names.map(async (name) => {
        const call = calls[name]!;
        const outcome = await Promise.race([call(abort.signal).then((answer) => ({ answer }), (error: unknown) => ({ error })), deadline]);
        if (outcome === "timeout") {
          statuses[name] = { state: "error", reason: `no answer within ${timeoutMs} ms`, records: 0 };
        } else if ("error" in outcome) {
          statuses[name] = { state: "error", reason: describe(outcome.error), records: 0 };
        } else {
          const { answer } = outcome;
          values[name] = answer.value;
          statuses[name] = { state: "ok", records: answer.records };
          if (answer.truncated) statuses[name].truncated = true;
          if (answer.note) statuses[name].reason = cut(answer.note);
        }
      }),
    );
  } finally {
    clearTimeout(timer);
  }
  const ordered = Object.fromEntries(names.map((n) => [n, statuses[n]]));
  return { status: { ...overall(ordered), ms: Date.now() - started, calls: ordered }, values };
}

/** A backend that is not configured: nothing ran, and the result says why. */
export function absent(reason: string): BackendStatus {
  return { state: "absent", reason };
}

function overall(calls: Record<string, CallStatus>): Pick<BackendStatus, "state" | "reason"> {
  const failed = Object.entries(calls).filter(([, s]) => s.state === "error");
  if (failed.length === 0) return { state: "ok" };
  const reasons = failed.map(([name, s]) => `${name}: ${s.reason}`).join("; ");
  if (failed.length === Object.keys(calls).length) return { state: "error", reason: cut(reasons) };
  return { state: "partial", reason: cut(`${failed.length} of ${Object.keys(calls).length} calls failed: ${reasons}`) };
}

/** The error's own words; a Cloudflare error already names the endpoint and carries no token. */
function describe(error: unknown): string {
  if (error instanceof CloudflareApiError) return cut(error.message);
  if (error instanceof Error) return cut(error.message || error.name);
  return cut(String(error));
}

function cut(text: string): string {
  return text.length > MAX_REASON ? `${text.slice(0, MAX_REASON)}…` : text;
}
