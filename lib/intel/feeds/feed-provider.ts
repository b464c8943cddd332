import axios from "axios";
import path from "node:path";
import { safeFileName } from "../../storage/json-file";
import type { IocEntry } from "../ioc/ioc-entry";
import { IocIndex } from "../ioc/ioc-index";
import { settledBefore } from "../settled-before";
import type { Indicator, IndicatorType, IntelProvider, ProviderHealth, ProviderResult, Reliability } from "../types";
import { FeedCopy, type DownloadOutcome } from "./feed-copy";
import type { FeedList } from "./feed-list";

export interface FeedProviderOptions {
  name: string;
  /** Where the last good copies are kept, one JSON file per URL. */
  dir: string;
  urls: readonly string[];
  parse: (text: string) => FeedList;
  /** What a hit means, given the entry and how old the list is ("23 min"). */
  answer: (entry: IocEntry, age: string) => Pick<ProviderResult, "verdict" | "score" | "detail" | "data">;
  types: readonly IndicatorType[];
  reliability: Reliability;
  /** Between downloads of a URL. The feed's terms set the floor (see local-config.ts). */
  intervalMs: number;
  /** After a failed download. Default: the interval, at most an hour. */
  retryMs?: number;
  /** Per download. Default 30 s. */
  timeoutMs?: number;
  /** Largest answer taken. Default 32 MiB. */
  maxBytes?: number;
  now?: () => number;
  /** Called after each download attempt. */
  onReport?: (report: FeedReport) => void;
}

export interface FeedReport {
  provider: string;
  url: string;
  outcome: DownloadOutcome;
  entries: number;
  error?: string;
}

/** A list older than this many intervals is stale: downloads have been failing for a while. */
const STALE_INTERVALS = 3;

/**
 * A downloaded list (the Tor exit list, Spamhaus DROP) matched locally. At start the last good
 * copy on disk is loaded and downloads run in the background, each URL when it is due: at once if
 * never fetched, an interval after the last attempt, sooner after a failure. Start-up never waits
 * for the network; a lookup before any copy exists answers `not_loaded`. Health says how old the
 * list is and why the last download failed.
 */
export class FeedProvider implements IntelProvider {
  readonly name: string;
  readonly party = "third" as const;
  readonly local = true;
  readonly reliability: Reliability;
  /** Resolves once the stored copies have been read. */
  readonly ready: Promise<void>;
  private readonly copies: FeedCopy[];
  private index = new IocIndex();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private readonly stop = new AbortController();
  private readonly now: () => number;
  private readonly retryMs: number;
  private lookups = 0;
  /** Set once the stored copies are read, so lookups stop waiting on it. */
  private loaded = false;

  constructor(private readonly opts: FeedProviderOptions) {
    this.name = opts.name;
    this.reliability = opts.reliability;
    this.now = opts.now ?? Date.now;
    this.retryMs = opts.retryMs ?? Math.min(opts.intervalMs, 3_600_000);
    const http = axios.create();
    this.copies = opts.urls.map(
      (url, i) =>
        new FeedCopy({
          url,
          file: path.join(opts.dir, safeFileName(opts.urls.length > 1 ? `${opts.name}-${i + 1}` : opts.name)),
          parse: opts.parse,
          http,
          timeoutMs: opts.timeoutMs ?? 30_000,
          maxBytes: opts.maxBytes ?? 32 * 1024 * 1024,
          now: this.now,
        }),
    );
    this.ready = Promise.all(this.copies.map((c) => c.load())).then(() => {
      this.loaded = true;
      this.rebuild();
      this.schedule();
    });
  }

  supports(type: IndicatorType): boolean {
    return this.opts.types.includes(type);
  }

  async lookup(indicator: Indicator, signal: AbortSignal): Promise<ProviderResult> {
    this.lookups++;
    const base = { provider: this.name, indicator: indicator.value, type: indicator.type, data: {} };
    if ((!this.loaded && !(await settledBefore(this.ready, signal))) || this.ageMs() === undefined) {
      return { ...base, verdict: "unknown", score: 0, status: "skipped", reason: "not_loaded", detail: "list not downloaded yet" };
    }
    const [hit] = this.index.match(indicator, this.now());
    if (!hit) return { ...base, verdict: "unknown", score: 0, status: "not_found" };
    return { ...base, status: "ok", ...this.opts.answer(hit, describeAge(this.ageMs() ?? 0)) };
  }

  health(): ProviderHealth {
    const age = this.ageMs();
    const problems = this.copies.flatMap((c) => [...(c.error ? [`last download failed: ${c.error}`] : []), ...(c.loadProblem && !c.records ? [c.loadProblem] : [])]);
    const failure = problems.length > 0 ? `; ${problems.join("; ")}` : "";
    const base = { provider: this.name, lookups: this.lookups, cacheHits: 0 };
    if (age === undefined) return { ...base, state: "not_loaded", detail: `not downloaded yet${failure}` };
    const stale = age > STALE_INTERVALS * this.opts.intervalMs;
    const detail = `${this.index.size} entries, ${describeAge(age)} old${stale ? ", stale" : ""}${failure}`;
    return { ...base, state: failure || stale ? "degraded" : "ok", detail };
  }

  /**
   * Downloads every URL now, whatever the schedule; resolves when done. For an explicit request
   * only: the sites' terms (one download an hour) are the caller's to keep.
   */
  refresh(): Promise<void> {
    return this.run(() => true);
  }

  async close(): Promise<void> {
    this.stop.abort();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.ready.catch(() => undefined);
    await this.running;
  }

  /** Age of the oldest list in use; undefined while there is none. */
  private ageMs(): number | undefined {
    const times = this.copies.flatMap((c) => (c.fetchedAt !== undefined ? [c.fetchedAt] : []));
    return times.length > 0 ? Math.max(0, this.now() - Math.min(...times)) : undefined;
  }

  private schedule(): void {
    if (this.stop.signal.aborted) return;
    if (this.timer) clearTimeout(this.timer);
    const next = Math.min(...this.copies.map((c) => c.dueAt(this.opts.intervalMs, this.retryMs)));
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.run((c) => c.dueAt(this.opts.intervalMs, this.retryMs) <= this.now()).then(() => this.schedule());
    }, Math.min(Math.max(0, next - this.now()), 2 ** 31 - 1));
    this.timer.unref();
  }

  private run(due: (c: FeedCopy) => boolean): Promise<void> {
    if (this.running) return this.running;
    this.running = (async () => {
      let changed = false;
      for (const copy of this.copies) {
        if (this.stop.signal.aborted || !due(copy)) continue;
        const outcome = await copy.download(this.stop.signal);
        if (this.stop.signal.aborted) return;
        changed ||= outcome === "updated";
        this.opts.onReport?.({ provider: this.name, url: copy.url, outcome, entries: copy.records?.length ?? 0, ...(copy.error ? { error: copy.error } : {}) });
      }
      if (changed) this.rebuild();
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private rebuild(): void {
    this.index = new IocIndex(this.copies.flatMap((c) => c.records ?? []));
  }
}

function describeAge(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return "under a minute";
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.floor(hours / 24)} d`;
}
