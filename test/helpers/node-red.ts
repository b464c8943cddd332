import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import helper from "node-red-node-test-helper";

/**
 * The Node-RED runtime under test: this project's devDependency, or the one installed in the
 * directory named by ZTNA_NODE_RED_DIR (how the suite runs against Node-RED 5).
 */
const runtimeDir = process.env.ZTNA_NODE_RED_DIR;
export const nodeRedPath = runtimeDir
  ? require.resolve("node-red", { paths: [path.resolve(runtimeDir)] })
  : require.resolve("node-red");

helper.init(nodeRedPath);

export { helper };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type NodeInit = (RED: any) => void | Promise<void>;

/**
 * The test helper hands nodes an API object without `hooks`, which the real runtime provides
 * (RED.hooks is the messaging-hooks registry of @node-red/util). Handing the runtime's own registry
 * through restores what a deployed node sees; messages in the helper are routed by the same code.
 */
const runtimeHooks = require(require.resolve("@node-red/util", { paths: [path.dirname(nodeRedPath)] })).hooks;

/**
 * Wraps node modules so that each load also exposes `RED.httpNode` to the test, which serves it
 * on a real HTTP server on 127.0.0.1.
 */
export class NodeRedHttp {
  private app: http.RequestListener | null = null;
  private server: http.Server | null = null;
  port = 0;

  wrap(init: NodeInit): NodeInit {
    return (RED) => {
      RED.hooks ??= runtimeHooks;
      this.app = RED.httpNode;
      return init(RED);
    };
  }

  get httpNode(): { _router?: { stack: unknown[] } } {
    return this.app as never;
  }

  async listen(): Promise<void> {
    this.server = http.createServer((req, res) => {
      if (this.app) this.app(req, res);
      else {
        res.statusCode = 503;
        res.end();
      }
    });
    this.server.listen(0, "127.0.0.1");
    await once(this.server, "listening");
    this.port = (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server!.close(resolve));
    this.server = null;
  }

  url(p: string): string {
    return `http://127.0.0.1:${this.port}${p}`;
  }
}

/** What the nodes under test logged at a level since the flow was loaded, as text. */
export function logged(level: "WARN" | "ERROR"): string[] {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const log = helper.log() as any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return log.args.map((a: any[]) => a[0]).filter((e: { level: number }) => e.level === log[level]).map((e: { msg: unknown }) => String(e.msg));
}

/** Whether startRuntime set a user directory that stopRuntime must forget. */
let settingsSet = false;

/** Starts the runtime under test; with a user directory when its nodes keep files there. */
export async function startRuntime(userDir?: string): Promise<void> {
  if (userDir !== undefined) {
    helper.settings({ userDir });
    settingsSet = true;
  }
  await new Promise<void>((r) => helper.startServer(() => r()));
}

/** Unloads the flow and stops the runtime, forgetting a user directory startRuntime set. */
export async function stopRuntime(): Promise<void> {
  await helper.unload();
  await new Promise<void>((r) => helper.stopServer(() => r()));
  if (settingsSet) helper.settings({});
  settingsSet = false;
}
