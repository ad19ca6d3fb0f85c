import { format } from "node:util";
import {
  Counter,
  type CounterConfiguration,
  Gauge,
  type GaugeConfiguration,
  type LabelValues,
  type Metric,
  type Registry,
} from "prom-client";

/*
 * Why cells: prom-client's `inc`/`observe` (and its `labels()` children, which only bind the label
 * object) join the labels into a fresh string and look it up in a plain object on every call, about
 * 0.6 us each; a request made nine such calls. A cell is one labelled series held as plain numbers
 * and found by its label values, one Map level per label (about 50 ns: no string is built, and the
 * values' hashes are cached); its label object is built once, when the series is first seen.
 * prom-client gets the values when scraped. Label values must come from bounded sets (the config,
 * fixed sets): a cell is never dropped.
 */

/** A label value as callers pass it; numbers are exported as their string (`200` as `"200"`). */
export type LabelValue = string | number;

/** A level of the index: the next label's values, or at the last label, the cells. */
type Level = Map<LabelValue, unknown>;

/** Cells by their label values, and all of them in the order first seen (the exposition's order). */
class CellIndex<L extends string, C> {
  readonly all: C[] = [];
  private root: Level = new Map();

  constructor(
    private readonly labelNames: readonly L[],
    private readonly create: (labels: LabelValues<L>) => C,
  ) {}

  /** The cell of these label values (in `labelNames` order), made on first use. */
  find(values: readonly LabelValue[]): C {
    const last = this.labelNames.length - 1;
    if (values.length !== last + 1) {
      throw new Error(
        `expected ${last + 1} label values (${this.labelNames}), got ${values.length}`,
      );
    }
    let level = this.root;
    for (let index = 0; index < last; index++) {
      const value = values[index] as LabelValue;
      let next = level.get(value) as Level | undefined;
      if (!next) {
        next = new Map();
        level.set(value, next);
      }
      level = next;
    }
    const value = values[last] as LabelValue;
    let cell = level.get(value) as C | undefined;
    if (!cell) {
      const labels: LabelValues<L> = {};
      this.labelNames.forEach((name, index) => {
        labels[name] = String(values[index]);
      });
      cell = this.create(labels);
      level.set(value, cell);
      this.all.push(cell);
    }
    return cell;
  }

  clear(): void {
    this.root = new Map();
    this.all.length = 0;
  }
}

/** One labelled series of a counter or gauge. */
export interface ValueCell<L extends string> {
  readonly labels: LabelValues<L>;
  value: number;
}

/** Value cells under their label values. */
class ValueCells<L extends string> {
  protected readonly index: CellIndex<L, ValueCell<L>>;

  constructor(labelNames: readonly L[]) {
    this.index = new CellIndex(labelNames, (labels) => ({ labels, value: 0 }));
  }

  /** The series of these label values (in `labelNames` order), started at 0 on first use. */
  cell(...values: LabelValue[]): ValueCell<L> {
    return this.index.find(values);
  }
}

/** A prom-client configuration without `collect` (the cells' own), with `labelNames` required. */
type CellsConfiguration<C, L extends string> = Omit<C, "collect" | "labelNames"> & {
  labelNames: readonly L[];
};

/** A counter kept in cells and handed to its prom-client `Counter` at scrape time. */
export class CounterCells<L extends string> extends ValueCells<L> {
  readonly metric: Counter<L>;

  constructor(config: CellsConfiguration<CounterConfiguration<L>, L>) {
    super(config.labelNames);
    const cells = this.index.all;
    this.metric = new Counter({
      ...config,
      collect() {
        this.reset();
        for (const cell of cells) this.inc(cell.labels, cell.value);
      },
    });
  }

  /** Adds `value` (default 1), refusing what prom-client's `inc` refuses, with its messages. */
  inc(cell: ValueCell<L>, value = 1): void {
    if (value && !Number.isFinite(value)) {
      throw new TypeError(`Value is not a valid number: ${format(value)}`);
    }
    if (value < 0) throw new Error("It is not possible to decrease a counter");
    cell.value += value;
  }
}

/** A gauge moved up and down in cells and set on its prom-client `Gauge` at scrape time. */
export class GaugeCells<L extends string> extends ValueCells<L> {
  readonly metric: Gauge<L>;

  constructor(config: CellsConfiguration<GaugeConfiguration<L>, L>) {
    super(config.labelNames);
    const cells = this.index.all;
    this.metric = new Gauge({
      ...config,
      collect() {
        this.reset();
        for (const cell of cells) this.set(cell.labels, cell.value);
      },
    });
  }
}

/** One labelled series of a histogram: counts per bucket (not cumulative), sum and count. */
export interface HistogramCell<L extends string> {
  readonly labels: LabelValues<L>;
  readonly counts: number[];
  sum: number;
  count: number;
}

export interface HistogramCellsConfiguration<L extends string> {
  name: string;
  help: string;
  labelNames: readonly L[];
  /** Upper bounds, ascending. */
  buckets: readonly number[];
  registers: Registry[];
}

/**
 * A histogram kept in cells. prom-client has no way to set a histogram's buckets, so this is the
 * registry's metric itself: it hands the registry the same values, in the same shapes and order, as
 * a prom-client `Histogram` fed the same observations would (a test compares the two expositions).
 */
export class HistogramCells<L extends string> {
  readonly name: string;
  readonly help: string;
  readonly type = "histogram";
  readonly aggregator = "sum";
  private readonly bounds: readonly number[];
  private readonly index: CellIndex<L, HistogramCell<L>>;

  constructor(config: HistogramCellsConfiguration<L>) {
    this.name = config.name;
    this.help = config.help;
    this.bounds = [...config.buckets];
    this.index = new CellIndex(config.labelNames, (labels) => ({
      labels,
      counts: this.bounds.map(() => 0),
      sum: 0,
      count: 0,
    }));
    // The registry only reads `name` and calls `get`, `getForPromString` and `reset`.
    for (const registry of config.registers) registry.registerMetric(this as unknown as Metric);
  }

  /** The series of these label values (in `labelNames` order), empty on first use. */
  cell(...values: LabelValue[]): HistogramCell<L> {
    return this.index.find(values);
  }

  /** Counts `value` in the first bucket it fits (none past the last bound: only `+Inf`). */
  observe(cell: HistogramCell<L>, value: number): void {
    if (!Number.isFinite(value)) {
      throw new TypeError(`Value is not a valid number: ${format(value)}`);
    }
    const bounds = this.bounds;
    for (let index = 0; index < bounds.length; index++) {
      if (value <= (bounds[index] as number)) {
        cell.counts[index] = (cell.counts[index] as number) + 1;
        break;
      }
    }
    cell.sum += value;
    cell.count += 1;
  }

  reset(): void {
    this.index.clear();
  }

  /** What the registry formats: per series its buckets (cumulative), `+Inf`, sum and count. */
  async getForPromString() {
    const bucketName = `${this.name}_bucket`;
    const values: HistogramValue<L>[] = [];
    for (const cell of this.index.all) {
      const sharedLabels = cell.labels;
      let cumulative = 0;
      this.bounds.forEach((bound, index) => {
        cumulative += cell.counts[index] as number;
        values.push({
          labels: { le: bound },
          sharedLabels,
          value: cumulative,
          metricName: bucketName,
          exemplar: null,
        });
      });
      values.push(
        {
          labels: { le: "+Inf" },
          sharedLabels,
          value: cell.count,
          metricName: bucketName,
          exemplar: null,
        },
        { labels: {}, sharedLabels, value: cell.sum, metricName: `${this.name}_sum` },
        { labels: {}, sharedLabels, value: cell.count, metricName: `${this.name}_count` },
      );
    }
    return this.described(values);
  }

  /** The JSON form (`registry.getMetricsAsJSON`): each value's labels with the series' labels. */
  async get() {
    const { values } = await this.getForPromString();
    return this.described(
      values.map(({ sharedLabels, labels, ...value }) => ({
        ...value,
        labels: { ...labels, ...sharedLabels },
      })),
    );
  }

  private described<V>(values: V[]) {
    const { name, help, type, aggregator } = this;
    return { name, help, type, values, aggregator };
  }
}

interface HistogramValue<L extends string> {
  labels: { le?: number | "+Inf" };
  sharedLabels: LabelValues<L>;
  value: number;
  metricName: string;
  exemplar?: null;
}
