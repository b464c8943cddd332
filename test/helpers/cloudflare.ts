import { CloudflareClient, RateBudget, type CloudflareClientOptions } from "../../lib/cloudflare";
import { startCloudflareApi, type CloudflareApiStandIn } from "../stand-ins/cloudflare-api";

/** Distinctive enough that finding it in any output means the token leaked. */
export const TOKEN = "cf-tok-SENTINEL-4f9c2e7a1b8d";

export interface StandInFixture {
  readonly api: CloudflareApiStandIn;
  /** A client of the stand-in with its own budgets (tests must not share the process-wide ones) and fast back-off. */
  client(opts?: Partial<CloudflareClientOptions>): CloudflareClient;
}

/** A Cloudflare API stand-in for the enclosing `describe`, emptied after each test. */
export function useStandIn(): StandInFixture {
  let api: CloudflareApiStandIn | null = null;
  before(async () => {
    api = await startCloudflareApi({ token: TOKEN });
  });
  afterEach(() => api?.reset());
  after(() => api?.close());
  return {
    get api() {
      if (!api) throw new Error("the stand-in is not running yet");
      return api;
    },
    client(opts = {}) {
      return new CloudflareClient({
        accountId: this.api.accountId,
        token: TOKEN,
        baseUrl: this.api.url,
        retryBaseMs: 5,
        budget: new RateBudget(),
        graphqlBudget: new RateBudget(),
        ...opts,
      });
    },
  };
}

/** The rejection of `work`, which must reject. */
export async function rejection(work: Promise<unknown>): Promise<Error> {
  try {
    await work;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected the call to fail, but it succeeded");
}
