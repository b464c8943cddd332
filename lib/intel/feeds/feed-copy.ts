import type { AxiosInstance } from "axios";
import { readJsonFile, writeJsonFileAtomic } from "../../storage/json-file";
import type { IocRecord } from "../ioc/ioc-entry";
import type { FeedList } from "./feed-list";

/** The last good copy of one feed URL and what is known about fetching it, as kept on disk. */
interface StoredFeed {
  url: string;
  /** The list as downloaded; absent until one download succeeded. */
  body?: string;
  /** When the body was last confirmed current (downloaded, or answered 304). */
  fetchedAt?: number;
  /** When a download was last tried, successful or not: spacing survives restarts. */
  attemptedAt?: number;
  etag?: string;
  lastModified?: string;
  /** Why the last attempt failed; absent after a success. */
  error?: string;
}

export interface FeedCopyOptions {
  url: string;
  /** The JSON file holding the stored copy. */
  file: string;
  parse: (text: string) => FeedList;
  http: AxiosInstance;
  timeoutMs: number;
  maxBytes: number;
  now: () => number;
}

export type DownloadOutcome = "updated" | "unchanged" | "failed";

const EXCERPT = 60;

/**
 * One feed URL: its last good list in memory and on disk, replaced only by a download that reads
 * as a list. A failed, malformed or oversized download keeps the last good copy and records why.
 * Downloads ask with the stored ETag / Last-Modified, so an unchanged list costs the site nothing.
 */
export class FeedCopy {
  records: IocRecord[] | undefined;
  /** Why the stored copy could not be used at start, if it could not. */
  loadProblem: string | undefined;
  private state: StoredFeed;

  constructor(private readonly opts: FeedCopyOptions) {
    this.state = { url: opts.url };
  }

  get fetchedAt(): number | undefined {
    return this.records ? this.state.fetchedAt : undefined;
  }

  get error(): string | undefined {
    return this.state.error;
  }

  get url(): string {
    return this.opts.url;
  }

  /** Reads the stored copy; never throws. */
  async load(): Promise<void> {
    let read;
    try {
      read = await readJsonFile(this.opts.file);
    } catch (err) {
      this.loadProblem = `stored copy unreadable (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
      return;
    }
    if (read.warning) this.loadProblem = "stored copy is corrupt";
    const stored = revive(read.value);
    if (!stored) return;
    // A copy of another URL still serves until this one is fetched, but is not the current list.
    this.state = stored.url === this.opts.url ? stored : { url: this.opts.url, body: stored.body, fetchedAt: stored.fetchedAt };
    if (stored.body === undefined) return;
    const list = this.opts.parse(stored.body);
    if (list.ok) this.records = list.records;
    else this.loadProblem = `stored copy unusable: ${list.reason}`;
  }

  /** When the next download is due: at once for a feed never tried, after `retryMs` for one that failed. */
  dueAt(intervalMs: number, retryMs: number): number {
    const { attemptedAt, error } = this.state;
    if (attemptedAt === undefined || this.state.url !== this.opts.url) return this.opts.now();
    return attemptedAt + (error !== undefined || !this.records ? retryMs : intervalMs);
  }

  async download(signal: AbortSignal): Promise<DownloadOutcome> {
    const attemptedAt = this.opts.now();
    const headers: Record<string, string> = { "user-agent": "node-red-contrib-cloudflare-ztna", accept: "text/plain, application/json, */*" };
    if (this.records && this.state.etag) headers["if-none-match"] = this.state.etag;
    if (this.records && this.state.lastModified) headers["if-modified-since"] = this.state.lastModified;
    let status: number;
    let body: string;
    let etag: unknown;
    let lastModified: unknown;
    try {
      const res = await this.opts.http.get<string>(this.opts.url, {
        headers,
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.opts.timeoutMs)]),
        responseType: "text",
        transformResponse: (data: unknown) => data,
        validateStatus: () => true,
        maxContentLength: this.opts.maxBytes,
        maxRedirects: 3,
      });
      status = res.status;
      body = typeof res.data === "string" ? res.data : "";
      etag = res.headers.etag;
      lastModified = res.headers["last-modified"];
    } catch (err) {
      // Stopped by close(): nothing was learnt about the site, so nothing is recorded.
      if (signal.aborted) return "failed";
      return this.failed(attemptedAt, transportProblem(err, this.opts));
    }
    if (status === 304 && this.records) {
      await this.save({ ...this.state, fetchedAt: attemptedAt, attemptedAt, error: undefined });
      return "unchanged";
    }
    if (status < 200 || status >= 300) return this.failed(attemptedAt, `HTTP ${status}`);
    const list = this.opts.parse(body);
    if (!list.ok) return this.failed(attemptedAt, `malformed list: ${list.reason}${excerpt(body)}`);
    this.records = list.records;
    this.loadProblem = undefined;
    await this.save({
      url: this.opts.url,
      body,
      fetchedAt: attemptedAt,
      attemptedAt,
      ...(typeof etag === "string" ? { etag } : {}),
      ...(typeof lastModified === "string" ? { lastModified } : {}),
    });
    return "updated";
  }

  private async failed(attemptedAt: number, error: string): Promise<DownloadOutcome> {
    await this.save({ ...this.state, attemptedAt, error });
    return "failed";
  }

  /** Keeps the state in memory whatever happens; a copy that cannot be written is reported as the error. */
  private async save(state: StoredFeed): Promise<void> {
    this.state = state;
    try {
      await writeJsonFileAtomic(this.opts.file, state);
    } catch (err) {
      this.state = { ...state, error: `cannot save the copy (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
    }
  }
}

function revive(value: unknown): StoredFeed | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.url !== "string") return undefined;
  const num = (x: unknown) => (typeof x === "number" && Number.isFinite(x) ? x : undefined);
  const str = (x: unknown) => (typeof x === "string" ? x : undefined);
  return {
    url: v.url,
    body: str(v.body),
    fetchedAt: num(v.fetchedAt),
    attemptedAt: num(v.attemptedAt),
    etag: str(v.etag),
    lastModified: str(v.lastModified),
    error: str(v.error),
  };
}

function transportProblem(err: unknown, opts: FeedCopyOptions): string {
  const e = err as { code?: unknown; name?: unknown; message?: unknown };
  const code = typeof e?.code === "string" ? e.code : "";
  if (typeof e?.message === "string" && e.message.includes("maxContentLength")) return `answer over the limit of ${opts.maxBytes} bytes`;
  if (code === "ERR_CANCELED" || e?.name === "CanceledError" || e?.name === "AbortError" || e?.name === "TimeoutError") return `no complete answer within ${opts.timeoutMs} ms`;
  return `download failed (${code || "network error"})`;
}

/** The start of a refused body, so a proxy's error page or captive portal is recognisable. */
function excerpt(body: string): string {
  const text = body.replace(/[\p{Cc}\p{Cf}\s]+/gu, " ").trim().slice(0, EXCERPT);
  return text ? ` (starts "${text}")` : "";
}
