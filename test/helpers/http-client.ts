import http from "node:http";

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: Record<string, unknown> | null;
}

export interface PostOptions {
  headers?: Record<string, string>;
  /** The body is written in these pieces, with `pauseMs` between them. */
  chunks?: Buffer[];
  pauseMs?: number;
  /** Called after each piece is written; may wait (e.g. for a message downstream). */
  afterChunk?: (index: number) => Promise<void> | void;
  /** Send without Content-Length (chunked transfer encoding). */
  chunked?: boolean;
  /** Stop after this many pieces and destroy the connection. */
  abortAfter?: number;
}

/** A real HTTP POST over loopback, body written in pieces when asked to. */
export function post(url: string, body: Buffer | string, opts: PostOptions = {}): Promise<Answer> {
  const data = typeof body === "string" ? Buffer.from(body) : body;
  const chunks = opts.chunks ?? [data];
  const headers: Record<string, string> = { ...opts.headers };
  if (!opts.chunked) headers["content-length"] = String(chunks.reduce((n, c) => n + c.length, 0));
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: "POST", headers, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (c: Buffer) => parts.push(c));
      res.on("end", () => {
        const text = Buffer.concat(parts).toString("utf8");
        let json: Record<string, unknown> | null = null;
        try {
          json = JSON.parse(text);
        } catch {
          json = null;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, json });
      });
    });
    req.on("error", reject);
    (async () => {
      for (let i = 0; i < chunks.length; i++) {
        if (opts.abortAfter !== undefined && i === opts.abortAfter) {
          req.destroy();
          return;
        }
        if (!req.write(chunks[i])) await new Promise((r) => req.once("drain", r));
        await opts.afterChunk?.(i);
        if (opts.pauseMs) await new Promise((r) => setTimeout(r, opts.pauseMs));
      }
      req.end();
    })().catch(reject);
  });
}

/** Splits a buffer into pieces of `size` bytes. */
export function pieces(data: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) out.push(data.subarray(i, i + size));
  return out;
}
