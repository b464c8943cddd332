import type { Indicator, IndicatorType, IntelProvider, ProviderHealth, ProviderResult, Reliability } from "../../../lib/intel/types";

export interface RecordingOptions {
  name?: string;
  party?: "first" | "third";
  local?: boolean;
  /** Default B, as the established reputation services. */
  reliability?: Reliability;
  types?: IndicatorType[];
  /** Answer for a value; default not_found. */
  answer?: (indicator: Indicator, call: number) => Partial<ProviderResult> | Promise<Partial<ProviderResult>>;
  /** Milliseconds before answering; the lookup ends early, as a real client does, when its signal aborts. */
  delayMs?: number;
  /** Ignore the abort signal, as a broken client would. */
  deaf?: boolean;
  health?: Partial<ProviderHealth>;
}

/**
 * Stands in for a remote intel service: records every indicator it is asked about, answers as
 * told, optionally slowly. Tests use it to see exactly what would have left the machine.
 */
export class RecordingProvider implements IntelProvider {
  readonly name: string;
  readonly party: "first" | "third";
  readonly local?: boolean;
  readonly reliability: Reliability;
  readonly calls: Indicator[] = [];
  aborted = 0;

  constructor(private readonly opts: RecordingOptions = {}) {
    this.name = opts.name ?? "remote";
    this.party = opts.party ?? "third";
    if (opts.local !== undefined) this.local = opts.local;
    this.reliability = opts.reliability ?? "B";
  }

  supports(type: IndicatorType): boolean {
    return this.opts.types ? this.opts.types.includes(type) : true;
  }

  async lookup(indicator: Indicator, signal: AbortSignal): Promise<ProviderResult> {
    this.calls.push(indicator);
    const call = this.calls.length;
    if (this.opts.delayMs) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.opts.delayMs);
        if (!this.opts.deaf) {
          signal.addEventListener("abort", () => {
            this.aborted++;
            clearTimeout(timer);
            resolve();
          }, { once: true });
        }
      });
    }
    const base: ProviderResult = { provider: this.name, indicator: indicator.value, type: indicator.type, verdict: "unknown", score: 0, status: "not_found", data: {} };
    if (signal.aborted && !this.opts.deaf) return { ...base, status: "error", reason: "timeout" };
    return { ...base, ...(await this.opts.answer?.(indicator, call)) };
  }

  health(): ProviderHealth {
    return { provider: this.name, state: "ok", lookups: this.calls.length, cacheHits: 0, ...this.opts.health };
  }

  async close(): Promise<void> {}

  values(): string[] {
    return this.calls.map((c) => c.value);
  }
}
