import { ACCESS_LOGIN_DATASET, GATEWAY_DATASETS, type GatewayKind, type StandInData } from "./data";
import { GqlError, onlyVariables, parseQuery, resolveValue, type GqlField } from "./graphql-query";
import type { ApiRequest, Reply } from "./http";
import type { Rec } from "./query-tools";
import type { RouteTable } from "./routes";

const MAX_LIMIT = 10_000;
const KIND_OF = new Map(Object.entries(GATEWAY_DATASETS).map(([kind, dataset]) => [dataset as string, kind as GatewayKind]));
const OPERATOR = /^(.+?)(?:_(neq|gt|geq|lt|leq|in|notin|like|notlike|has))?$/;

/**
 * GraphQL Analytics (reference §6.4) over the seeded Gateway events and Access logins: `viewer { accounts(filter:
 * {accountTag: $a}) { <dataset>(limit, filter, orderBy) { count dimensions {…} sum {…} } } }`.
 * Each seeded row is one event; groups are formed by the selected dimensions. Filter values must
 * be variables: the project never pastes values into query text, and the stand-in holds it to that.
 */
export function graphqlRoutes(routes: RouteTable): void {
  routes.add("POST", "/graphql", answer);
}

function answer(req: ApiRequest, data: StandInData): Reply {
  const body = req.body as { query?: unknown; variables?: unknown } | undefined;
  if (typeof body !== "object" || body === null || typeof body.query !== "string") {
    return { status: 400, body: { data: null, errors: [gqlError(new GqlError("request body must be JSON with a query"))] } };
  }
  const variables = body.variables ?? {};
  if (typeof variables !== "object" || variables === null || Array.isArray(variables)) {
    return { status: 400, body: { data: null, errors: [gqlError(new GqlError("variables must be an object"))] } };
  }
  try {
    return { body: { data: evaluate(parseQuery(body.query), variables as Rec, data), errors: null } };
  } catch (err) {
    if (err instanceof GqlError) return { body: { data: null, errors: [gqlError(err)] } };
    throw err;
  }
}

function gqlError(err: GqlError): Rec {
  return { message: err.message, path: err.path ?? null, extensions: { timestamp: new Date().toISOString() } };
}

function evaluate(fields: GqlField[], variables: Rec, data: StandInData): Rec {
  const viewer = only(fields, "viewer", []);
  const accounts = only(viewer.selections, "accounts", ["viewer"]);
  const path = ["viewer", "accounts"];
  const filter = accounts.args.filter;
  if (!filter || !onlyVariables(filter)) throw new GqlError("accounts needs filter: {accountTag: $variable}", path);
  const tag = (resolveValue(filter, variables) as Rec).accountTag;
  if (tag !== data.accountId) throw new GqlError("not authorized for that account", path);
  const account: Rec = {};
  for (const field of accounts.selections) {
    const rows = rowsOf(data, field.name);
    if (!rows) throw new GqlError(`unknown field "${field.name}" on type "account"`, [...path, 0, field.name]);
    account[field.name] = groups(rows, field, variables, [...path, 0, field.name], data.analyticsFields.get(field.name));
  }
  return { viewer: { accounts: [account] } };
}

function rowsOf(data: StandInData, dataset: string): Rec[] | undefined {
  if (dataset === ACCESS_LOGIN_DATASET) return data.accessLogins;
  const kind = KIND_OF.get(dataset);
  return kind ? data.gateway[kind] : undefined;
}

function only(fields: GqlField[], name: string, path: string[]): GqlField {
  if (fields.length !== 1 || fields[0].name !== name) {
    throw new GqlError(`expected only "${name}" here, found ${fields.map((f) => `"${f.name}"`).join(", ") || "nothing"}`, path);
  }
  return fields[0];
}

function groups(rows: Rec[], field: GqlField, variables: Rec, path: Array<string | number>, schema: Set<string> | undefined): Rec[] {
  const limit = field.args.limit ? resolveValue(field.args.limit, variables) : undefined;
  if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new GqlError(`limit must be positive number and not greater than ${MAX_LIMIT}`, path);
  }
  let filter: Rec = {};
  if (field.args.filter) {
    if (!onlyVariables(field.args.filter)) throw new GqlError("filter values must be passed as variables", path);
    filter = resolveValue(field.args.filter, variables) as Rec;
  }
  const dims = subfields(field, "dimensions");
  const sums = subfields(field, "sum");
  if (schema) {
    const unknown = [...dims, ...filterFields(filter)].find((d) => !schema.has(d));
    if (unknown !== undefined) throw new GqlError(`unknown field "${unknown}" on type "${field.name}"`, [...path, "dimensions", unknown]);
  }
  const wantCount = field.selections.some((s) => s.name === "count");
  for (const s of field.selections) {
    if (!["count", "dimensions", "sum"].includes(s.name)) throw new GqlError(`unknown field "${s.name}"`, [...path, s.name]);
  }

  const byKey = new Map<string, { count: number; dimensions: Rec; sum: Record<string, number> }>();
  for (const row of rows.filter((r) => matches(r, filter))) {
    const dimensions = Object.fromEntries(dims.map((d) => [d, dimension(row, d)]));
    const key = JSON.stringify(dims.map((d) => dimensions[d]));
    const group = byKey.get(key) ?? { count: 0, dimensions, sum: Object.fromEntries(sums.map((s) => [s, 0])) };
    group.count++;
    for (const s of sums) group.sum[s] += Number(row[s]) || 0;
    byKey.set(key, group);
  }
  const sorted = [...byKey.values()].sort(ordering(field.args.orderBy ? resolveValue(field.args.orderBy, variables) : []));
  return sorted.slice(0, limit).map((g) => ({
    ...(wantCount ? { count: g.count } : {}),
    ...(dims.length > 0 ? { dimensions: g.dimensions } : {}),
    ...(sums.length > 0 ? { sum: g.sum } : {}),
  }));
}

/** The fields a filter names, operators stripped, through AND and OR. */
function filterFields(filter: Rec): string[] {
  return Object.entries(filter).flatMap(([key, want]) =>
    key === "AND" || key === "OR" ? (want as Rec[]).flatMap(filterFields) : [OPERATOR.exec(key)![1]],
  );
}

function subfields(field: GqlField, name: string): string[] {
  return field.selections.find((s) => s.name === name)?.selections.map((s) => s.name) ?? [];
}

/** A row's dimension; the coarser time dimensions are derived from `datetime` when not seeded. */
function dimension(row: Rec, name: string): unknown {
  if (row[name] !== undefined) return row[name];
  const at = typeof row.datetime === "string" ? new Date(row.datetime) : null;
  if (!at || Number.isNaN(at.getTime())) return null;
  if (name === "datetimeHour") return `${at.toISOString().slice(0, 13)}:00:00Z`;
  if (name === "datetimeMinute") return `${at.toISOString().slice(0, 16)}:00Z`;
  if (name === "date") return at.toISOString().slice(0, 10);
  return null;
}

function matches(row: Rec, filter: Rec): boolean {
  return Object.entries(filter).every(([key, want]) => {
    if (key === "AND") return (want as Rec[]).every((f) => matches(row, f));
    if (key === "OR") return (want as Rec[]).some((f) => matches(row, f));
    const [, field, op = "eq"] = OPERATOR.exec(key)!;
    const have = dimension(row, field);
    switch (op) {
      case "eq": return compare(field, have, want) === 0;
      case "neq": return compare(field, have, want) !== 0;
      case "gt": return compare(field, have, want) > 0;
      case "geq": return compare(field, have, want) >= 0;
      case "lt": return compare(field, have, want) < 0;
      case "leq": return compare(field, have, want) <= 0;
      case "in": return (want as unknown[]).some((w) => compare(field, have, w) === 0);
      case "notin": return !(want as unknown[]).some((w) => compare(field, have, w) === 0);
      case "has": return Array.isArray(have) && have.some((h) => compare(field, h, want) === 0);
      case "like": return like(String(want)).test(String(have ?? ""));
      default: return !like(String(want)).test(String(have ?? ""));
    }
  });
}

/** Times compare as instants whatever their spelling; numbers as numbers; the rest as text. */
function compare(field: string, a: unknown, b: unknown): number {
  if (field.startsWith("datetime") || field === "date") return Date.parse(String(a)) - Date.parse(String(b));
  if (typeof a === "number" && typeof b === "number") return a - b;
  const x = String(a ?? "");
  const y = String(b ?? "");
  return x < y ? -1 : x > y ? 1 : 0;
}

/** SQL LIKE: `%` is any run of characters. */
function like(pattern: string): RegExp {
  return new RegExp(`^${pattern.split("%").map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`, "s");
}

/** `[datetime_DESC, count_ASC]` over groups: `count` or a dimension. */
function ordering(orderBy: unknown): (a: { count: number; dimensions: Rec }, b: { count: number; dimensions: Rec }) => number {
  const keys = (Array.isArray(orderBy) ? orderBy : [orderBy]).map((o) => {
    const m = /^(.+)_(ASC|DESC)$/.exec(String(o));
    if (!m) throw new GqlError(`orderBy: "${String(o)}" is not <field>_ASC or <field>_DESC`);
    return { field: m[1], sign: m[2] === "ASC" ? 1 : -1 };
  });
  return (a, b) => {
    for (const { field, sign } of keys) {
      const c = field === "count" ? a.count - b.count : compare(field, a.dimensions[field], b.dimensions[field]);
      if (c !== 0) return sign * c;
    }
    return 0;
  };
}
