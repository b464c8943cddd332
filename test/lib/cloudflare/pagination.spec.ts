import assert from "node:assert/strict";
import { CloudflareApiError, type Page } from "../../../lib/cloudflare";
import type { RecordedRequest } from "../../stand-ins/cloudflare-api";
import { rejection, useStandIn } from "../../helpers/cloudflare";

async function all<T>(pages: AsyncGenerator<Page<T>>): Promise<T[][]> {
  const got: T[][] = [];
  for await (const page of pages) got.push(page.items);
  return got;
}

const ids = (pages: Array<Array<{ id: string }>>) => pages.map((p) => p.map((x) => x.id));
const numbered = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}` }));

describe("Cloudflare API paging", function () {
  const fx = useStandIn();

  describe("page-based", function () {
    it("reads every page and stops at total_pages", async function () {
      const client = fx.client();
      fx.api.seed.users(numbered("u", 7));
      const pages = await all(client.pages<{ id: string }>(client.accountPath("/access/users"), { search: "" }, { perPage: 3 }));
      assert.deepEqual(ids(pages), [["u0", "u1", "u2"], ["u3", "u4", "u5"], ["u6"]]);
      assert.deepEqual(fx.api.requests.map((r) => r.search), ["search=&page=1&per_page=3", "search=&page=2&per_page=3", "search=&page=3&per_page=3"]);
    });

    it("asks for no page past the last full one", async function () {
      const client = fx.client();
      fx.api.seed.users(numbered("u", 6));
      assert.equal((await all(client.pages(client.accountPath("/access/users"), {}, { perPage: 3 }))).length, 2);
      assert.equal(fx.api.count(), 2);
    });

    it("repeats array parameters on every page", async function () {
      const client = fx.client();
      fx.api.seed.scim("a", [{ logged_at: "2025-06-01T00:00:00Z" }, { logged_at: "2025-06-01T00:00:01Z" }]);
      fx.api.seed.scim("b", [{ logged_at: "2025-06-01T00:00:02Z" }]);
      const pages = await all(client.pages(client.accountPath("/access/logs/scim/updates"), { idp_id: ["a", "b"] }, { perPage: 2 }));
      assert.deepEqual(pages.map((p) => p.length), [2, 1]);
      for (const r of fx.api.requests) assert.deepEqual(r.query.getAll("idp_id"), ["a", "b"]);
    });

    it("picks the items out of an object result", async function () {
      const client = fx.client();
      fx.api.seed.riskUser({ user_id: "u1", email: "a@example.com" }, [{ id: "e1", risk_level: "high", timestamp: "2025-06-02T14:10:00Z" }]);
      fx.api.seed.riskUser({ user_id: "u2", email: "b@example.com" }, [{ id: "e2", risk_level: "low", timestamp: "2025-06-02T14:00:00Z" }]);
      const pages = await all(
        client.pages<{ user_id: string }>(client.accountPath("/zt_risk_scoring/summary"), {}, { perPage: 1, items: (r) => (r as { users?: Array<{ user_id: string }> }).users }),
      );
      assert.deepEqual(pages.map((p) => p.map((u) => u.user_id)), [["u1"], ["u2"]]);
    });

    it("fails with a typed error when the result holds no list", async function () {
      const client = fx.client();
      const err = await rejection(all(client.pages(client.accountPath("/zt_risk_scoring/behaviors"))));
      assert.ok(err instanceof CloudflareApiError);
      assert.equal(err.kind, "malformed");
      assert.match(err.message, /no list of items/);
    });

    describe("a lying server", function () {
      const path = "/accounts/x/lies";
      const liar = (items: (r: RecordedRequest) => unknown[], info: Record<string, unknown>) => (r: RecordedRequest) => ({
        success: true,
        errors: [],
        messages: [],
        result: items(r),
        result_info: { page: Number(r.query.get("page")), ...info },
      });

      it("stops when the same page comes back, whatever total_pages says", async function () {
        fx.api.fail({ path, times: Infinity, body: liar(() => [{ id: "same" }], { total_pages: 1000 }) });
        assert.deepEqual(ids(await all(fx.client().pages<{ id: string }>(path, {}, { perPage: 1 }))), [["same"]]);
        assert.equal(fx.api.count(), 2);
      });

      it("stops at an empty page, whatever total_count says", async function () {
        fx.api.fail({ path, times: Infinity, body: liar((r) => (r.query.get("page") === "1" ? [{ id: "a" }] : []), { total_count: 50 }) });
        assert.deepEqual(ids(await all(fx.client().pages<{ id: string }>(path, {}, { perPage: 1 }))), [["a"]]);
        assert.equal(fx.api.count(), 2);
      });

      it("stops at maxPages when new pages never end", async function () {
        fx.api.fail({ path, times: Infinity, body: liar((r) => [{ id: `p${r.query.get("page")}` }], { total_pages: 1e9 }) });
        const pages = await all(fx.client().pages<{ id: string }>(path, {}, { perPage: 1, maxPages: 5 }));
        assert.deepEqual(ids(pages), [["p1"], ["p2"], ["p3"], ["p4"], ["p5"]]);
        assert.equal(fx.api.count(), 5);
      });

      it("keeps going past a short page while total_pages says there is more", async function () {
        fx.api.fail({ path, times: Infinity, body: liar((r) => (r.query.get("page") === "3" ? [] : [{ id: `p${r.query.get("page")}` }]), { per_page: 1, total_pages: 3 }) });
        assert.deepEqual(ids(await all(fx.client().pages<{ id: string }>(path, {}, { perPage: 100 }))), [["p1"], ["p2"]]);
      });
    });

    describe("pages that change between calls", function () {
      const at = (minute: number) => `2025-06-02T10:${String(minute).padStart(2, "0")}:00Z`;
      const listOf = (n: number) => Array.from({ length: n }, (_, i) => ({ ray_id: `r${i}`, created_at: at(i) }));

      it("shift when records arrive at the head of an open-ended listing", async function () {
        const client = fx.client();
        const path = client.accountPath("/access/logs/access_requests");
        fx.api.seed.accessRequests(listOf(4));
        fx.api.onRequest({ path, when: (r) => r.query.get("page") === "2", run: () => fx.api.seed.accessRequests([{ ray_id: "new", created_at: at(30) }]) });
        const pages = await all(client.pages<{ ray_id: string }>(path, {}, { perPage: 2 }));
        assert.deepEqual(pages.map((p) => p.map((r) => r.ray_id)), [["r3", "r2"], ["r2", "r1"], ["r0"]]);
      });

      it("hold still when the window is closed with until", async function () {
        const client = fx.client();
        const path = client.accountPath("/access/logs/access_requests");
        fx.api.seed.accessRequests(listOf(4));
        fx.api.onRequest({ path, when: (r) => r.query.get("page") === "2", run: () => fx.api.seed.accessRequests([{ ray_id: "new", created_at: at(30) }]) });
        const pages = await all(client.pages<{ ray_id: string }>(path, { until: at(20) }, { perPage: 2 }));
        assert.deepEqual(pages.map((p) => p.map((r) => r.ray_id)), [["r3", "r2"], ["r1", "r0"]]);
      });
    });
  });

  describe("cursor-based", function () {
    it("follows result_info.cursor until it runs out", async function () {
      const client = fx.client();
      const path = client.accountPath("/devices/physical-devices");
      fx.api.seed.physicalDevices(numbered("d", 25));
      const pages = await all(client.cursorPages<{ id: string }>(path, {}, { perPage: 10 }));
      assert.deepEqual(pages.map((p) => p.length), [10, 10, 5]);
      assert.deepEqual(pages.flat().map((d) => d.id), numbered("d", 25).map((d) => d.id));
      const [first, ...rest] = fx.api.requests;
      assert.equal(first.query.has("cursor"), false);
      for (const r of rest) assert.ok(r.query.get("cursor"));
    });

    it("stops when the server hands out the same cursor again", async function () {
      const path = "/accounts/x/cursor-lies";
      fx.api.fail({
        path,
        times: Infinity,
        body: () => ({ success: true, errors: [], messages: [], result: [{ id: `n${fx.api.count(path)}` }], result_info: { cursor: "same" } }),
      });
      const pages = await all(fx.client().cursorPages<{ id: string }>(path));
      assert.deepEqual(ids(pages), [["n1"], ["n2"]]);
      assert.equal(fx.api.count(path), 2);
    });

    it("stops at an empty page, and at maxPages", async function () {
      const empty = "/accounts/x/empty";
      fx.api.fail({ path: empty, body: { success: true, errors: [], messages: [], result: [], result_info: { cursor: "more" } } });
      assert.deepEqual(await all(fx.client().cursorPages(empty)), []);
      const endless = "/accounts/x/endless";
      fx.api.fail({
        path: endless,
        times: Infinity,
        body: () => ({ success: true, errors: [], messages: [], result: [{ n: fx.api.count(endless) }], result_info: { cursor: `c${fx.api.count(endless)}` } }),
      });
      assert.equal((await all(fx.client().cursorPages(endless, {}, { maxPages: 4 }))).length, 4);
      assert.equal(fx.api.count(endless), 4);
    });
  });
});
