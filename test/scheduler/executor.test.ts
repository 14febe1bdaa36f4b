// Overlap, timeout, retries and cancel with real Shell processes (real time, short), on
// SQLite with a ManualClock driving the schedule.
import { expect } from 'chai';
import type { Run } from '../../src/domain/types.js';
import {
  advance,
  createTask,
  harness,
  iso,
  runsOf,
  shellAction,
  teardown,
  waitFor,
} from './harness.js';

const statuses = (runs: Run[]) => runs.map((r) => r.status);

describe('scheduler/executor with real Shell actions', function () {
  this.timeout(20_000);
  afterEach(teardown);

  /** A task every 10 s whose run lasts `sleep` s of real time; fires 3 occurrences back to back. */
  async function overlapRuns(
    overlap: 'skip' | 'allow' | 'queue' | 'replace',
    sleep: number,
  ): Promise<Run[]> {
    const h = await harness('2024-03-01T10:00:00Z');
    const task = await createTask(h, {
      when: '10s',
      policies: { overlap },
      actions: [shellAction(`sleep ${sleep}`)],
    });
    await h.scheduler.start();
    await h.clock.advance(10_000);
    await waitFor(
      async () => (await runsOf(h.store, task.id)).some((r) => r.status === 'running'),
      'first run running',
    );
    await h.clock.advance(10_000);
    await h.clock.advance(10_000);
    await h.scheduler.idle();
    return runsOf(h.store, task.id);
  }

  it('overlap skip: occurrences during a run are recorded as skipped', async () => {
    const runs = await overlapRuns('skip', 0.4);
    expect(statuses(runs)).to.deep.equal(['succeeded', 'skipped', 'skipped']);
    expect(runs[1]!.error).to.match(/still in progress/);
  });

  it('overlap allow: runs overlap', async () => {
    const runs = await overlapRuns('allow', 0.4);
    expect(statuses(runs)).to.deep.equal(['succeeded', 'succeeded', 'succeeded']);
    // The second started before the first finished.
    expect(runs[1]!.startedAt!.getTime()).to.be.below(runs[0]!.finishedAt!.getTime() + 1);
  });

  it('overlap queue: one run waits behind the running one, a further one is skipped', async () => {
    const runs = await overlapRuns('queue', 0.4);
    expect(statuses(runs)).to.deep.equal(['succeeded', 'succeeded', 'skipped']);
    expect(runs[2]!.error).to.match(/already queued/);
  });

  it('overlap replace: a new occurrence cancels the running run', async () => {
    const runs = await overlapRuns('replace', 1);
    // Each newer occurrence replaced the one before it; the last one ran to its end.
    expect(statuses(runs)).to.deep.equal(['cancelled', 'cancelled', 'succeeded']);
    expect(runs[0]!.error).to.equal('cancelled: replaced by a newer run');
    expect(runs[0]!.results[0]!.status).to.equal('cancelled');
    // The replacement started only once the replaced run had ended.
    expect(runs[2]!.startedAt!.getTime()).to.be.at.least(runs[0]!.finishedAt!.getTime());
  });

  it('a run past its timeout is killed and marked timed_out', async () => {
    const h = await harness('2024-03-01T10:00:00Z');
    const task = await createTask(h, {
      when: '1h',
      policies: { timeoutMs: 5000 },
      actions: [shellAction('echo start; sleep 30')],
    });
    await h.scheduler.start();
    const run = await h.scheduler.runNow(task.id);
    await waitFor(
      async () => (await h.store.runs.get(run.id))!.status === 'running',
      'run running',
    );
    await h.clock.advance(5000);
    await h.scheduler.idle();
    const done = (await h.store.runs.get(run.id))!;
    expect(done.status).to.equal('timed_out');
    expect(done.error).to.equal('timed out after 5000 ms');
    expect(done.results[0]).to.include({ status: 'timed_out' });
    const stored = (await h.store.tasks.get(task.id))!;
    expect(stored.lastTriggeredError).to.deep.equal({
      type: 'Timeout',
      message: 'timed out after 5000 ms',
    });
  });

  it('a failed run is retried as attempt 2 and 3 with doubling backoff, then stops', async () => {
    const h = await harness('2024-03-01T10:00:00Z');
    const task = await createTask(h, {
      when: '1h',
      policies: { retries: 2, retryBackoffMs: 10_000 },
      actions: [shellAction('echo failing; exit 3')],
    });
    await h.scheduler.start();
    await advance(h, 3_600_000); // 11:00 fires and fails
    let runs = await runsOf(h.store, task.id);
    expect(runs.map((r) => [r.attempt, r.status, r.trigger, iso(r.runAt)])).to.deep.equal([
      [1, 'failed', 'schedule', '2024-03-01T11:00:00.000Z'],
      [2, 'pending', 'retry', '2024-03-01T11:00:10.000Z'],
    ]);
    expect(runs[0]!.error).to.equal('action 0 (Shell): exit code 3');
    expect((await h.store.tasks.get(task.id))!.lastTriggeredError).to.deep.equal({
      type: 'ExitCode',
      message: 'exit code 3',
    });
    await advance(h, 9_999);
    expect((await h.store.runs.get(runs[1]!.id))!.status).to.equal('pending');
    await advance(h, 1);
    await advance(h, 20_000);
    runs = await runsOf(h.store, task.id);
    expect(
      runs.map((r) => [r.attempt, r.status, iso(r.scheduledFor), iso(r.startedAt)]),
    ).to.deep.equal([
      [1, 'failed', '2024-03-01T11:00:00.000Z', '2024-03-01T11:00:00.000Z'],
      [2, 'failed', '2024-03-01T11:00:00.000Z', '2024-03-01T11:00:10.000Z'],
      [3, 'failed', '2024-03-01T11:00:00.000Z', '2024-03-01T11:00:30.000Z'],
    ]);
  });

  it('cancel stops a running run and returns it as cancelled', async () => {
    const h = await harness('2024-03-01T10:00:00Z');
    const task = await createTask(h, {
      when: '1h',
      actions: [shellAction('sleep 30'), shellAction('echo never')],
    });
    await h.scheduler.start();
    const run = await h.scheduler.runNow(task.id);
    await waitFor(
      async () => (await h.store.runs.get(run.id))!.status === 'running',
      'run running',
    );
    const cancelled = await h.scheduler.cancel(task.id);
    expect(cancelled.map((r) => [r.id, r.status])).to.deep.equal([[run.id, 'cancelled']]);
    expect(cancelled[0]!.results.map((r) => r.status)).to.deep.equal(['cancelled', 'not_run']);
    expect(await h.scheduler.cancel(task.id)).to.deep.equal([]);
  });

  it('output over outputCapBytes is truncated in the run but every line reaches the log', async () => {
    const h = await harness('2024-03-01T10:00:00Z', { config: { runs: { outputCapBytes: 1024 } } });
    const task = await createTask(h, {
      when: '1h',
      actions: [shellAction('for i in $(seq 1 200); do echo line-$i; done')],
    });
    await h.scheduler.start();
    const run = await h.scheduler.runNow(task.id);
    await h.scheduler.idle();
    const done = (await h.store.runs.get(run.id))!;
    expect(done.status).to.equal('succeeded');
    expect(done.results[0]!.outputTruncated).to.equal(true);
    expect(Buffer.byteLength(done.results[0]!.output)).to.be.at.most(1024);
    expect(done.results[0]!.output.startsWith('line-1\nline-2\n')).to.equal(true);
    await h.scheduler.runLog.flush();
    const logs = await h.store.logs.list({ runId: run.id, order: 'asc', limit: 1000 });
    expect(logs.filter((l) => l.data.startsWith('line-'))).to.have.length(200);
  });

  it('stop interrupts runs still going after the grace', async () => {
    const h = await harness('2024-03-01T10:00:00Z');
    const task = await createTask(h, { when: '1h', actions: [shellAction('sleep 30')] });
    await h.scheduler.start();
    const run = await h.scheduler.runNow(task.id);
    await waitFor(
      async () => (await h.store.runs.get(run.id))!.status === 'running',
      'run running',
    );
    await h.scheduler.stop(0);
    expect((await h.store.runs.get(run.id))!.status).to.equal('interrupted');
    expect(h.scheduler.status().running).to.equal(false);
  });
});
