import assert from "node:assert/strict";
import path from "node:path";
import { intelConfigOf } from "../../../lib/intel/intel-config";

describe("intelConfigOf (the ztna-intel node's settings)", () => {
  const saved = process.env.ZTNA_DATA_DIR;
  beforeEach(() => {
    process.env.ZTNA_DATA_DIR = "/srv/ztna";
  });
  after(() => {
    if (saved === undefined) delete process.env.ZTNA_DATA_DIR;
    else process.env.ZTNA_DATA_DIR = saved;
  });

  it("reads ${ZTNA_DATA_DIR} inside folder paths and leaves empty folders out", () => {
    const r = intelConfigOf({ iocDir: "${ZTNA_DATA_DIR}/intel", allowDir: "", feedsDir: "${ZTNA_DATA_DIR}/intel/feeds", tor: true, drop: "true" }, {}, null);
    assert.ok(r.ok);
    assert.equal(r.value.local.iocDir, path.resolve("/srv/ztna/intel"));
    assert.equal(r.value.local.allowDir, undefined);
    assert.equal(r.value.local.feedsDir, path.resolve("/srv/ztna/intel/feeds"));
    assert.deepEqual([r.value.local.tor, r.value.local.drop], [{ enabled: true }, { enabled: true }]);
  });

  it("refuses a folder naming an unset variable, and one that is not text", () => {
    assert.deepEqual(intelConfigOf({ iocDir: "${NOT_SET_ANYWHERE_1}/intel" }, {}, null), { ok: false, error: "IOC folder refers to environment variable NOT_SET_ANYWHERE_1, which is not set" });
    assert.deepEqual(intelConfigOf({ allowDir: 42 }, {}, null), { ok: false, error: "allowlist folder must be a folder path" });
  });

  it("gives each switched-on provider its key, abuse.ch's one key to both URLhaus and ThreatFox, and no provider that is off", () => {
    const r = intelConfigOf({ abuseipdb: true, urlhaus: true, threatfox: true, virustotal: false, internetdb: true }, { abuseipdbKey: "k1", abusechKey: "k2", virustotalKey: "k3" }, null);
    assert.ok(r.ok);
    assert.deepEqual(Object.keys(r.value.remote).sort(), ["abuseipdb", "internetdb", "threatfox", "urlhaus"]);
    assert.equal(r.value.remote.abuseipdb?.key, "k1");
    assert.equal(r.value.remote.urlhaus?.key, "k2");
    assert.equal(r.value.remote.threatfox?.key, "k2");
  });

  it("hands Cloudflare Intel the account's token and id, or nothing when there is no account", () => {
    const account = { accountId: "023e105f4ecef8ad9ca31a8372d0c353", token: "tok", baseUrl: "http://127.0.0.1:9/client/v4" };
    const withAccount = intelConfigOf({ cloudflare: true }, {}, account);
    assert.ok(withAccount.ok);
    assert.deepEqual(withAccount.value.remote.cloudflare, { enabled: true, key: "tok", accountId: account.accountId, baseUrl: account.baseUrl });
    const without = intelConfigOf({ cloudflare: true }, {}, null);
    assert.ok(without.ok);
    assert.equal(without.value.remote.cloudflare?.key, "");
  });

  it("takes other API roots from endpoints, refusing anything but an object of known providers", () => {
    const r = intelConfigOf({ otx: true, endpoints: { otx: "https://mirror.example/otx/api/v1" } }, { otxKey: "k" }, null);
    assert.ok(r.ok);
    assert.equal(r.value.remote.otx?.baseUrl, "https://mirror.example/otx/api/v1");
    assert.deepEqual(intelConfigOf({ endpoints: ["x"] }, {}, null), { ok: false, error: "endpoints must be an object of provider names to API roots" });
    assert.deepEqual(intelConfigOf({ endpoints: { "__proto__x": "u" } }, {}, null), { ok: false, error: "endpoints.__proto__x is not a provider" });
  });
});
