import { fieldGetter } from "./field-path";
import type { Hit } from "./hit";
import type { StateStore } from "./state-store";

/** What a rule firing becomes: a new alert, or a repeat (folded into the batch's alert, or dropped). */
export type Verdict = "alert" | "repeat";

/**
 * `suppress: {by, for}`: after an alert for an entity (the `by` values), the rule's repeats for
 * that entity within `for` of event time are repeats. Within a batch they fold into the alert,
 * which counts them; in later batches, when that alert has gone out, they are only counted. The
 * record of the last alert per entity lives in the state store, so it survives a restart.
 */
export class Suppressor {
  private readonly key: Array<(hit: Hit) => string>;
  private readonly stateKey: string;

  constructor(
    ruleId: string,
    private readonly settings: { by: readonly string[]; forMs: number },
    private readonly store: StateStore,
  ) {
    this.stateKey = suppressionKey(ruleId);
    this.key = settings.by.map((field) => {
      const get = fieldGetter(field);
      return (hit) => hit.group?.[field] ?? text(hit.events[0] && get(hit.events[0].event));
    });
  }

  /** The entity a hit is about. */
  entity(hit: Hit): string {
    return this.key.map((k) => k(hit)).join("\u001f");
  }

  judge(entity: string, t: number): Verdict {
    const forMs = this.settings.forMs;
    const last = this.store.get(this.stateKey, entity);
    if (last && t <= last.expires && t >= last.since - forMs) return "repeat";
    this.store.set(this.stateKey, entity, { since: t, expires: t + forMs, values: new Map(), events: [] });
    return "alert";
  }
}

/** Where a rule's suppression records live in the state store (`:` is not allowed in rule ids). */
export function suppressionKey(ruleId: string): string {
  return `${ruleId}:suppress`;
}

/** Folds a repeat into the alert it repeats; events past the cap are left out, but counted. */
export function fold(into: Hit, repeat: Hit, maxEvents: number): void {
  into.count += repeat.count;
  into.first = Math.min(into.first, repeat.first);
  into.last = Math.max(into.last, repeat.last);
  into.events = [...into.events, ...repeat.events].slice(0, maxEvents);
}

function text(value: unknown): string {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? String(v) : "";
}
