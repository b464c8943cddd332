/** Statuses worth another try: the server is rate limiting, overloaded or failing for now. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

export interface RetryOptions {
  /** Retries after the first attempt; 0 never retries. */
  maxRetries: number;
  /** The first back-off; doubled for each further retry. */
  baseMs: number;
  /** No back-off is longer, however many retries came before (Retry-After is not capped). */
  maxBackoffMs: number;
  random?: () => number;
}

/**
 * When to try a failed request again. Back-off is exponential with "equal jitter" (half fixed,
 * half random) so that the nodes sharing an account do not retry in lockstep after a common
 * failure, yet each still waits at least half its step. A Retry-After from the server wins: it
 * knows when its block ends.
 */
export class RetryPolicy {
  private readonly random: () => number;

  constructor(private readonly opts: RetryOptions) {
    this.random = opts.random ?? Math.random;
  }

  /** Whether a failure on attempt `attempt` (1 for the first) may be retried. */
  allows(attempt: number, retryable: boolean): boolean {
    return retryable && attempt <= this.opts.maxRetries;
  }

  /** Milliseconds to wait before retry number `retry` (1 for the first). */
  delayMs(retry: number, retryAfterMs: number | null): number {
    if (retryAfterMs !== null) return retryAfterMs;
    const step = Math.min(this.opts.maxBackoffMs, this.opts.baseMs * 2 ** (retry - 1));
    return step / 2 + this.random() * (step / 2);
  }
}
