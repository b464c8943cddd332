import os from "node:os";
import path from "node:path";
import type { Node, NodeAPI, NodeDef } from "node-red";
import { awaitsEnvironment } from "../../lib/cloudflare";
import { compactCount } from "../../lib/ingest/rate-meter";
import { FileCheckpointStore } from "../../lib/poll/checkpoint-store";
import { parsePollConfig, type PollConfigInput } from "../../lib/poll/poll-config";
import { PollSchedule } from "../../lib/poll/poll-schedule";
import { Poller } from "../../lib/poll/poller";
import { refuseConfig } from "../shared/refuse-config";
import { accountFor } from "../ztna-account/ztna-account";

interface PollDef extends NodeDef, PollConfigInput {
  account?: string;
}

const MAX_SEEN = 100_000;
const MAX_BACKOFF_MS = 60 * 60_000;
/** Lets the flow finish starting before the first poll. */
const FIRST_POLL_DELAY_MS = 1000;

export default function (RED: NodeAPI) {
  function PollNode(this: Node, def: PollDef) {
    RED.nodes.createNode(this, def);
    const node = this;
    const parsed = parsePollConfig(def);
    if (!parsed.ok) return refuseConfig(node, `invalid configuration: ${parsed.error}`);
    const cfg = parsed.value;
    const account = accountFor(RED, def.account);
    if (!account.client) {
      // An account left to environment variables that are not set is a flow waiting for its
      // credentials (the default flow on a fresh machine), not a fault: grey, and one warning.
      if (awaitsEnvironment(account.problem)) {
        node.status({ fill: "grey", shape: "ring", text: `off: ${account.problem}` });
        node.warn(`not polling: ${account.problem}`);
        return;
      }
      return refuseConfig(node, account.problem);
    }
    const userDir = (RED.settings as { userDir?: string }).userDir || os.tmpdir();
    const poller = new Poller({
      key: `poll-${node.id}`,
      source: cfg.source,
      api: account.client,
      store: new FileCheckpointStore(path.join(userDir, "ztna", "checkpoints")),
      lookbackMs: cfg.lookbackMs,
      overlapMs: cfg.overlapMs,
      batchSize: cfg.batchSize,
      maxSeen: MAX_SEEN,
      emit: (records, batch) => node.send({ payload: records, topic: cfg.source.dataset, batch } as never),
    });

    const clock = (ms: number) => new Date(ms).toISOString().slice(11, 16);
    const schedule = new PollSchedule({ intervalMs: cfg.intervalMs, maxBackoffMs: MAX_BACKOFF_MS, initialDelayMs: FIRST_POLL_DELAY_MS }, async () => {
      node.status({ fill: "blue", shape: "dot", text: `polling ${cfg.source.dataset}…` });
      try {
        const summary = await poller.runOnce();
        if (summary.warning) node.warn(summary.warning);
        node.status({
          fill: "green",
          shape: "dot",
          text: `${clock(Date.parse(summary.until))} · ${compactCount(summary.emitted)} new${summary.duplicates ? ` · ${summary.duplicates} dup` : ""}`,
        });
        return "ok";
      } catch (err) {
        const message = (err as Error).message;
        node.error(new Error(`${cfg.source.dataset} poll failed: ${message}`), { topic: cfg.source.dataset, payload: null } as never);
        const retryIn = Math.ceil(schedule.backoffFor(schedule.failures + 1) / 60_000);
        node.status({ fill: "red", shape: "ring", text: `${message.slice(0, 60)} · retry in ${retryIn}m` });
        return "failed";
      }
    });
    schedule.start();

    node.on("input", (_msg, _send, done) => {
      if (schedule.trigger() === "ignored") node.warn("a poll is already queued; this request adds nothing");
      done();
    });
    node.on("close", (_removed: boolean, done: () => void) => {
      schedule.stop().then(() => {
        node.status({});
        done();
      });
    });
  }

  RED.nodes.registerType("ztna-poll", PollNode);
}
