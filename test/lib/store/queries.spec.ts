import assert from "node:assert/strict";
import type { EventQuery, Pivot } from "../../../lib/store/event-store";
import { SqliteEventStore } from "../../../lib/store/sqlite-event-store";
import { accessEvent, dnsEvent, httpEvent, MINUTE, networkEvent, T0, TempDir } from "./events";

/**
 * A small day of one office: Jane's laptop browses and opens a session, Bob's does too, a DNS query
 * and an Access login; every pivot has events that must match and events that must not.
 */
const JANE = { email: "jane.doe@example.com", device: "JDOE-MBP14", deviceId: "dad71818-0429-11ec-a0dc-000000000000", src: "203.0.113.10" };
const BOB = { email: "Bob.Smith@Example.com", device: "BSMITH-X1", deviceId: "0b0b0b0b-0000-4000-8000-000000000002", src: "203.0.113.20" };

const day = [
  httpEvent({ ...JANE, at: T0, host: "portal.example.net", dst: "198.51.100.7", session: "sess-jane-1" }),
  httpEvent({ ...JANE, at: T0 + MINUTE, host: "cdn.badfiles.example", dst: "198.51.100.66", session: "sess-jane-1", action: "block" }),
  networkEvent({ ...JANE, at: T0 + 2 * MINUTE, dst: "192.0.2.55", session: "sess-jane-2", action: "block" }),
  httpEvent({ ...BOB, at: T0 + 3 * MINUTE, host: "CDN.BadFiles.example", dst: "198.51.100.66", session: "sess-bob-1" }),
  dnsEvent({ ...BOB, at: T0 + 4 * MINUTE, host: "cdn.badfiles.example." }),
  accessEvent({ ...JANE, at: T0 + 5 * MINUTE, host: "wiki.example.org" }),
  networkEvent({ ...BOB, at: T0 + 6 * MINUTE, src: "198.51.100.66", dst: "192.0.2.99", session: "sess-bob-2" }),
];

const whole = (pivot: Pivot, value: string, extra: Partial<EventQuery> = {}): EventQuery => ({ pivot, value, from: T0 - MINUTE, to: T0 + 60 * MINUTE, limit: 100, ...extra });
const times = (events: Array<{ time: number }>) => events.map((e) => (e.time - T0) / MINUTE);

describe("event store: queries and summaries", () => {
  const tmp = new TempDir();
  let store: SqliteEventStore;

  before(async () => {
    await tmp.make();
    store = new SqliteEventStore({ file: tmp.file(), retentionDays: 0 });
    const result = await store.append(day);
    assert.deepEqual(result, { written: day.length, rejected: [] });
  });
  after(async () => {
    await store.close();
    await tmp.remove();
  });

  const cases: Array<[Pivot, string, number[]]> = [
    // source, destination and NAT-free related addresses alike
    ["ip", "198.51.100.66", [1, 3, 6]],
    ["source_ip", "198.51.100.66", [6]],
    ["destination_ip", "198.51.100.66", [1, 3]],
    ["source_ip", "203.0.113.10", [0, 1, 2, 5]],
    // url.domain, destination.domain and dns.question.name, case and trailing dot aside
    ["domain", "cdn.badfiles.example", [1, 3, 4]],
    // an Access application by its domain
    ["domain", "WIKI.example.org", [5]],
    // user.email (any case), user.name and related.user
    ["user", "bob.smith@example.com", [3, 4, 6]],
    ["user", "jane.doe@example.com", [0, 1, 2, 5]],
    // host.name, host.id and related.hosts
    ["host", "jdoe-mbp14", [0, 1, 2]],
    ["host", "0b0b0b0b-0000-4000-8000-000000000002", [3, 6]],
    ["session", "sess-jane-1", [0, 1]],
    ["session", "sess-bob-2", [6]],
  ];
  for (const [pivot, value, expected] of cases) {
    it(`${pivot} ${value}: the matching events, oldest first`, async () => {
      assert.deepEqual(times(await store.query(whole(pivot, value))), expected);
    });
  }

  it("returns each event as it was appended, with its time and dataset", async () => {
    const [first] = await store.query(whole("session", "sess-jane-1", { limit: 1, to: T0 }));
    assert.equal(first.time, T0);
    assert.equal(first.dataset, "gateway_http");
    assert.deepEqual(first.event, JSON.parse(JSON.stringify(day[0])));
  });

  it("keeps to the time window, both ends inclusive", async () => {
    const q = whole("user", "jane.doe@example.com", { from: T0 + MINUTE, to: T0 + 2 * MINUTE });
    assert.deepEqual(times(await store.query(q)), [1, 2]);
    assert.deepEqual(times(await store.query({ ...q, from: T0 + MINUTE + 1 })), [2]);
    assert.deepEqual(await store.query({ ...q, from: T0 + 10 * MINUTE, to: T0 + 20 * MINUTE }), []);
  });

  it("keeps the newest events when the limit cuts, still oldest first", async () => {
    assert.deepEqual(times(await store.query(whole("user", "jane.doe@example.com", { limit: 2 }))), [2, 5]);
    assert.deepEqual(await store.query(whole("user", "jane.doe@example.com", { limit: 0 })), []);
  });

  it("goes through a window of many hours newest first, and keeps the newest across them", async () => {
    const other = new TempDir();
    await other.make();
    const hourly = new SqliteEventStore({ file: other.file(), retentionDays: 0 });
    try {
      // every 25 minutes for ten hours, and one event a year earlier
      const events = Array.from({ length: 24 }, (_, i) => httpEvent({ ...JANE, at: T0 + i * 25 * MINUTE, session: `h-${i}` }));
      await hourly.append([...events, httpEvent({ ...JANE, at: T0 - 365 * 24 * 60 * MINUTE })]);
      const q = whole("user", JANE.email, { from: T0 + 30 * MINUTE, to: T0 + 400 * MINUTE, limit: 5 });
      assert.deepEqual(times(await hourly.query(q)), [300, 325, 350, 375, 400]);
      assert.deepEqual(times(await hourly.query({ ...q, limit: 100 })), Array.from({ length: 15 }, (_, i) => 50 + 25 * i));
      assert.equal((await hourly.summarize(q, 5)).total, 15);
      // a window far wider than the data visits only the hours that hold events
      const everything = { ...q, from: Number.NEGATIVE_INFINITY, to: Number.POSITIVE_INFINITY, limit: 1000 };
      assert.equal((await hourly.query(everything)).length, 25);
      assert.equal((await hourly.summarize(everything, 5)).total, 25);
    } finally {
      await hourly.close();
      await other.remove();
    }
  });

  it("restricts to datasets, named with or without the cloudflare. prefix", async () => {
    assert.deepEqual(times(await store.query(whole("domain", "cdn.badfiles.example", { datasets: ["gateway_dns"] }))), [4]);
    assert.deepEqual(times(await store.query(whole("user", "jane.doe@example.com", { datasets: ["cloudflare.gateway_network", "access_requests"] }))), [2, 5]);
    assert.deepEqual(await store.query(whole("user", "jane.doe@example.com", { datasets: [] })), []);
  });

  it("matches nothing for an unknown value, an empty one or an inverted window", async () => {
    assert.deepEqual(await store.query(whole("ip", "192.0.2.1")), []);
    assert.deepEqual(await store.query(whole("ip", "  ")), []);
    assert.deepEqual(await store.query(whole("ip", "198.51.100.66", { from: T0 + MINUTE, to: T0 })), []);
    assert.deepEqual(await store.query(whole("nope" as Pivot, "198.51.100.66")), []);
  });

  it("takes a limit or topN that is not a sensible count as none, or as the store's own bound", async () => {
    const q = whole("user", "jane.doe@example.com");
    assert.deepEqual(await store.query({ ...q, limit: Number.NaN }), []);
    assert.deepEqual(await store.query({ ...q, limit: -5 }), []);
    assert.deepEqual(await store.query({ ...q, limit: "3" as unknown as number }), []);
    assert.deepEqual(times(await store.query({ ...q, limit: Number.POSITIVE_INFINITY })), [0, 1, 2, 5]);
    assert.deepEqual(times(await store.query({ ...q, limit: 2.9 })), [2, 5]);
    const s = await store.summarize(q, Number.NaN);
    assert.equal(s.total, 4);
    assert.deepEqual(s.users, []);
    assert.equal((await store.summarize(q, 1e12)).by_dataset.length, 3);
  });

  it("summarizes every matching event, not just the capped timeline", async () => {
    const s = await store.summarize(whole("domain", "cdn.badfiles.example", { limit: 1 }), 10);
    assert.equal(s.total, 3);
    assert.equal(s.first_seen, new Date(T0 + MINUTE).toISOString());
    assert.equal(s.last_seen, new Date(T0 + 4 * MINUTE).toISOString());
    assert.deepEqual(s.by_dataset, [
      { value: "gateway_http", count: 2 },
      { value: "gateway_dns", count: 1 },
    ]);
    assert.deepEqual(s.by_action, [
      { value: "allow", count: 1 },
      { value: "allowedOnNoPolicyMatch", count: 1 },
      { value: "block", count: 1 },
    ]);
    assert.deepEqual(s.top_source_ips, [
      { value: "203.0.113.20", count: 2 },
      { value: "203.0.113.10", count: 1 },
    ]);
    assert.deepEqual(s.top_destination_ips, [
      { value: "198.51.100.66", count: 2 },
      { value: "172.64.36.1", count: 1 },
    ]);
    assert.deepEqual(s.top_domains, [{ value: "cdn.badfiles.example", count: 3 }]);
    assert.deepEqual(s.users, [
      { value: "bob.smith@example.com", count: 2 },
      { value: "jane.doe@example.com", count: 1 },
    ]);
    assert.deepEqual(s.hosts, [
      { value: "bsmith-x1", count: 2 },
      { value: "jdoe-mbp14", count: 1 },
    ]);
  });

  it("caps each summary list at topN, the largest counts first", async () => {
    const s = await store.summarize(whole("user", "jane.doe@example.com"), 1);
    assert.equal(s.total, 4);
    assert.deepEqual(s.by_dataset, [{ value: "gateway_http", count: 2 }]);
    assert.deepEqual(s.top_destination_ips.length, 1);
  });

  it("summarizes an empty match as zero, without first or last seen", async () => {
    const s = await store.summarize(whole("ip", "192.0.2.1"), 5);
    assert.deepEqual(s, { total: 0, by_dataset: [], by_action: [], top_source_ips: [], top_destination_ips: [], top_domains: [], users: [], hosts: [] });
  });

  it("reports its size, the oldest and newest events", async () => {
    const stats = await store.stats();
    assert.equal(stats.events, day.length);
    assert.equal(stats.oldest, new Date(T0).toISOString());
    assert.equal(stats.newest, new Date(T0 + 6 * MINUTE).toISOString());
    assert.ok(stats.bytes > 0);
    assert.equal(stats.pruned, 0);
  });
});
