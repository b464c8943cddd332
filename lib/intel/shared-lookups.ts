import type { Indicator, IntelProvider, ProviderResult, ResultStatus, Verdict } from "./types";

interface InFlight {
  promise: Promise<ProviderResult>;
  controller: AbortController;
  waiters: number;
}

export interface SharedAnswer {
  /** Undefined when the caller's deadline passed first. */
  result: ProviderResult | undefined;
  /** True when the caller joined a lookup that another caller had started. */
  merged: boolean;
}

const VERDICTS = new Set<Verdict>(["malicious", "suspicious", "benign", "unknown"]);
const STATUSES = new Set<ResultStatus>(["ok", "not_found", "skipped", "error"]);

/**
 * One lookup in flight per provider and indicator: callers asking for the same one while it runs
 * share its answer. Each caller waits only until its own deadline; the lookup itself is aborted
 * when the last caller has given up, so a slow provider is not left working for nobody.
 */
export class SharedLookups {
  private readonly inflight = new Map<string, InFlight>();

  lookup(key: string, provider: IntelProvider, indicator: Indicator, deadline: AbortSignal): Promise<SharedAnswer> {
    if (deadline.aborted) return Promise.resolve({ result: undefined, merged: false });
    let entry = this.inflight.get(key);
    const merged = entry !== undefined;
    if (!entry) entry = this.start(key, provider, indicator);
    const joined = entry;
    joined.waiters++;
    return new Promise<SharedAnswer>((resolve) => {
      let done = false;
      const onDeadline = () => {
        if (done) return;
        done = true;
        if (--joined.waiters === 0 && this.inflight.get(key) === joined) {
          this.inflight.delete(key);
          joined.controller.abort();
        }
        resolve({ result: undefined, merged });
      };
      deadline.addEventListener("abort", onDeadline, { once: true });
      void joined.promise.then((result) => {
        if (done) return;
        done = true;
        joined.waiters--;
        deadline.removeEventListener("abort", onDeadline);
        resolve({ result, merged });
      });
    });
  }

  /** Lookups running now. */
  get size(): number {
    return this.inflight.size;
  }

  private start(key: string, provider: IntelProvider, indicator: Indicator): InFlight {
    const controller = new AbortController();
    const promise = askProvider(provider, indicator, controller.signal).finally(() => {
      if (this.inflight.get(key) === entry) this.inflight.delete(key);
    });
    const entry: InFlight = { promise, controller, waiters: 0 };
    this.inflight.set(key, entry);
    return entry;
  }
}

/**
 * The provider's answer, held to the contract: providers promise never to reject, but a broken or
 * third-party one may, or may answer with a malformed result; either becomes an error result.
 */
export async function askProvider(provider: IntelProvider, indicator: Indicator, signal: AbortSignal): Promise<ProviderResult> {
  let answer: unknown;
  try {
    answer = await provider.lookup(indicator, signal);
  } catch (err) {
    return failed(provider, indicator, `lookup failed unexpectedly (${err instanceof Error ? err.name : typeof err})`);
  }
  if (typeof answer !== "object" || answer === null) return failed(provider, indicator, "lookup answered with no result");
  const r = answer as Partial<ProviderResult>;
  const status = STATUSES.has(r.status as ResultStatus) ? (r.status as ResultStatus) : "error";
  const score = typeof r.score === "number" && Number.isFinite(r.score) ? Math.min(100, Math.max(0, r.score)) : 0;
  return {
    ...r,
    provider: provider.name,
    indicator: indicator.value,
    type: indicator.type,
    verdict: VERDICTS.has(r.verdict as Verdict) ? (r.verdict as Verdict) : "unknown",
    score,
    status,
    ...(status !== r.status ? { reason: "bad_response" as const } : {}),
    data: typeof r.data === "object" && r.data !== null ? r.data : {},
  };
}

function failed(provider: IntelProvider, indicator: Indicator, detail: string): ProviderResult {
  return { provider: provider.name, indicator: indicator.value, type: indicator.type, verdict: "unknown", score: 0, status: "error", reason: "bad_response", detail, data: {} };
}
