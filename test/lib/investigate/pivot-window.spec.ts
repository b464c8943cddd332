import assert from "node:assert/strict";
import { choosePivot, isAlert, windowAround } from "../../../lib/investigate";
import { mergeTallies, sumTallies } from "../../../lib/investigate/tally";
import { mergeTimeline } from "../../../lib/investigate/timeline";
import type { TimelineEntry } from "../../../lib/investigate/types";
import { C2_IP, DOMAIN, JANE, LAPTOP, MIN, OFFICE_IP, T0, at, payloadAlert } from "./scenario";

describe("investigation pivots and windows", () => {
  describe("choosePivot", () => {
    it("takes the flow's value over the alert's, trimmed", () => {
      assert.deepEqual(choosePivot("ip", payloadAlert(), ` ${C2_IP} `), { ok: true, value: C2_IP, from: "value" });
      assert.deepEqual(choosePivot("ip", payloadAlert(), "2001:db8::1"), { ok: true, value: "2001:db8::1", from: "value" });
    });

    it("takes an address from the evidence first, a host or user from the entity key first", () => {
      assert.deepEqual(choosePivot("ip", payloadAlert(), undefined), { ok: true, value: C2_IP, from: "evidence" });
      assert.deepEqual(choosePivot("ip", { ...payloadAlert(), evidence: { ...payloadAlert().evidence, ip: ["not an address"] } }, undefined), { ok: true, value: OFFICE_IP, from: "alert" });
      assert.deepEqual(choosePivot("host", payloadAlert(), ""), { ok: true, value: LAPTOP, from: "alert" });
      assert.deepEqual(choosePivot("risk", payloadAlert(), null), { ok: true, value: JANE, from: "alert" });
      const noKeys = { ...payloadAlert(), ip: "not-an-ip", user: undefined };
      noKeys.evidence = { ...noKeys.evidence, ip: ["", "999.0.0.1", C2_IP], user: ["", "  ", "x@example.com"] };
      assert.deepEqual(choosePivot("ip", noKeys, undefined), { ok: true, value: C2_IP, from: "evidence" });
      assert.deepEqual(choosePivot("user", noKeys, undefined), { ok: true, value: "x@example.com", from: "evidence" });
    });

    it("refuses values that do not fit the kind, saying why", () => {
      assert.deepEqual(choosePivot("ip", undefined, "evil.example.net"), { ok: false, problem: '"evil.example.net" is not an IP address' });
      assert.deepEqual(choosePivot("ip", undefined, { ip: C2_IP }), { ok: false, problem: "the IP address to investigate must be text, not an object" });
      assert.deepEqual(choosePivot("user", undefined, ["a"]), { ok: false, problem: "the user to investigate must be text, not a list" });
      assert.deepEqual(choosePivot("host", undefined, "   "), { ok: false, problem: "the host to investigate is blank" });
      assert.match((choosePivot("host", undefined, "h".repeat(300)) as { problem: string }).problem, /^"h{80}…" is longer than 255 characters$/);
      assert.deepEqual(choosePivot("user", { payload: "not an alert" }, undefined), { ok: false, problem: "no user to investigate: the message carries neither an alert nor a value" });
    });

    it("tells an alert from other objects", () => {
      assert.equal(isAlert(payloadAlert()), true);
      assert.equal(isAlert({ rule: "x", evidence: {} }), false);
      assert.equal(isAlert({ ip: C2_IP }), false);
      assert.equal(isAlert(null), false);
    });
  });

  describe("windowAround", () => {
    it("spans the alert's first to last event, widened before and after", () => {
      const alert = { ...payloadAlert(), first_seen: at(-30), last_seen: at(-10) };
      assert.deepEqual(windowAround(alert, 60 * MIN, 5 * MIN, 0), { from: T0 - 90 * MIN, to: T0 - 5 * MIN });
    });

    it("is around now without an alert, and around the alert's time when its span is unreadable", () => {
      assert.deepEqual(windowAround(undefined, 10 * MIN, MIN, T0), { from: T0 - 10 * MIN, to: T0 + MIN });
      assert.deepEqual(windowAround({ "@timestamp": at(-3), first_seen: "garbage" }, MIN, MIN, 0), { from: T0 - 4 * MIN, to: T0 - 2 * MIN });
      assert.deepEqual(windowAround({ first_seen: at(0), last_seen: at(-100) }, 0, 0, 0), { from: T0, to: T0 }, "a last before the first is not a negative span");
      assert.deepEqual(windowAround({ first_seen: "1970-01-01T00:00:01Z" }, 60_000, 0, 0), { from: 0, to: 1000 });
    });
  });

  describe("mergeTimeline", () => {
    const line = (min: number, source: string): TimelineEntry => ({ "@timestamp": at(min), source, dataset: "gateway_http", domain: DOMAIN });

    it("orders every backend's lines by time, then source, and keeps the newest cap of them", () => {
      const merged = mergeTimeline([[line(-1, "store"), line(-5, "store")], [line(-1, "api:gateway_http"), line(-9, "api:gateway_http")]], 3);
      assert.deepEqual(merged.timeline.map((e) => `${e["@timestamp"].slice(14, 16)} ${e.source}`), ["55 store", "59 api:gateway_http", "59 store"]);
      assert.equal(merged.total, 4);
      assert.equal(merged.truncated, true);
    });
  });

  describe("tallies", () => {
    it("add up within a backend and keep the larger count across backends, without case", () => {
      const store = [{ value: "bob-lt", count: 3, sources: ["store"] }];
      const api = sumTallies([[{ value: "BOB-LT", count: 1, sources: ["api:gateway_http"] }], [{ value: "BOB-LT", count: 1, sources: ["api:gateway_network"] }, { value: "X", count: 9, sources: ["api:gateway_network"] }]]);
      assert.deepEqual(mergeTallies([store, api], 10), [
        { value: "X", count: 9, sources: ["api:gateway_network"] },
        { value: "BOB-LT", count: 3, sources: ["store", "api:gateway_http", "api:gateway_network"] },
      ]);
      assert.deepEqual(mergeTallies([store, api], 1).map((t) => t.value), ["X"]);
    });
  });
});
