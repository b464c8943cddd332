import { watch, type FSWatcher, type Stats } from "node:fs";
import { mkdir, readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { IocEntry, IocProblem } from "./ioc-entry";
import { isIocFileName, parseIocFile } from "./ioc-file";
import { IocIndex } from "./ioc-index";
import type { Indicator } from "../types";

export interface IocFolderOptions {
  dir: string;
  /** Larger files are reported and not read. Default 64 MiB. */
  maxFileBytes?: number;
  /** Files read at most, in name order. Default 1000. */
  maxFiles?: number;
  /** Entries kept over all files; a file that would pass the limit is cut short and reported. Default 1,000,000. */
  maxEntries?: number;
  /** A full re-check this often, for changes that file notifications miss (network shares, some containers). Default 30 s. */
  rescanMs?: number;
  /** Wait after a change notification before reading, so that a file being written is read once it is whole. Default 200 ms. */
  settleMs?: number;
  now?: () => number;
  /** Called after each scan that changed something, with what changed. */
  onReport?: (changes: FileReport[]) => void;
}

export interface FileReport {
  file: string;
  /** `kept_last_good`: the new version could not be used and the previous one still counts. */
  state: "loaded" | "kept_last_good" | "failed" | "removed";
  entries: number;
  problems: IocProblem[];
}

export interface FolderSummary {
  files: number;
  entries: number;
  /** Files whose current version could not be used. */
  failing: string[];
  problems: number;
  /** Set when the folder itself cannot be read. */
  error?: string;
}

interface FileState {
  stamp: string;
  index: IocIndex;
  problems: IocProblem[];
  failing: boolean;
}

/** Problems kept per file; a file with thousands of bad lines needs the first few to be fixed. */
const MAX_PROBLEMS_PER_FILE = 100;
/** Matches handed back per lookup over all files. */
const MAX_MATCHES = 20;

/**
 * The IOC files of one folder, each in its own index, kept current: a change notification (or the
 * periodic re-check) re-reads only the files whose size, time or inode changed, so one large file
 * is not re-indexed when a small one is edited. A new version that
 * cannot be used at all (unreadable, too big, not JSON, no header, not one good entry among bad
 * ones) leaves that file's last good entries in place and is reported; a version with some bad
 * entries replaces the old one, the bad entries reported by line or object.
 */
export class IocFolder {
  private readonly files = new Map<string, FileState>();
  /** The files' indexes in name order, for lookups. */
  private ordered: IocIndex[] = [];
  private folderProblems: IocProblem[] = [];
  private folderError: string | undefined;
  private watcher: FSWatcher | null = null;
  private settleTimer: NodeJS.Timeout | null = null;
  private rescanTimer: NodeJS.Timeout | null = null;
  private scanning: Promise<void> | null = null;
  private again = false;
  private closed = false;
  private readonly maxFileBytes: number;
  private readonly maxFiles: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  /** Resolves once the first scan is done. */
  readonly ready: Promise<void>;

  constructor(private readonly opts: IocFolderOptions) {
    this.maxFileBytes = opts.maxFileBytes ?? 64 * 1024 * 1024;
    this.maxFiles = opts.maxFiles ?? 1000;
    this.maxEntries = opts.maxEntries ?? 1_000_000;
    this.now = opts.now ?? Date.now;
    this.ready = this.start();
  }

  /** Entries matching the indicator and valid at `now`, file by file in name order. */
  match(indicator: Indicator, now: number): IocEntry[] {
    const found: IocEntry[] = [];
    for (const index of this.ordered) {
      if (found.length >= MAX_MATCHES) break;
      found.push(...index.match(indicator, now).slice(0, MAX_MATCHES - found.length));
    }
    return found;
  }

  /** IOCs loaded over all files. */
  get size(): number {
    let n = 0;
    for (const f of this.files.values()) n += f.index.size;
    return n;
  }

  summary(): FolderSummary {
    let problems = this.folderProblems.length;
    const failing: string[] = [];
    for (const [name, f] of this.files) {
      problems += f.problems.length;
      if (f.failing) failing.push(name);
    }
    return { files: this.files.size, entries: this.size, failing, problems, ...(this.folderError ? { error: this.folderError } : {}) };
  }

  problems(): IocProblem[] {
    return [...this.folderProblems, ...[...this.files.values()].flatMap((f) => f.problems)];
  }

  /** Re-checks the folder now (and again after a running check); resolves when done. */
  rescan(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.scanning) {
      this.again = true;
      return this.scanning;
    }
    this.scanning = (async () => {
      do {
        this.again = false;
        await this.scan().catch((err: Error) => {
          this.folderError = `scan failed: ${err.message}`;
        });
      } while (this.again && !this.closed);
      this.scanning = null;
    })();
    return this.scanning;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.watcher?.close();
    this.watcher = null;
    if (this.settleTimer) clearTimeout(this.settleTimer);
    if (this.rescanTimer) clearInterval(this.rescanTimer);
    await this.scanning;
  }

  private async start(): Promise<void> {
    try {
      await mkdir(this.opts.dir, { recursive: true });
    } catch (err) {
      this.folderError = `cannot create ${this.opts.dir} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
    }
    this.rescanTimer = setInterval(() => {
      this.ensureWatcher();
      void this.rescan();
    }, this.opts.rescanMs ?? 30_000);
    this.rescanTimer.unref();
    this.ensureWatcher();
    await this.rescan();
  }

  private ensureWatcher(): void {
    if (this.watcher || this.closed) return;
    try {
      this.watcher = watch(this.opts.dir, { persistent: false }, () => this.changed());
      this.watcher.on("error", () => {
        this.watcher?.close();
        this.watcher = null;
      });
    } catch {
      // No notifications here (folder missing, no inotify watches left): the periodic re-check covers it.
      this.watcher = null;
    }
  }

  private changed(): void {
    if (this.closed) return;
    if (this.settleTimer) clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => {
      this.settleTimer = null;
      void this.rescan();
    }, this.opts.settleMs ?? 200);
    this.settleTimer.unref();
  }

  private async scan(): Promise<void> {
    let names: string[];
    try {
      names = (await readdir(this.opts.dir)).filter(isIocFileName).sort();
      this.folderError = undefined;
    } catch (err) {
      this.folderError = `cannot read ${this.opts.dir} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
      names = [];
    }
    const folderProblems: IocProblem[] = [];
    if (names.length > this.maxFiles) {
      folderProblems.push({ file: ".", reason: `${names.length} files, over the limit of ${this.maxFiles}; ${names.length - this.maxFiles} not read` });
      names = names.slice(0, this.maxFiles);
    }
    const changes: FileReport[] = [];
    const present = new Set<string>();
    for (const name of names) {
      const file = path.join(this.opts.dir, name);
      let st: Stats;
      try {
        st = await stat(file);
      } catch {
        continue;
      }
      if (!st.isFile()) continue;
      present.add(name);
      const stamp = stampOf(st);
      const before = this.files.get(name);
      if (before?.stamp === stamp) continue;
      const report = await this.load(name, file, st, stamp, before);
      if (report) changes.push(report);
    }
    for (const [name, f] of this.files) {
      if (present.has(name)) continue;
      this.files.delete(name);
      changes.push({ file: name, state: "removed", entries: f.index.size, problems: [] });
    }
    this.folderProblems = folderProblems;
    if (changes.length > 0) {
      this.ordered = [...this.files.keys()].sort().map((name) => this.files.get(name)!.index);
      this.opts.onReport?.(changes);
    }
  }

  /** Reads one new or changed file; undefined when it changed while being read (it is read again once it settles). */
  private async load(name: string, file: string, st: Stats, stamp: string, before: FileState | undefined): Promise<FileReport | undefined> {
    let fatal: string | undefined;
    let parsed: ReturnType<typeof parseIocFile> | undefined;
    if (st.size > this.maxFileBytes) fatal = `${st.size} bytes, over the limit of ${this.maxFileBytes}`;
    else {
      let text: string;
      try {
        text = await readFile(file, "utf8");
        if (stampOf(await stat(file)) !== stamp) {
          this.changed();
          return undefined;
        }
      } catch (err) {
        text = "";
        fatal = `unreadable (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
      }
      if (fatal === undefined) {
        parsed = parseIocFile(name, text, this.now());
        fatal = parsed.fatal ?? (parsed.records.length === 0 && parsed.problems.length > 0 ? "not one usable entry" : undefined);
      }
    }
    if (fatal === undefined && parsed) {
      const room = Math.max(0, this.maxEntries - (this.size - (before?.index.size ?? 0)));
      const cut = parsed.records.length - room;
      if (cut > 0) {
        // Named by the first entry left out, so the user sees where the file stops counting.
        const { line, object } = parsed.records[room].entry;
        parsed.problems.push({ file: name, line, object, reason: `over the limit of ${this.maxEntries} IOCs in the folder; ${cut} not loaded` });
      }
      const problems = capped(name, parsed.problems);
      const index = new IocIndex(cut > 0 ? parsed.records.slice(0, room) : parsed.records);
      this.files.set(name, { stamp, index, problems, failing: false });
      return { file: name, state: "loaded", entries: index.size, problems };
    }
    const problems = capped(name, [...(parsed?.problems ?? []), { file: name, reason: fatal ?? "unusable" }]);
    const kept = before?.index ?? new IocIndex();
    this.files.set(name, { stamp, index: kept, problems, failing: true });
    return { file: name, state: kept.size > 0 ? "kept_last_good" : "failed", entries: kept.size, problems };
  }
}

function stampOf(st: Stats): string {
  return `${st.mtimeMs}:${st.size}:${st.ino}`;
}

function capped(file: string, problems: IocProblem[]): IocProblem[] {
  if (problems.length <= MAX_PROBLEMS_PER_FILE) return problems;
  return [...problems.slice(0, MAX_PROBLEMS_PER_FILE), { file, reason: `and ${problems.length - MAX_PROBLEMS_PER_FILE} more problems` }];
}
