/**
 * The Cloudflare API client: REST and GraphQL over axios, for one account and one token.
 *
 *   const client = new CloudflareClient({ accountId, token, baseUrl?, timeoutMs?, maxRetries?,
 *                                         retryBaseMs?, budget?, graphqlBudget? });
 *   client.accountPath("/access/users")                   → "/accounts/<id>/access/users"
 *   await client.get<T>(path, query?)                     → the envelope's `result`
 *   await client.request<T>(method, path, {query?, body?}) → {result, resultInfo?, messages}
 *   for await (const {items, resultInfo} of client.pages<T>(path, query?, {perPage?, maxPages?, items?})) …
 *   for await (const {items, resultInfo} of client.cursorPages<T>(path, query?, {perPage?, maxPages?, items?})) …
 *   await client.graphql<T>(query, variables)             → `data`
 *
 * - Query values: arrays repeat the key (`idp_id=a&idp_id=b`); null/undefined are left out.
 * - Failures throw `CloudflareApiError` {endpoint: "GET /path" (no query string), kind, status,
 *   codes, messages, retryable, attempts}; `kind` is http | api | graphql | malformed | network |
 *   timeout. No error holds the token, in its message, stack or properties.
 * - Rate budget: every attempt waits on the account's shared `RateBudget` (REST 1,200 / 5 min;
 *   GraphQL also on its own 300 / 5 min). `budgetFor(accountId, baseUrl, kind?)` hands every client
 *   of an account the same one; a 429 blocks all of them until its Retry-After.
 * - Retries: 408, 429, 5xx, network errors and timeouts, up to `maxRetries`, waiting Retry-After
 *   (seconds or HTTP date) or an exponential back-off with jitter from `retryBaseMs`.
 * - Paging: `pages` (page/per_page, stops on total_pages/total_count/short page) and `cursorPages`
 *   (result_info.cursor); both stop at an empty or repeated page, a repeated cursor or `maxPages`.
 * - `parseAccountConfig` validates what the `ztna-account` config node stores.
 */
export { awaitsEnvironment, parseAccountConfig, type AccountConfigInput, type AccountSettings } from "./account-config";
export { DEFAULT_BASE_URL } from "./base-url";
export { budgetFor, type BudgetKind } from "./budget-registry";
export { CloudflareClient, type CloudflareClientOptions, type ListOptions, type RequestOptions } from "./client";
export type { ApiMessage, EnvelopeResult, ResultInfo } from "./envelope";
export { CloudflareApiError, type FailureKind } from "./errors";
export type { Page, PageOptions } from "./pagination";
export type { Query, QueryValue } from "./query-string";
export { RateBudget, type RateBudgetOptions, type RateBudgetStats } from "./rate-budget";
