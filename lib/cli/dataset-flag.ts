import { DATASETS, isDataset } from "../schema/event";
import { UsageError } from "./args";

/** `--dataset NAME` as the parse and detect commands take it: a known dataset, `unknown`, or absent. */
export function datasetFlag(value: string | undefined): string | undefined {
  if (value !== undefined && value !== "unknown" && !isDataset(value)) {
    throw new UsageError(`--dataset must be one of ${DATASETS.join(", ")} or unknown, not "${value}"`);
  }
  return value;
}
