import assert from "node:assert/strict";
import { parseBatch } from "../../../lib/parsers";
import { KEPT_PER_BATCH, KEPT_PER_DATASET, ShapeKeeper } from "../../../lib/parsers/shape-keeper";
import type { NormalizedEvent } from "../../../lib/schema/event";

const FIELD: Record<string, string> = { gateway_http: "HTTPMethod", gateway_dns: "QueryName" };
const events = (dataset: string, n: number, from = 0): NormalizedEvent[] =>
  parseBatch(Array.from({ length: n }, (_, i) => ({ Datetime: "2025-06-02T14:03:11Z", RequestID: `r${from + i}`, [FIELD[dataset]]: "x" })), dataset).events;

describe("parsers: shape keeper", () => {
  it("takes a few events spread over each batch", () => {
    const keeper = new ShapeKeeper();
    keeper.keep(events("gateway_http", 1000));
    assert.equal(keeper.held(), KEPT_PER_BATCH);
    const small = new ShapeKeeper();
    small.keep(events("gateway_http", 3));
    assert.equal(small.held(), 3);
    small.keep([]);
    assert.equal(small.held(), 3);
  });

  it("holds at most its bound per dataset however many batches pass", () => {
    const keeper = new ShapeKeeper();
    const batch = 4 * KEPT_PER_BATCH;
    for (let b = 0; b < 50; b++) keeper.keep(events("gateway_http", batch, b * batch));
    assert.equal(keeper.held(), KEPT_PER_DATASET);
    keeper.keep(events("gateway_dns", batch));
    assert.equal(keeper.held(), KEPT_PER_DATASET + KEPT_PER_BATCH, "a busy dataset does not push out another's");
  });
});
