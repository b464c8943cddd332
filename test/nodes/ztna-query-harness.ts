import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import accountNode from "../../nodes/ztna-account/ztna-account";
import detectNode from "../../nodes/ztna-detect/ztna-detect";
import queryHost from "../../nodes/ztna-query-host/ztna-query-host";
import queryIp from "../../nodes/ztna-query-ip/ztna-query-ip";
import queryRisk from "../../nodes/ztna-query-risk/ztna-query-risk";
import queryUser from "../../nodes/ztna-query-user/ztna-query-user";
import storeNode from "../../nodes/ztna-store/ztna-store";
import { TOKEN } from "../helpers/cloudflare";
import { helper, startRuntime, stopRuntime } from "../helpers/node-red";
import { seedApi, seededStore } from "../lib/investigate/scenario";
import { startCloudflareApi, type CloudflareApiStandIn } from "../stand-ins/cloudflare-api";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Msg = any;

export interface Captured {
  out: Msg[];
  caught: Msg[];
  /** Every status the node showed, its constructor's included. */
  statuses(id?: string): Msg[];
}

export interface QueryRuntime {
  readonly api: CloudflareApiStandIn;
  /** The seeded SQLite file the `ztna-store` config node opens. */
  readonly storeFile: string;
  /** Loads the flow: `store` and `acct` config nodes, the nodes given, a helper `out` and a catch node. */
  load(nodes: Msg[], opts?: { token?: string; env?: Record<string, string> }): Promise<Captured>;
}

/**
 * A real Node-RED runtime with the query nodes, a seeded SQLite event store behind a `ztna-store`
 * config node and the Cloudflare API stand-in behind a `ztna-account`, for the enclosing describe.
 */
export function useQueryRuntime(): QueryRuntime {
  let api: CloudflareApiStandIn | null = null;
  let storeFile = "";
  let disposeStore: (() => Promise<void>) | null = null;
  let userDir = "";

  before(async () => {
    api = await startCloudflareApi({ token: TOKEN });
  });
  after(() => api?.close());
  beforeEach(async () => {
    const seeded = await seededStore();
    // The config node opens the file itself, as it would after a restart.
    await seeded.store.close();
    storeFile = seeded.file;
    disposeStore = seeded.dispose;
    seedApi(api!);
    userDir = await mkdtemp(path.join(tmpdir(), "ztna-query-node-"));
    await startRuntime(userDir);
  });
  afterEach(async () => {
    await stopRuntime();
    api?.reset();
    await disposeStore?.();
    await rm(userDir, { recursive: true, force: true });
  });

  return {
    get api() {
      if (!api) throw new Error("the stand-in is not running yet");
      return api;
    },
    get storeFile() {
      return storeFile;
    },
    async load(nodes, opts = {}) {
      const flow = [
        { id: "tab", type: "tab", env: Object.entries(opts.env ?? {}).map(([name, value]) => ({ name, value, type: "str" })) },
        { id: "store", type: "ztna-store", file: storeFile, retentionDays: 0, maxSize: "0" },
        { id: "acct", type: "ztna-account", accountId: api!.accountId, baseUrl: api!.url },
        ...nodes.map((n) => ({ z: "tab", ...n })),
        { id: "out", type: "helper", z: "tab" },
        { id: "catcher", type: "catch", z: "tab", scope: null, uncaught: false, wires: [["caught"]] },
        { id: "caught", type: "helper", z: "tab" },
      ];
      await helper.load([storeNode, accountNode, detectNode, queryIp, queryHost, queryRisk, queryUser], flow, { acct: { token: opts.token ?? TOKEN } });
      // The helper spies on the node prototype's status(): calls of every node, told apart by `this`.
      const spy = helper.getNode("out").status as unknown as { getCalls(): Array<{ thisValue: unknown; args: Msg[] }> };
      const got: Captured = {
        out: [],
        caught: [],
        statuses: (id = "q") => spy.getCalls().filter((c) => c.thisValue === helper.getNode(id)).map((c) => c.args[0]),
      };
      helper.getNode("out").on("input", (m: Msg) => got.out.push(m));
      helper.getNode("caught").on("input", (m: Msg) => got.caught.push(m));
      return got;
    },
  };
}
