/** Reads one field of an event; arrays met on the way yield every element's value. */
export type FieldGetter = (event: object) => unknown;

/**
 * Reading fields by dotted name (`user.email`, `cloudflare.gateway_http.BlockedFileReason`):
 *
 * - Nested objects are walked segment by segment (normalized events are nested; rule tests
 *   written with dotted keys are nested before they run).
 * - An array met before the last segment is walked element by element and the values gathered
 *   into one array (`related.*` style data): a rule then matches when any element matches.
 * - Functions are not data: `constructor` or `toString` read from the prototype count as missing.
 *
 * The common path is generated code with the names as constants (see compileDetection for why),
 * compiled once per field name; the rare array-in-the-middle case falls back to a general walk.
 */
const getters = new Map<string, FieldGetter>();

export function fieldGetter(name: string): FieldGetter {
  let getter = getters.get(name);
  if (!getter) {
    const source = `"use strict";\nreturn function get(e) {\nlet v;\n${readSource(name, "gather")}\nreturn v;\n};`;
    getter = new Function("gather", source)(gatherer(name.split("."))) as FieldGetter;
    getters.set(name, getter);
  }
  return getter;
}

/**
 * Statements that leave the value of field `name` of the object `e` in `v`; `gather` names, in the
 * code's scope, a getter for the same field that handles arrays met on the way. Names enter the
 * code only as JSON string literals.
 */
export function readSource(name: string, gather: string): string {
  const segments = name.split(".");
  const step = (i: number): string => {
    const read = `v = v[${JSON.stringify(segments[i])}];`;
    if (i === segments.length - 1) return read;
    return `${read}\nif (v !== null && typeof v === "object") { if (Array.isArray(v)) v = ${gather}(e); else { ${step(i + 1)} } } else v = undefined;`;
  };
  return `v = e;\n${step(0)}\nif (typeof v === "function") v = undefined;`;
}

/** The general walk, for values under arrays. */
function gatherer(segments: readonly string[]): FieldGetter {
  const last = segments.length - 1;
  const walk = (from: unknown, start: number): unknown => {
    let current = from;
    for (let i = start; i <= last; i++) {
      if (current === null || typeof current !== "object") return undefined;
      if (Array.isArray(current)) {
        const out: unknown[] = [];
        for (const item of current) {
          const v = walk(item, i);
          if (Array.isArray(v)) out.push(...v);
          else if (v !== undefined) out.push(v);
        }
        return out.length > 0 ? out : undefined;
      }
      const next = (current as Record<string, unknown>)[segments[i]];
      current = typeof next === "function" ? undefined : next;
    }
    return current;
  };
  return (event) => walk(event, 0);
}
