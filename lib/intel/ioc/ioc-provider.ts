import type { Indicator, IntelProvider, ProviderHealth, ProviderResult } from "../types";
import { SEVERITY } from "../verdict";
import { whereOf, type IocEntry, type IocProblem } from "./ioc-entry";
import { IocFolder, type IocFolderOptions } from "./ioc-folder";
import { settledBefore } from "../settled-before";

export interface IocProviderOptions extends IocFolderOptions {
  /** Default `ioc-files`, or `allowlist` for an allowlist. */
  name?: string;
  /** Every hit is benign and overrides other verdicts (see verdict.ts). */
  allowlist?: boolean;
}

const MAX_MATCHES_IN_DATA = 10;

/**
 * The user's own IOC files (or allowlist files) in a folder, answering from memory. A hit names
 * the file and line: "bad.txt line 3 (Campaign X C2)", for an allowlist "corp.txt line 3".
 */
export class IocFileProvider implements IntelProvider {
  readonly name: string;
  readonly party = "first" as const;
  readonly local = true;
  readonly allowlist: boolean;
  readonly reliability = "A" as const;
  private readonly folder: IocFolder;
  private readonly now: () => number;
  private lookups = 0;
  /** Set once the first read is done, so lookups stop waiting on it. */
  private loaded = false;

  constructor(opts: IocProviderOptions) {
    this.allowlist = opts.allowlist === true;
    this.name = opts.name ?? (this.allowlist ? "allowlist" : "ioc-files");
    this.now = opts.now ?? Date.now;
    this.folder = new IocFolder(opts);
    void this.folder.ready.then(() => (this.loaded = true));
  }

  /** Resolves once the folder has been read the first time. */
  get ready(): Promise<void> {
    return this.folder.ready;
  }

  supports(): boolean {
    return true;
  }

  async lookup(indicator: Indicator, signal: AbortSignal): Promise<ProviderResult> {
    this.lookups++;
    const base = { provider: this.name, indicator: indicator.value, type: indicator.type, data: {} };
    if (!this.loaded && !(await settledBefore(this.folder.ready, signal))) {
      return { ...base, verdict: "unknown", score: 0, status: "skipped", reason: "not_loaded", detail: "files still loading" };
    }
    const matches = this.folder.match(indicator, this.now());
    if (matches.length === 0) return { ...base, verdict: "unknown", score: 0, status: "not_found" };
    const data = { matches: matches.slice(0, MAX_MATCHES_IN_DATA).map(describeMatch), total: matches.length };
    const more = matches.length > 1 ? ` and ${matches.length - 1} more` : "";
    if (this.allowlist) return { ...base, verdict: "benign", score: 0, status: "ok", detail: `${whereOf(matches[0])}${more}`, data };
    const top = matches.reduce((a, b) => (SEVERITY[b.verdict] > SEVERITY[a.verdict] || (b.verdict === a.verdict && b.score > a.score) ? b : a));
    const about = top.description ? ` (${top.description})` : "";
    return { ...base, verdict: top.verdict, score: top.score, status: "ok", detail: `${whereOf(top)}${about}${more}`, data };
  }

  health(): ProviderHealth {
    const s = this.folder.summary();
    const counts = `${s.entries} IOCs from ${s.files} file${s.files === 1 ? "" : "s"}`;
    const trouble = s.error ?? (s.failing.length > 0 ? `${s.failing.join(", ")} unusable, last good kept` : undefined);
    const problems = s.problems > 0 ? `, ${s.problems} problem${s.problems === 1 ? "" : "s"}` : "";
    return {
      provider: this.name,
      state: trouble ? "degraded" : "ok",
      detail: `${counts}${problems}${trouble ? `; ${trouble}` : ""}`,
      lookups: this.lookups,
      cacheHits: 0,
    };
  }

  /** Every current problem, by file and line or object. */
  problems(): IocProblem[] {
    return this.folder.problems();
  }

  /** Re-reads changed files now; resolves when done. */
  rescan(): Promise<void> {
    return this.folder.rescan();
  }

  close(): Promise<void> {
    return this.folder.close();
  }
}

function describeMatch(e: IocEntry): Record<string, unknown> {
  return {
    source: e.source,
    ...(e.line !== undefined ? { line: e.line } : {}),
    ...(e.object !== undefined ? { object: e.object } : {}),
    verdict: e.verdict,
    score: e.score,
    ...(e.description ? { description: e.description } : {}),
    ...e.data,
  };
}
