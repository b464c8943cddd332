import type { NormalizedEvent } from "../schema/event";

/**
 * Events kept per dataset: enough for the variants of a source's records (with or without a URL, a
 * device, a policy…) that normal traffic has. With 32 per dataset, 8 from a batch, the benchmark's
 * mix still lost a variant and with it the compiled code of its dataset every third collection.
 */
export const KEPT_PER_DATASET = 128;
/** Taken from each batch, spread over it, so that one batch does not fill a dataset's ring with one variant. */
export const KEPT_PER_BATCH = 32;

/**
 * A few recent events of each dataset, held only so that they stay alive.
 *
 * V8 compiles the normalizers and the detection programs against the hidden classes of the events
 * and raw records they see. Those classes are held weakly: at a full collection during which no
 * object of a class is alive (between two Logpush deliveries, say) the class is dropped and every
 * function compiled against it is thrown back to the interpreter, to be optimized again on the next
 * batch. Measured before this existed: parse throughput swinging between about 130k and 250k
 * records/s from one batch of deliveries to the next, with a wave of 15–60 such deoptimizations
 * every third full collection; with it, none after warm-up. The cost is at most `KEPT_PER_DATASET`
 * events of each dataset (about 3 KB each with the raw record, so under 400 KB a dataset) held
 * longer than the flow holds them.
 */
export class ShapeKeeper {
  private readonly rings = new Map<string, { events: NormalizedEvent[]; next: number }>();

  keep(events: readonly NormalizedEvent[]): void {
    const step = Math.max(1, Math.ceil(events.length / KEPT_PER_BATCH));
    for (let i = 0; i < events.length; i += step) {
      const event = events[i];
      const dataset = event.event.dataset;
      let ring = this.rings.get(dataset);
      if (!ring) this.rings.set(dataset, (ring = { events: [], next: 0 }));
      ring.events[ring.next] = event;
      ring.next = (ring.next + 1) % KEPT_PER_DATASET;
    }
  }

  /** How many events are held, for tests of the bound. */
  held(): number {
    let n = 0;
    for (const ring of this.rings.values()) n += ring.events.length;
    return n;
  }
}
