import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { inspect } from "node:util";
import detectNode from "../../nodes/ztna-detect/ztna-detect";
import enrichNode from "../../nodes/ztna-enrich/ztna-enrich";
import intelNode from "../../nodes/ztna-intel/ztna-intel";
import { helper, logged, startRuntime, stopRuntime } from "../helpers/node-red";
import { until } from "../helpers/wait";
import { INTEL_KEYS, startIntelApi, type IntelApiStandIn } from "../stand-ins/intel-api";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Msg = any;

const intelAndEnrich = [intelNode, enrichNode];

const SCENARIO = path.join(__dirname, "..", "fixtures", "scenarios", "investigation");
/** Public, so it may go to online providers (the scenario's own addresses are documentation ones). */
const PUBLIC_IP = "45.155.205.233";

function smbRecord(destination: string) {
  return {
    Action: "block",
    Datetime: "2025-06-12T09:35:00Z",
    Email: "jane@example.com",
    DeviceID: "dev-jane",
    DeviceName: "JANE-LAPTOP",
    SourceIP: "203.0.113.10",
    SourceInternalIP: "100.96.0.12",
    DestinationIP: destination,
    DestinationPort: 445,
    TransportProtocol: "tcp",
  };
}

describe("ztna-enrich", function () {
  let api: IntelApiStandIn;
  let dataDir: string;
  let userDir: string;

  before(async () => {
    api = await startIntelApi();
  });
  after(() => api.close());
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "ztna-enrich-"));
    userDir = path.join(dataDir, "userdir");
    await mkdir(path.join(dataDir, "intel", "allow"), { recursive: true });
    await writeFile(path.join(dataDir, "intel", "iocs.txt"), await readFile(path.join(SCENARIO, "intel", "iocs.txt")));
    await writeFile(path.join(dataDir, "intel", "allow", "corp.txt"), await readFile(path.join(SCENARIO, "intel", "allow", "corp.txt")));
    await startRuntime(userDir);
  });
  afterEach(async () => {
    await stopRuntime();
    api.reset();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** detect → enrich → out: alerts made by the real detection engine. */
  async function pipeline(intel: Record<string, unknown>, enrich: Record<string, unknown> = {}, credentials: Record<string, string> = {}) {
    const flow = [
      { id: "tab", type: "tab" },
      { id: "detect", z: "tab", type: "ztna-detect", wires: [["enrich"], []] },
      { id: "enrich", z: "tab", type: "ztna-enrich", intel: "intel", timeout: 2, ...enrich, wires: [["out"]] },
      { id: "out", z: "tab", type: "helper" },
      { id: "intel", type: "ztna-intel", iocDir: path.join(dataDir, "intel"), allowDir: path.join(dataDir, "intel", "allow"), tor: false, drop: false, ...intel },
    ];
    await helper.load([intelNode, detectNode, enrichNode], flow as Msg, { intel: credentials });
    const out: Msg[] = [];
    helper.getNode("out").on("input", (m: Msg) => out.push(m));
    return { out, detect: helper.getNode("detect") as Msg, enrich: helper.getNode("enrich") as Msg };
  }

  it("marks an alert malicious from the user's own IOC file, naming the file", async () => {
    const { out, detect } = await pipeline({});
    // The IOC folder is read in the background: let it load before the alert comes.
    await new Promise((r) => setTimeout(r, 200));
    detect.receive({ topic: "gateway_network", payload: [smbRecord("192.0.2.55")] });
    await until(() => out.length === 1);
    const e = out[0].payload.enrichment;
    assert.equal(out[0].payload.rule.id, "ztna-net-outbound-remote-admin-protocol");
    assert.equal(e.verdict, "malicious");
    const ip = e.indicators.find((i: Msg) => i.indicator === "192.0.2.55");
    assert.equal(ip.verdict, "malicious");
    assert.ok(e.reasons.some((r: string) => r.includes("iocs.txt")), inspect(e.reasons));
  });

  it("asks an online provider with the key from its credentials, and the key appears nowhere in the alert", async () => {
    api.abuseipdb.seed([{ ipAddress: PUBLIC_IP, abuseConfidenceScore: 100, totalReports: 312 }]);
    const { out, detect } = await pipeline({ abuseipdb: true, endpoints: { abuseipdb: api.baseUrl("abuseipdb") } }, {}, { abuseipdbKey: INTEL_KEYS.abuseipdb });
    detect.receive({ topic: "gateway_network", payload: [smbRecord(PUBLIC_IP)] });
    await until(() => out.length === 1);
    const ip = out[0].payload.enrichment.indicators.find((i: Msg) => i.indicator === PUBLIC_IP);
    const abuse = ip.results.find((r: Msg) => r.provider === "abuseipdb");
    assert.equal(abuse.status, "ok");
    assert.equal(abuse.verdict, "malicious");
    assert.equal(api.count("abuseipdb"), 1);
    assert.ok(!JSON.stringify(out[0]).includes(INTEL_KEYS.abuseipdb));
    // Private and documentation addresses of the same alert never reached the provider.
    for (const r of api.requestsTo("abuseipdb")) assert.ok(!/100\.96\.|203\.0\.113\./.test(`${r.path}?${r.search}`), r.search);
  });

  it("sends the alert on within its timeout when a provider hangs, recording the timeout", async () => {
    api.fail({ provider: "abuseipdb", delayMs: 10_000, times: Infinity });
    const { out, detect } = await pipeline({ abuseipdb: true, endpoints: { abuseipdb: api.baseUrl("abuseipdb") } }, { timeout: 0.3 }, { abuseipdbKey: INTEL_KEYS.abuseipdb });
    const started = Date.now();
    detect.receive({ topic: "gateway_network", payload: [smbRecord(PUBLIC_IP)] });
    await until(() => out.length === 1, 3000);
    assert.ok(Date.now() - started < 2000, "the alert waited past its timeout");
    const e = out[0].payload.enrichment;
    assert.equal(e.partial, true);
    const abuse = e.indicators.find((i: Msg) => i.indicator === PUBLIC_IP).results.find((r: Msg) => r.provider === "abuseipdb");
    assert.equal(abuse.status, "error");
    assert.equal(abuse.reason, "timeout");
  });

  it("says a provider switched on without a key is skipped, and asks it nothing", async () => {
    const { out, detect } = await pipeline({ virustotal: true, endpoints: { virustotal: api.baseUrl("virustotal") } });
    detect.receive({ topic: "gateway_network", payload: [smbRecord(PUBLIC_IP)] });
    await until(() => out.length === 1);
    const ip = out[0].payload.enrichment.indicators.find((i: Msg) => i.indicator === PUBLIC_IP);
    const vt = ip.results.find((r: Msg) => r.provider === "virustotal");
    assert.equal(vt.status, "skipped", inspect(vt));
    assert.equal(vt.reason, "no_key");
    assert.equal(api.count("virustotal"), 0);
  });

  it("passes a message that is not an alert on untouched, with a warning", async () => {
    const { out, enrich } = await pipeline({});
    enrich.receive({ payload: "hello" });
    await until(() => out.length === 1);
    assert.equal(out[0].payload, "hello");
    assert.ok(logged("WARN").some((w) => w.includes("not alerts")), inspect(logged("WARN")));
  });

  it("refuses a configuration with a bad own domain, saying which field", async () => {
    await helper.load(intelAndEnrich, [
      { id: "tab", type: "tab" },
      { id: "enrich", z: "tab", type: "ztna-enrich", intel: "intel", wires: [[]] },
      { id: "intel", type: "ztna-intel", iocDir: "", allowDir: "", tor: false, drop: false, ownDomains: "not a domain!" },
    ] as Msg);
    assert.ok(logged("ERROR").some((m) => /ownDomains/.test(m) && /not a domain name/.test(m)), inspect(logged("ERROR")));
  });

  it("refuses a wait outside 0.1 to 600 seconds", async () => {
    await helper.load(intelAndEnrich, [
      { id: "tab", type: "tab" },
      { id: "enrich", z: "tab", type: "ztna-enrich", intel: "intel", timeout: "-1", wires: [[]] },
      { id: "intel", type: "ztna-intel", iocDir: "", allowDir: "", tor: false, drop: false },
    ] as Msg);
    assert.ok(logged("ERROR").some((m) => /wait at most/.test(m)), inspect(logged("ERROR")));
  });
});
