import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

/** A headless Node-RED started the way `npm start` starts it, on a free loopback port. */
export interface BenchServer {
  port: number;
  dataDir: string;
  url(p: string): string;
  /** Resident set size of the Node-RED process now and at its peak, in bytes (Linux /proc). */
  memory(): { rss: number; peak: number };
  stop(): Promise<void>;
}

/** The package root, whether this runs compiled from dist/bench or from source under tsx. */
export const packageRoot = (() => {
  let dir = __dirname;
  while (!existsSync(path.join(dir, "scripts", "start.js"))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error("package root not found");
    dir = up;
  }
  return dir;
})();

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

/** The Node-RED process is the start script's child. */
function childPid(parent: number): number | null {
  try {
    const pids = readFileSync(`/proc/${parent}/task/${parent}/children`, "utf8").trim().split(/\s+/);
    return pids[0] ? Number(pids[0]) : null;
  } catch {
    return null;
  }
}

function procStatus(pid: number, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) * 1024 : 0;
}

/**
 * Starts `npm start`'s script on `flowFile` (the default flow when null) in a fresh data folder,
 * and waits until the webhook answers Logpush's validation upload.
 */
export async function startServer(flowFile: string | null, secret: string, opts: { headless?: boolean } = {}): Promise<BenchServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), "ztna-run-"));
  const child: ChildProcess = spawn(process.execPath, [path.join(packageRoot, "scripts", "start.js")], {
    env: {
      ...process.env,
      PORT: String(port),
      ZTNA_DATA_DIR: dataDir,
      ZTNA_HEADLESS: opts.headless === false ? "" : "1",
      ...(flowFile ? { ZTNA_FLOWS: flowFile } : {}),
      ZTNA_WEBHOOK_SECRET: secret,
      ZTNA_LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const url = (p: string) => `http://127.0.0.1:${port}${p}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Node-RED exited with ${child.exitCode} before it was ready`);
    try {
      const probe = await fetch(url("/cloudflare/logpush"), { method: "POST", body: "test", headers: { authorization: `Bearer ${secret}` } });
      if (probe.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error("Node-RED did not become ready within 30 s");
    await new Promise((r) => setTimeout(r, 200));
  }
  const pid = childPid(child.pid!);
  if (!pid) throw new Error("could not find the Node-RED process");
  return {
    port,
    dataDir,
    url,
    memory: () => ({ rss: procStatus(pid, "VmRSS"), peak: procStatus(pid, "VmHWM") }),
    stop: async () => {
      const exited = new Promise((r) => child.once("exit", r));
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
