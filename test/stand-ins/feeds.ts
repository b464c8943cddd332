import { createHash } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FeedFile {
  body: string;
  contentType?: string;
  /** When set, sent as Last-Modified; `If-Modified-Since` at or after it gets a 304. */
  lastModified?: Date;
}

export interface FeedFault {
  /** Answer with this status (and a short HTML page) instead of the file. */
  status?: number;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Never answer; the connection stays open until the site closes. */
  hang?: boolean;
  /** Answer 200 with this body instead of the file (a captive portal, a truncated copy). */
  body?: string;
  /** Applies to this many requests, then the file is served again; default every request. */
  times?: number;
}

export interface FeedRequest {
  path: string;
  headers: IncomingHttpHeaders;
}

/**
 * Stands in for feed download sites (check.torproject.org, www.spamhaus.org) on 127.0.0.1:
 * serves files by path with an ETag (and Last-Modified when given), answers conditional requests
 * with 304 as those sites do, and fails on request: an error status, a slow or hanging answer, or
 * garbage. Every request is recorded.
 */
export class FeedSite {
  /** `http://127.0.0.1:<port>`. */
  url = "";
  readonly requests: FeedRequest[] = [];
  private readonly files = new Map<string, FeedFile>();
  private readonly faults = new Map<string, FeedFault>();
  private readonly waiting = new Set<ServerResponse>();
  private readonly server: Server;

  constructor() {
    this.server = createServer((req, res) => {
      const path = new URL(req.url ?? "/", "http://x").pathname;
      this.requests.push({ path, headers: req.headers });
      void this.answer(path, req.headers, res);
    });
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  serve(path: string, file: FeedFile): void {
    this.files.set(path, file);
  }

  fail(path: string, fault: FeedFault): void {
    this.faults.set(path, { ...fault });
  }

  heal(path: string): void {
    this.faults.delete(path);
  }

  count(path: string): number {
    return this.requests.filter((r) => r.path === path).length;
  }

  async close(): Promise<void> {
    for (const res of this.waiting) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async answer(path: string, headers: IncomingHttpHeaders, res: ServerResponse): Promise<void> {
    const fault = this.faults.get(path);
    if (fault) {
      if (fault.times !== undefined && --fault.times <= 0) this.faults.delete(path);
      if (fault.hang) {
        this.waiting.add(res);
        return;
      }
      if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (res.destroyed) return;
      if (fault.status !== undefined) {
        res.writeHead(fault.status, { "content-type": "text/html" }).end(`<html><body><h1>${fault.status}</h1></body></html>`);
        return;
      }
      if (fault.body !== undefined) {
        res.writeHead(200, { "content-type": "text/plain" }).end(fault.body);
        return;
      }
    }
    const file = this.files.get(path);
    if (!file) {
      res.writeHead(404, { "content-type": "text/html" }).end("<html><body>Not Found</body></html>");
      return;
    }
    const etag = `"${createHash("sha256").update(file.body).digest("hex").slice(0, 16)}"`;
    const since = headers["if-modified-since"] ? Date.parse(headers["if-modified-since"]) : NaN;
    const fresh = headers["if-none-match"] === etag || (file.lastModified !== undefined && since >= Math.floor(file.lastModified.getTime() / 1000) * 1000);
    const common: Record<string, string> = { etag, ...(file.lastModified ? { "last-modified": file.lastModified.toUTCString() } : {}) };
    if (fresh) {
      res.writeHead(304, common).end();
      return;
    }
    res.writeHead(200, { ...common, "content-type": file.contentType ?? "text/plain" }).end(file.body);
  }
}
