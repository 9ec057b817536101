/** A bucket's counter while a batch is drawn from it. */
export interface BucketCounter {
  quota: bigint;
  used: bigint;
}

/**
 * Draws `quantity` from buckets given in draw-down order: each is filled up to its quota in turn; what is left
 * goes onto the last one (so its thresholds beyond 100% are seen) and is the overage. With no bucket everything
 * is overage. Mutates the counters; returns the overage.
 */
export function drawDown(buckets: readonly BucketCounter[], quantity: bigint): bigint {
  let left = quantity;
  for (const bucket of buckets) {
    if (left === 0n) return 0n;
    const free = bucket.quota - bucket.used;
    if (free <= 0n) continue;
    const take = free < left ? free : left;
    bucket.used += take;
    left -= take;
  }
  const last = buckets.at(-1);
  if (last) last.used += left;
  return left;
}

/**
 * The thresholds (in percent of quota) a bucket reaches when its used goes from `before` to `after`: 80, 100,
 * then every further 100 (200, 300, …). A bucket without quota has none.
 */
export function crossedThresholds(quota: bigint, before: bigint, after: bigint): number[] {
  if (quota <= 0n || after <= before) return [];
  const crossed: number[] = [];
  const reached = (percent: bigint, used: bigint) => used * 100n >= percent * quota;
  if (!reached(80n, before) && reached(80n, after)) crossed.push(80);
  // Multiples k of the quota with before < k·quota <= after.
  for (let k = before / quota + 1n; k <= after / quota; k++) crossed.push(Number(k * 100n));
  return crossed;
}

/** used / quota in whole percent, rounded down; 0 without quota. */
export function usedPercent(quota: bigint, used: bigint): number {
  return quota > 0n ? Number((used * 100n) / quota) : 0;
}
