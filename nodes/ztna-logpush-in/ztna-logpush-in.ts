import type { IncomingMessage, ServerResponse } from "node:http";
import type { Node, NodeAPI, NodeDef } from "node-red";
import { InflightLedger } from "../../lib/ingest/inflight-ledger";
import {
  DEFAULT_INFLIGHT_TIMEOUT_MS,
  DEFAULT_REPLAY_MAX_ENTRIES,
  DEFAULT_REPLAY_WINDOW_MS,
} from "../../lib/ingest/limits";
import { DEFAULT_RECEIVER_OPTIONS, LogpushReceiver, type ReceiverSink } from "../../lib/ingest/logpush-receiver";
import { compactCount, RateMeter } from "../../lib/ingest/rate-meter";
import { ReplayGuard } from "../../lib/ingest/replay-guard";
import { parseWebhookConfig, type WebhookConfigInput, type WebhookSettings } from "../../lib/ingest/webhook-config";
import { addPostRoutes, type HttpApp } from "../shared/http-routes";
import { refuseConfig } from "../shared/refuse-config";
import { guardRawBodies, type AdminApp } from "../shared/raw-body-guard";
import { attachRuntimeTracking, type RuntimeHooks } from "./runtime-tracking";

interface LogpushInDef extends NodeDef, WebhookConfigInput {}
interface Credentials {
  secret?: string;
  notificationSecret?: string;
}

/** Line errors reported one by one per upload; the rest are summed up in one report. */
const LINE_ERRORS_REPORTED = 100;
const STATUS_EVERY_MS = 1000;

/** Webhook paths claimed by live nodes: two nodes on one path would shadow each other silently. */
const claimedPaths = new Map<string, string>();

export default function (RED: NodeAPI) {
  function LogpushInNode(this: Node<Credentials>, def: LogpushInDef) {
    RED.nodes.createNode(this, def);
    const node = this;
    const parsed = parseWebhookConfig(def);
    if (!parsed.ok) return refuseConfig(node, `invalid configuration: ${parsed.error}`);
    const cfg: WebhookSettings = parsed.value;
    const owner = claimedPaths.get(cfg.path);
    if (owner && owner !== node.id) return refuseConfig(node, `path ${cfg.path} is already served by node ${owner}`);
    claimedPaths.set(cfg.path, node.id);

    const secret = node.credentials?.secret || null;
    if (!secret) node.warn("no webhook secret configured: every request is answered 401");

    const ledger = new InflightLedger(DEFAULT_INFLIGHT_TIMEOUT_MS);
    const detachTracking = attachRuntimeTracking((RED as unknown as { hooks?: RuntimeHooks }).hooks, node.id, ledger);
    if (!detachTracking.tracking) node.warn("runtime has no message hooks: backpressure counts only undelivered messages");

    const rate = new RateMeter();
    let total = 0;
    let problem: { text: string; fill: "red" | "yellow" } | null = secret
      ? null
      : { text: "no secret: all requests get 401", fill: "red" };
    let shown = "";

    const showStatus = () => {
      const perSecond = rate.perSecond();
      const text = problem
        ? `${problem.text} · ${compactCount(total)} total`
        : perSecond > 0
          ? `${compactCount(perSecond)} ev/s · ${compactCount(total)} total`
          : total > 0
            ? `idle · ${compactCount(total)} total`
            : `listening on ${cfg.path}`;
      if (text === shown) return;
      shown = text;
      if (problem) node.status({ fill: problem.fill, shape: "ring", text });
      else node.status({ fill: "green", shape: perSecond > 0 ? "dot" : "ring", text });
    };

    const sink: ReceiverSink = {
      emit: ({ dataset, records, batch }) => {
        const msgid = RED.util.generateId();
        ledger.track(msgid, records.length);
        node.send({ _msgid: msgid, payload: records, topic: dataset, batch } as never);
        ledger.sent(msgid);
        total += records.length;
        rate.add(records.length);
      },
      lineError: (err, ctx) => {
        if (ctx.nth > LINE_ERRORS_REPORTED) return;
        const msg = { topic: ctx.dataset, payload: err.text, line: err.line, batch: { id: ctx.batchId } };
        node.error(new Error(`${ctx.dataset} upload ${ctx.batchId}, line ${err.line}: ${err.reason}`), msg as never);
      },
      refused: (status, reason) => {
        const text = `${status}: ${reason}`;
        // Logged once per change of reason: a pipeline full for minutes must not flood the log.
        if (problem?.text !== text) node.warn(`refused an upload with ${text}`);
        problem = { text, fill: status === 503 ? "yellow" : "red" };
        showStatus();
      },
      accepted: (summary, dataset) => {
        if (secret) problem = null;
        if (summary.errors > LINE_ERRORS_REPORTED) {
          const msg = { topic: dataset, payload: null, errors: summary.errors };
          node.error(new Error(`${dataset} upload had ${summary.errors} bad lines; the first ${LINE_ERRORS_REPORTED} were reported`), msg as never);
        }
        showStatus();
      },
    };

    const receiver = new LogpushReceiver(
      {
        ...DEFAULT_RECEIVER_OPTIONS,
        secret,
        notificationSecret: node.credentials?.notificationSecret || null,
        limits: cfg.limits,
        batchSize: cfg.batchSize,
        maxInflightRecords: cfg.maxInflightRecords,
        retryAfterSeconds: cfg.retryAfterSeconds,
      },
      new ReplayGuard(DEFAULT_REPLAY_WINDOW_MS, DEFAULT_REPLAY_MAX_ENTRIES),
      ledger,
      sink,
    );

    const handled = (work: Promise<void>) => {
      work.catch((err: Error) => node.error(`webhook handler failed: ${err.message}`));
    };
    const removeRoutes = addPostRoutes(RED.httpNode as unknown as HttpApp, [
      [`${cfg.path}/notifications`, (req: IncomingMessage, res: ServerResponse) => handled(receiver.handleNotification(req, res))],
      [cfg.path, (req, res) => handled(receiver.handleLogpush(req, res, queryDataset(req)))],
      [`${cfg.path}/:dataset`, (req, res) => handled(receiver.handleLogpush(req, res, routeDataset(req)))],
    ]);

    const nodeRoot = String((RED.settings as { httpNodeRoot?: unknown }).httpNodeRoot || "/").replace(/\/$/, "");
    const webhookPrefix = `${nodeRoot}${cfg.path}`;
    const removeGuard = guardRawBodies(
      RED.httpAdmin as unknown as AdminApp,
      (url) => url === webhookPrefix || url.startsWith(`${webhookPrefix}/`),
    );

    showStatus();
    const timer = setInterval(showStatus, STATUS_EVERY_MS);
    timer.unref();

    node.on("close", (_removed: boolean, done: () => void) => {
      clearInterval(timer);
      removeRoutes();
      removeGuard();
      detachTracking();
      ledger.clear();
      if (claimedPaths.get(cfg.path) === node.id) claimedPaths.delete(cfg.path);
      node.status({});
      done();
    });
  }

  RED.nodes.registerType<Node<Credentials>, LogpushInDef, object, Credentials>("ztna-logpush-in", LogpushInNode, {
    credentials: {
      secret: { type: "password" },
      notificationSecret: { type: "password" },
    },
  });
}

function queryDataset(req: IncomingMessage): string | undefined {
  const q = (req as { query?: Record<string, unknown> }).query?.dataset;
  return typeof q === "string" ? q : undefined;
}

function routeDataset(req: IncomingMessage): string | undefined {
  return (req as { params?: Record<string, string> }).params?.dataset;
}
