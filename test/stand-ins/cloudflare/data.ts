import type { Rec } from "./query-tools";

/** The Gateway GraphQL datasets the stand-in answers, by the Logpush dataset they mirror. */
export const GATEWAY_DATASETS = {
  http: "gatewayL7RequestsAdaptiveGroups",
  network: "gatewayL4SessionsAdaptiveGroups",
  dns: "gatewayResolverQueriesAdaptiveGroups",
} as const;
export type GatewayKind = keyof typeof GATEWAY_DATASETS;

/** Access logins in GraphQL Analytics (reference §6.4), one seeded row per login. */
export const ACCESS_LOGIN_DATASET = "accessLoginRequestsAdaptiveGroups";

export interface RiskUser {
  user_id: string;
  email: string;
  name: string;
  last_reset_time: string | null;
  /** `{id, name, risk_level, timestamp, event_details}` */
  events: Rec[];
}

/** Everything the stand-in knows about its one account; tests fill it through `Seeder`. */
export class StandInData {
  constructor(readonly accountId: string) {}

  readonly identityProviders: Rec[] = [];
  readonly scim: Rec[] = [];
  readonly riskUsers = new Map<string, RiskUser>();
  behaviors: Record<string, Rec> = {
    imp_travel: { name: "Impossible travel", description: "A user had a successful Access application log in from two different locations that they could not have feasibly traveled between in that period of time.", enabled: false, risk_level: "high" },
    high_dlp: { name: "High number of DLP policies triggered", description: "A user has triggered an active DLP profile in a Gateway policy fifteen times or more within one minute.", enabled: false, risk_level: "medium" },
  };
  readonly accessRequests: Rec[] = [];
  readonly users: Rec[] = [];
  readonly devices: Rec[] = [];
  readonly physicalDevices: Rec[] = [];
  readonly registrations: Rec[] = [];
  readonly accessLogins: Rec[] = [];
  readonly gateway: Record<GatewayKind, Rec[]> = { http: [], network: [], dns: [] };
  /** Per Analytics dataset, the only dimensions its schema has; a dataset not named here accepts any. */
  readonly analyticsFields = new Map<string, Set<string>>();
}

const copy = <T>(items: T[]): T[] => structuredClone(items);

/** Adds data; each call appends (copies), so a test can add records between two pages of a listing. */
export class Seeder {
  constructor(private readonly data: () => StandInData) {}

  /** `{id, name, type, scim_config: {enabled}}`; missing fields are filled in. */
  identityProviders(idps: Rec[]): void {
    for (const idp of copy(idps)) {
      this.data().identityProviders.push({ name: idp.id, type: "okta", config: {}, scim_config: { enabled: false }, ...idp });
    }
  }

  /** SCIM updates of one IdP (`idp_id` is set on each); an IdP not seeded yet is added with SCIM on. */
  scim(idpId: string, records: Rec[]): void {
    const data = this.data();
    if (!data.identityProviders.some((idp) => idp.id === idpId)) this.identityProviders([{ id: idpId, scim_config: { enabled: true } }]);
    for (const r of copy(records)) data.scim.push({ ...r, idp_id: idpId });
  }

  /** A scored user and their risk events; seeding the same user again adds events. */
  riskUser(user: { user_id: string; email?: string; name?: string; last_reset_time?: string | null }, events: Rec[]): void {
    const known = this.data().riskUsers.get(user.user_id);
    const entry: RiskUser = known ?? { email: "", name: "", last_reset_time: null, events: [], ...user };
    entry.events.push(...copy(events));
    this.data().riskUsers.set(user.user_id, entry);
  }

  /** Replaces the behaviour map (`{<key>: {name, description, enabled, risk_level}}`). */
  behaviors(map: Record<string, Rec>): void {
    this.data().behaviors = structuredClone(map);
  }

  /** Access authentication logs (`created_at`, `user_email`, `ip_address`, `ray_id`, …). */
  accessRequests(records: Rec[]): void {
    this.data().accessRequests.push(...copy(records));
  }

  users(users: Rec[]): void {
    this.data().users.push(...copy(users));
  }

  /** Legacy `/devices` entries. */
  devices(devices: Rec[]): void {
    this.data().devices.push(...copy(devices));
  }

  /** `/devices/physical-devices` entries (cursor-paginated). */
  physicalDevices(devices: Rec[]): void {
    this.data().physicalDevices.push(...copy(devices));
  }

  /** `/devices/registrations` entries (cursor-paginated): `{id, device: {id, name}, user: {id, email}, last_seen_at, revoked_at, …}`. */
  registrations(registrations: Rec[]): void {
    this.data().registrations.push(...copy(registrations));
  }

  /** Access logins for GraphQL, one row per login: `{datetime, isSuccessfulLogin, ipAddress, userUuid, country, …}`. */
  accessLogins(rows: Rec[]): void {
    this.data().accessLogins.push(...copy(rows));
  }

  /**
   * Restricts an Analytics dataset's schema to these dimensions (`datetime` and `count` always
   * exist): selecting or filtering on another is a GraphQL error, as on an account whose schema
   * lacks a field.
   */
  analyticsFields(dataset: string, dimensions: string[]): void {
    this.data().analyticsFields.set(dataset, new Set(["datetime", ...dimensions]));
  }

  /** Gateway events for GraphQL, one row per event: `{datetime, action, email, …}` with any dimension names. */
  gateway(kind: GatewayKind, rows: Rec[]): void {
    this.data().gateway[kind].push(...copy(rows));
  }
}
