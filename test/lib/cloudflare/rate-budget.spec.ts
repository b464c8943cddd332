import assert from "node:assert/strict";
import sinon from "sinon";
import { budgetFor, CloudflareClient, RateBudget } from "../../../lib/cloudflare";
import { TOKEN, useStandIn } from "../../helpers/cloudflare";

/** Clock readings may differ by a rounding step between Date.now and performance.now. */
const CLOCK_SLACK_MS = 2;

/** Asks for `n` slots; `through` lists, in order, the callers let through so far. */
function askFor(budget: RateBudget, n: number, through: number[]): void {
  for (let i = 0; i < n; i++) void budget.acquire().then(() => through.push(i));
}

describe("RateBudget", function () {
  describe("on a fake clock", function () {
    let clock: sinon.SinonFakeTimers;
    beforeEach(() => {
      clock = sinon.useFakeTimers({ now: 1_000_000 });
    });
    afterEach(() => clock.restore());

    it("lets `limit` requests through at once and holds the next until the oldest leaves the window", async function () {
      const budget = new RateBudget({ limit: 3, windowMs: 250 });
      const through: number[] = [];
      askFor(budget, 4, through);
      await clock.tickAsync(0);
      assert.deepEqual(through, [0, 1, 2]);
      assert.deepEqual(budget.stats, { limit: 3, windowMs: 250, used: 3, waiting: 1, blockedUntil: null });
      await clock.tickAsync(249);
      assert.deepEqual(through, [0, 1, 2]);
      await clock.tickAsync(1);
      assert.deepEqual(through, [0, 1, 2, 3]);
      assert.equal(budget.stats.used, 1);
    });

    it("serves waiters in the order they asked, one per freed slot", async function () {
      const budget = new RateBudget({ limit: 1, windowMs: 100 });
      const through: number[] = [];
      askFor(budget, 4, through);
      await clock.tickAsync(250);
      assert.deepEqual(through, [0, 1, 2]);
      await clock.tickAsync(50);
      assert.deepEqual(through, [0, 1, 2, 3]);
    });

    it("holds everyone back until blockUntil's time; an earlier time changes nothing", async function () {
      const budget = new RateBudget({ limit: 100, windowMs: 1000 });
      const until = Date.now() + 200;
      budget.blockUntil(until);
      budget.blockUntil(until - 150);
      assert.equal(budget.stats.blockedUntil, until);
      const through: number[] = [];
      askFor(budget, 2, through);
      await clock.tickAsync(199);
      assert.deepEqual(through, []);
      await clock.tickAsync(1);
      assert.deepEqual(through, [0, 1]);
      assert.equal(budget.stats.blockedUntil, null);
    });
  });

  it("refuses a limit or window that cannot work", function () {
    assert.throws(() => new RateBudget({ limit: 0 }), RangeError);
    assert.throws(() => new RateBudget({ windowMs: 0 }), RangeError);
  });

  describe("budgetFor", function () {
    it("hands every user of one account and API root the same budget, per kind", function () {
      const id = "0123456789abcdef0123456789abcdef";
      const rest = budgetFor(id, "https://api.example/client/v4");
      assert.equal(budgetFor(id.toUpperCase(), "https://api.example/client/v4/"), rest);
      assert.notEqual(budgetFor("fedcba9876543210fedcba9876543210", "https://api.example/client/v4"), rest);
      assert.notEqual(budgetFor(id, "https://other.example/client/v4"), rest);
      const graphql = budgetFor(id, "https://api.example/client/v4", "graphql");
      assert.notEqual(graphql, rest);
      assert.equal(rest.limit, 1200);
      assert.equal(rest.windowMs, 300_000);
      assert.equal(graphql.limit, 300);
    });

    it("is what a client uses unless given a budget", function () {
      const client = new CloudflareClient({ accountId: "abc", token: TOKEN, baseUrl: "https://api.example/client/v4" });
      assert.equal(client.budget, budgetFor("abc", "https://api.example/client/v4"));
      assert.equal(client.graphqlBudget, budgetFor("abc", "https://api.example/client/v4", "graphql"));
    });
  });

  describe("with the API", function () {
    const fx = useStandIn();
    const path = () => fx.client().accountPath("/access/users");

    it("makes the request past the limit wait for the window", async function () {
      const client = fx.client({ budget: new RateBudget({ limit: 3, windowMs: 300 }) });
      const start = performance.now();
      for (let i = 0; i < 4; i++) await client.get(path());
      const fourth = fx.api.requests[3].at - start;
      assert.ok(fourth >= 300 - CLOCK_SLACK_MS, `the fourth arrived at ${fourth} ms`);
    });

    it("is shared by two clients of one account", async function () {
      const shared = new RateBudget({ limit: 2, windowMs: 300 });
      const a = fx.client({ budget: shared });
      const b = fx.client({ budget: shared });
      const start = performance.now();
      await Promise.all([a.get(path()), a.get(path())]);
      await b.get(path());
      assert.ok(fx.api.requests[2].at - start >= 300 - CLOCK_SLACK_MS, `b went at ${fx.api.requests[2].at - start} ms`);
    });

    it("holds every client back after one of them is answered 429, until Retry-After", async function () {
      const shared = new RateBudget({ limit: 100, windowMs: 60_000 });
      const a = fx.client({ budget: shared });
      const b = fx.client({ budget: shared });
      fx.api.fail({ path: path(), status: 429, retryAfter: 1 });
      const first = a.get(path());
      while (shared.stats.blockedUntil === null) await new Promise((r) => setTimeout(r, 5));
      await Promise.all([first, b.get(path())]);
      const [limited, ...after] = fx.api.requests;
      assert.equal(after.length, 2);
      for (const r of after) assert.ok(r.at - limited.at >= 1000 - CLOCK_SLACK_MS, `a request went ${r.at - limited.at} ms after the 429`);
    });
  });
});
