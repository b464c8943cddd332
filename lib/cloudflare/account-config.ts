import Joi from "joi";
import type { Parsed } from "../schema/parsed";
import { DEFAULT_BASE_URL, normalizeBaseUrl } from "./base-url";

/** The account config node's settings as the editor stores them, and its token credential. */
export interface AccountConfigInput {
  accountId?: unknown;
  baseUrl?: unknown;
  token?: unknown;
}

export interface AccountSettings {
  accountId: string;
  baseUrl: string;
  token: string;
}

/** A whole-value `${NAME}` that Node-RED left as it was: the variable is not set. */
const UNSET_ENV_RE = /^\$\{(\S+)\}$/;

/**
 * Messages are fixed per rule: Joi's defaults quote the offending value, and for the token that
 * value is the secret.
 */
const schema = Joi.object({
  accountId: Joi.string()
    .trim()
    .lowercase()
    .pattern(/^[0-9a-f]{32}$/)
    .required()
    .messages({
      "any.required": "account id is missing",
      "string.empty": "account id is missing",
      "string.base": "account id must be text",
      "string.pattern.base": "account id must be 32 hexadecimal characters (Cloudflare dashboard, Account home)",
    }),
  baseUrl: Joi.string()
    .trim()
    .uri({ scheme: ["https", "http"] })
    .empty("")
    .default(DEFAULT_BASE_URL)
    .messages({ "string.base": "base URL must be text", "string.uri": "base URL must be an http(s) URL", "string.uriCustomScheme": "base URL must be an http(s) URL" }),
  token: Joi.string()
    .trim()
    .pattern(/^\S+$/)
    .required()
    .messages({
      "any.required": "API token is missing",
      "string.empty": "API token is missing",
      "string.base": "API token must be text",
      "string.pattern.base": "API token must not contain spaces",
    }),
}).unknown(true);

/**
 * True for a configuration that only waits for its environment variables: a flow shipped with
 * `${CF_ACCOUNT_ID}` / `${CF_API_TOKEN}` on a machine that has not set them yet. Not a fault.
 */
export function awaitsEnvironment(problem: string): boolean {
  return /refers to environment variable \S+, which is not set$/.test(problem);
}

/** Validates an account configuration; the error names the field and never repeats the token. */
export function parseAccountConfig(input: AccountConfigInput): Parsed<AccountSettings> {
  for (const field of ["accountId", "baseUrl", "token"] as const) {
    const unset = typeof input[field] === "string" ? UNSET_ENV_RE.exec((input[field] as string).trim()) : null;
    if (unset) return { ok: false, error: `${field} refers to environment variable ${unset[1]}, which is not set` };
  }
  const { value, error } = schema.validate(input, { convert: true, abortEarly: true });
  if (error) return { ok: false, error: error.details[0].message };
  return { ok: true, value: { accountId: value.accountId, baseUrl: normalizeBaseUrl(value.baseUrl), token: value.token } };
}
