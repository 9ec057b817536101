import type { Metric } from "prom-client";
import { LATENCY_BUCKETS, metricsRegistry } from "./metrics.js";

/**
 * Counters and histograms for the per-call path. prom-client's `labels(...)` children hash and validate their
 * label set on every `inc`/`observe`; these families hand out cells once (at start-up, or on the first call with
 * a new label set) and a call then only adds to numbers. The registry reads them like any other metric.
 */
type Labels = Readonly<Record<string, string>>;

const KEY_SEPARATOR = "\u0000";

abstract class Family<Cell> {
  readonly #cells = new Map<string, Cell>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
  ) {}

  /** The cell of one label set: created on first use, the same object afterwards (keep it). */
  cell(labels: Labels): Cell {
    const key = this.labelNames.map((name) => labels[name] ?? "").join(KEY_SEPARATOR);
    let cell = this.#cells.get(key);
    if (!cell) {
      cell = this.create(labels);
      this.#cells.set(key, cell);
    }
    return cell;
  }

  protected cells(): IterableIterator<Cell> {
    return this.#cells.values();
  }

  protected abstract create(labels: Labels): Cell;
}

export class CounterCell {
  value = 0;
  constructor(readonly labels: Labels) {}
  inc(amount = 1): void {
    this.value += amount;
  }
}

export class CounterFamily extends Family<CounterCell> {
  readonly type = "counter";
  protected create(labels: Labels): CounterCell {
    return new CounterCell(labels);
  }
  get() {
    const values = [...this.cells()].map((cell) => ({ labels: cell.labels, value: cell.value }));
    return { name: this.name, help: this.help, type: this.type, values, aggregator: "sum" };
  }
}

export class HistogramCell {
  /** Observations per bucket (not cumulative: the export adds them up). */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  constructor(
    readonly labels: Labels,
    private readonly upperBounds: readonly number[],
  ) {
    this.counts = new Float64Array(upperBounds.length);
  }
  observe(value: number): void {
    const bounds = this.upperBounds;
    for (let i = 0; i < bounds.length; i += 1) {
      if (value <= bounds[i]!) {
        this.counts[i]! += 1;
        break;
      }
    }
    this.sum += value;
    this.count += 1;
  }
}

export class HistogramFamily extends Family<HistogramCell> {
  readonly type = "histogram";
  constructor(
    name: string,
    help: string,
    labelNames: readonly string[],
    readonly upperBounds: readonly number[] = LATENCY_BUCKETS,
  ) {
    super(name, help, labelNames);
  }
  protected create(labels: Labels): HistogramCell {
    return new HistogramCell(labels, this.upperBounds);
  }
  get() {
    const values: Array<{ metricName: string; labels: Record<string, string | number>; value: number }> = [];
    for (const cell of this.cells()) {
      let cumulative = 0;
      this.upperBounds.forEach((le, i) => {
        cumulative += cell.counts[i]!;
        values.push({ metricName: `${this.name}_bucket`, labels: { ...cell.labels, le }, value: cumulative });
      });
      values.push({ metricName: `${this.name}_bucket`, labels: { ...cell.labels, le: "+Inf" }, value: cell.count });
      values.push({ metricName: `${this.name}_sum`, labels: cell.labels, value: cell.sum });
      values.push({ metricName: `${this.name}_count`, labels: cell.labels, value: cell.count });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: "sum" };
  }
}

function registered<F extends Family<unknown>>(family: F): F {
  const existing = metricsRegistry.getSingleMetric(family.name);
  if (existing) return existing as unknown as F;
  metricsRegistry.registerMetric(family as unknown as Metric);
  return family;
}

export function counterFamily(name: string, help: string, labelNames: readonly string[]): CounterFamily {
  return registered(new CounterFamily(name, help, labelNames));
}

export function histogramFamily(
  name: string,
  help: string,
  labelNames: readonly string[],
  upperBounds?: readonly number[],
): HistogramFamily {
  return registered(new HistogramFamily(name, help, labelNames, upperBounds));
}
