import type { NormalizedEvent } from "../../schema/event";
import { Correlation, type Firing } from "./correlation";

/**
 * temporal_ordered: the listed rules matched for the same group in the listed order, the whole
 * sequence within `timespan`. For each step the state keeps the latest start of a chain that has
 * reached it (`s<step>`, a later start leaves the most time for the rest) and when it did
 * (`t<step>`): one pass per event, whatever the number of candidate chains.
 */
export class TemporalOrdered extends Correlation {
  observe(event: NormalizedEvent, t: number, base: number, out: Firing[]): void {
    // A later step only extends a chain already open; with none open in any group (the usual
    // case: a chain starts with something rare) the event needs no group key at all.
    if (base !== 0 && !this.settings.store.hasGroups(this.id)) return;
    super.observe(event, t, base, out);
  }

  protected update(key: string, event: NormalizedEvent, t: number, base: number, out: Firing[]): void {
    const span = this.settings.timespanMs;
    const existing = this.load(key);
    // A later step with no chain to extend is noise; only a first step opens a group.
    if (!existing && base !== 0) return;
    const state = existing ?? this.fresh(t, t + span);
    const v = state.values;
    for (let step = 0; step < this.rule.correlation.rules.length; step++) {
      const start = v.get(`s${step}`);
      if (start !== undefined && t - start > span) {
        v.delete(`s${step}`);
        v.delete(`t${step}`);
      }
    }
    let advanced = false;
    if (base === 0) {
      v.set("s0", t);
      v.set("t0", t);
      advanced = true;
    } else {
      const start = v.get(`s${base - 1}`);
      const reached = v.get(`t${base - 1}`);
      const current = v.get(`s${base}`);
      if (start !== undefined && reached !== undefined && reached <= t && (current === undefined || start > current)) {
        v.set(`s${base}`, start);
        v.set(`t${base}`, t);
        advanced = true;
      }
    }
    if (!advanced) return;
    this.remember(state, event, t);
    const last = this.rule.correlation.rules.length - 1;
    const chainStart = v.get(`s${last}`);
    if (chainStart !== undefined) {
      out.push(this.firing(key, state.events, last + 1, chainStart));
      return this.forget(key);
    }
    let latest = -Infinity;
    for (const [k, time] of v) if (k.startsWith("s")) latest = Math.max(latest, time);
    if (latest === -Infinity) return this.forget(key);
    state.expires = latest + span;
    this.save(key, state);
  }
}
