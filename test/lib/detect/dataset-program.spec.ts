import assert from "node:assert/strict";
import fc from "fast-check";
import { loadBuiltinRules, type DetectionRule, type Rule } from "../../../lib/detect";
import { compileDatasetProgram } from "../../../lib/detect/dataset-program";
import { parseBatch } from "../../../lib/parsers";
import { normalTraffic } from "../../../lib/synthetic/normal-traffic";
import { engineFor, ev, rules as load } from "./helpers";

const detections = (rules: readonly Rule[]) => rules.filter((r): r is DetectionRule => r.kind === "detection");

/** The rules a program says the event matches, and the rules whose own `match` says so. */
function answers(rules: readonly DetectionRule[], dataset: string | undefined, event: object): { program: string[]; own: string[] } {
  const program = compileDatasetProgram(rules, dataset);
  const out = new Int32Array(rules.length);
  const n = program.run(event, out);
  return {
    program: Array.from(out.subarray(0, n), (i) => rules[i].id),
    own: rules.filter((r) => r.match(event)).map((r) => r.id),
  };
}

function assertSame(rules: readonly DetectionRule[], dataset: string | undefined, event: object): void {
  const { program, own } = answers(rules, dataset, event);
  assert.deepEqual(program, own, JSON.stringify(event));
}

/** Rules whose equality tests share fields, so that the program indexes them. */
const SHARED = detections(
  load(
    [
      ["a", "{event.action: [Login, logout], event.outcome: success}"],
      ["b", "{event.action: [login, 42, 'true'], user.email: null}"],
      ["c", "{event.action|all: [login, LOGIN]}"],
      ["d", "{event.action: [login], event.outcome|contains: succ}"],
      ["e", "[{destination.port: [22, '3389']}, {event.action: [İx, true]}]"],
      ["f", "{event.outcome: [success, failure], event.action|exists: true}"],
      ["g", "{event.dataset: cloudflare.access_requests, event.outcome: [failure]}"],
      ["h", "{event.dataset|startswith: cloudflare.gateway, destination.port: [22, 443]}"],
    ]
      .map(([id, sel]) => `title: ${id}\nid: ${id}\ndetection:\n  sel: ${sel}\n  condition: sel\n`)
      .join("---\n"),
  ),
);

const scalar = fc.oneof(
  fc.constantFrom("login", "LOGIN", "Login", "logout", "success", "Success", "failure", "İx", "i̇x", "ix", "42", "3389", "22", "true", "", "x".repeat(40)),
  fc.constantFrom(42, 22, 3389, 443, 0, -0, 1.5, Number.NaN),
  fc.boolean(),
  fc.constant(null),
);
const fieldValue = fc.oneof(scalar, fc.array(scalar, { maxLength: 4 }), fc.constant(undefined), fc.constant({ nested: "login" }));

describe("dataset programs", () => {
  it("answer what each rule's own match answers, for any values of the fields they share", () => {
    fc.assert(
      fc.property(fieldValue, fieldValue, fieldValue, fieldValue, fc.constantFrom("access_requests", "gateway_network"), (action, outcome, port, email, dataset) => {
        const event = ev(dataset, { destination: { port } });
        const head = event.event as unknown as Record<string, unknown>;
        head.action = action;
        head.outcome = outcome;
        if (email !== undefined) (event as unknown as Record<string, unknown>).user = { email };
        assertSame(SHARED, `cloudflare.${dataset}`, event);
        assertSame(SHARED, undefined, event);
      }),
      { numRuns: 2000 },
    );
  });

  it("answer as the built-in rules do on a day of normal traffic and on the rules' own test events", () => {
    const pack = detections(loadBuiltinRules().rules);
    const check = (dataset: string, event: object) => {
      const rules = pack.filter((r) => r.sources.length === 0 || r.sources.includes(dataset));
      assertSame(rules, `cloudflare.${dataset}`, event);
    };
    let seen = 0;
    let matched = 0;
    for (const { dataset, record } of normalTraffic({ users: 20 })) {
      if (seen++ >= 3000) break;
      const { events } = parseBatch([record], dataset);
      check(dataset, events[0]);
      matched += answers(pack, undefined, events[0]).own.length;
    }
    for (const rule of pack) {
      for (const test of rule.tests) {
        for (const e of test.events) {
          const raw = e as { dataset?: string; record?: unknown };
          const event = raw.record !== undefined ? parseBatch([raw.record], raw.dataset).events[0] : (e as object);
          const dataset = String((event as { event?: { dataset?: unknown } }).event?.dataset ?? "").replace(/^cloudflare\./, "");
          if (dataset) check(dataset, event);
        }
      }
    }
    assert.ok(matched > 100, `only ${matched} matches: the comparison saw too little`);
  });

  it("keep answering right past the values they remember", () => {
    const event = (action: string) => {
      const e = ev("access_requests");
      (e.event as unknown as Record<string, unknown>).action = action;
      return e;
    };
    for (let i = 0; i < 5000; i++) assertSame(SHARED, "cloudflare.access_requests", event(`Value-${i}`));
    for (const action of ["LOGIN", "Login", "login", "logout", "LogOut", "Value-1"]) assertSame(SHARED, "cloudflare.access_requests", event(action));
    const { program } = answers(SHARED, "cloudflare.access_requests", event("LOGIN"));
    assert.ok(program.includes("c"), "the all-of-login rule still matches after the memory was dropped");
  });

  it("leave out the rules that cannot match in the dataset, and decide event.dataset checks at compile time", () => {
    const program = compileDatasetProgram(SHARED, "cloudflare.gateway_network");
    const ids = program.members.map((i) => SHARED[i].id);
    assert.equal(ids.includes("g"), false);
    assert.equal(ids.includes("h"), true);
    assert.equal(compileDatasetProgram(SHARED, undefined).members.length, SHARED.length);
    assertSame(SHARED, "cloudflare.gateway_network", ev("gateway_network", { destination: { port: 443 } }));
  });

  it("are shared by engines over the same rules", () => {
    assert.equal(compileDatasetProgram(SHARED, "cloudflare.scim"), compileDatasetProgram([...SHARED], "cloudflare.scim"));
    assert.notEqual(compileDatasetProgram(SHARED, "cloudflare.scim"), compileDatasetProgram(SHARED.slice(1), "cloudflare.scim"));
  });
});

describe("the engine's dataset programs", () => {
  const yaml = `title: dns
id: dns
logsource: {product: cloudflare, service: gateway_dns}
detection:
  sel: {event.dataset: cloudflare.gateway_dns, dns.question.name|exists: true}
  condition: sel
`;

  it("read event.dataset as the rule would when the event's event is not a plain object", () => {
    const engine = engineFor(yaml);
    const plain = ev("gateway_dns", { dns: { question: { name: "a.example" } } });
    // Routed by the list's own `dataset` property, while the rule reads the elements' values.
    const list = Object.assign([{ dataset: "cloudflare.gateway_http" }], { dataset: "cloudflare.gateway_dns" });
    const odd = { ...plain, event: list } as unknown as typeof plain;
    assert.equal(engine.process([plain]).length, 1);
    assert.equal(engine.process([odd]).length, 0);
  });
});
