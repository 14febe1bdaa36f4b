// The metrics registry's text format, checked by parsing what it renders.
import { expect } from 'chai';
import { MetricsRegistry, PROMETHEUS_CONTENT_TYPE } from '../../src/ops/metrics.js';
import { parseExposition, value, find } from './promText.js';

describe('metrics registry (Prometheus text format)', () => {
  it('renders counters and gauges with HELP, TYPE and escaped label values', async () => {
    const r = new MetricsRegistry();
    const c = r.counter({
      name: 'x_total',
      help: 'a "counter"\nwith two lines',
      labelNames: ['path'],
    });
    c.inc({ path: 'a"b\\c\nd' }, 2);
    c.inc({ path: 'a"b\\c\nd' });
    r.gauge({ name: 'g', help: 'a gauge' }).set({}, -1.5);
    const text = await r.render();
    expect(text).to.contain('# TYPE x_total counter\n');
    expect(text).to.contain('# HELP x_total a "counter"\\nwith two lines\n');
    expect(text).to.contain('x_total{path="a\\"b\\\\c\\nd"} 3\n');
    const exp = parseExposition(text);
    expect(value(exp, 'x_total', { path: 'a"b\\c\nd' })).to.equal(3);
    expect(value(exp, 'g')).to.equal(-1.5);
    expect(exp.types.get('g')).to.equal('gauge');
    expect(PROMETHEUS_CONTENT_TYPE).to.match(/^text\/plain; version=0\.0\.4/);
  });

  it('renders histogram buckets cumulative, ending in +Inf, with sum and count', async () => {
    const r = new MetricsRegistry();
    const h = r.histogram({
      name: 'lat_seconds',
      help: 'h',
      labelNames: ['k'],
      buckets: [1, 0.1, 10],
    });
    for (const v of [0.05, 0.1, 0.5, 5, 50]) h.observe({ k: 'a' }, v);
    const exp = parseExposition(await r.render());
    const buckets = find(exp, 'lat_seconds_bucket', { k: 'a' }).map((s) => [s.labels.le, s.value]);
    expect(buckets).to.deep.equal([
      ['0.1', 2],
      ['1', 3],
      ['10', 4],
      ['+Inf', 5],
    ]);
    expect(value(exp, 'lat_seconds_count', { k: 'a' })).to.equal(5);
    expect(value(exp, 'lat_seconds_sum', { k: 'a' })).to.be.closeTo(55.65, 1e-9);
  });

  it('runs collect hooks at each scrape and refuses bad names, labels and decrements', async () => {
    const r = new MetricsRegistry();
    let n = 0;
    const g = r.gauge({ name: 'scrapes', help: 'h', collect: () => g.set({}, ++n) });
    expect(value(parseExposition(await r.render()), 'scrapes')).to.equal(1);
    expect(value(parseExposition(await r.render()), 'scrapes')).to.equal(2);
    expect(() => r.counter({ name: 'bad-name', help: 'h' })).to.throw(/not a metric name/);
    expect(() => r.counter({ name: 'ok', help: 'h', labelNames: ['le'] })).to.throw(/label name/);
    expect(() => r.gauge({ name: 'scrapes', help: 'h' })).to.throw(/registered twice/);
    const c = r.counter({ name: 'c_total', help: 'h', labelNames: ['a'] });
    expect(() => c.inc({ a: 'x' }, -1)).to.throw(/cannot go down/);
    expect(() => c.inc({})).to.throw(/needs label 'a'/);
  });
});
