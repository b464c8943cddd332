import assert from "node:assert/strict";
import { INTEL_AREAS, startIntelApi, type IntelApiStandIn } from "../intel-api";

/** The providers are tested against this stand-in, so its own routing, faults and log are tested too. */
describe("threat-intel API stand-in", function () {
  let api: IntelApiStandIn;
  before(async () => {
    api = await startIntelApi({ latencyMs: 0 });
  });
  afterEach(() => api.reset());
  after(() => api.close());

  const get = async (url: string, headers: Record<string, string> = {}) => {
    const res = await fetch(url, { headers });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it("serves each provider below its own prefix and API root, and nothing else", async function () {
    for (const name of INTEL_AREAS) assert.ok(api.baseUrl(name).startsWith(`${api.url}/${name}`), name);
    assert.equal((await fetch(`${api.url}/shodan/1.2.3.4`)).status, 404);
    assert.equal((await fetch(`${api.url}/abuseipdb/check?ipAddress=1.2.3.4`)).status, 404);
    assert.equal(api.requests.length, 0);
  });

  it("logs each request per provider with whether its key matched, never the key itself", async function () {
    const key = api.key("virustotal");
    await get(`${api.baseUrl("virustotal")}/domains/example.com`, { "x-apikey": key });
    await get(`${api.baseUrl("virustotal")}/domains/example.com`, { "x-apikey": "nope" });
    await get(`${api.baseUrl("virustotal")}/domains/example.com`);
    await get(`${api.baseUrl("internetdb")}/192.0.2.1`);
    assert.deepEqual(api.requestsTo("virustotal").map((r) => r.auth), ["ok", "wrong", "missing"]);
    assert.equal(api.count("internetdb", "/192.0.2.1"), 1);
    assert.ok(!JSON.stringify(api.requests.map((r) => r.headers)).includes(key));
  });

  it("answers a wrong key the provider's way", async function () {
    const vt = await get(`${api.baseUrl("virustotal")}/domains/example.com`, { "x-apikey": "nope" });
    assert.deepEqual(vt, { status: 401, body: { error: { code: "WrongCredentialsError", message: "Wrong API key" } } });
    const urlhaus = await fetch(`${api.baseUrl("urlhaus")}/url/`, { method: "POST", body: new URLSearchParams({ url: "http://a.example/" }), headers: { "auth-key": "nope" } });
    assert.deepEqual([urlhaus.status, await urlhaus.json()], [401, { query_status: "unknown_auth_key" }]);
  });

  it("applies a fault only to the provider and requests it names, as many times as it says", async function () {
    api.fail({ provider: "greynoise", status: 500, times: 2 });
    const key = { key: api.key("greynoise") };
    const ask = async (name: "greynoise" | "internetdb", path: string) => (await fetch(`${api.baseUrl(name)}${path}`, { headers: key })).status;
    assert.equal(await ask("internetdb", "/192.0.2.1"), 404);
    assert.deepEqual([await ask("greynoise", "/v3/community/192.0.2.1"), await ask("greynoise", "/v3/community/192.0.2.1"), await ask("greynoise", "/v3/community/192.0.2.1")], [500, 500, 404]);
  });

  it("adds its latency to every answer, and forgets it, the data and the log on reset", async function () {
    api.internetdb.seed([{ ip: "192.0.2.9", ports: [22] }]);
    api.latencyMs = 80;
    const started = performance.now();
    assert.equal((await get(`${api.baseUrl("internetdb")}/192.0.2.9`)).status, 200);
    assert.ok(performance.now() - started >= 75);
    api.reset();
    assert.deepEqual([api.latencyMs, api.requests.length, (await get(`${api.baseUrl("internetdb")}/192.0.2.9`)).status], [0, 0, 404]);
  });
});
