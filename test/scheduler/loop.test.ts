import { expect } from 'chai';
import type { Run } from '../../src/domain/types.js';
import { Scheduler } from '../../src/scheduler/loop.js';
import {
  actionRegistry,
  advance,
  createTask,
  harness,
  iso,
  logAction,
  runsOf,
  teardown,
} from './harness.js';

describe('scheduler/loop (SQLite, ManualClock)', () => {
  afterEach(teardown);

  it('fires on time, never early, and writes the output and next trigger back', async () => {
    const h = await harness('2024-03-01T10:00:00Z');
    const task = await createTask(h, { when: '1m' });
    const events: Run[] = [];
    h.scheduler.events.on('run', (r: Run) => events.push(r));
    await h.scheduler.start();
    await advance(h, 59_999);
    expect(await runsOf(h.store, task.id)).to.have.length(0);
    await advance(h, 1);
    const [run] = await runsOf(h.store, task.id);
    expect(run).to.include({
      status: 'succeeded',
      trigger: 'schedule',
      attempt: 1,
      node: 'node-a',
    });
    expect(iso(run!.scheduledFor)).to.equal('2024-03-01T10:01:00.000Z');
    expect(iso(run!.startedAt)).to.equal('2024-03-01T10:01:00.000Z');
    expect(run!.results[0]).to.include({ status: 'succeeded', output: 'hello\n' });
    expect(events.map((e) => e.status)).to.deep.equal(['pending', 'running', 'succeeded']);
    const stored = await h.store.tasks.get(task.id);
    expect(iso(stored!.nextTriggerAt)).to.equal('2024-03-01T10:02:00.000Z');
    expect(iso(stored!.lastTriggered)).to.equal('2024-03-01T10:01:00.000Z');
    await h.scheduler.runLog.flush();
    const logs = await h.store.logs.list({ runId: run!.id });
    expect(logs.map((l) => [l.level, l.data, l.taskId])).to.deep.include([
      'INFO',
      'hello',
      task.id,
    ]);
  });

  it('keeps one timer that never sleeps past the cap', async () => {
    const h = await harness('2024-03-01T10:00:00Z', {
      config: { scheduler: { timerCapMs: 30_000 } },
    });
    await createTask(h, { when: '1h' });
    await h.scheduler.start();
    expect(h.clock.armedDelays()).to.deep.equal([30_000]);
    expect(iso(h.scheduler.status().nextWakeAt)).to.equal('2024-03-01T10:00:30.000Z');
    await advance(h, 30_000);
    expect(h.clock.armedDelays()).to.deep.equal([30_000]);
    expect(h.scheduler.status()).to.include({
      running: true,
      tasksScheduled: 1,
      timerCapMs: 30_000,
    });
  });

  it('a wall clock stepped forward applies the misfire policy on the next wake', async () => {
    const h = await harness('2024-03-01T10:00:00Z');
    const task = await createTask(h, { when: '1m', policies: { misfire: 'skip' } });
    await h.scheduler.start();
    await advance(h, 10_000);
    h.clock.jump(10 * 60_000); // now 10:10:10, nothing ran since 10:00
    await advance(h, 30_000); // the capped timer wakes at 10:10:40
    const runs = await runsOf(h.store, task.id);
    expect(runs.map((r) => [iso(r.scheduledFor), r.status, r.missedCount])).to.deep.equal([
      ['2024-03-01T10:01:00.000Z', 'missed', 9],
      ['2024-03-01T10:10:00.000Z', 'succeeded', null],
    ]);
    expect(runs[0]!.error).to.equal(
      'missed 9 occurrences from 2024-03-01T10:01:00.000Z to 2024-03-01T10:09:00.000Z',
    );
    expect(iso((await h.store.tasks.get(task.id))!.nextTriggerAt)).to.equal(
      '2024-03-01T10:11:00.000Z',
    );
  });

  it('a wall clock stepped backward fires nothing twice and nothing early', async () => {
    const h = await harness('2024-03-01T10:00:00Z');
    const task = await createTask(h, { when: '1m' });
    await h.scheduler.start();
    await advance(h, 60_000); // fires 10:01
    h.clock.jump(-5 * 60_000); // 09:56
    for (let i = 0; i < 12; i++) await advance(h, 30_000); // wall reaches 10:02
    const runs = await runsOf(h.store, task.id);
    expect(runs.map((r) => iso(r.scheduledFor))).to.deep.equal([
      '2024-03-01T10:01:00.000Z',
      '2024-03-01T10:02:00.000Z',
    ]);
    for (const r of runs) expect(r.startedAt!.getTime()).to.be.at.least(r.scheduledFor.getTime());
  });

  it('pause takes a task out of the queue; resume puts it back at its stored next trigger', async () => {
    const h = await harness('2024-03-01T10:00:00Z');
    const task = await createTask(h, { when: '1m' });
    await h.scheduler.start();
    await h.store.tasks.setEnabled(task.id, false, null, new Date(h.clock.now()));
    await h.scheduler.taskChanged(task.id);
    expect(h.scheduler.status().tasksScheduled).to.equal(0);
    await advance(h, 5 * 60_000);
    expect(await runsOf(h.store, task.id)).to.have.length(0);
    await h.store.tasks.setEnabled(
      task.id,
      true,
      new Date('2024-03-01T10:06:00Z'),
      new Date(h.clock.now()),
    );
    await h.scheduler.taskChanged(task.id);
    await advance(h, 60_000);
    expect((await runsOf(h.store, task.id)).map((r) => iso(r.scheduledFor))).to.deep.equal([
      '2024-03-01T10:06:00.000Z',
    ]);
  });

  it('a one-shot fires once and expires', async () => {
    const h = await harness('2024-03-01T10:00:00Z');
    const task = await createTask(h, { method: 'in', when: '5m' });
    await h.scheduler.start();
    await advance(h, 5 * 60_000);
    await advance(h, 10 * 60_000);
    const runs = await runsOf(h.store, task.id);
    expect(runs.map((r) => [iso(r.scheduledFor), r.status])).to.deep.equal([
      ['2024-03-01T10:05:00.000Z', 'succeeded'],
    ]);
    expect((await h.store.tasks.get(task.id))!.nextTriggerAt).to.equal(null);
    expect(h.scheduler.status().tasksScheduled).to.equal(0);
  });

  it('a restart keeps the schedule and marks runs left running as interrupted', async () => {
    const h = await harness('2024-03-01T10:00:00Z');
    const task = await createTask(h, { when: '1m' });
    await h.scheduler.start();
    await advance(h, 60_000); // 10:01 ran
    await h.scheduler.stop();
    // A run the previous process left running (it died mid-run).
    const [left] = await h.store.runs.claim([
      {
        taskId: task.id,
        scheduledFor: new Date('2024-03-01T09:00:00Z'),
        attempt: 1,
        trigger: 'manual',
        status: 'pending',
        runAt: new Date('2024-03-01T09:00:00Z'),
        node: 'node-a',
      },
    ]);
    await h.store.runs.transition(left!.id, 'pending', 'running', {
      startedAt: new Date('2024-03-01T09:00:00Z'),
    });
    const again = new Scheduler({
      store: h.store,
      registry: await actionRegistry(),
      clock: h.clock,
      config: h.config,
    });
    await again.start();
    expect(await h.store.runs.get(left!.id)).to.include({ status: 'interrupted' });
    expect((await h.store.runs.get(left!.id))!.error).to.match(/daemon stopped/);
    await h.clock.advance(60_000);
    await again.idle();
    const times = (await runsOf(h.store, task.id))
      .filter((r) => r.trigger === 'schedule')
      .map((r) => iso(r.scheduledFor));
    expect(times).to.deep.equal(['2024-03-01T10:01:00.000Z', '2024-03-01T10:02:00.000Z']);
    await again.stop();
  });

  describe('misfire at start-up', () => {
    const start = '2024-03-01T10:00:03Z';
    const cases: [string, string, [string, string, number | null][]][] = [
      [
        'skip',
        'skip',
        [
          ['09:05', 'missed', 11],
          ['10:00', 'schedule', null],
        ],
      ],
      [
        'run_once',
        'run_once (one on time)',
        [
          ['09:05', 'missed', 11],
          ['10:00', 'schedule', null],
        ],
      ],
      [
        'run_all',
        'run_all',
        [
          ...['05', '10', '15', '20', '25', '30', '35', '40', '45', '50', '55'].map(
            (m): [string, string, number | null] => [`09:${m}`, 'catch_up', null],
          ),
          ['10:00', 'schedule', null],
        ],
      ],
    ];
    for (const [policy, title, expected] of cases) {
      it(`every 5m down since 09:02: ${title}`, async () => {
        const h = await harness(start);
        const task = await createTask(h, {
          when: '5m',
          nextTriggerAt: '2024-03-01T09:05:00Z',
          policies: { misfire: policy as 'skip', overlap: 'allow' },
        });
        await h.scheduler.start();
        await advance(h, 0);
        const runs = await runsOf(h.store, task.id);
        expect(
          runs.map((r) => [
            iso(r.scheduledFor)!.slice(11, 16),
            r.status === 'missed' ? 'missed' : r.trigger,
            r.missedCount,
          ]),
        ).to.deep.equal(expected);
        expect(iso((await h.store.tasks.get(task.id))!.nextTriggerAt)).to.equal(
          '2024-03-01T10:05:00.000Z',
        );
      });
    }

    it('cron run_once catches up the latest missed occurrence', async () => {
      const h = await harness('2024-03-01T10:30:00Z');
      const task = await createTask(h, {
        method: 'cron',
        when: '0 * * * *',
        nextTriggerAt: '2024-03-01T07:00:00Z',
        policies: { misfire: 'run_once' },
      });
      await h.scheduler.start();
      await advance(h, 0);
      const runs = await runsOf(h.store, task.id);
      expect(
        runs.map((r) => [iso(r.scheduledFor), r.status, r.trigger, r.missedCount]),
      ).to.deep.equal([
        ['2024-03-01T07:00:00.000Z', 'missed', 'schedule', 3],
        ['2024-03-01T10:00:00.000Z', 'succeeded', 'catch_up', null],
      ]);
      expect(iso((await h.store.tasks.get(task.id))!.nextTriggerAt)).to.equal(
        '2024-03-01T11:00:00.000Z',
      );
    });

    it('a one-shot within the grace runs as catch_up; past the grace it is missed', async () => {
      const h = await harness('2024-03-01T10:00:00Z', {
        config: { scheduler: { oneShotGraceMs: 3_600_000 } },
      });
      const within = await createTask(h, {
        method: 'at',
        when: '2024-03-01T09:30:00Z',
        nextTriggerAt: '2024-03-01T09:30:00Z',
      });
      const past = await createTask(h, {
        method: 'at',
        when: '2024-03-01T08:59:59Z',
        nextTriggerAt: '2024-03-01T08:59:59Z',
      });
      await h.scheduler.start();
      await advance(h, 0);
      expect((await runsOf(h.store, within.id)).map((r) => [r.status, r.trigger])).to.deep.equal([
        ['succeeded', 'catch_up'],
      ]);
      expect((await runsOf(h.store, past.id)).map((r) => [r.status, r.missedCount])).to.deep.equal([
        ['missed', 1],
      ]);
      expect((await h.store.tasks.get(past.id))!.nextTriggerAt).to.equal(null);
      expect((await h.store.tasks.get(within.id))!.nextTriggerAt).to.equal(null);
    });
  });

  it('runNow claims a manual run at now and starts it, bumping a clashing instant', async () => {
    const h = await harness('2024-03-01T10:00:00Z');
    const task = await createTask(h, { when: '1h' });
    await h.scheduler.start();
    const a = await h.scheduler.runNow(task.id);
    const b = await h.scheduler.runNow(task.id);
    expect(a).to.include({ trigger: 'manual', status: 'pending' });
    expect(iso(a.scheduledFor)).to.equal('2024-03-01T10:00:00.000Z');
    expect(iso(b.scheduledFor)).to.equal('2024-03-01T10:00:00.001Z');
    await h.scheduler.idle();
    expect((await runsOf(h.store, task.id)).map((r) => r.status)).to.deep.equal([
      'succeeded',
      'succeeded',
    ]);
    let error: unknown;
    await h.scheduler.runNow(9999).catch((e: unknown) => (error = e));
    expect(error).to.have.property('code', 'task.not_found');
  });

  it('resolves ${env:NAME} in action parameters at run time from the scheduler env', async () => {
    const h = await harness('2024-03-01T10:00:00Z');
    const task = await createTask(h, {
      when: '1h',
      actions: [logAction('greeting: ${env:TASKR_TEST_GREETING}')],
    });
    const scheduler = new Scheduler({
      store: h.store,
      registry: await actionRegistry(),
      clock: h.clock,
      config: h.config,
      env: { TASKR_TEST_GREETING: 'bonjour' },
    });
    await scheduler.start();
    const run = await scheduler.runNow(task.id);
    await scheduler.idle();
    const done = (await h.store.runs.get(run.id))!;
    expect(done.results[0]!.output).to.equal('greeting: bonjour\n');
    // The stored task keeps the reference, not the value.
    expect((await h.store.tasks.get(task.id))!.actions[0]!.parameters.message).to.equal(
      'greeting: ${env:TASKR_TEST_GREETING}',
    );
    await scheduler.stop();
  });

  it('a re-saved task with a stale next trigger (same schedule) does not fire an occurrence again', async () => {
    const h = await harness('2024-03-01T10:00:00Z');
    const task = await createTask(h, { when: '1m' });
    await h.scheduler.start();
    await advance(h, 60_000); // 10:01 fired; next 10:02
    // Someone re-saves the task with an instant older than the loop's (a stale read).
    await h.store.tasks.setScheduleState(task.id, {
      nextTriggerAt: new Date('2024-03-01T09:30:00Z'),
    });
    await h.scheduler.taskChanged(task.id);
    await advance(h, 60_000);
    const runs = await runsOf(h.store, task.id);
    expect(runs.map((r) => [iso(r.scheduledFor), r.status])).to.deep.equal([
      ['2024-03-01T10:01:00.000Z', 'succeeded'],
      ['2024-03-01T10:02:00.000Z', 'succeeded'],
    ]);
  });

  it('a deleted task leaves the queue', async () => {
    const h = await harness('2024-03-01T10:00:00Z');
    const task = await createTask(h, { when: '1m' });
    await h.scheduler.start();
    await h.store.tasks.delete(task.id);
    await h.scheduler.taskChanged(task.id);
    expect(h.scheduler.status().tasksScheduled).to.equal(0);
    await advance(h, 120_000);
    expect(await runsOf(h.store, task.id)).to.have.length(0);
  });

  it('over maxConcurrentRuns, due runs wait as pending and start as slots free', async () => {
    const h = await harness('2024-03-01T10:00:00Z', {
      config: { scheduler: { maxConcurrentRuns: 2 } },
    });
    const tasks = [];
    for (let i = 0; i < 6; i++) tasks.push(await createTask(h, { when: '1m' }));
    let peak = 0;
    h.scheduler.events.on(
      'run',
      () => (peak = Math.max(peak, h.scheduler.status().runsInProgress)),
    );
    await h.scheduler.start();
    await advance(h, 60_000);
    for (const task of tasks) {
      expect((await runsOf(h.store, task.id)).map((r) => r.status)).to.deep.equal(['succeeded']);
    }
    expect(peak).to.equal(2);
  });
});
