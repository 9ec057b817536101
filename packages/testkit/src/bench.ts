export interface MeasuredCalls {
  calls: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  failed: number;
}

/**
 * The closed-loop load every service benchmark uses: `count` calls, `concurrency` in flight at a time (or, with
 * `durationMs`, as many as fit in that time, at most `count`). Prints (unless `quiet`) and returns calls per
 * second and latency percentiles; failed calls are counted, never thrown.
 */
export async function measureCalls(
  label: string,
  count: number,
  call: (i: number) => Promise<unknown>,
  options: { concurrency?: number; durationMs?: number; quiet?: boolean } = {},
): Promise<MeasuredCalls> {
  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  const started = performance.now();
  const stopAt = options.durationMs === undefined ? Infinity : started + options.durationMs;
  await Promise.all(
    Array.from({ length: options.concurrency ?? 32 }, async () => {
      while (next < count && performance.now() < stopAt) {
        const i = next++;
        const callStarted = performance.now();
        await call(i).catch(() => failed++);
        latencies.push(performance.now() - callStarted);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const percentile = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!;
  const calls = latencies.length;
  const figures = { calls, perSecond: calls / seconds, p50Ms: percentile(0.5), p99Ms: percentile(0.99), failed };
  if (options.quiet) return figures;
  console.log(
    `${label.padEnd(34)} ${String(calls).padStart(6)} calls  ${figures.perSecond.toFixed(0).padStart(6)}/s  ` +
      `p50 ${figures.p50Ms.toFixed(1)} ms  p99 ${figures.p99Ms.toFixed(1)} ms` +
      (failed ? `  (${failed} refused)` : ""),
  );
  return figures;
}
