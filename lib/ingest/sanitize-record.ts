/**
 * Keys through which a later `Object.assign`, merge or clone reaches a prototype (`__proto__`
 * directly, `constructor.prototype` one step on). JSON.parse makes them harmless own properties,
 * but downstream code (ours or a user's function node) may not be so careful.
 */
export const POISON_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor"]);

export interface SanitizeVerdict {
  tooDeep: boolean;
  removedKeys: number;
}

/**
 * Removes prototype-polluting keys in place and checks nesting depth, in one walk.
 * Depth is bounded because deep structures overflow the stack of recursive code downstream
 * (message cloning, JSON encoders), not because JSON.parse minds them.
 */
export function sanitizeRecord(root: Record<string, unknown>, maxDepth: number): SanitizeVerdict {
  const verdict: SanitizeVerdict = { tooDeep: false, removedKeys: 0 };
  walk(root, 1, maxDepth, verdict);
  return verdict;
}

function walk(value: object, depth: number, maxDepth: number, verdict: SanitizeVerdict): void {
  if (depth > maxDepth) {
    verdict.tooDeep = true;
    return;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (item !== null && typeof item === "object") {
        walk(item, depth + 1, maxDepth, verdict);
        if (verdict.tooDeep) return;
      }
    }
    return;
  }
  const obj = value as Record<string, unknown>;
  for (const key in obj) {
    if (POISON_KEYS.has(key)) {
      delete obj[key];
      verdict.removedKeys++;
      continue;
    }
    const item = obj[key];
    if (item !== null && typeof item === "object") {
      walk(item, depth + 1, maxDepth, verdict);
      if (verdict.tooDeep) return;
    }
  }
}
