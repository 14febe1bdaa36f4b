// /metrics over a real socket from a real daemon (SQLite, ManualClock), parsed and checked:
// runs by status, firing lateness, tasks by state, HTTP requests by route pattern.
import { prewake } from '../../src/scheduler/timerPlan.js';
import { expect } from 'chai';
import { ManualClock } from '../../src/clock/manualClock.js';
import { LATENESS_BUCKETS } from '../../src/ops/taskrMetrics.js';
import { startTestDaemon, type TestDaemon } from './daemonHarness.js';
import { find, parseExposition, value, type Exposition } from './promText.js';

const START = '2026-03-01T12:00:00Z';

describe('GET /metrics', function () {
  this.timeout(20_000);
  let t: TestDaemon;
  let clock: ManualClock;

  beforeEach(async () => {
    clock = new ManualClock(START);
    t = await startTestDaemon({ clock });
  });
  afterEach(() => t.stop());

  async function scrape(): Promise<Exposition> {
    const res = await t.request('/metrics');
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
    return parseExposition(await res.text());
  }

  const logTask = (name: string, method: string, when: string) => ({
    name,
    schedule_method: method,
    schedule_when: when,
    actions: [{ action_class_name: 'Log', message: `hello from ${name}` }],
  });

  it('counts a finished run by status and records its firing lateness in cumulative buckets', async () => {
    const before = await scrape();
    expect(value(before, 'taskr_runs_total', { status: 'succeeded' })).to.equal(0);
    expect(value(before, 'taskr_run_lateness_seconds_count')).to.equal(undefined);
    await t.json('POST', '/tasks.json', logTask('every-minute', 'every', '1m'), 201);

    // The loop re-arms for the instant 30 s ahead (ending that sleep prewake() early, see
    // timerPlan.ts); then the wall clock steps 1.5 s ahead (an NTP step) before the timer
    // fires: the run starts 1.5 s, less the pre-wake, after its scheduled instant.
    await clock.advance(30_000);
    clock.jump(1_500);
    await clock.advance(30_000);
    await t.daemon.scheduler.idle();

    const after = await scrape();
    expect(value(after, 'taskr_runs_total', { status: 'succeeded' })).to.equal(1);
    expect(value(after, 'taskr_runs_total', { status: 'failed' })).to.equal(0);
    expect(after.types.get('taskr_run_lateness_seconds')).to.equal('histogram');
    const buckets = find(after, 'taskr_run_lateness_seconds_bucket');
    expect(buckets.map((b) => b.labels.le)).to.deep.equal([
      ...LATENESS_BUCKETS.map(String),
      '+Inf',
    ]);
    for (let i = 1; i < buckets.length; i++)
      expect(buckets[i]!.value).to.be.at.least(buckets[i - 1]!.value);
    expect(value(after, 'taskr_run_lateness_seconds_bucket', { le: '1' })).to.equal(0);
    expect(value(after, 'taskr_run_lateness_seconds_bucket', { le: '2.5' })).to.equal(1);
    expect(value(after, 'taskr_run_lateness_seconds_bucket', { le: '+Inf' })).to.equal(1);
    expect(value(after, 'taskr_run_lateness_seconds_count')).to.equal(1);
    const lateness = 1.5 - prewake(30_000) / 1000;
    expect(value(after, 'taskr_run_lateness_seconds_sum')).to.be.closeTo(lateness, 1e-9);
    expect(value(after, 'taskr_runs_in_progress')).to.equal(0);
  });

  it('does not count manual runs as lateness', async () => {
    const task = await t.json<{ id: number }>(
      'POST',
      '/tasks.json',
      logTask('manual', 'every', '1h'),
      201,
    );
    await t.json('POST', `/tasks/${task.id}/run.json`, undefined, 201);
    await t.daemon.scheduler.idle();
    const exp = await scrape();
    expect(value(exp, 'taskr_runs_total', { status: 'succeeded' })).to.equal(1);
    expect(value(exp, 'taskr_run_lateness_seconds_count')).to.equal(undefined);
  });

  it('reports tasks by state: scheduled, paused and expired', async () => {
    const a = await t.json<{ id: number }>('POST', '/tasks.json', logTask('a', 'every', '1h'), 201);
    await t.json('POST', '/tasks.json', logTask('b', 'every', '1h'), 201);
    await t.json('POST', '/tasks.json', logTask('once', 'in', '10s'), 201);
    let exp = await scrape();
    expect(value(exp, 'taskr_tasks', { state: 'scheduled' })).to.equal(3);
    expect(value(exp, 'taskr_tasks', { state: 'paused' })).to.equal(0);
    expect(value(exp, 'taskr_tasks', { state: 'expired' })).to.equal(0);

    await t.json('POST', `/tasks/${a.id}/pause.json`, undefined, 200);
    await clock.advance(10_000); // the one-shot fires and expires
    await t.daemon.scheduler.idle();
    exp = await scrape();
    expect(value(exp, 'taskr_tasks', { state: 'scheduled' })).to.equal(1);
    expect(value(exp, 'taskr_tasks', { state: 'paused' })).to.equal(1);
    expect(value(exp, 'taskr_tasks', { state: 'expired' })).to.equal(1);
    expect(value(exp, 'taskr_store_up')).to.equal(1);
  });

  it('counts HTTP requests by method, route pattern (not the raw path) and status', async () => {
    await t.json('POST', '/tasks.json', logTask('x', 'every', '1h'), 201);
    await t.json('GET', '/tasks/4242.json', undefined, 404);
    await t.json('GET', '/tasks/4243.json', undefined, 404);
    await t.json('GET', '/no/such/thing.json', undefined, 404);
    const exp = await scrape();
    const http = (labels: Record<string, string>) =>
      value(exp, 'taskr_http_requests_total', labels);
    expect(http({ method: 'POST', route: '/tasks', status: '201' })).to.equal(1);
    expect(http({ method: 'GET', route: '/tasks/:id', status: '404' })).to.equal(2);
    expect(http({ method: 'GET', route: 'unmatched', status: '404' })).to.equal(1);
    expect(
      find(exp, 'taskr_http_requests_total').some((s) => /4242/.test(s.labels.route ?? '')),
    ).to.equal(false);
    expect(
      value(exp, 'taskr_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/tasks/:id',
      }),
    ).to.equal(2);
    expect(
      value(exp, 'taskr_build_info', {
        version: exp.samples.find((s) => s.name === 'taskr_build_info')!.labels.version!,
      }),
    ).to.equal(1);
  });
});
