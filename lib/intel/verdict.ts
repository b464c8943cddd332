import { atLeast, compareReliability, scoreWeight } from "./reliability";
import type { Indicator, IndicatorEnrichment, ProviderResult, Reliability, Verdict } from "./types";

/** A provider's answer with what the enricher knows of the provider. */
export interface RatedResult {
  result: ProviderResult;
  reliability: Reliability;
  /** The answer comes from the user's own allowlist. */
  allowlist: boolean;
}

/** How bad each verdict is; unknown ranks above benign, since nothing vouches for it. */
export const SEVERITY: Readonly<Record<Verdict, number>> = { malicious: 3, suspicious: 2, unknown: 1, benign: 0 };
const MAX_DETAIL = 200;
const MAX_ALERT_REASONS = 20;

/**
 * One indicator's verdict from its providers' answers, deterministic and in this order:
 *  1. a hit in the user's own allowlist: benign, whatever anyone else says. The allowlist is the
 *     analyst's decision about their own environment (their CDN, SaaS, scanners), made precisely
 *     to silence the feeds that keep flagging it; if a feed could overrule it, the same false
 *     alert would return forever. The overruled answers stay in the reasons, marked as such.
 *  2. malicious from a provider rated B or better, or from two providers rated C: malicious;
 *  3. malicious or suspicious from a provider rated D or better: suspicious;
 *  4. benign from a provider rated B or better (GreyNoise RIOT, a well-known host): benign;
 *  5. otherwise unknown.
 * The score is the highest provider score weighted by reliability; a benign verdict scores 0.
 * Reasons list the answers that decided first, the rest after.
 */
export function combineIndicator(indicator: Indicator, rated: readonly RatedResult[]): IndicatorEnrichment {
  const said = rated.filter((r) => r.result.status === "ok");
  const allow = said.filter((r) => r.allowlist && r.result.verdict === "benign");
  const others = said.filter((r) => !r.allowlist);
  const saying = (v: Verdict) => others.filter((r) => r.result.verdict === v);
  let verdict: Verdict = "unknown";
  let deciders: RatedResult[] = [];
  const strong = saying("malicious").filter((r) => atLeast(r.reliability, "B"));
  const fair = saying("malicious").filter((r) => r.reliability === "C");
  const concerned = [...saying("malicious"), ...saying("suspicious")].filter((r) => atLeast(r.reliability, "D"));
  const vouched = saying("benign").filter((r) => atLeast(r.reliability, "B"));
  if (allow.length > 0) [verdict, deciders] = ["benign", allow];
  else if (strong.length > 0) [verdict, deciders] = ["malicious", strong];
  else if (new Set(fair.map((r) => r.result.provider)).size >= 2) [verdict, deciders] = ["malicious", fair];
  else if (concerned.length > 0) [verdict, deciders] = ["suspicious", concerned];
  else if (vouched.length > 0) [verdict, deciders] = ["benign", vouched];

  let score = 0;
  if (verdict !== "benign") {
    for (const r of others) if (r.result.verdict !== "benign") score = Math.max(score, Math.round(clampScore(r.result.score) * scoreWeight(r.reliability)));
  }

  const overruled = allow.length > 0;
  const rest = said.filter((r) => !deciders.includes(r));
  const reasons = [
    ...byWeight(deciders).map((r) => (r.allowlist ? allowReason(r.result) : reason(r.result))),
    ...byWeight(rest).map((r) => (overruled && !r.allowlist && r.result.verdict !== "benign" ? `overruled by the allowlist: ${reason(r.result)}` : reason(r.result))),
    ...rated.filter((r) => r.result.status !== "ok").map((r) => reason(r.result)),
  ];
  return { indicator: indicator.value, type: indicator.type, verdict, score, reasons, results: rated.map((r) => r.result) };
}

/** The alert's verdict: its worst indicator's (unknown counts as worse than benign), the highest score, and why. */
export function combineAlert(indicators: readonly IndicatorEnrichment[]): { verdict: Verdict; score: number; reasons: string[] } {
  let verdict: Verdict = indicators.length > 0 ? "benign" : "unknown";
  let score = 0;
  for (const i of indicators) {
    if (SEVERITY[i.verdict] > SEVERITY[verdict]) verdict = i.verdict;
    score = Math.max(score, i.score);
  }
  if (verdict === "unknown") return { verdict, score, reasons: [] };
  const worst = indicators.filter((i) => i.verdict === verdict && i.reasons.length > 0).sort((a, b) => b.score - a.score);
  const reasons = worst.slice(0, MAX_ALERT_REASONS).map((i) => `${i.indicator}: ${i.reasons[0]}`);
  if (worst.length > MAX_ALERT_REASONS) reasons.push(`and ${worst.length - MAX_ALERT_REASONS} more ${verdict} indicators`);
  return { verdict, score, reasons };
}

function byWeight(rated: readonly RatedResult[]): RatedResult[] {
  return [...rated].sort((a, b) => compareReliability(a.reliability, b.reliability) || SEVERITY[b.result.verdict] - SEVERITY[a.result.verdict] || b.result.score - a.result.score);
}

/** The brief form for an allowlist hit: "allowlist: corp.txt line 3". */
function allowReason(r: ProviderResult): string {
  return r.detail ? `${r.provider}: ${shorten(r.detail)}` : `${r.provider}: allowlisted`;
}

function reason(r: ProviderResult): string {
  const detail = r.detail ? ` — ${shorten(r.detail)}` : "";
  switch (r.status) {
    case "ok":
      return `${r.provider}: ${r.verdict} (${clampScore(r.score)})${detail}`;
    case "not_found":
      return `${r.provider}: not found`;
    default:
      return `${r.provider}: ${r.status}${r.reason ? ` (${r.reason})` : ""}${detail}`;
  }
}

/** Provider text is untrusted: bounded and printable before it reaches an analyst's screen. */
function shorten(text: string): string {
  const clean = text.replace(/[\p{Cc}\p{Cf}]/gu, " ");
  return clean.length > MAX_DETAIL ? `${clean.slice(0, MAX_DETAIL)}…` : clean;
}

function clampScore(score: number): number {
  return Number.isFinite(score) ? Math.min(100, Math.max(0, Math.round(score))) : 0;
}
