import assert from "node:assert/strict";
import { copyFile, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Enricher } from "../../../lib/intel/enricher";
import { parseLocalIntelConfig, type LocalIntelConfigInput } from "../../../lib/intel/local-config";
import { createLocalProviders, type LocalIntel } from "../../../lib/intel/local-providers";
import { until } from "../../helpers/wait";
import { FeedSite } from "../../stand-ins/feeds";
import { RecordingProvider } from "./recording-provider";

const FIXTURES = path.join(__dirname, "../../fixtures/intel");

describe("local intel settings", () => {
  const error = (input: LocalIntelConfigInput) => {
    const r = parseLocalIntelConfig(input);
    return r.ok ? "ok" : r.error;
  };

  it("defaults to nothing enabled and the documented feed URLs and intervals", () => {
    const r = parseLocalIntelConfig({});
    assert.ok(r.ok);
    assert.deepEqual(r.value, {
      tor: { enabled: false, url: "https://check.torproject.org/torbulkexitlist", intervalMs: 3_600_000 },
      drop: { enabled: false, urls: ["https://www.spamhaus.org/drop/drop_v4.json", "https://www.spamhaus.org/drop/drop_v6.json"], intervalMs: 43_200_000 },
      ownDomains: [],
      ownNetworks: [],
      rescanMs: 30_000,
      maxFileBytes: 67_108_864,
    });
  });

  it("normalizes own domains and networks, given as a list or as text", () => {
    const r = parseLocalIntelConfig({ iocDir: " /data/intel ", allowDir: "", ownDomains: "Acme.COM, Bücher.de\nexample.org.", ownNetworks: ["8.20.1.7/16", " 2a00:1450::1 "] });
    assert.ok(r.ok);
    assert.equal(r.value.iocDir, "/data/intel");
    assert.equal(r.value.allowDir, undefined);
    assert.deepEqual(r.value.ownDomains, ["acme.com", "xn--bcher-kva.de", "example.org"]);
    assert.deepEqual(r.value.ownNetworks, ["8.20.0.0/16", "2a00:1450::1"]);
  });

  it("names the field that is wrong", () => {
    const cases: Array<[LocalIntelConfigInput, string]> = [
      [{ tor: { enabled: true, intervalMs: 60_000 }, feedsDir: "/d" }, "tor.intervalMs must be at least 3600000 ms (an hour): the list's site asks for no more than one download an hour"],
      [{ drop: { intervalMs: 1000 } }, "drop.intervalMs must be at least 3600000 ms (an hour): the list's site asks for no more than one download an hour"],
      [{ drop: { intervalMs: "soon" } }, "drop.intervalMs must be a number of milliseconds"],
      [{ drop: { urls: ["https://www.spamhaus.org/drop/drop_v4.json", "ftp://mirror/drop.json"] } }, "drop.urls[1] must be an http(s) URL"],
      [{ drop: { urls: [] } }, "drop.urls must contain at least 1 items"],
      [{ tor: { url: "not a url" } }, "tor.url must be an http(s) URL"],
      [{ tor: { enabled: "yes please" } }, "tor.enabled must be a boolean"],
      [{ tor: { enabled: true } }, "feedsDir is required when the Tor or DROP list is enabled"],
      [{ ownDomains: ["acme.com", "not a domain"] }, "ownDomains[1] is not a domain name"],
      [{ ownDomains: "acme.com 10.0.0.1" }, "ownDomains[1] is not a domain name"],
      [{ ownNetworks: ["10.0.0.0/33"] }, "ownNetworks[0] is not an address or CIDR network"],
      [{ iocDir: 42 }, "iocDir must be a folder path"],
      [{ rescanMs: 5 }, "rescanMs must be greater than or equal to 1000"],
      ["nonsense" as never, "the intel settings must be an object"],
    ];
    for (const [input, message] of cases) assert.equal(error(input), message, JSON.stringify(input));
  });
});

describe("createLocalProviders", () => {
  let dir: string;
  let site: FeedSite;
  let intel: LocalIntel | undefined;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "ztna-local-intel-"));
    site = await new FeedSite().listen();
    site.serve("/torbulkexitlist", { body: await readFile(path.join(FIXTURES, "feeds/torbulkexitlist"), "utf8") });
    site.serve("/drop_v4.json", { body: await readFile(path.join(FIXTURES, "feeds/drop_v4.json"), "utf8") });
  });
  afterEach(async () => {
    await intel?.close();
    intel = undefined;
    await site.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("throws with the field named", () => {
    assert.throws(() => createLocalProviders({ tor: { enabled: true, intervalMs: 1 } }), { name: "TypeError", message: /^tor\.intervalMs must be at least/ });
  });

  it("with nothing configured there is nothing to ask", async () => {
    intel = createLocalProviders({});
    await intel.ready;
    assert.deepEqual(intel.providers, []);
  });

  it("builds the allowlist, IOC, Tor and DROP providers that enrich an alert offline", async () => {
    await mkdir(path.join(dir, "intel", "allow"), { recursive: true });
    await copyFile(path.join(FIXTURES, "ioc/bad-hosts.txt"), path.join(dir, "intel", "bad-hosts.txt"));
    await copyFile(path.join(FIXTURES, "allow/corp.txt"), path.join(dir, "intel", "allow", "corp.txt"));
    const feeds: string[] = [];
    const files: string[] = [];
    intel = createLocalProviders(
      {
        iocDir: path.join(dir, "intel"),
        allowDir: path.join(dir, "intel", "allow"),
        feedsDir: path.join(dir, "feeds"),
        tor: { enabled: true, url: `${site.url}/torbulkexitlist` },
        drop: { enabled: true, urls: [`${site.url}/drop_v4.json`] },
        ownDomains: "acme.com",
      },
      { onFeed: (r) => feeds.push(`${r.provider} ${r.outcome}`), onFiles: (p, changes) => files.push(...changes.map((c) => `${p} ${c.file} ${c.state}`)) },
    );
    assert.deepEqual(intel.providers.map((p) => p.name), ["allowlist", "ioc-files", "tor-exit", "spamhaus-drop"]);
    await intel.ready;
    await until(() => feeds.length === 2);
    assert.deepEqual(feeds.sort(), ["spamhaus-drop updated", "tor-exit updated"]);
    assert.deepEqual(files.sort(), ["allowlist corp.txt loaded", "ioc-files bad-hosts.txt loaded"]);

    const remote = new RecordingProvider({ name: "abuseipdb" });
    const enricher = new Enricher({ providers: [...intel.providers, remote], ownDomains: intel.ownDomains, ownNetworks: intel.ownNetworks });
    const got = await enricher.enrich({ evidence: { ip: ["45.9.148.3", "192.42.116.16", "185.220.101.34", "10.0.0.8"], domain: ["evil-login.example.net", "mail.acme.com"] } });
    assert.deepEqual(
      got.indicators.map((i) => `${i.indicator}: ${i.verdict} — ${i.reasons[0]}`),
      [
        "45.9.148.3: malicious — spamhaus-drop: malicious (100) — Spamhaus DROP 45.9.148.0/24 (SBL589104)",
        "192.42.116.16: suspicious — tor-exit: suspicious (50) — Tor exit node (list under a minute old)",
        "185.220.101.34: benign — allowlist: corp.txt line 4",
        "10.0.0.8: benign — allowlist: corp.txt line 2",
        "evil-login.example.net: malicious — ioc-files: malicious (100) — bad-hosts.txt line 3",
        "mail.acme.com: unknown — allowlist: not found",
      ],
    );
    assert.deepEqual(remote.values(), ["45.9.148.3", "192.42.116.16", "evil-login.example.net"]);
    assert.equal(got.verdict, "malicious");
  });
});
