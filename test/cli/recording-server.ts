import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";

/** One request as the server saw it. */
export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  /** The body exactly as sent (gzip). */
  body: Buffer;
  /** performance.now() when the request arrived. */
  at: number;
}

/** How to answer a request; "hang" never answers. */
export type Answer = { status: number; headers?: Record<string, string>; body?: string } | "hang";

export interface RecordingServer {
  /** Base URL, e.g. http://127.0.0.1:12345/cloudflare/logpush */
  url: string;
  received: Received[];
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 that records every request and answers as `answer` says. */
export async function recordingServer(
  answer: (req: Received, index: number) => Answer = () => ({ status: 200 }),
): Promise<RecordingServer> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const at = performance.now();
    const parts: Buffer[] = [];
    req.on("data", (chunk: Buffer) => parts.push(chunk));
    req.on("end", () => {
      const rec: Received = { path: req.url ?? "", headers: req.headers, body: Buffer.concat(parts), at };
      received.push(rec);
      const reply = answer(rec, received.length - 1);
      if (reply === "hang") return;
      res.writeHead(reply.status, reply.headers);
      res.end(reply.body ?? "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/cloudflare/logpush`,
    received,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** The NDJSON lines of a received body, after gunzip. */
export function linesOf(rec: Received): string[] {
  const text = gunzipSync(rec.body).toString("utf8");
  return text.endsWith("\n") ? text.slice(0, -1).split("\n") : text.split("\n");
}
