import type { Query } from "../cloudflare";
import type { RawRecord } from "../ingest/logpush-body";

/** The part of the Cloudflare API client a poll source needs (`CloudflareClient` is one). */
export interface PollApi {
  accountPath(sub: string): string;
  pages<T>(
    path: string,
    query?: Query,
    opts?: { perPage?: number; maxPages?: number; items?: (result: unknown) => T[] | undefined },
  ): AsyncGenerator<{ items: T[] }>;
}

/** A record as a source hands it over: with the id that dedupes it and the time that orders it. */
export interface PolledRecord {
  record: RawRecord;
  id: string;
  /** ms since epoch; NaN when the record carries no usable time. */
  time: number;
}

export interface PollWindow {
  /** ms since epoch, inclusive. */
  since: number;
  /** ms since epoch, the poll's "now": the window is closed, so pages cannot shift under it. */
  until: number;
}

/** One Cloudflare API source of records: SCIM updates, risk events, Access requests. */
export interface PollSource {
  /** The dataset name the records carry downstream (`msg.topic`). */
  readonly dataset: string;
  /**
   * Yields the records of the window in pages, oldest first where the API allows. `state` is the
   * source's own part of the checkpoint, to read and update in place.
   */
  fetch(api: PollApi, window: PollWindow, state: Record<string, unknown>): AsyncGenerator<PolledRecord[]>;
}

/** Milliseconds since epoch of an API timestamp (RFC3339), or NaN. */
export function apiTime(value: unknown): number {
  return typeof value === "string" && value !== "" ? Date.parse(value) : Number.NaN;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
