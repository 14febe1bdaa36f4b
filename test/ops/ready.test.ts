// GET /ready on a real daemon: 200 when the store answers and the loop's heartbeat is fresh;
// 503 with the reason when the heartbeat is stale, the loop stopped or the store is closed.
import { expect } from 'chai';
import { ManualClock } from '../../src/clock/manualClock.js';
import { heartbeatStaleMs, schedulerCheck } from '../../src/ops/readiness.js';
import type { SchedulerStatus } from '../../src/scheduler/schedulerApi.js';
import { startTestDaemon, type TestDaemon } from './daemonHarness.js';

interface ReadyBody {
  status: string;
  reason: string | null;
  checks: { store: { ok: boolean; message: string }; scheduler: { ok: boolean; message: string } };
}

describe('GET /ready', function () {
  this.timeout(20_000);
  let t: TestDaemon;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock('2026-03-01T12:00:00Z');
    t = await startTestDaemon({ clock });
  });
  afterEach(async () => {
    await t.stop().catch(() => undefined); // a test may have closed the store already
  });

  async function ready(): Promise<{ status: number; body: ReadyBody }> {
    const res = await t.request('/ready');
    expect(res.headers.get('content-type')).to.match(/application\/json/);
    return { status: res.status, body: (await res.json()) as ReadyBody };
  }

  it('is 200 when the store answers and the loop is alive', async () => {
    const { status, body } = await ready();
    expect(status).to.equal(200);
    expect(body.status).to.equal('ready');
    expect(body.reason).to.equal(null);
    expect(body.checks.store.ok).to.equal(true);
    expect(body.checks.scheduler.ok).to.equal(true);
  });

  it('is 503 while the heartbeat is stale, and 200 again once the loop wakes', async () => {
    await clock.advance(30_000); // one wake: the heartbeat is set
    expect(t.daemon.scheduler.status().lastWakeAt?.toISOString()).to.equal(
      '2026-03-01T12:00:30.000Z',
    );
    // The wall clock moves 10 minutes with no wake (as if the loop were wedged).
    clock.jump(600_000);
    const stale = await ready();
    expect(stale.status).to.equal(503);
    expect(stale.body.status).to.equal('not_ready');
    expect(stale.body.reason).to.match(/scheduler loop heartbeat is stale: last wake 600 s ago/);
    expect(stale.body.checks.store.ok).to.equal(true);
    await clock.advance(30_000);
    expect((await ready()).status).to.equal(200);
  });

  it('is 503 when the scheduler loop has stopped', async () => {
    await t.daemon.scheduler.stop(0);
    const { status, body } = await ready();
    expect(status).to.equal(503);
    expect(body.reason).to.equal('scheduler loop is not running');
  });

  it('is 503 naming the store when the store is closed', async () => {
    await t.daemon.store.close();
    const { status, body } = await ready();
    expect(status).to.equal(503);
    expect(body.checks.store.ok).to.equal(false);
    expect(body.reason).to.match(/^store unreachable: /);
  });
});

describe('readiness: the scheduler heartbeat rule', () => {
  const base: SchedulerStatus = {
    running: true,
    timerCapMs: 30_000,
    tasksScheduled: 0,
    runsInProgress: 0,
    nextWakeAt: null,
    startedAt: new Date(0),
    lastWakeAt: null,
    node: 'n',
  };
  const stale = heartbeatStaleMs(30_000);

  it('uses the start instant before the first wake', () => {
    expect(schedulerCheck(base, stale).ok).to.equal(true);
    expect(schedulerCheck(base, stale + 1).ok).to.equal(false);
  });

  it('accepts an old heartbeat while a timer is armed and not overdue (re-armed by edits)', () => {
    const s = { ...base, lastWakeAt: new Date(0), nextWakeAt: new Date(stale + 20_000) };
    expect(schedulerCheck(s, stale + 10_000).ok).to.equal(true);
    const overdue = schedulerCheck(s, stale + 60_000);
    expect(overdue.ok).to.equal(false);
    expect(overdue.message).to.match(/its wake was due 40 s ago/);
  });

  it('survives the wall clock stepping backward (heartbeat in the future)', () => {
    expect(schedulerCheck({ ...base, lastWakeAt: new Date(100_000) }, 50_000).ok).to.equal(true);
  });
});
