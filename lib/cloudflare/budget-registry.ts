import { normalizeBaseUrl } from "./base-url";
import { RateBudget, type RateBudgetOptions } from "./rate-budget";

/** REST: 1,200 requests per 5 minutes; GraphQL has its own, smaller budget of about 300 queries. */
export type BudgetKind = "rest" | "graphql";

const LIMITS: Record<BudgetKind, Required<Omit<RateBudgetOptions, "now">>> = {
  rest: { limit: 1200, windowMs: 300_000 },
  graphql: { limit: 300, windowMs: 300_000 },
};

/** One entry per configured account and API root: bounded by the flows' configuration. */
const budgets = new Map<string, RateBudget>();

/**
 * The budget every client of this account shares, made on first use. Process-wide, so that two
 * config nodes naming the same account, and a redeployed node, keep counting against one budget.
 */
export function budgetFor(accountId: string, baseUrl: string, kind: BudgetKind = "rest"): RateBudget {
  const key = `${kind} ${normalizeBaseUrl(baseUrl)} ${accountId.toLowerCase()}`;
  let budget = budgets.get(key);
  if (!budget) {
    budget = new RateBudget(LIMITS[kind]);
    budgets.set(key, budget);
  }
  return budget;
}
