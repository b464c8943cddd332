import { request as httpRequest, type OutgoingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";

/** Any HTTP answer, whatever its status. */
export interface HttpAnswer {
  status: number;
  retryAfter: string | undefined;
  /** The start of the response body, whitespace collapsed, for error messages. */
  excerpt: string;
}

const EXCERPT_BYTES = 300;

/**
 * One POST of `body`. Resolves with the server's answer once it has been read; rejects on a
 * connection error or when no complete answer came within `timeoutMs`.
 */
export async function post(url: URL, headers: OutgoingHttpHeaders, body: Buffer, timeoutMs: number): Promise<HttpAnswer> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<HttpAnswer>((resolve, reject) => {
      const send = url.protocol === "https:" ? httpsRequest : httpRequest;
      const req = send(url, {
        method: "POST",
        headers: { ...headers, "content-length": body.length },
        // A connection per batch: reusing a kept-alive socket that the server has meanwhile closed
        // would fail as a connection error and cost the batch a full back-off.
        agent: false,
      });
      timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      req.on("error", reject);
      req.on("response", (res) => {
        const kept: Buffer[] = [];
        let keptBytes = 0;
        res.on("data", (chunk: Buffer) => {
          if (keptBytes >= EXCERPT_BYTES) return;
          kept.push(chunk.subarray(0, EXCERPT_BYTES - keptBytes));
          keptBytes += kept[kept.length - 1].length;
        });
        res.on("error", reject);
        res.on("end", () => {
          const retryAfter = res.headers["retry-after"];
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
            excerpt: Buffer.concat(kept, keptBytes).toString("utf8").replace(/\s+/g, " ").trim(),
          });
        });
      });
      req.end(body);
    });
  } finally {
    clearTimeout(timer);
  }
}
