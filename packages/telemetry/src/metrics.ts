import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/**
 * One registry per process. Every kit registers its instruments here once and tells its series apart by labels
 * that are unique anyway (RPC path, durable name, database name), so a process running several services (the
 * `npm start` platform, a test) still has one consistent set of series and no double registration.
 */
export const metricsRegistry = new Registry();

/** Seconds, from a cache hit (sub-millisecond) to a call that ran into a long deadline. */
export const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface MetricSpec<L extends string> {
  name: string;
  help: string;
  labelNames: readonly L[];
}

// Get-or-create: a kit module evaluated twice in one process (test isolation, two bundles) must not throw.
function existing<M>(name: string): M | undefined {
  return metricsRegistry.getSingleMetric(name) as M | undefined;
}

export function counter<L extends string>(spec: MetricSpec<L>): Counter<L> {
  return (
    existing<Counter<L>>(spec.name) ??
    new Counter({ name: spec.name, help: spec.help, labelNames: spec.labelNames, registers: [metricsRegistry] })
  );
}

export function gauge<L extends string>(spec: MetricSpec<L>): Gauge<L> {
  return (
    existing<Gauge<L>>(spec.name) ??
    new Gauge({ name: spec.name, help: spec.help, labelNames: spec.labelNames, registers: [metricsRegistry] })
  );
}

export function histogram<L extends string>(spec: MetricSpec<L> & { buckets?: number[] }): Histogram<L> {
  return (
    existing<Histogram<L>>(spec.name) ??
    new Histogram({
      name: spec.name,
      help: spec.help,
      labelNames: spec.labelNames,
      buckets: spec.buckets ?? LATENCY_BUCKETS,
      registers: [metricsRegistry],
    })
  );
}

/** Reads current values into gauges right before a scrape (a queue depth, a pool's size). */
export type ScrapeHook = () => void | Promise<void>;

const scrapeHooks = new Set<ScrapeHook>();
/** A slow database must not hang the scrape: after this, the gauges keep their previous values. */
const SCRAPE_HOOK_TIMEOUT_MS = 2_000;

/**
 * Registers a hook that runs before every scrape, for values cheaper to read on demand than to track on every
 * change. Returns the function that unregisters it (call it on shutdown, and remove the hook's series then).
 */
export function onScrape(hook: ScrapeHook): () => void {
  scrapeHooks.add(hook);
  return () => scrapeHooks.delete(hook);
}

let processMetricsOn = false;

/** CPU, memory, event loop delay, GC, handles: prom-client's default process metrics, once per process. */
export function collectProcessMetrics(): void {
  if (processMetricsOn) return;
  processMetricsOn = true;
  collectDefaultMetrics({ register: metricsRegistry, eventLoopMonitoringPrecision: 20 });
}

/** The Prometheus text exposition of everything registered, after the scrape hooks ran. */
export async function scrapeMetrics(): Promise<string> {
  await Promise.all(
    [...scrapeHooks].map((hook) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, SCRAPE_HOOK_TIMEOUT_MS)));
      // A failing hook leaves its gauges as they were; the scrape itself still answers.
      const run = Promise.resolve()
        .then(hook)
        .catch(() => undefined);
      return Promise.race([run, timeout]).finally(() => clearTimeout(timer));
    }),
  );
  return metricsRegistry.metrics();
}
