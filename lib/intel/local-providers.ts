import type { FeedReport } from "./feeds/feed-provider";
import { createSpamhausDropProvider, createTorExitProvider } from "./feeds/feed-providers";
import type { FileReport } from "./ioc/ioc-folder";
import { IocFileProvider } from "./ioc/ioc-provider";
import { parseLocalIntelConfig, type LocalIntelConfigInput } from "./local-config";
import type { IntelProvider } from "./types";

export interface LocalIntel {
  /** Allowlist, IOC files, Tor, DROP: those configured, in that order. */
  providers: IntelProvider[];
  /** Normalized, for the Enricher's options. */
  ownDomains: string[];
  ownNetworks: string[];
  /** Resolves once every folder and stored feed copy has been read; downloads go on in the background. */
  ready: Promise<void>;
  close(): Promise<void>;
}

export interface LocalIntelHooks {
  /** A folder changed: files loaded, kept at their last good version, failed or removed. */
  onFiles?: (provider: string, changes: FileReport[]) => void;
  /** A feed download ended. */
  onFeed?: (report: FeedReport) => void;
}

/**
 * The offline first-party providers from validated settings (see parseLocalIntelConfig). Throws
 * a TypeError naming the field when the settings are wrong. Nothing waits for the network.
 */
export function createLocalProviders(config: LocalIntelConfigInput, hooks: LocalIntelHooks = {}): LocalIntel {
  const parsed = parseLocalIntelConfig(config);
  if (!parsed.ok) throw new TypeError(parsed.error);
  const s = parsed.value;
  const folder = (dir: string, allowlist: boolean) =>
    new IocFileProvider({ dir, allowlist, rescanMs: s.rescanMs, maxFileBytes: s.maxFileBytes, onReport: (changes) => hooks.onFiles?.(allowlist ? "allowlist" : "ioc-files", changes) });
  // parseLocalIntelConfig refuses an enabled feed without a folder.
  const feed = { dir: s.feedsDir as string, onReport: hooks.onFeed };
  const providers: Array<IocFileProvider | ReturnType<typeof createTorExitProvider>> = [];
  if (s.allowDir) providers.push(folder(s.allowDir, true));
  if (s.iocDir) providers.push(folder(s.iocDir, false));
  if (s.tor.enabled) providers.push(createTorExitProvider({ ...feed, urls: [s.tor.url], intervalMs: s.tor.intervalMs }));
  if (s.drop.enabled) providers.push(createSpamhausDropProvider({ ...feed, urls: s.drop.urls, intervalMs: s.drop.intervalMs }));
  return {
    providers,
    ownDomains: s.ownDomains,
    ownNetworks: s.ownNetworks,
    ready: Promise.all(providers.map((p) => p.ready)).then(() => undefined),
    close: async () => {
      await Promise.all(providers.map((p) => p.close()));
    },
  };
}
