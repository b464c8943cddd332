import { createRemoteProviders, type ProviderConfigInput, type RemoteOptions, type RemoteProviderName } from "../../../../lib/intel/remote";
import type { Indicator, IntelProvider } from "../../../../lib/intel/types";
import { startIntelApi, type IntelAreaName, type IntelApiStandIn } from "../../../stand-ins/intel-api";

export interface IntelFixture {
  readonly api: IntelApiStandIn;
  /** One provider against the stand-in with its key, fast back-off, and `config` on top. */
  provider(name: IntelAreaName, config?: ProviderConfigInput, options?: RemoteOptions): IntelProvider;
}

/** The intel stand-in for the enclosing `describe`, emptied after each test; providers made through it are closed. */
export function useIntelStandIn(): IntelFixture {
  let api: IntelApiStandIn | null = null;
  const made: IntelProvider[] = [];
  before(async () => {
    api = await startIntelApi();
  });
  afterEach(async () => {
    await Promise.all(made.splice(0).map((p) => p.close()));
    api?.reset();
  });
  after(() => api?.close());
  return {
    get api() {
      if (!api) throw new Error("the stand-in is not running yet");
      return api;
    },
    provider(name, config = {}, options = {}) {
      const entry: ProviderConfigInput = { enabled: true, key: this.api.key(name), baseUrl: this.api.baseUrl(name), retryBaseMs: 1, ...config };
      const result = createRemoteProviders({ [name]: entry } as Partial<Record<RemoteProviderName, ProviderConfigInput>>, options);
      if (!result.ok) throw new Error(result.error);
      const [provider] = result.value;
      made.push(provider);
      return provider;
    },
  };
}

/** A signal that never aborts. */
export const never = () => new AbortController().signal;

export const ip = (value: string): Indicator => ({ type: value.includes(":") ? "ipv6" : "ipv4", value });

