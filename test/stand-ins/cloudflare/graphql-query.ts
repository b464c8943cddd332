/** A value as written in the query. */
export type GqlValue =
  | { var: string }
  | { literal: string | number | boolean | null }
  | { enum: string }
  | { object: Record<string, GqlValue> }
  | { list: GqlValue[] };

export interface GqlField {
  name: string;
  args: Record<string, GqlValue>;
  selections: GqlField[];
}

export class GqlError extends Error {
  constructor(
    message: string,
    readonly path?: Array<string | number>,
  ) {
    super(message);
  }
}

const TOKEN = /\s+|,|#[^\n]*|\.\.\.|[{}()[\]:!=$@]|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|"(?:[^"\\\n]|\\.)*"|[_A-Za-z][_0-9A-Za-z]*/y;
const IGNORED = /^(?:\s+|,|#.*)$/;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m) throw new GqlError(`Syntax Error: unexpected character "${text[at]}" at offset ${at}`);
    if (!IGNORED.test(m[0])) tokens.push(m[0]);
  }
  return tokens;
}

/**
 * The selection set of a query, for the subset of GraphQL that Analytics queries use: one query
 * operation, arguments, nested selections, variables, enums, objects and lists. Fragments,
 * aliases and directives are refused with a GraphQL error rather than misread.
 */
export function parseQuery(text: string): GqlField[] {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => {
    if (pos >= tokens.length) throw new GqlError("Syntax Error: unexpected end of query");
    return tokens[pos++];
  };
  const expect = (t: string) => {
    const got = next();
    if (got !== t) throw new GqlError(`Syntax Error: expected "${t}", found "${got}"`);
  };
  const name = () => {
    const t = next();
    if (!/^[_A-Za-z]/.test(t)) throw new GqlError(`Syntax Error: expected a name, found "${t}"`);
    return t;
  };

  function value(): GqlValue {
    const t = next();
    if (t === "$") return { var: name() };
    if (t === "{") {
      const object: Record<string, GqlValue> = {};
      while (peek() !== "}") {
        const key = name();
        expect(":");
        object[key] = value();
      }
      next();
      return { object };
    }
    if (t === "[") {
      const list: GqlValue[] = [];
      while (peek() !== "]") list.push(value());
      next();
      return { list };
    }
    if (t.startsWith('"')) return { literal: JSON.parse(t) as string };
    if (/^-?\d/.test(t)) return { literal: Number(t) };
    if (t === "true" || t === "false") return { literal: t === "true" };
    if (t === "null") return { literal: null };
    if (/^[_A-Za-z]/.test(t)) return { enum: t };
    throw new GqlError(`Syntax Error: unexpected "${t}"`);
  }

  function selectionSet(): GqlField[] {
    expect("{");
    const fields: GqlField[] = [];
    while (peek() !== "}") {
      if (peek() === "..." || peek() === "@") throw new GqlError("the stand-in supports no fragments or directives");
      const field: GqlField = { name: name(), args: {}, selections: [] };
      if (peek() === ":") throw new GqlError("the stand-in supports no aliases");
      if (peek() === "(") {
        next();
        while (peek() !== ")") {
          const key = name();
          expect(":");
          field.args[key] = value();
        }
        next();
      }
      if (peek() === "{") field.selections = selectionSet();
      fields.push(field);
    }
    next();
    return fields;
  }

  if (peek() === "query") {
    next();
    if (peek() !== "(" && peek() !== "{") name();
    if (peek() === "(") skipVariableDefinitions();
  } else if (peek() !== "{") {
    throw new GqlError(`the stand-in answers queries only, not "${peek()}"`);
  }
  const fields = selectionSet();
  if (pos < tokens.length) throw new GqlError(`Syntax Error: unexpected "${tokens[pos]}" after the query`);
  return fields;

  /** `($a: String!, $ids: [String!])`: types are not checked, values come from `variables`. */
  function skipVariableDefinitions(): void {
    let depth = 0;
    do {
      const t = next();
      if (t === "(") depth++;
      if (t === ")") depth--;
    } while (depth > 0);
  }
}

/** A written value with its variables filled in. */
export function resolveValue(v: GqlValue, variables: Record<string, unknown>): unknown {
  if ("var" in v) {
    if (!(v.var in variables)) throw new GqlError(`Variable "$${v.var}" is not provided`);
    return variables[v.var];
  }
  if ("literal" in v) return v.literal;
  if ("enum" in v) return v.enum;
  if ("list" in v) return v.list.map((item) => resolveValue(item, variables));
  return Object.fromEntries(Object.entries(v.object).map(([k, item]) => [k, resolveValue(item, variables)]));
}

/** Whether every leaf of a written value is a variable: values a flow supplies must never be pasted into the text. */
export function onlyVariables(v: GqlValue): boolean {
  if ("var" in v) return true;
  if ("list" in v) return v.list.every(onlyVariables);
  if ("object" in v) return Object.values(v.object).every(onlyVariables);
  return false;
}
