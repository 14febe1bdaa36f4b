// A small metrics registry rendering the Prometheus text exposition format (0.0.4).
// prom-client is not installed and Taskr needs only counters, gauges and histograms with
// labels, so this stays ~200 lines instead of a new dependency. Invariants: a metric's label
// names are fixed at creation; histogram buckets are rendered cumulative and end in +Inf.

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export type Labels = Readonly<Record<string, string | number>>;

type Collect = () => void | Promise<void>;

interface MetricOptions {
  name: string;
  help: string;
  labelNames?: readonly string[];
  /** Called before each scrape, e.g. to set a gauge from the store. */
  collect?: Collect;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

function labelText(pairs: readonly (readonly [string, string])[]): string {
  if (pairs.length === 0) return '';
  return `{${pairs.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
}

abstract class Metric<Series> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  abstract readonly type: 'counter' | 'gauge' | 'histogram';
  protected readonly series = new Map<string, { labels: [string, string][]; data: Series }>();
  private readonly collectFn: Collect | undefined;

  constructor(opts: MetricOptions) {
    if (!NAME.test(opts.name)) throw new Error(`metrics: '${opts.name}' is not a metric name`);
    for (const l of opts.labelNames ?? []) {
      if (!LABEL.test(l) || l === 'le') throw new Error(`metrics: '${l}' is not a label name`);
    }
    this.name = opts.name;
    this.help = opts.help;
    this.labelNames = opts.labelNames ?? [];
    this.collectFn = opts.collect;
  }

  async collect(): Promise<void> {
    await this.collectFn?.();
  }

  /** The series for these labels, created with `init` on first use. Every label must be given. */
  protected at(labels: Labels, init: () => Series): Series {
    const pairs = this.labelNames.map((n): [string, string] => {
      const v = labels[n];
      if (v === undefined) throw new Error(`metrics: ${this.name} needs label '${n}'`);
      return [n, String(v)];
    });
    const key = JSON.stringify(pairs.map((p) => p[1]));
    let entry = this.series.get(key);
    if (!entry) {
      entry = { labels: pairs, data: init() };
      this.series.set(key, entry);
    }
    return entry.data;
  }

  /** Forgets every series (a gauge refilled at each scrape drops states that went away). */
  reset(): void {
    this.series.clear();
  }

  render(): string {
    const lines = [
      `# HELP ${this.name} ${escapeHelp(this.help)}`,
      `# TYPE ${this.name} ${this.type}`,
    ];
    for (const { labels, data } of this.series.values()) this.renderSeries(lines, labels, data);
    return `${lines.join('\n')}\n`;
  }

  protected abstract renderSeries(out: string[], labels: [string, string][], data: Series): void;
}

interface Cell {
  value: number;
}

export class Counter extends Metric<Cell> {
  readonly type = 'counter';

  inc(labels: Labels = {}, by = 1): void {
    if (!(by >= 0)) throw new Error(`metrics: counter ${this.name} cannot go down (${by})`);
    this.at(labels, () => ({ value: 0 })).value += by;
  }

  get(labels: Labels = {}): number {
    return this.at(labels, () => ({ value: 0 })).value;
  }

  protected renderSeries(out: string[], labels: [string, string][], data: Cell): void {
    out.push(`${this.name}${labelText(labels)} ${formatValue(data.value)}`);
  }
}

export class Gauge extends Metric<Cell> {
  readonly type = 'gauge';

  set(labels: Labels, value: number): void {
    this.at(labels, () => ({ value: 0 })).value = value;
  }

  inc(labels: Labels = {}, by = 1): void {
    this.at(labels, () => ({ value: 0 })).value += by;
  }

  protected renderSeries(out: string[], labels: [string, string][], data: Cell): void {
    out.push(`${this.name}${labelText(labels)} ${formatValue(data.value)}`);
  }
}

interface HistogramData {
  /** Per bucket, observations <= its bound (not cumulative; summed when rendered). */
  counts: number[];
  sum: number;
  count: number;
}

export class Histogram extends Metric<HistogramData> {
  readonly type = 'histogram';
  readonly buckets: readonly number[];

  constructor(opts: MetricOptions & { buckets: readonly number[] }) {
    super(opts);
    const sorted = [...new Set(opts.buckets)].sort((a, b) => a - b);
    if (sorted.length === 0 || sorted.some((b) => !Number.isFinite(b))) {
      throw new Error(`metrics: histogram ${opts.name} needs finite buckets`);
    }
    this.buckets = sorted;
  }

  observe(labels: Labels, value: number): void {
    if (!Number.isFinite(value)) return;
    const data = this.at(labels, () => ({ counts: this.buckets.map(() => 0), sum: 0, count: 0 }));
    const i = this.buckets.findIndex((b) => value <= b);
    if (i >= 0) data.counts[i]! += 1;
    data.sum += value;
    data.count += 1;
  }

  protected renderSeries(out: string[], labels: [string, string][], data: HistogramData): void {
    let cumulative = 0;
    this.buckets.forEach((bound, i) => {
      cumulative += data.counts[i]!;
      const le: [string, string] = ['le', formatValue(bound)];
      out.push(`${this.name}_bucket${labelText([...labels, le])} ${cumulative}`);
    });
    out.push(`${this.name}_bucket${labelText([...labels, ['le', '+Inf']])} ${data.count}`);
    out.push(`${this.name}_sum${labelText(labels)} ${formatValue(data.sum)}`);
    out.push(`${this.name}_count${labelText(labels)} ${data.count}`);
  }
}

type AnyMetric = Counter | Gauge | Histogram;

export class MetricsRegistry {
  private readonly metrics = new Map<string, AnyMetric>();

  private add<M extends AnyMetric>(metric: M): M {
    if (this.metrics.has(metric.name))
      throw new Error(`metrics: ${metric.name} is registered twice`);
    this.metrics.set(metric.name, metric);
    return metric;
  }

  counter(opts: MetricOptions): Counter {
    return this.add(new Counter(opts));
  }

  gauge(opts: MetricOptions): Gauge {
    return this.add(new Gauge(opts));
  }

  histogram(opts: MetricOptions & { buckets: readonly number[] }): Histogram {
    return this.add(new Histogram(opts));
  }

  /** Runs every collect hook, then renders all metrics in registration order. */
  async render(): Promise<string> {
    const all = [...this.metrics.values()];
    await Promise.all(all.map((m) => m.collect()));
    return all.map((m) => m.render()).join('');
  }
}
