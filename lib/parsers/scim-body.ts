import type { ScimMember } from "../schema/event";
import { flag, lower, text } from "./fields";

/** What a SCIM request body says, as far as it can be read. */
export interface ScimBodyReading {
  /** From the body's `schemas`, for records whose `resource_type` is empty. */
  resourceType?: "user" | "group";
  active: boolean | null;
  added: ScimMember[];
  removed: ScimMember[];
  /** A whole member list the request set (PUT/POST `members`, `replace members`, or `[]` for "remove all"). */
  members?: ScimMember[];
  truncated: boolean;
  attributes: string[];
  userName?: string;
  /** The primary address of a full user resource (first one when none is marked primary). */
  email?: string;
  displayName?: string;
  error?: string;
}

const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
/** Entries kept per member list; a group push can list thousands, and the raw record has them all. */
export const MAX_MEMBERS = 500;
const MAX_OPERATIONS = 1000;
const MAX_ATTRIBUTES = 50;
/** Keys of a resource or a patch value that identify rather than change it. */
const NOT_CHANGES = new Set(["schemas", "id", "meta"]);

/**
 * Reads a SCIM 2.0 request body (RFC 7644): a PatchOp with `Operations` (add/remove/replace, a
 * `path` like `members` or `members[value eq "id"]`, or no path and a value object), or a full
 * User/Group resource (POST, PUT). Identity providers differ (Azure AD capitalises ops and sends
 * `"False"`; Okta removes members by filter, Azure AD by value list), and all of that is accepted.
 * A body that is not JSON, or not an object, yields `error` and nothing else.
 */
export function readScimBody(body: unknown): ScimBodyReading {
  const reading: ScimBodyReading = { active: null, added: [], removed: [], truncated: false, attributes: [] };
  let doc: unknown = body;
  if (typeof body === "string") {
    if (body.trim() === "") return reading;
    try {
      doc = JSON.parse(body);
    } catch {
      // The engine's wording changes between Node versions; the raw body is in the event anyway.
      reading.error = "request_body is not JSON";
      return reading;
    }
  } else if (body === undefined || body === null) {
    return reading;
  }
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
    reading.error = "request_body is not a JSON object";
    return reading;
  }
  const obj = doc as Record<string, unknown>;
  const schemas = Array.isArray(obj.schemas) ? obj.schemas.filter((s): s is string => typeof s === "string") : [];
  if (schemas.includes(PATCH_OP) || Array.isArray(obj.Operations)) {
    readOperations(reading, obj.Operations);
  } else {
    readResource(reading, obj, schemas);
  }
  return reading;
}

function readOperations(reading: ScimBodyReading, operations: unknown): void {
  if (!Array.isArray(operations)) return;
  const n = Math.min(operations.length, MAX_OPERATIONS);
  for (let i = 0; i < n; i++) {
    const op = operations[i];
    if (op === null || typeof op !== "object" || Array.isArray(op)) continue;
    const { op: name, path, value } = op as Record<string, unknown>;
    const verb = lower(name) ?? "";
    const target = text(path);
    if (target !== undefined) {
      applyPath(reading, verb, target, value);
    } else if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      for (const [key, v] of Object.entries(value)) applyPath(reading, verb, key, v);
    }
  }
}

function applyPath(reading: ScimBodyReading, verb: string, path: string, value: unknown): void {
  const name = path.toLowerCase();
  if (name === "active") {
    reading.active = verb === "remove" ? null : (flag(value) ?? reading.active);
  } else if (name === "members") {
    applyMembers(reading, verb, value);
  } else if (name.startsWith("members[")) {
    const id = filterValue(path);
    if (id === undefined) addAttribute(reading, path);
    else if (verb === "remove") pushMember(reading, reading.removed, { value: id });
    else pushMember(reading, reading.added, { value: id });
  } else if (!NOT_CHANGES.has(path)) {
    addAttribute(reading, path);
  }
}

function applyMembers(reading: ScimBodyReading, verb: string, value: unknown): void {
  if (verb === "add") {
    readMembers(reading, reading.added, value);
  } else if (verb === "remove") {
    if (Array.isArray(value) && value.length > 0) readMembers(reading, reading.removed, value);
    else reading.members = [];
  } else if (verb === "replace") {
    reading.members = [];
    readMembers(reading, reading.members, value);
  }
}

function readResource(reading: ScimBodyReading, obj: Record<string, unknown>, schemas: string[]): void {
  if (schemas.some((s) => s.endsWith(":Group"))) reading.resourceType = "group";
  else if (schemas.some((s) => s.endsWith(":User"))) reading.resourceType = "user";
  reading.active = flag(obj.active) ?? null;
  const userName = text(obj.userName);
  if (userName !== undefined) reading.userName = userName;
  const displayName = text(obj.displayName);
  if (displayName !== undefined) reading.displayName = displayName;
  const email = primaryEmail(obj.emails);
  if (email !== undefined) reading.email = email;
  if (obj.members !== undefined) {
    reading.members = [];
    readMembers(reading, reading.members, obj.members);
  }
  for (const key of Object.keys(obj)) {
    if (key !== "active" && key !== "members" && !NOT_CHANGES.has(key)) addAttribute(reading, key);
  }
}

function readMembers(reading: ScimBodyReading, into: ScimMember[], value: unknown): void {
  const list = Array.isArray(value) ? value : [value];
  for (const item of list) {
    if (into.length >= MAX_MEMBERS) {
      reading.truncated = true;
      return;
    }
    const member = memberOf(item);
    if (member !== undefined) into.push(member);
  }
}

function pushMember(reading: ScimBodyReading, into: ScimMember[], member: ScimMember): void {
  if (into.length >= MAX_MEMBERS) reading.truncated = true;
  else into.push(member);
}

function memberOf(item: unknown): ScimMember | undefined {
  if (typeof item === "string") return item !== "" ? { value: item } : undefined;
  if (item === null || typeof item !== "object") return undefined;
  const { value, display } = item as Record<string, unknown>;
  const id = text(value);
  if (id === undefined) return undefined;
  const shown = text(display);
  return shown !== undefined ? { value: id, display: shown } : { value: id };
}

/** The id in `members[value eq "id"]`; undefined for any other filter. */
function filterValue(path: string): string | undefined {
  const open = path.indexOf("[");
  const close = path.lastIndexOf("]");
  const filter = path.slice(open + 1, close > open ? close : path.length).trim();
  const lowered = filter.toLowerCase();
  if (!lowered.startsWith("value") || !lowered.slice(5).trimStart().startsWith("eq")) return undefined;
  const first = filter.indexOf('"');
  const last = filter.lastIndexOf('"');
  return first >= 0 && last > first + 1 ? filter.slice(first + 1, last) : undefined;
}

function primaryEmail(emails: unknown): string | undefined {
  if (!Array.isArray(emails)) return undefined;
  let first: string | undefined;
  for (const entry of emails) {
    if (entry === null || typeof entry !== "object") continue;
    const { value, primary } = entry as Record<string, unknown>;
    const address = text(value);
    if (address === undefined) continue;
    if (flag(primary) === true) return address;
    first ??= address;
  }
  return first;
}

function addAttribute(reading: ScimBodyReading, name: string): void {
  if (name !== "" && reading.attributes.length < MAX_ATTRIBUTES && !reading.attributes.includes(name)) reading.attributes.push(name);
}
