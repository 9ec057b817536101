/** How the dispatcher retries a message after a temporary provider failure. */
export interface RetryPolicy {
  /** Attempts in all, the first included; after the last one fails temporarily the message fails. */
  maxAttempts: number;
  /** Delay before the second attempt; each later one doubles, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 5_000, maxDelayMs: 10 * 60_000 };

/**
 * The wait before the next attempt after `attemptsMade` attempts, or null when they are used up. Jitter (±20%)
 * keeps a burst of messages that failed together (an SMSC outage) from retrying in lockstep.
 */
export function nextRetryDelayMs(policy: RetryPolicy, attemptsMade: number, random: () => number = Math.random) {
  if (attemptsMade >= policy.maxAttempts) return null;
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(exponential * (0.8 + 0.4 * random()));
}
