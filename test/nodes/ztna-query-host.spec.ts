import assert from "node:assert/strict";
import { helper } from "../helpers/node-red";
import { until } from "../helpers/wait";
import { LAPTOP, LAPTOP_ID, payloadAlert } from "../lib/investigate/scenario";
import { useQueryRuntime } from "./ztna-query-harness";

const QUERY = { id: "q", type: "ztna-query-host", store: "store", account: "acct", valueType: "alert", value: "", before: 60, after: 15, cap: 50, timeout: 5, wires: [["out"]] };

describe("ztna-query-host", function () {
  const rt = useQueryRuntime();

  it("adds the alert's device with its posture and enrolments, beside an investigation already there", async () => {
    const got = await rt.load([QUERY]);
    const alert = { ...payloadAlert(), investigation: { ip: { kept: true } } };
    helper.getNode("q").receive({ payload: alert });
    await until(() => got.out.length === 1);
    const { investigation } = got.out[0].payload;
    assert.deepEqual(investigation.ip, { kept: true });
    const host = investigation.host;
    assert.equal(host.value, LAPTOP);
    assert.equal(host.summary.device.id, LAPTOP_ID);
    assert.deepEqual(host.summary.device.registrations.map((r: { user: string }) => r.user), ["jane.doe@example.com", "previous.owner@example.com"]);
    assert.deepEqual(host.summary.posture.map((p: { check: string; outcome: string }) => `${p.check} ${p.outcome}`), ["Firewall success", "OS Version success"]);
    await until(() => got.statuses().some((s) => s.fill === "green"));
    assert.match(got.statuses().at(-1).text, /^\d+ events · store ok · api ok$/);
  });

  it("shows yellow when the API answers only in part", async () => {
    rt.api.fail({ path: /\/devices\/registrations$/, status: 404, times: Infinity });
    const got = await rt.load([{ ...QUERY, valueType: "str", value: LAPTOP }]);
    helper.getNode("q").receive({ payload: payloadAlert() });
    await until(() => got.out.length === 1);
    assert.equal(got.out[0].payload.investigation.host.backends.api.state, "partial");
    await until(() => got.statuses().some((s) => s.fill === "yellow"));
    assert.match(got.statuses().at(-1).text, /store ok · api partial$/);
  });
});
