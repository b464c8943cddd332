import { RuleError, type CorrelationRule, type Rule } from "./rule";

export interface LinkResult {
  /** The pool, in order, with every correlation's `bases` resolved; refused ones left out. */
  rules: Rule[];
  refused: Array<{ rule: Rule; error: RuleError }>;
}

/**
 * Resolves what each correlation names (Sigma: a rule's id or its `name`) within `pool`. A name
 * used by several rules resolves to the one in the correlation's own file, as names need only be
 * unique there. Correlations whose bases cannot be resolved, were refused, or form a cycle are
 * refused in turn. Returns new objects for correlations; rules themselves are never changed.
 */
export function linkRules(pool: readonly Rule[]): LinkResult {
  const byId = new Map(pool.map((r) => [r.id, r]));
  const byName = new Map<string, Rule[]>();
  for (const r of pool) if (r.name !== undefined) byName.set(r.name, [...(byName.get(r.name) ?? []), r]);

  const refused = new Map<Rule, RuleError>();
  const named = new Map<CorrelationRule, Rule[]>();
  for (const r of pool) {
    if (r.kind !== "correlation") continue;
    try {
      named.set(r, r.correlation.rules.map((ref, i) => resolve(ref, r, byId, byName, ["correlation", "rules", i])));
    } catch (err) {
      if (!(err instanceof RuleError)) throw err;
      refused.set(r, err);
    }
  }

  const linked = new Map<Rule, Rule>();
  const visiting: Rule[] = [];
  const link = (r: Rule): Rule => {
    if (r.kind === "detection") return r;
    const done = linked.get(r);
    if (done) return done;
    const why = refused.get(r);
    if (why) throw why;
    if (visiting.includes(r)) {
      const cycle = [...visiting.slice(visiting.indexOf(r)), r].map((x) => x.id).join(" → ");
      throw new CycleError(`correlations form a cycle: ${cycle}`, ["correlation", "rules"]);
    }
    visiting.push(r);
    try {
      const bases = named.get(r)!.map((base, i) => {
        try {
          return link(base);
        } catch (err) {
          if (err instanceof CycleError || !(err instanceof RuleError)) throw err;
          throw new RuleError(`rule "${r.correlation.rules[i]}" it correlates was refused`, ["correlation", "rules", i]);
        }
      });
      const out: CorrelationRule = { ...r, bases };
      linked.set(r, out);
      return out;
    } finally {
      visiting.pop();
    }
  };

  const rules: Rule[] = [];
  for (const r of pool) {
    try {
      rules.push(link(r));
    } catch (err) {
      if (!(err instanceof RuleError)) throw err;
      refused.set(r, err);
    }
  }
  return { rules, refused: pool.filter((r) => refused.has(r)).map((rule) => ({ rule, error: refused.get(rule)! })) };
}

class CycleError extends RuleError {}

function resolve(ref: string, from: Rule, byId: ReadonlyMap<string, Rule>, byName: ReadonlyMap<string, Rule[]>, path: Array<string | number>): Rule {
  const exact = byId.get(ref);
  if (exact) return exact;
  const candidates = byName.get(ref) ?? [];
  if (candidates.length === 1) return candidates[0];
  const local = candidates.filter((r) => r.file === from.file);
  if (local.length === 1) return local[0];
  if (candidates.length > 1) throw new RuleError(`"${ref}" is the name of ${candidates.length} rules; refer to it by id`, path);
  throw new RuleError(`unknown rule "${ref}" (neither an id nor a name of a loaded rule)`, path);
}

/**
 * Whether a rule's matches are alerts in their own right. A detection rule saying `generate` has
 * its way; otherwise, as in Sigma, rules that a correlation in the same file names only feed it,
 * unless that correlation says `generate: true`.
 */
export function alertsAlone(rule: Rule, rules: readonly Rule[]): boolean {
  if (rule.kind === "detection" && rule.generate !== undefined) return rule.generate;
  let fed = false;
  for (const c of rules) {
    if (c.kind !== "correlation" || c.file !== rule.file || !c.bases.some((b) => b.id === rule.id)) continue;
    if (c.generate === true) return true;
    fed = true;
  }
  return !fed;
}
