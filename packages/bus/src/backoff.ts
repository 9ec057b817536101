export interface Backoff {
  initialMs: number;
  maxMs: number;
}

/** Exponential delay before retry number `attempt` (1-based): initial, 2×, 4×, … capped at max. */
export function backoffDelay(attempt: number, { initialMs, maxMs }: Backoff): number {
  return Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
}
