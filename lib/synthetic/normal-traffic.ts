import type { Dataset, RawRecord } from "../schema/event";
import {
  ACCESS_APPS,
  abroad,
  CATEGORIES,
  DOMAIN,
  entitledTo,
  EVERYDAY_GROUPS,
  GROUPS,
  people,
  SITES,
  UPLOAD_TARGETS,
  USER_AGENTS,
  WARP_ENROLMENT,
  type AccessApp,
  type Category,
  type Department,
  type Person,
  type Place,
  type Site,
} from "./organisation";
import { hex } from "./ids";
import { Random, seedOf } from "./random";

/**
 * The raw records of a normal organisation going about its days: what the built-in rules must stay
 * quiet on. People work their local hours in their own countries, browse common sites (a few ads
 * and a gambling site blocked, nothing malicious, no DLP matches), open network sessions (web,
 * calls, git and SSH to internal servers for engineers, RDP to internal servers for IT), sign in
 * to Access applications (now and then a denial, usually followed by success), and a few travel,
 * slowly. SCIM brings new hires, group changes in ordinary groups and one leaver per working day,
 * who is deactivated after their last activity and is not seen again; the risk score records a
 * rare low-level behaviour.
 *
 * Deterministic for a seed, in time order, and streaming: a day of 200 people is a few hundred
 * thousand records, produced one minute at a time.
 */

export interface NormalTrafficOptions {
  seed?: number;
  /** Default 200. */
  users?: number;
  /** ISO time; default Monday 2025-06-02 00:00 UTC. */
  start?: string;
  /** Default 1. */
  days?: number;
  /** Scales browsing, DNS and session volume; 1 is about 1,300 records per person per working day. */
  intensity?: number;
}

export interface TrafficRecord {
  dataset: Dataset;
  record: RawRecord;
}

interface Timed extends TrafficRecord {
  at: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const ACCOUNT = "699d98642c564d2e855e9661899b7252";
const IDP = "df7e2w5f-02b7-4d9d-af26-8d1988fca630";
const ZOOM = siteNamed("zoom.us");
const GITHUB_API = siteNamed("api.github.com");
/** Requests, DNS queries and sessions per person per working minute (intensity 1). */
const RATE = { http: 1.4, dns: 0.8, network: 0.35 };

export function* normalTraffic(options: NormalTrafficOptions = {}): Generator<TrafficRecord> {
  const seed = options.seed ?? 1;
  const start = Date.parse(options.start ?? "2025-06-02T00:00:00Z");
  const end = start + (options.days ?? 1) * DAY;
  const sim = new Simulation(seed, options.users ?? 200, start, end, options.intensity ?? 1);
  for (let minute = start; minute < end; minute += MINUTE) {
    for (const r of sim.minute(minute)) yield { dataset: r.dataset, record: r.record };
  }
}

interface Trip {
  depart: number;
  arrive: number;
  place: Place;
}

class Simulation {
  private readonly rnd: Random;
  private readonly people: Person[];
  private readonly trips = new Map<number, Trip>();
  private readonly leftAt = new Map<number, number>();
  private readonly scheduled = new TimeHeap();
  private readonly sites: ReadonlyMap<Department, Picker<Site>>;
  private readonly build: RecordBuilder;
  private hires = 0;

  constructor(
    seed: number,
    count: number,
    private readonly start: number,
    private readonly end: number,
    private readonly intensity: number,
  ) {
    this.rnd = new Random(seedOf(seed, 1));
    this.people = people(count, seedOf(seed, 2));
    this.build = new RecordBuilder(this.rnd);
    this.sites = new Map((Object.keys(GROUPS) as Department[]).map((d) => [d, sitePicker(d)]));
    this.planTrips();
    this.planLeavers();
  }

  /** Everything that happens within one minute, in time order. */
  minute(now: number): Timed[] {
    const out: Timed[] = [];
    if (now % DAY === 0 || now === this.start) this.planOrganisationDay(now);
    for (const person of this.people) {
      const place = this.where(person, now);
      if (place === undefined) continue;
      const local = now + place.tz * HOUR;
      if (isWeekday(local) && minuteOfDay(local) === person.workStart) this.planWorkday(person, now);
      const level = activity(person, local);
      if (level > 0) this.browse(person, place, now, level * this.intensity, out);
    }
    for (let r = this.scheduled.popBefore(now + MINUTE); r !== undefined; r = this.scheduled.popBefore(now + MINUTE)) out.push(r);
    return out.sort((a, b) => a.at - b.at);
  }

  /** Where a person's traffic comes from at `t`; undefined while in the air or after leaving. */
  private where(person: Person, t: number): Place | undefined {
    const left = this.leftAt.get(person.index);
    if (left !== undefined && t >= left) return undefined;
    const trip = this.trips.get(person.index);
    if (trip === undefined || t < trip.depart) return person.home;
    return t < trip.arrive ? undefined : trip.place;
  }

  /** One person in fifty flies somewhere once: leaves after work, lands 7 to 13 hours later. */
  private planTrips(): void {
    const first = utcDay(this.start);
    const days = Math.max(1, Math.ceil((this.end - first) / DAY));
    for (const person of this.people) {
      if (!this.rnd.chance(0.02)) continue;
      const depart = first + this.rnd.int(days) * DAY + (18.5 - person.home.tz) * HOUR;
      this.trips.set(person.index, { depart, arrive: depart + this.rnd.between(7, 13) * HOUR, place: abroad(this.rnd, person.home.country) });
    }
  }

  /** One leaver per working day, deactivated a little after their last activity at 16:00 local. */
  private planLeavers(): void {
    for (let day = utcDay(this.start); day < this.end; day += DAY) {
      if (!isWeekday(day + 12 * HOUR)) continue;
      const person = this.rnd.pick(this.people);
      if (this.trips.has(person.index) || this.leftAt.has(person.index)) continue;
      const left = day + 16 * HOUR - person.home.tz * HOUR;
      if (left < this.start) continue;
      this.leftAt.set(person.index, left);
      const at = left + this.rnd.between(5, 30) * MINUTE;
      this.scheduled.push(this.build.scim(at, "PATCH", "GROUP", { group: GROUPS[person.department], body: patch([{ op: "remove", path: `members[value eq "${person.userId}"]` }]) }));
      this.scheduled.push(this.build.scim(at + 2_000, "PATCH", "USER", { email: person.email, userId: person.userId, body: patch([{ op: "replace", value: { active: false } }]) }));
    }
  }

  /**
   * Identity-provider changes and risk events of the UTC day `now` is in (from `now` on, when the
   * simulation starts mid-day): hires, profile edits, ordinary group changes.
   */
  private planOrganisationDay(now: number): void {
    const day = utcDay(now);
    if (!isWeekday(day + 12 * HOUR)) return;
    const at = () => day + this.rnd.between(8 * 60, 20 * 60) * MINUTE + this.rnd.int(MINUTE);
    const schedule = (r: Timed) => {
      if (r.at >= now) this.scheduled.push(r);
    };
    for (let n = this.rnd.between(0, 2); n > 0; n--) {
      const t = at();
      const hire = this.newHire();
      schedule(this.build.scim(t, "POST", "USER", { email: hire.email, userId: hire.id, body: userResource(hire.email) }));
      for (const group of ["All Staff", GROUPS[this.rnd.pick(Object.keys(GROUPS) as Department[])]]) {
        schedule(this.build.scim(t + this.rnd.between(2, 20) * 1000, "PATCH", "GROUP", { group, body: patch([{ op: "add", path: "members", value: [{ value: hire.id, display: hire.email }] }]) }));
      }
    }
    for (let n = this.rnd.between(2, 6); n > 0; n--) {
      const person = this.rnd.pick(this.people);
      const change = this.rnd.pick([{ title: "Senior " + person.department }, { phoneNumbers: [{ value: "+1 555 0100", type: "work" }] }, { "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager": { value: "00u" + this.rnd.hex(6) } }]);
      schedule(this.build.scim(at(), "PATCH", "USER", { email: person.email, userId: person.userId, body: patch([{ op: "replace", value: change }]) }));
    }
    const member = this.rnd.pick(this.people);
    const op = this.rnd.chance(0.6) ? { op: "add", path: "members", value: [{ value: member.userId, display: member.email }] } : { op: "remove", path: `members[value eq "${member.userId}"]` };
    schedule(this.build.scim(at(), "PATCH", "GROUP", { group: this.rnd.pick(EVERYDAY_GROUPS), body: patch([op]) }));
    if (this.rnd.chance(0.3)) {
      const person = this.rnd.pick(this.people);
      schedule(this.build.scim(at(), "POST", "USER", { email: person.email, userId: "", body: userResource(person.email), failure: "User already exists in the organization" }));
    }
    if (this.rnd.chance(0.5)) {
      const person = this.rnd.pick(this.people);
      schedule(this.build.risk(at(), person, "High Risk Domain Visited", "low", "low"));
    }
  }

  private newHire(): { email: string; id: string } {
    this.hires++;
    return { email: `new.hire${this.hires}@${DOMAIN}`, id: this.rnd.uuid() };
  }

  /** At the start of a person's working day: logins, calls, uploads and their department's work. */
  private planWorkday(person: Person, now: number): void {
    const place = this.where(person, now);
    if (place === undefined) return;
    const length = (person.workEnd - person.workStart) * MINUTE;
    const during = () => now + this.rnd.int(length);
    const push = (r: Timed) => {
      if (this.where(person, r.at) !== undefined) this.scheduled.push(r);
    };
    this.planLogins(person, place, now, push);
    // Chrome's start-up probes for DNS hijacking: three random single-label names, NXDOMAIN.
    for (let i = 0; i < 3; i++) push(this.build.dns(person, place, now + 30_000 + i * 50, randomLabel(this.rnd), "A", { rcode: 3 }));
    for (let n = this.rnd.between(0, 3); n > 0; n--) this.call(person, place, during(), push);
    const uploads = person.department === "marketing" || person.department === "sales" ? 0.15 : 0.06;
    if (this.rnd.chance(uploads)) this.uploadFiles(person, place, during(), push);
    if (person.department === "engineering") this.engineeringDay(person, place, during, push);
    if (person.department === "it") this.itDay(person, place, during, push);
  }

  private planLogins(person: Person, place: Place, now: number, push: (r: Timed) => void): void {
    const apps = ACCESS_APPS.filter((app) => entitledTo(person, app));
    let t = now + this.rnd.between(2, 15) * MINUTE;
    const login = (app: AccessApp | string) => {
      // Now and then the first attempt is refused (a wrong account picked at the IdP, an expired session).
      if (this.rnd.chance(0.03)) push(this.build.access(person, place, t - this.rnd.between(10, 60) * 1000, app, false));
      push(this.build.access(person, place, t, app, true));
      t += this.rnd.between(1, 40) * MINUTE;
    };
    login(apps[0]);
    for (let n = this.rnd.between(1, 3); n > 0; n--) login(this.rnd.pick(apps));
    if (this.rnd.chance(0.4)) {
      t = now + this.rnd.between(4 * 60, 6 * 60) * MINUTE;
      login(this.rnd.pick(apps));
    }
    const notMine = ACCESS_APPS.filter((app) => !entitledTo(person, app));
    if (notMine.length > 0 && this.rnd.chance(0.02)) {
      const app = this.rnd.pick(notMine);
      for (let n = this.rnd.between(1, 2); n > 0; n--) push(this.build.access(person, place, t + n * MINUTE, app, false));
    }
    if (this.rnd.chance(0.003)) push(this.build.access(person, place, now + this.rnd.between(20, 90) * MINUTE, WARP_ENROLMENT, true));
  }

  /** A video call: the web client page, then one UDP media session without SNI. */
  private call(person: Person, place: Place, at: number, push: (r: Timed) => void): void {
    push(this.build.http(person, place, at, ZOOM, "/wc/join/84612"));
    push(this.build.network(person, place, at + 3_000, { ip: `170.114.${this.rnd.between(10, 60)}.${this.rnd.between(1, 254)}`, port: 8801, transport: "udp", category: CATEGORIES.voip }));
  }

  private uploadFiles(person: Person, place: Place, at: number, push: (r: Timed) => void): void {
    const [host, path, method] = this.rnd.pick(UPLOAD_TARGETS);
    const site: Site = { host, category: CATEGORIES.fileSharing, ips: ["162.125.4.8"], weight: 0, paths: [path] };
    for (let n = this.rnd.between(1, 25); n > 0; n--) {
      at += this.rnd.between(5, 40) * 1000;
      push(this.build.http(person, place, at, site, path, { method, uploaded: `${this.rnd.pick(["brief", "deck", "photo", "contract-draft", "notes"])}-${n}.${this.rnd.pick(["pdf", "pptx", "jpg", "docx"])}` }));
    }
  }

  /** Git over SSH to GitHub, SSH and Postgres to internal servers, and tools that fetch with curl or Python. */
  private engineeringDay(person: Person, place: Place, during: () => number, push: (r: Timed) => void): void {
    for (let n = this.rnd.between(2, 10); n > 0; n--) push(this.build.network(person, place, during(), { ip: this.rnd.pick(["140.82.112.3", "140.82.112.4"]), port: 22, transport: "tcp" }));
    for (let n = this.rnd.between(1, 6); n > 0; n--) push(this.build.network(person, place, during(), { ip: `10.30.0.${this.rnd.between(10, 30)}`, port: 22, transport: "tcp" }));
    for (let n = this.rnd.between(0, 3); n > 0; n--) push(this.build.network(person, place, during(), { ip: "10.30.0.40", port: 5432, transport: "tcp" }));
    if (this.rnd.chance(0.5)) {
      const agent = this.rnd.pick(USER_AGENTS.scripted);
      for (let n = this.rnd.between(1, 8); n > 0; n--) push(this.build.http(person, place, during(), GITHUB_API, "/repos/acme/platform/releases/latest", { agent }));
    }
    // An engineer's own cloud machine, reached by address.
    if (this.rnd.chance(0.05)) push(this.build.network(person, place, during(), { ip: `34.82.${this.rnd.between(1, 254)}.${this.rnd.between(1, 254)}`, port: 22, transport: "tcp" }));
    if (this.rnd.chance(0.02)) {
      const ip = `35.190.${this.rnd.between(1, 254)}.${this.rnd.between(1, 254)}`;
      push(this.build.http(person, place, during(), { host: `${ip}:8080`, category: CATEGORIES.technology, ips: [ip], weight: 0, paths: ["/healthz"] }, "/healthz", { agent: "curl/8.5.0", scheme: "http" }));
    }
  }

  /** RDP to internal servers; now and then a remote-support session. */
  private itDay(person: Person, place: Place, during: () => number, push: (r: Timed) => void): void {
    for (let n = this.rnd.between(1, 4); n > 0; n--) push(this.build.network(person, place, during(), { ip: `10.20.1.${this.rnd.between(10, 60)}`, port: 3389, transport: "tcp" }));
    if (this.rnd.chance(0.1)) push(this.build.network(person, place, during(), { ip: "213.227.185.12", port: 5938, transport: "tcp", application: "TeamViewer" }));
  }

  /** Background work: web requests, DNS look-ups and sessions at a rate that follows the hour. */
  private browse(person: Person, place: Place, now: number, level: number, out: Timed[]): void {
    const sites = this.sites.get(person.department) as Picker<Site>;
    for (let n = this.rnd.poisson(RATE.http * level); n > 0; n--) {
      const site = sites.pick(this.rnd);
      out.push(this.build.http(person, place, now + this.rnd.int(MINUTE), site, this.rnd.pick(site.paths), site.blockedBy !== undefined ? {} : { method: this.rnd.chance(0.12) ? "POST" : "GET" }));
    }
    for (let n = this.rnd.poisson(RATE.dns * level); n > 0; n--) {
      const site = sites.pick(this.rnd);
      out.push(this.build.dns(person, place, now + this.rnd.int(MINUTE), site.host, this.rnd.pick(["A", "AAAA", "HTTPS"]), { site }));
    }
    for (let n = this.rnd.poisson(RATE.network * level); n > 0; n--) {
      const site = sites.pick(this.rnd);
      const at = now + this.rnd.int(MINUTE);
      if (this.rnd.chance(0.04)) {
        // Certificate status and captive-portal checks still go over plain HTTP.
        out.push(this.build.network(person, place, at, { ip: this.rnd.pick(["23.50.120.100", "17.253.7.201", "142.250.72.99"]), port: 80, transport: "tcp" }));
      } else if (this.rnd.chance(0.02)) {
        // Software with its own resolver configured, not the system's.
        out.push(this.build.network(person, place, at, { ip: this.rnd.pick(["1.1.1.1", "8.8.8.8"]), port: 53, transport: "udp" }));
      } else if (person.os === "mac" && this.rnd.chance(0.05)) {
        out.push(this.build.network(person, place, at, { ip: "17.57.146.20", port: 5223, transport: "tcp", sni: "courier.push.apple.com" }));
      } else {
        out.push(this.build.network(person, place, at, { ip: this.rnd.pick(site.ips), port: 443, transport: this.rnd.chance(0.2) ? "quic" : "tcp", sni: site.host, category: site.category }));
      }
    }
  }
}

/** How busy a person is at a local time: their hours, a quieter lunch, an evening look for some. */
function activity(person: Person, local: number): number {
  if (!isWeekday(local)) return 0;
  const m = minuteOfDay(local);
  if (m >= person.workStart && m < person.workEnd) return m >= 12 * 60 && m < 13 * 60 ? 0.35 : 1;
  return person.evening && m >= 20 * 60 && m < 21 * 60 + 30 ? 0.15 : 0;
}

function utcDay(t: number): number {
  return t - (((t % DAY) + DAY) % DAY);
}

function isWeekday(t: number): boolean {
  const day = new Date(t).getUTCDay();
  return day !== 0 && day !== 6;
}

function minuteOfDay(t: number): number {
  return Math.floor((((t % DAY) + DAY) % DAY) / MINUTE);
}

function randomLabel(rnd: Random): string {
  let out = "";
  for (let n = rnd.between(7, 15); n > 0; n--) out += String.fromCharCode(97 + rnd.int(26));
  return out;
}

/** Weighted choice over a fixed list with precomputed cumulative weights (it runs for every request). */
class Picker<T> {
  private readonly cumulative: number[] = [];
  private readonly total: number;

  constructor(
    private readonly items: readonly T[],
    weight: (item: T) => number,
  ) {
    let sum = 0;
    for (const item of items) this.cumulative.push((sum += weight(item)));
    this.total = sum;
  }

  pick(rnd: Random): T {
    const x = rnd.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo];
  }
}

function siteNamed(host: string): Site {
  return SITES.find((s) => s.host === host) as Site;
}

function sitePicker(department: Department): Picker<Site> {
  return new Picker(SITES, (s) => s.weight * (s.favoured?.includes(department) ? 5 : 1));
}

/** A min-heap of records by time: the scheduled part of the day, released minute by minute. */
class TimeHeap {
  private readonly items: Timed[] = [];

  push(item: Timed): void {
    const a = this.items;
    a.push(item);
    for (let i = a.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (a[parent].at <= a[i].at) break;
      [a[parent], a[i]] = [a[i], a[parent]];
      i = parent;
    }
  }

  popBefore(limit: number): Timed | undefined {
    const a = this.items;
    if (a.length === 0 || a[0].at >= limit) return undefined;
    const top = a[0];
    const last = a.pop() as Timed;
    if (a.length > 0) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l].at < a[m].at) m = l;
        if (r < a.length && a[r].at < a[m].at) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
}

function patch(operations: unknown[]): string {
  return JSON.stringify({ schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: operations });
}

function userResource(email: string): string {
  const [given, family] = email.split("@")[0].split(".");
  return JSON.stringify({
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
    userName: email,
    name: { givenName: given, familyName: family ?? given },
    emails: [{ value: email, primary: true, type: "work" }],
    active: true,
  });
}

/** Seconds-precision RFC 3339, as a dashboard-created Logpush job writes `Datetime`. */
function rfc3339(at: number): string {
  return new Date(at).toISOString().replace(/\.\d{3}Z$/, "Z");
}

interface HttpOptions {
  method?: "GET" | "POST" | "PUT";
  agent?: string;
  uploaded?: string;
  scheme?: "http" | "https";
}

interface SessionOptions {
  ip: string;
  port: number;
  transport: "tcp" | "udp" | "quic";
  sni?: string;
  category?: Category;
  application?: string;
}

interface ScimOptions {
  email?: string;
  userId?: string;
  group?: string;
  body: string;
  failure?: string;
}

/** Raw records with the field sets of real Logpush and API records (cloudflare reference §2–§4). */
class RecordBuilder {
  constructor(private readonly rnd: Random) {}

  http(person: Person, place: Place, at: number, site: Site, path: string, o: HttpOptions = {}): Timed {
    const blocked = site.blockedBy !== undefined;
    const method = o.method ?? "GET";
    const url = `${o.scheme ?? "https"}://${site.host}${path}`;
    const agent = o.agent ?? site.agent ?? USER_AGENTS[person.os];
    return timed(at, "gateway_http", {
      AccountID: ACCOUNT,
      Action: blocked ? "block" : "allow",
      ApplicationIDs: [],
      ApplicationNames: [],
      BlockedFileHash: "",
      BlockedFileName: "",
      BlockedFileReason: "unknown",
      BlockedFileSize: 0,
      BlockedFileType: "",
      CategoryIDs: site.category.ids,
      CategoryNames: site.category.names,
      Datetime: rfc3339(at),
      DestinationIP: this.rnd.pick(site.ips),
      DestinationPort: o.scheme === "http" ? 8080 : 443,
      DeviceID: person.deviceId,
      DeviceName: person.deviceName,
      DownloadMatchedDlpProfileEntries: [],
      DownloadMatchedDlpProfiles: [],
      DownloadedFileNames: [],
      Email: person.email,
      ForensicCopyStatus: "none",
      HTTPHost: site.host,
      HTTPMethod: method,
      HTTPStatusCode: blocked ? 403 : method === "GET" ? (this.rnd.chance(0.05) ? 304 : 200) : 200,
      HTTPVersion: "HTTP/2",
      IsIsolated: false,
      PolicyID: blocked ? "85063bec-74cb-4546-85a3-e0cde2cdfda2" : "",
      PolicyName: site.blockedBy ?? "",
      Quarantined: false,
      // Command-line clients send no Referer.
      Referer: o.agent === undefined ? `https://${site.host}/` : "",
      RequestID: this.rnd.hex(32),
      SessionID: this.rnd.hex(32),
      SourceIP: place.ip,
      SourceIPCountryCode: place.country,
      SourceInternalIP: "",
      SourcePort: this.rnd.between(49152, 65535),
      URL: url,
      UntrustedCertificateAction: "none",
      UploadMatchedDlpProfileEntries: [],
      UploadMatchedDlpProfiles: [],
      UploadedFileNames: o.uploaded !== undefined ? [o.uploaded] : [],
      UserAgent: agent,
      UserID: person.userId,
    });
  }

  network(person: Person, place: Place, at: number, o: SessionOptions): Timed {
    return timed(at, "gateway_network", {
      AccountID: ACCOUNT,
      Action: "allow",
      ApplicationIDs: [],
      ApplicationNames: o.application !== undefined ? [o.application] : [],
      CategoryIDs: o.category?.ids ?? [],
      CategoryNames: o.category?.names ?? [],
      Datetime: rfc3339(at),
      DestinationIP: o.ip,
      DestinationPort: o.port,
      DetectedProtocol: o.sni !== undefined ? "TLS" : "",
      DeviceID: person.deviceId,
      DeviceName: person.deviceName,
      Email: person.email,
      OverrideIP: "",
      OverridePort: 0,
      PolicyID: "",
      PolicyName: "",
      RegistrationID: person.deviceId,
      SNI: o.sni ?? "",
      SessionID: this.rnd.hex(32),
      SourceIP: place.ip,
      SourceIPCountryCode: place.country,
      SourceInternalIP: person.warpIp,
      SourcePort: this.rnd.between(49152, 65535),
      TransportProtocol: o.transport,
      UserID: person.userId,
      VirtualNetworkName: o.ip.startsWith("10.") ? "corp" : "",
    });
  }

  dns(person: Person, place: Place, at: number, name: string, type: "A" | "AAAA" | "HTTPS", o: { rcode?: number; site?: Site }): Timed {
    const site = o.site;
    const blocked = site?.blockedBy !== undefined;
    const resolved = o.rcode === undefined && site !== undefined && type === "A" && !blocked ? [this.rnd.pick(site.ips)] : [];
    return timed(at, "gateway_dns", {
      AccountID: ACCOUNT,
      ColoCode: "FRA",
      Datetime: rfc3339(at),
      DeviceID: person.deviceId,
      DeviceName: person.deviceName,
      DstIP: "172.64.36.1",
      DstPort: 443,
      Email: person.email,
      MatchedCategoryIDs: blocked && site !== undefined ? site.category.ids : [],
      MatchedCategoryNames: blocked && site !== undefined ? site.category.names : [],
      PolicyID: blocked ? "2087" : "",
      PolicyName: blocked && site !== undefined ? (site.blockedBy as string) : "",
      Protocol: "https",
      QueryCategoryIDs: site?.category.ids ?? [],
      QueryCategoryNames: site?.category.names ?? [],
      QueryID: this.rnd.hex(32),
      QueryName: name,
      QueryType: type === "A" ? 1 : type === "AAAA" ? 28 : 65,
      QueryTypeName: type,
      RCode: o.rcode ?? 0,
      ResolvedIPs: resolved,
      ResolverDecision: blocked ? "blockedByCategory" : "allowedOnNoPolicyMatch",
      SrcIP: place.ip,
      SrcIPCountryCode: place.country,
      SrcPort: 0,
      UserID: person.userId,
    });
  }

  /** `app` is an application or a raw AppDomain; timestamps in unix nanoseconds, the API's default. */
  access(person: Person, place: Place, at: number, app: AccessApp | string, allowed: boolean): Timed {
    const domain = typeof app === "string" ? app : app.domain;
    return timed(at, "access_requests", {
      Action: "login",
      Allowed: allowed,
      AppDomain: domain,
      AppUUID: typeof app === "string" ? "6f1d2c3b-4a5e-4f60-8b7c-9d0e1f2a3b4c" : app.uuid,
      Connection: "okta",
      Country: place.country.toLowerCase(),
      CreatedAt: at * 1e6,
      Email: person.email,
      IPAddress: place.ip,
      PurposeJustificationPrompt: "",
      PurposeJustificationResponse: "",
      RayID: this.rnd.hex(16),
      TemporaryAccessApprovers: [],
      TemporaryAccessDuration: 0,
      UserUID: person.userId,
    });
  }

  scim(at: number, method: string, type: "USER" | "GROUP", o: ScimOptions): Timed {
    return timed(at, "scim", {
      cf_resource_id: type === "USER" ? (o.userId ?? "") : hex(seedOf(...Array.from(o.group ?? "", (c) => c.charCodeAt(0))), 32),
      error_description: o.failure ?? "",
      idp_id: IDP,
      idp_resource_id: `00${type === "USER" ? "u" : "g"}${this.rnd.hex(8)}`,
      logged_at: rfc3339(at),
      request_body: o.body,
      request_method: method,
      resource_group_name: o.group ?? "",
      resource_type: type,
      resource_user_email: type === "USER" ? (o.email ?? "") : "",
      status: o.failure !== undefined ? "FAILURE" : "SUCCESS",
    });
  }

  risk(at: number, person: Person, name: string, level: string, userLevel: string): Timed {
    return timed(at, "risk_score", {
      id: this.rnd.uuid(),
      name,
      risk_level: level,
      timestamp: rfc3339(at),
      event_details: {},
      user_id: person.userId,
      email: person.email,
      user_risk_level: userLevel,
    });
  }
}

function timed(at: number, dataset: Dataset, record: RawRecord): Timed {
  return { at, dataset, record };
}
