import { compileNode, literal, type Node } from "./safe-regex";

/** `*` any run of characters, `?` exactly one. */
export type Part = string | typeof ANY_RUN | typeof ONE_CHAR;
export const ANY_RUN = Symbol("*");
export const ONE_CHAR = Symbol("?");

/**
 * A Sigma string value as literal text and wildcards. A backslash escapes `*`, `?` and itself
 * (`\*`, `\?`, `\\`); before anything else it is a plain backslash, so Windows paths need no
 * escaping (Sigma specification, "Escaping").
 */
export function parseWildcards(value: string): Part[] {
  const parts: Part[] = [];
  let text = "";
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === "\\" && (value[i + 1] === "*" || value[i + 1] === "?" || value[i + 1] === "\\")) {
      text += value[++i];
    } else if (ch === "*" || ch === "?") {
      if (text) parts.push(text);
      text = "";
      if (ch === "?") parts.push(ONE_CHAR);
      else if (parts[parts.length - 1] !== ANY_RUN) parts.push(ANY_RUN);
    } else text += ch;
  }
  if (text) parts.push(text);
  return parts;
}

export type StringTest = (value: string) => boolean;

/** A pattern that plain string comparisons decide, or undefined when it needs an automaton. */
export type Simple = { kind: "equals" | "prefix" | "suffix" | "infix"; text: string } | { kind: "any" };

export function simplify(parts: readonly Part[]): Simple | undefined {
  const [a, b, c] = parts;
  if (parts.length === 0) return { kind: "equals", text: "" };
  if (parts.length === 1) return typeof a === "string" ? { kind: "equals", text: a } : a === ANY_RUN ? { kind: "any" } : undefined;
  if (parts.length === 2 && a === ANY_RUN && typeof b === "string") return { kind: "suffix", text: b };
  if (parts.length === 2 && typeof a === "string" && b === ANY_RUN) return { kind: "prefix", text: a };
  if (parts.length === 3 && a === ANY_RUN && typeof b === "string" && c === ANY_RUN) return { kind: "infix", text: b };
  return undefined;
}

/**
 * Whether a whole string matches the parts: plain comparisons where simplify() allows, a
 * linear-time automaton otherwise. Parts must already be in the case they are compared in.
 */
export function wildcardTest(parts: readonly Part[]): StringTest {
  const simple = simplify(parts);
  if (simple?.kind === "any") return () => true;
  if (simple) {
    const t = simple.text;
    if (simple.kind === "equals") return (v) => v === t;
    if (simple.kind === "prefix") return (v) => v.startsWith(t);
    if (simple.kind === "suffix") return (v) => v.endsWith(t);
    return (v) => v.includes(t);
  }
  const items: Node[] = [{ t: "assert", kind: "start" }];
  for (const p of parts) {
    if (typeof p === "string") items.push(literal(p));
    else if (p === ANY_RUN) items.push({ t: "rep", node: { t: "any" }, min: 0, max: Infinity });
    else items.push({ t: "any" });
  }
  items.push({ t: "assert", kind: "end" });
  const re = compileNode({ t: "cat", items }, { i: false, m: false, s: true });
  return (v) => re.test(v);
}
