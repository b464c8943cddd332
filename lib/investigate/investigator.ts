import { isIP } from "node:net";
import type { CloudflareClient } from "../cloudflare/client";
import type { EventStore } from "../store/event-store";
import { absent, runCalls, type BackendRun, type Call } from "./call-runner";
import type { Contribution, PlanContext, Planner, RelatedPivot } from "./contribution";
import { planHost } from "./host-plan";
import { planIp } from "./ip-plan";
import { alertEntities, choosePivot } from "./pivot";
import { planRisk } from "./risk-plan";
import { buildSummary } from "./summary";
import { mergeTimeline } from "./timeline";
import type { Investigation, InvestigationKind } from "./types";
import { planUser } from "./user-plan";
import { windowAround, type TimeWindow } from "./window";

/** The backends an investigation may use; a missing one says why in `*Problem`. */
export interface Backends {
  store: EventStore | null;
  storeProblem?: string;
  client: CloudflareClient | null;
  apiProblem?: string;
}

export interface InvestigateOptions {
  /** Looked at before the alert's first event and after its last (or around now). */
  beforeMs: number;
  afterMs: number;
  /** Timeline lines kept (the newest), and rows asked of each API call. */
  cap: number;
  /** Entries per summary list; default 10. */
  top?: number;
  /** Each backend's deadline; what answered by then is kept. */
  timeoutMs: number;
  now?: () => number;
}

export interface InvestigateInput {
  /** The message's alert, when it carries one. */
  alert?: unknown;
  /** A value given by the flow; it wins over the alert's. */
  value?: unknown;
}

const PLANS: Record<InvestigationKind, Planner> = { ip: planIp, host: planHost, risk: planRisk, user: planUser };
const DEFAULT_TOP = 10;

/**
 * Investigates one IP, host or user around an alert (or around now), asking the event store and
 * the Cloudflare API side by side. Never throws: a backend that is absent, failing or too slow is
 * reported in `backends`, and the other's answer is kept.
 */
export async function investigate(kind: InvestigationKind, input: InvestigateInput, backends: Backends, opts: InvestigateOptions): Promise<Investigation> {
  const started = Date.now();
  const now = (opts.now ?? Date.now)();
  const window = windowAround(input.alert, opts.beforeMs, opts.afterMs, now);
  const pivot = choosePivot(kind, input.alert, input.value);
  const top = opts.top ?? DEFAULT_TOP;
  if (!pivot.ok) return notInvestigated(kind, pivot.problem, window, started);
  const ctx = context(kind, pivot.value, window, opts.cap, top, input.alert);
  const plan = PLANS[kind](ctx, backends.store, backends.client);
  const [storeRun, apiRun] = await Promise.all([
    runBackend(backends.store, backends.storeProblem ?? "no event store configured", plan.store, opts.timeoutMs),
    runBackend(backends.client, backends.apiProblem ?? "no Cloudflare account configured", plan.api, opts.timeoutMs),
  ]);
  const storeParts = answered(storeRun);
  const apiParts = answered(apiRun);
  const merged = mergeTimeline([...storeParts, ...apiParts].map((p) => p.timeline ?? []), opts.cap);
  return {
    kind,
    window: isoWindow(window),
    value: pivot.value,
    from: pivot.from,
    backends: { store: storeRun.status, api: apiRun.status },
    timeline: merged.timeline,
    timeline_total: merged.total,
    truncated: merged.truncated,
    summary: buildSummary(kind, ctx, storeParts, apiParts),
    ms: Date.now() - started,
  };
}

/** The result for a message with nothing to investigate, or none investigated: no backend asked, the reason said. */
export function notInvestigated(kind: InvestigationKind, problem: string, window: TimeWindow, started = Date.now()): Investigation {
  const skipped = absent("nothing to investigate");
  return {
    kind,
    window: isoWindow(window),
    value: null,
    from: "none",
    problem,
    backends: { store: skipped, api: { ...skipped } },
    timeline: [],
    timeline_total: 0,
    truncated: false,
    summary: buildSummary(kind, { value: "", window, cap: 0, top: 0, related: [], exclude: new Set() }, [], []),
    ms: Date.now() - started,
  };
}

function isoWindow(w: TimeWindow): Investigation["window"] {
  return { from: new Date(w.from).toISOString(), to: new Date(w.to).toISOString() };
}

function answered(run: BackendRun<Record<string, Contribution>>): Contribution[] {
  return Object.values(run.values).filter((c): c is Contribution => c !== undefined);
}

async function runBackend(backend: unknown, problem: string, calls: Record<string, Call<Contribution>>, timeoutMs: number): Promise<BackendRun<Record<string, Contribution>>> {
  if (!backend) return { status: absent(problem), values: {} };
  if (Object.keys(calls).length === 0) return { status: absent("no call of this backend applies to the value"), values: {} };
  return runCalls<Record<string, Contribution>>(calls, timeoutMs);
}

/**
 * Related connections are asked about the investigated IP (both directions) or, for a host or a
 * user, the alert's own IP; and the alert's domain. A risk investigation is about the user alone.
 */
function context(kind: InvestigationKind, value: string, window: PlanContext["window"], cap: number, top: number, alert: unknown): PlanContext {
  const own = alertEntities(alert);
  const related: RelatedPivot[] = [];
  if (kind !== "risk") {
    const ip = kind === "ip" ? (isIP(value) ? value : undefined) : own.ip;
    if (ip !== undefined) related.push({ by: "source_ip", value: ip }, { by: "destination_ip", value: ip });
    if (own.domain !== undefined) related.push({ by: "domain", value: own.domain });
  }
  const exclude = new Set([own.user, own.host, kind === "ip" ? undefined : value].filter((v): v is string => v !== undefined).map((v) => v.toLowerCase()));
  return { value, window, cap, top, related, exclude };
}
