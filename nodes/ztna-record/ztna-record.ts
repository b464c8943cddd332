import type { Node, NodeAPI, NodeDef, NodeMessage } from "node-red";
import { compactCount, RateMeter } from "../../lib/ingest/rate-meter";
import type { NormalizedEvent } from "../../lib/schema/event";
import type { AppendResult } from "../../lib/store/event-store";
import { StoreError } from "../../lib/store/store-error";
import { refuseConfig } from "../shared/refuse-config";
import { storeFor } from "../ztna-store/ztna-store";

interface RecordDef extends NodeDef {
  store?: string;
  passOn?: boolean;
}

const STATUS_EVERY_MS = 1000;
/** How often the stored total is read from the store; between reads it is counted here. */
const STATS_EVERY_MS = 10_000;
/** Refused events of a batch named in the warning; the rest are counted. */
const REJECTIONS_REPORTED = 3;

export default function (RED: NodeAPI) {
  function RecordNode(this: Node, def: RecordDef) {
    RED.nodes.createNode(this, def);
    const node = this;
    const ref = storeFor(RED, def.store);
    if (ref.store === null) return refuseConfig(node, ref.problem);
    const store = ref.store;
    const passOn = def.passOn === true;

    const rate = new RateMeter();
    let stored: number | null = null;
    let writtenSinceStats = 0;
    let failure: string | null = null;
    let shown = "";
    const refreshStats = () =>
      store.stats().then(
        (s) => {
          stored = s.events;
          writtenSinceStats = 0;
        },
        (err: Error) => {
          failure = err instanceof StoreError ? err.short : "store error";
        },
      );
    const showStatus = () => {
      if (failure) {
        if (shown !== failure) node.status({ fill: "red", shape: "ring", text: failure });
        shown = failure;
        return;
      }
      const perSecond = rate.perSecond();
      const head = perSecond > 0 ? `${compactCount(perSecond)} ev/s` : "idle";
      const text = stored === null ? head : `${head} · ${compactCount(stored + writtenSinceStats)} stored`;
      if (text === shown) return;
      shown = text;
      node.status({ fill: "green", shape: perSecond > 0 ? "dot" : "ring", text });
    };
    const statusTimer = setInterval(showStatus, STATUS_EVERY_MS);
    const statsTimer = setInterval(() => void refreshStats(), STATS_EVERY_MS);
    statusTimer.unref();
    statsTimer.unref();

    node.on("input", (msg, send, done) => {
      const payload = msg.payload;
      const events = Array.isArray(payload) ? payload : typeof payload === "object" && payload !== null ? [payload] : null;
      if (!events) {
        done(new Error("msg.payload must be a normalized event or an array of them (output 2 of ztna-detect)"));
        return;
      }
      store.append(events as NormalizedEvent[]).then(
        (result) => {
          failure = null;
          rate.add(result.written);
          writtenSinceStats += result.written;
          reportRejections(result, events.length);
          // The store opens on first use: its total is read once it is open, then on the timer.
          if (stored === null) void refreshStats().then(showStatus);
          showStatus();
          if (passOn) send({ ...msg, record: result } as NodeMessage);
          done();
        },
        (err: Error) => {
          failure = err instanceof StoreError ? err.short : "store error";
          showStatus();
          done(err);
        },
      );
    });

    function reportRejections(result: AppendResult, total: number): void {
      if (result.rejected.length === 0) return;
      const named = result.rejected
        .slice(0, REJECTIONS_REPORTED)
        .map((r) => `#${r.index}: ${r.reason}`)
        .join("; ");
      const more = result.rejected.length > REJECTIONS_REPORTED ? `; and ${result.rejected.length - REJECTIONS_REPORTED} more` : "";
      node.warn(`${result.rejected.length} of ${total} events not recorded: ${named}${more}`);
    }

    node.on("close", (_removed: boolean, done: () => void) => {
      clearInterval(statusTimer);
      clearInterval(statsTimer);
      node.status({});
      done();
    });
  }

  RED.nodes.registerType("ztna-record", RecordNode);
}
