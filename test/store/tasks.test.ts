import { expect } from 'chai';
import { TaskrError } from '../../src/errors.js';
import { describeEachBackend } from '../helpers/databases.js';
import { T0, at, claim, taskInput, useStore } from './fixtures.js';

async function expectTaskrError(p: Promise<unknown>, code: string): Promise<TaskrError> {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(TaskrError);
    expect((err as TaskrError).code).to.equal(code);
    return err as TaskrError;
  }
  throw new Error(`expected ${code}`);
}

describeEachBackend('store: tasks', (backend) => {
  const ctx = useStore(backend);

  it('creates a task with its actions and reads it back by id and name', async () => {
    const created = await ctx.store.tasks.create(taskInput(), T0);
    expect(created.id).to.be.a('number');
    expect(created).to.deep.include({
      name: 'backup',
      memo: 'nightly backup',
      scheduleMethod: 'every',
      scheduleWhen: '5m',
      timezone: 'Europe/Paris',
      enabled: true,
      createdBy: 'alice',
      lastTriggered: null,
      lastTriggeredError: null,
    });
    expect(created.policies).to.deep.equal({
      overlap: 'skip',
      misfire: 'run_once',
      timeoutMs: 90_000,
      retries: 2,
      retryBackoffMs: 1500,
    });
    expect(created.createdOn.toISOString()).to.equal(T0.toISOString());
    expect(created.nextTriggerAt?.toISOString()).to.equal('2025-03-01T10:05:00.456Z');
    expect(created.actions.map((a) => [a.order, a.actionClassName, a.parameters])).to.deep.equal([
      [0, 'Shell', { command: 'echo one' }],
      [1, 'Webhook', { url: 'http://127.0.0.1:1/x', method: 'POST' }],
    ]);
    expect(created.actions.every((a) => a.taskId === created.id)).to.equal(true);
    expect(await ctx.store.tasks.get(created.id)).to.deep.equal(created);
    expect(await ctx.store.tasks.getByName('backup')).to.deep.equal(created);
    expect(await ctx.store.tasks.get(created.id + 1000)).to.equal(null);
    expect(await ctx.store.tasks.getByName('nope')).to.equal(null);
  });

  it('stores null policies and memo as null', async () => {
    const t = await ctx.store.tasks.create(
      taskInput({
        memo: null,
        timezone: null,
        createdBy: null,
        nextTriggerAt: null,
        policies: {
          overlap: null,
          misfire: null,
          timeoutMs: null,
          retries: null,
          retryBackoffMs: null,
        },
        actions: [],
      }),
      T0,
    );
    const back = await ctx.store.tasks.get(t.id);
    expect(back?.policies).to.deep.equal({
      overlap: null,
      misfire: null,
      timeoutMs: null,
      retries: null,
      retryBackoffMs: null,
    });
    expect(back).to.deep.include({
      memo: null,
      timezone: null,
      createdBy: null,
      nextTriggerAt: null,
      actions: [],
    });
  });

  it('update replaces every field and the whole action list (never appends)', async () => {
    const t = await ctx.store.tasks.create(taskInput(), T0);
    const later = at('2025-03-02T00:00:00.789Z');
    const updated = await ctx.store.tasks.update(
      t.id,
      taskInput({
        name: 'backup-2',
        memo: null,
        scheduleMethod: 'cron',
        scheduleWhen: '0 * * * *',
        enabled: false,
        actions: [{ actionClassName: 'Shell', parameters: { command: 'echo replaced' } }],
      }),
      later,
    );
    expect(updated).to.deep.include({
      id: t.id,
      name: 'backup-2',
      memo: null,
      scheduleMethod: 'cron',
      enabled: false,
    });
    expect(updated.createdOn.toISOString()).to.equal(T0.toISOString());
    expect(updated.updatedOn.toISOString()).to.equal(later.toISOString());
    expect(updated.actions.map((a) => [a.order, a.parameters])).to.deep.equal([
      [0, { command: 'echo replaced' }],
    ]);
    expect(await ctx.store.tasks.get(t.id)).to.deep.equal(updated);
  });

  it('update of a missing id throws task.not_found', async () => {
    const err = await expectTaskrError(
      ctx.store.tasks.update(4242, taskInput(), T0),
      'task.not_found',
    );
    expect(err.params).to.deep.equal({ id: 4242 });
  });

  it('a duplicate name throws task.name_taken and changes nothing', async () => {
    const a = await ctx.store.tasks.create(taskInput({ name: 'a' }), T0);
    const b = await ctx.store.tasks.create(taskInput({ name: 'b' }), T0);
    const err = await expectTaskrError(
      ctx.store.tasks.create(taskInput({ name: 'a', memo: 'dup' }), T0),
      'task.name_taken',
    );
    expect(err.field).to.equal('name');
    expect(err.message).to.equal("name 'a' has already been taken");
    await expectTaskrError(
      ctx.store.tasks.update(b.id, taskInput({ name: 'a', actions: [] }), T0),
      'task.name_taken',
    );
    expect(await ctx.store.tasks.count()).to.equal(2);
    expect(await ctx.store.tasks.get(b.id)).to.deep.equal(b);
    expect(await ctx.store.tasks.get(a.id)).to.deep.equal(a);
    // Updating a task under its own name is fine.
    const same = await ctx.store.tasks.update(a.id, taskInput({ name: 'a', memo: 'kept' }), T0);
    expect(same.memo).to.equal('kept');
  });

  it('delete removes the task, its actions, runs and log entries', async () => {
    const t = await ctx.store.tasks.create(taskInput(), T0);
    const other = await ctx.store.tasks.create(taskInput({ name: 'other' }), T0);
    const [run] = await ctx.store.runs.claim([claim(t.id, T0)]);
    const [otherRun] = await ctx.store.runs.claim([claim(other.id, T0)]);
    await ctx.store.logs.append([
      { timestamp: T0, level: 'INFO', taskId: t.id, actionId: null, runId: run.id, data: 'mine' },
      {
        timestamp: T0,
        level: 'INFO',
        taskId: other.id,
        actionId: null,
        runId: otherRun.id,
        data: 'theirs',
      },
    ]);
    expect(await ctx.store.tasks.delete(t.id)).to.equal(true);
    expect(await ctx.store.tasks.get(t.id)).to.equal(null);
    expect(await ctx.store.runs.get(run.id)).to.equal(null);
    expect(await ctx.store.logs.list({ taskId: t.id })).to.deep.equal([]);
    expect((await ctx.store.logs.list({})).map((l) => l.data)).to.deep.equal(['theirs']);
    expect(await ctx.store.runs.get(otherRun.id)).to.not.equal(null);
    expect((await ctx.store.tasks.get(other.id))?.actions).to.have.length(2);
    expect(await ctx.store.tasks.delete(t.id)).to.equal(false);
  });

  it('list filters by name substring (case-insensitive), enabled, latest run status and expired', async () => {
    const daily = await ctx.store.tasks.create(taskInput({ name: 'Daily Report' }), T0);
    const off = await ctx.store.tasks.create(
      taskInput({ name: 'weekly report', enabled: false }),
      T0,
    );
    const once = await ctx.store.tasks.create(
      taskInput({ name: 'once 100%', scheduleMethod: 'in', scheduleWhen: '1h' }),
      T0,
    );
    await ctx.store.tasks.setScheduleState(once.id, { nextTriggerAt: null, lastTriggered: T0 });
    const [r1] = await ctx.store.runs.claim([claim(daily.id, at('2025-03-01T09:00:00Z'))]);
    await ctx.store.runs.transition(r1.id, 'pending', 'running');
    await ctx.store.runs.transition(r1.id, 'running', 'failed');
    const [r2] = await ctx.store.runs.claim([claim(off.id, at('2025-03-01T09:00:00Z'))]);
    await ctx.store.runs.transition(r2.id, 'pending', 'running');
    await ctx.store.runs.transition(r2.id, 'running', 'failed');
    // off's latest run succeeded, so it is no longer "failed".
    const [r3] = await ctx.store.runs.claim([claim(off.id, at('2025-03-01T09:05:00Z'))]);
    await ctx.store.runs.transition(r3.id, 'pending', 'running');
    await ctx.store.runs.transition(r3.id, 'running', 'succeeded');

    const names = async (q: Parameters<typeof ctx.store.tasks.list>[0]) =>
      (await ctx.store.tasks.list(q)).tasks.map((t) => t.name);
    expect(await names({})).to.deep.equal(['Daily Report', 'weekly report', 'once 100%']);
    expect(await names({ q: 'REPORT' })).to.deep.equal(['Daily Report', 'weekly report']);
    expect(await names({ q: '0%' })).to.deep.equal(['once 100%']);
    expect(await names({ q: '_' })).to.deep.equal([]);
    expect(await names({ enabled: false })).to.deep.equal(['weekly report']);
    expect(await names({ enabled: true })).to.deep.equal(['Daily Report', 'once 100%']);
    expect(await names({ status: 'failed' })).to.deep.equal(['Daily Report']);
    expect(await names({ status: 'succeeded' })).to.deep.equal(['weekly report']);
    expect(await names({ status: 'expired' })).to.deep.equal(['once 100%']);
    const page = await ctx.store.tasks.list({ offset: 1, limit: 1 });
    expect(page.total).to.equal(3);
    expect(page.tasks.map((t) => t.name)).to.deep.equal(['weekly report']);
    expect(page.tasks[0].actions).to.have.length(2);
    expect((await ctx.store.tasks.list({ q: 'report', limit: 1 })).total).to.equal(2);
    expect(await names({ offset: 2 })).to.deep.equal(['once 100%']);
  });

  it('all() and getMany() return tasks with their own actions, in id order', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = await ctx.store.tasks.create(
        taskInput({
          name: `t${i}`,
          actions: Array.from({ length: i }, (_, j) => ({
            actionClassName: 'Shell',
            parameters: { n: j },
          })),
        }),
        T0,
      );
      ids.push(t.id);
    }
    const all = await ctx.store.tasks.all();
    expect(all.map((t) => t.id)).to.deep.equal(ids);
    expect(all.map((t) => t.actions.map((a) => a.parameters.n))).to.deep.equal([
      [],
      [0],
      [0, 1],
      [0, 1, 2],
      [0, 1, 2, 3],
    ]);
    const some = await ctx.store.tasks.getMany([ids[3], ids[1], 99999]);
    expect(some.map((t) => t.name)).to.deep.equal(['t1', 't3']);
    expect(await ctx.store.tasks.getMany([])).to.deep.equal([]);
    expect(await ctx.store.tasks.count()).to.equal(5);
  });

  it('setEnabled and setScheduleState write scheduling state', async () => {
    const t = await ctx.store.tasks.create(taskInput(), T0);
    const when = at('2025-03-01T11:00:00.001Z');
    const paused = await ctx.store.tasks.setEnabled(t.id, false, null, when);
    expect(paused).to.deep.include({ enabled: false, nextTriggerAt: null });
    expect(paused.updatedOn.toISOString()).to.equal(when.toISOString());
    await expectTaskrError(ctx.store.tasks.setEnabled(777, true, null, when), 'task.not_found');

    await ctx.store.tasks.setScheduleState(t.id, {
      nextTriggerAt: at('2025-03-01T12:00:00.002Z'),
      lastTriggered: at('2025-03-01T11:59:59.999Z'),
      lastTriggeredError: { type: 'ShellError', message: 'exit 3' },
    });
    let back = await ctx.store.tasks.get(t.id);
    expect(back?.nextTriggerAt?.toISOString()).to.equal('2025-03-01T12:00:00.002Z');
    expect(back?.lastTriggered?.toISOString()).to.equal('2025-03-01T11:59:59.999Z');
    expect(back?.lastTriggeredError).to.deep.equal({ type: 'ShellError', message: 'exit 3' });
    // Omitted fields stay; null clears.
    await ctx.store.tasks.setScheduleState(t.id, { nextTriggerAt: null, lastTriggeredError: null });
    back = await ctx.store.tasks.get(t.id);
    expect(back?.nextTriggerAt).to.equal(null);
    expect(back?.lastTriggered?.toISOString()).to.equal('2025-03-01T11:59:59.999Z');
    expect(back?.lastTriggeredError).to.equal(null);
  });

  it('concurrent creates of the same name: exactly one wins, the other gets task.name_taken', async () => {
    const results = await Promise.allSettled([
      ctx.store.tasks.create(taskInput({ name: 'race' }), T0),
      ctx.store.tasks.create(taskInput({ name: 'race' }), T0),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((rejected.reason as TaskrError).code).to.equal('task.name_taken');
    expect(await ctx.store.tasks.count()).to.equal(1);
  });
});
