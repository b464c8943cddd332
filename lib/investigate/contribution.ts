import type { CloudflareClient } from "../cloudflare/client";
import type { EventStore, EventSummary } from "../store/event-store";
import type { Call } from "./call-runner";
import type { UserRisk } from "./risk-scoring";
import type { DeviceDetails, DeviceRegistration, PostureCheck, RelatedConnection, RiskEvent, Tally, TimelineEntry, UserProfile } from "./types";
import type { TimeWindow } from "./window";

/**
 * Related connections of one backend for one pivot, before the backends are merged; `peers` are
 * the addresses on the other side (who connected to a destination, where a source went).
 */
export interface RelatedPiece extends RelatedConnection {
  peers: Tally[];
}

export interface RelatedPivot {
  by: RelatedConnection["by"];
  value: string;
}

/**
 * What one call adds to an investigation. Calls differ (a timeline query, a user lookup, a device
 * list), but all answer in this one shape, so the backends run them alike and one assembler folds
 * them into the result.
 */
export interface Contribution {
  timeline?: TimelineEntry[];
  /** The store's aggregates over every matching event. */
  summary?: EventSummary;
  related?: RelatedPiece[];
  devices?: DeviceDetails[];
  registrations?: DeviceRegistration[];
  /** Device details read from the newest stored posture event: what is known without the API. */
  storedDevice?: DeviceDetails;
  posture?: PostureCheck[];
  /** The user behind an e-mail; null when the account has no such user. */
  profile?: UserProfile | null;
  risk?: UserRisk;
  riskEvents?: RiskEvent[];
  /** The newest stored risk event's view of the user's level. */
  storedRiskLevel?: string;
  /** Logins, for sign-in counts, countries, addresses and apps (not all of them are timeline lines). */
  signIns?: TimelineEntry[];
  /** Logins that only tell where from (country, address): the API's login analytics. */
  logins?: TimelineEntry[];
}

export interface PlanContext {
  value: string;
  window: TimeWindow;
  /** Timeline lines kept, and rows asked of each API call. */
  cap: number;
  /** Entries per summary list. */
  top: number;
  related: RelatedPivot[];
  /** Lower-cased users and hosts that are the alert's own, left out of related connections. */
  exclude: Set<string>;
}

export interface Plan {
  store: Record<string, Call<Contribution>>;
  api: Record<string, Call<Contribution>>;
}

export type Planner = (ctx: PlanContext, store: EventStore | null, client: CloudflareClient | null) => Plan;

/** A backend's calls when it is configured, none otherwise. */
export function callsIf<T>(backend: T | null, make: (backend: T) => Record<string, Call<Contribution>>): Record<string, Call<Contribution>> {
  return backend ? make(backend) : {};
}
