import storeNode from "../../nodes/ztna-store/ztna-store";
import { TempDir } from "../lib/store/events";
import { startRuntime, stopRuntime } from "../helpers/node-red";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Api = any;

export interface StoreRuntime {
  /** A folder of its own for each test, for the store's file. */
  tmp: TempDir;
  /** The `ztna-store` module to load; it remembers the runtime API it was loaded with. */
  storeModule: (api: Api) => void;
  /** That API, for calling storeFor as another node would. */
  red: () => Api;
}

/** Called inside a describe: a fresh folder and a started runtime for each test, both gone after it. */
export function useStoreRuntime(): StoreRuntime {
  const tmp = new TempDir();
  let api: Api;
  beforeEach(async () => {
    await tmp.make();
    await startRuntime();
  });
  afterEach(async () => {
    await stopRuntime();
    await tmp.remove();
  });
  return {
    tmp,
    storeModule: (loaded: Api) => {
      api = loaded;
      storeNode(loaded);
    },
    red: () => api,
  };
}
