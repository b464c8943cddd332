import { createHash } from "node:crypto";
import type { ResultInfo } from "./envelope";

export interface PageOptions {
  /** Items asked for per page. */
  perPage?: number;
  /** Never read more pages than this, whatever the server says is left. */
  maxPages?: number;
}

export interface Page<T> {
  items: T[];
  resultInfo?: ResultInfo;
}

export const DEFAULT_PER_PAGE = 50;
export const DEFAULT_MAX_PAGES = 100;

/**
 * Page-numbered listing (`page`, `per_page`). The server's paging facts decide when to stop, but
 * a server that lies (empty pages, the same page again, total_pages that never ends) cannot keep
 * the loop going: it stops at an empty or repeated page, and at `maxPages`.
 */
export async function* numberedPages<T>(
  fetch: (page: number, perPage: number) => Promise<Page<T>>,
  opts: PageOptions = {},
): AsyncGenerator<Page<T>> {
  const { perPage, maxPages } = limits(opts);
  const seen = new Set<string>();
  for (let page = 1; page <= maxPages; page++) {
    const got = await fetch(page, perPage);
    if (got.items.length === 0 || repeated(seen, got.items)) return;
    yield got;
    if (isLastPage(got, page, perPage)) return;
  }
}

/**
 * Cursor listing (`cursor`, `per_page`; the next cursor in `result_info.cursor`). Stops when the
 * cursor runs out, comes back a second time, or a page is empty or repeated, and at `maxPages`.
 */
export async function* cursorPages<T>(
  fetch: (cursor: string | undefined, perPage: number) => Promise<Page<T>>,
  opts: PageOptions = {},
): AsyncGenerator<Page<T>> {
  const { perPage, maxPages } = limits(opts);
  const seen = new Set<string>();
  const cursors = new Set<string>();
  let cursor: string | undefined;
  for (let page = 1; page <= maxPages; page++) {
    const got = await fetch(cursor, perPage);
    if (got.items.length === 0 || repeated(seen, got.items)) return;
    yield got;
    cursor = got.resultInfo?.cursor;
    if (!cursor || cursors.has(cursor)) return;
    cursors.add(cursor);
  }
}

function limits(opts: PageOptions): { perPage: number; maxPages: number } {
  const perPage = opts.perPage ?? DEFAULT_PER_PAGE;
  const maxPages = opts.maxPages ?? DEFAULT_MAX_PAGES;
  if (!Number.isInteger(perPage) || perPage < 1) throw new RangeError("perPage must be a positive integer");
  if (!Number.isInteger(maxPages) || maxPages < 1) throw new RangeError("maxPages must be a positive integer");
  return { perPage, maxPages };
}

/** Page contents already seen: a server that ignores the page number answers the same page again. */
function repeated(seen: Set<string>, items: unknown[]): boolean {
  const print = createHash("sha256").update(JSON.stringify(items)).digest("base64");
  if (seen.has(print)) return true;
  seen.add(print);
  return false;
}

/** Trusts total_pages, then total_count, then a short page; the server may shrink per_page below what was asked. */
function isLastPage(got: Page<unknown>, page: number, perPage: number): boolean {
  const info = got.resultInfo;
  const size = info?.per_page ?? perPage;
  if (info?.total_pages !== undefined) return page >= info.total_pages;
  if (info?.total_count !== undefined) return page * size >= info.total_count;
  return got.items.length < size;
}
