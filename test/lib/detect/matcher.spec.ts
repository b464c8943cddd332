import assert from "node:assert/strict";
import { fieldGetter } from "../../../lib/detect/field-path";
import { ev, matches, ruleWith } from "./helpers";

const access = (fields: Record<string, unknown>) => ev("access_requests", fields);

describe("selection matching", () => {
  it("is case-insensitive for strings by default", () => {
    const rule = ruleWith("{user.email: Jane.Doe@Example.com, event.action: [LOGIN, logout]}");
    const event = access({ user: { email: "jane.doe@example.COM" }, event: { dataset: "cloudflare.access_requests", action: "Login" } });
    assert.equal(matches(rule, event), true);
  });

  it("ANDs the fields of a map and ORs the values of a list and the maps of a list", () => {
    const map = ruleWith("{event.action: login, event.outcome: failure}");
    const e = (action: string, outcome: string) => access({ event: { dataset: "cloudflare.access_requests", action, outcome } });
    assert.equal(matches(map, e("login", "failure")), true);
    assert.equal(matches(map, e("login", "success")), false);
    const list = ruleWith("[{event.action: logout}, {event.outcome: failure}]");
    assert.equal(matches(list, e("login", "failure")), true);
    assert.equal(matches(list, e("login", "success")), false);
  });

  it("matches an array field when any element matches", () => {
    const rule = ruleWith("{cloudflare.gateway_http.CategoryIDs: [80, 131]}");
    const raw = (ids: unknown[]) => ev("gateway_http", { cloudflare: { gateway_http: { CategoryIDs: ids } } });
    assert.equal(matches(rule, raw([7, 131])), true);
    assert.equal(matches(rule, raw([7, 8])), false);
    assert.equal(matches(rule, raw([])), false);
  });

  it("reads raw Cloudflare fields under cloudflare.<dataset>", () => {
    const rule = ruleWith("{cloudflare.gateway_http.BlockedFileReason: malware}");
    assert.equal(matches(rule, ev("gateway_http", { cloudflare: { gateway_http: { BlockedFileReason: "Malware" } } })), true);
    assert.equal(matches(rule, ev("gateway_http", { cloudflare: { gateway_network: { BlockedFileReason: "malware" } } })), false);
  });

  it("null matches a missing field, null, or an empty list, and nothing else", () => {
    const rule = ruleWith("{tls.client.server_name: null}");
    assert.equal(matches(rule, ev("gateway_network", {})), true);
    assert.equal(matches(rule, ev("gateway_network", { tls: null })), true);
    assert.equal(matches(rule, ev("gateway_network", { tls: { client: { server_name: null } } })), true);
    assert.equal(matches(rule, ev("gateway_network", { tls: { client: { server_name: [] } } })), true);
    assert.equal(matches(rule, ev("gateway_network", { tls: { client: { server_name: "x.example" } } })), false);
    const either = ruleWith("{user.email: [null, admin@example.com]}");
    assert.equal(matches(either, access({})), true);
    assert.equal(matches(either, access({ user: { email: "admin@example.com" } })), true);
    assert.equal(matches(either, access({ user: { email: "jane@example.com" } })), false);
  });

  it("a missing field matches no value, and a field holding an object matches no string", () => {
    assert.equal(matches(ruleWith("{user.email|contains: '@'}"), access({})), false);
    assert.equal(matches(ruleWith("{user: jane}"), access({ user: { email: "jane" } })), false);
  });

  it("compares numbers as numbers and as the text they print as", () => {
    const port = (p: unknown) => ev("gateway_network", { destination: { port: p } });
    assert.equal(matches(ruleWith("{destination.port: 22}"), port(22)), true);
    assert.equal(matches(ruleWith("{destination.port: 22}"), port("22")), true);
    assert.equal(matches(ruleWith("{destination.port: '22'}"), port(22)), true);
    assert.equal(matches(ruleWith("{destination.port: 22}"), port(2222)), false);
    assert.equal(matches(ruleWith("{destination.port|startswith: '22'}"), port(2222)), true);
    assert.equal(matches(ruleWith("{flag: true}"), ev("gateway_http", { flag: true })), true);
    assert.equal(matches(ruleWith("{flag: 'TRUE'}"), ev("gateway_http", { flag: true })), true);
    assert.equal(matches(ruleWith("{flag: false}"), ev("gateway_http", { flag: true })), false);
  });

  it("never takes a prototype's functions for data", () => {
    assert.equal(matches(ruleWith("{constructor|exists: true}"), access({})), false);
    assert.equal(matches(ruleWith("{user.toString|exists: true}"), access({ user: {} })), false);
  });
});

describe("fieldGetter", () => {
  it("walks nested objects and gathers through arrays", () => {
    const event = { a: { b: [{ c: 1 }, { c: [2, 3] }, { d: 4 }] } };
    assert.deepEqual(fieldGetter("a.b.c")(event), [1, 2, 3]);
    assert.equal(fieldGetter("a.b.x")(event), undefined);
    assert.equal(fieldGetter("a.x.c")(event), undefined);
    assert.deepEqual(fieldGetter("a.b")(event), event.a.b);
  });

  it("returns undefined through scalars and null", () => {
    assert.equal(fieldGetter("a.b.c")({ a: "text" }), undefined);
    assert.equal(fieldGetter("a.b")({ a: null }), undefined);
  });

  it("treats odd names as plain keys", () => {
    const name = 'we"ird\\key';
    assert.equal(fieldGetter(`x.${name}`)({ x: { [name]: 1 } }), 1);
  });
});
