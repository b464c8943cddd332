import assert from "node:assert/strict";
import { copyFile, mkdtemp, readdir, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { problemText } from "../../../lib/intel/ioc/ioc-entry";
import type { FileReport } from "../../../lib/intel/ioc/ioc-folder";
import { IocFileProvider, type IocProviderOptions } from "../../../lib/intel/ioc/ioc-provider";
import type { IndicatorType } from "../../../lib/intel/types";
import { until } from "../../helpers/wait";

const FIXTURES = path.join(__dirname, "../../fixtures/intel");
const never = new AbortController().signal;

describe("IOC folders", () => {
  let dir: string;
  const open: IocFileProvider[] = [];
  let reports: FileReport[][];

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "ztna-ioc-"));
    reports = [];
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((p) => p.close()));
    await rm(dir, { recursive: true, force: true });
  });

  const provider = async (opts: Partial<IocProviderOptions> = {}) => {
    const p = new IocFileProvider({ dir, settleMs: 20, rescanMs: 60_000, onReport: (r) => reports.push(r), ...opts });
    open.push(p);
    await p.ready;
    return p;
  };
  const verdictOf = async (p: IocFileProvider, value: string, type: IndicatorType = "ipv4") => {
    const r = await p.lookup({ type, value }, never);
    return r.status === "ok" ? `${r.verdict} ${r.detail}` : r.status;
  };

  it("loads every file at start and answers with file and line", async () => {
    for (const f of ["bad-hosts.txt", "campaign.csv", "campaign-x.json"]) await copyFile(path.join(FIXTURES, "ioc", f), path.join(dir, f));
    await writeFile(path.join(dir, ".hidden.txt"), "1.1.1.1\n");
    await writeFile(path.join(dir, "bad-hosts.txt~"), "1.1.1.1\n");
    const p = await provider();
    assert.equal(await verdictOf(p, "185.100.87.202"), "malicious campaign.csv line 3 (C2 server, Cobalt Strike)");
    assert.equal(await verdictOf(p, "80.66.88.10"), "malicious campaign-x.json object 1 (Campaign X C2)");
    assert.equal(await verdictOf(p, "maybe-bad.example.org", "domain"), "suspicious campaign-x.json object 11");
    assert.equal(await verdictOf(p, "1.1.1.1"), "not_found");
    const health = p.health();
    assert.equal(health.state, "ok");
    assert.equal(health.detail, "24 IOCs from 3 files, 14 problems");
    assert.equal(health.lookups, 4);
    assert.ok(p.problems().map(problemText).includes("bad-hosts.txt line 9: not an IP address, domain, URL, email or hash"));
    assert.deepEqual(reports[0].map((r) => `${r.file} ${r.state} ${r.entries}`), ["bad-hosts.txt loaded 8", "campaign-x.json loaded 11", "campaign.csv loaded 5"]);
  });

  it("creates a missing folder and starts empty", async () => {
    const p = await provider({ dir: path.join(dir, "intel", "ioc") });
    assert.deepEqual(await readdir(path.join(dir, "intel")), ["ioc"]);
    assert.equal(p.health().detail, "0 IOCs from 0 files");
    assert.equal(await verdictOf(p, "8.8.8.8"), "not_found");
  });

  it("a folder that cannot be made or read leaves the provider degraded, not broken", async () => {
    await writeFile(path.join(dir, "file"), "x");
    const p = await provider({ dir: path.join(dir, "file", "ioc") });
    assert.equal(p.health().state, "degraded");
    assert.match(String(p.health().detail), /^0 IOCs from 0 files; cannot read .*file\/ioc \(ENOTDIR\)$/);
    assert.equal(await verdictOf(p, "8.8.8.8"), "not_found");
  });

  it("reloads a file when it changes, picks up new files and forgets removed ones", async () => {
    await writeFile(path.join(dir, "a.txt"), "45.9.148.3\n");
    const p = await provider();
    assert.equal(await verdictOf(p, "45.9.148.3"), "malicious a.txt line 1");
    await writeFile(path.join(dir, "a.txt"), "# moved\n45.9.148.99\n");
    await until(() => p.health().detail === "1 IOCs from 1 file" && reports.length >= 2, 3000);
    assert.equal(await verdictOf(p, "45.9.148.3"), "not_found");
    assert.equal(await verdictOf(p, "45.9.148.99"), "malicious a.txt line 2");
    await writeFile(path.join(dir, "b.csv"), "value,verdict\nevil.example.net,suspicious\n");
    await until(() => p.health().detail === "2 IOCs from 2 files", 3000);
    assert.equal(await verdictOf(p, "evil.example.net", "domain"), "suspicious b.csv line 2");
    await rm(path.join(dir, "a.txt"));
    await until(() => p.health().detail === "1 IOCs from 1 file", 3000);
    assert.equal(await verdictOf(p, "45.9.148.99"), "not_found");
    assert.deepEqual(reports.at(-1), [{ file: "a.txt", state: "removed", entries: 1, problems: [] }]);
  });

  it("notices changes by the periodic re-check when no notification comes", async () => {
    // Notifications wait a minute to settle: only the re-check can see the change in time.
    const p = await provider({ settleMs: 60_000, rescanMs: 40 });
    const tmp = path.join(dir, "incoming.part");
    await writeFile(tmp, "45.9.148.3\n");
    await rename(tmp, path.join(dir, "feed.txt"));
    await until(() => p.health().detail === "1 IOCs from 1 file", 3000);
    assert.equal(await verdictOf(p, "45.9.148.3"), "malicious feed.txt line 1");
  });

  it("keeps a file's last good entries when its new version is broken, and takes the next good one", async () => {
    const file = path.join(dir, "intel.json");
    await copyFile(path.join(FIXTURES, "ioc", "campaign-x.json"), file);
    const p = await provider();
    assert.equal(await verdictOf(p, "91.92.109.7"), "malicious intel.json object 1 (Campaign X C2)");

    await writeFile(file, '{"type":"bundle","objects":[{"type":"indicator", "pattern": "[ipv4-addr:value = ');
    await until(() => p.health().state === "degraded", 3000);
    assert.equal(await verdictOf(p, "91.92.109.7"), "malicious intel.json object 1 (Campaign X C2)");
    assert.match(String(p.health().detail), /^11 IOCs from 1 file, 1 problem; intel\.json unusable, last good kept$/);
    assert.match(problemText(p.problems()[0]), /^intel\.json: not JSON \(/);
    assert.equal(reports.at(-1)?.[0].state, "kept_last_good");

    // Every entry bad is as broken as unreadable.
    await writeFile(file, JSON.stringify({ type: "bundle", objects: [{ type: "indicator", pattern_type: "stix", pattern: "[x:y = 'z']" }] }));
    await until(() => p.problems().length === 2, 3000);
    assert.equal(await verdictOf(p, "91.92.109.7"), "malicious intel.json object 1 (Campaign X C2)");
    assert.deepEqual(p.problems().map(problemText), ["intel.json object 0: pattern: object path x:y is not supported", "intel.json: not one usable entry"]);

    // Some bad entries among good ones: the new version counts, the bad entries are reported.
    await writeFile(file, JSON.stringify({ type: "bundle", objects: [{ type: "indicator", pattern_type: "stix", pattern: "[ipv4-addr:value = '45.9.148.3']" }, { type: "indicator", pattern_type: "stix", pattern: "[x:y = 'z']" }] }));
    await until(() => p.health().state === "ok", 3000);
    assert.equal(await verdictOf(p, "91.92.109.7"), "not_found");
    assert.equal(await verdictOf(p, "45.9.148.3"), "malicious intel.json object 0");
    assert.equal(p.health().detail, "1 IOCs from 1 file, 1 problem");
  });

  it("refuses files over the size limit and IOCs over the count limit, saying so", async () => {
    await writeFile(path.join(dir, "a.txt"), "45.9.148.1\n45.9.148.2\n45.9.148.3\n");
    await writeFile(path.join(dir, "b.txt"), `${"45.9.149.1\n".repeat(10)}`);
    const p = await provider({ maxFileBytes: 60, maxEntries: 2 });
    assert.deepEqual(p.problems().map(problemText), ["a.txt line 3: over the limit of 2 IOCs in the folder; 1 not loaded", "b.txt: 110 bytes, over the limit of 60"]);
    assert.equal(await verdictOf(p, "45.9.148.2"), "malicious a.txt line 2");
    assert.equal(await verdictOf(p, "45.9.148.3"), "not_found");
    assert.equal(p.health().state, "degraded");
  });

  it("an allowlist folder answers benign with file and line", async () => {
    await copyFile(path.join(FIXTURES, "allow", "corp.txt"), path.join(dir, "corp.txt"));
    const p = await provider({ allowlist: true });
    assert.equal(p.name, "allowlist");
    assert.equal(await verdictOf(p, "10.20.30.40"), "benign corp.txt line 2");
    assert.equal(await verdictOf(p, "x.y.cdn.acme-partner.net", "domain"), "benign corp.txt line 5");
  });

  it("answers not_loaded when the first read cannot finish before the caller's deadline", async () => {
    const p = new IocFileProvider({ dir, rescanMs: 60_000 });
    open.push(p);
    const aborted = AbortSignal.abort();
    const r = await p.lookup({ type: "ipv4", value: "45.9.148.3" }, aborted);
    assert.deepEqual([r.status, r.reason], ["skipped", "not_loaded"]);
  });
});
