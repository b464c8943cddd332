import type { CountCondition } from "../rule";

/** Whether a count meets every bound of the condition. */
export function satisfies(n: number, c: CountCondition): boolean {
  return (
    (c.gt === undefined || n > c.gt) &&
    (c.gte === undefined || n >= c.gte) &&
    (c.lt === undefined || n < c.lt) &&
    (c.lte === undefined || n <= c.lte) &&
    (c.eq === undefined || n === c.eq)
  );
}

/**
 * A condition with an upper bound ("at most N") can only be judged once its window is over; one
 * with lower bounds only is met the moment the count reaches it.
 */
export function hasUpperBound(c: CountCondition): boolean {
  return c.lt !== undefined || c.lte !== undefined || c.eq !== undefined;
}
