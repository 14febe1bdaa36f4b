import { expect } from 'chai';
import { TaskrError, ValidationError } from '../../src/errors.js';
import { input, serviceFixture, type ServiceFixture } from './fixture.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

describe('TaskService', () => {
  let f: ServiceFixture;
  beforeEach(async () => {
    f = await serviceFixture();
  });
  afterEach(async () => {
    await f.close();
  });

  it('creates a task with canonical actions and its first fire time', async () => {
    const task = await f.tasks.create(
      input({
        actions: [{ actionClassName: 'Taskr::Actions::Shell', parameters: { command: 'true' } }],
      }),
    );
    expect(task.id).to.be.a('number');
    expect(task.actions[0]!.actionClassName).to.equal('Shell');
    expect(iso(task.nextTriggerAt)).to.equal('2026-03-01T12:05:00.000Z');
    expect(iso(task.createdOn)).to.equal('2026-03-01T12:00:00.000Z');
  });

  it('stores the absolute due time of an `in` task, so a restart cannot reset it', async () => {
    const task = await f.tasks.create(input({ scheduleMethod: 'in', scheduleWhen: '1h30m' }));
    expect(iso(task.nextTriggerAt)).to.equal('2026-03-01T13:30:00.000Z');
    const again = await f.store.tasks.get(task.id);
    expect(iso(again!.nextTriggerAt)).to.equal('2026-03-01T13:30:00.000Z');
  });

  it('collects every field error at once and stores nothing', async () => {
    const err = await rejection(
      f.tasks.create(
        input({
          name: ' ',
          scheduleWhen: '5x',
          actions: [{ actionClassName: 'Teleport', parameters: {} }],
          policies: { overlap: 'sometimes' as never, retries: -1 },
        }),
      ),
    );
    expect(err).to.be.instanceOf(ValidationError);
    const fields = (err as ValidationError).errors.map((e) => e.field);
    expect(fields).to.include.members(['name', 'schedule_when', 'overlap', 'retries']);
    expect(fields.some((x) => x.startsWith('actions[0]'))).to.equal(true);
    const when = (err as ValidationError).errors.find((e) => e.field === 'schedule_when')!;
    expect(`${when.field} ${when.message}`).to.equal(
      "schedule_when '5x' for every: unknown unit 'x'; use ms, s, m, h, d, w, M, y",
    );
    expect(await f.store.tasks.count()).to.equal(0);
  });

  it('rejects a task without actions and an `at` in the past', async () => {
    const err = (await rejection(
      f.tasks.create(
        input({ scheduleMethod: 'at', scheduleWhen: '2008-01-02 16:53:14', actions: [] }),
      ),
    )) as ValidationError;
    const fields = err.errors.map((e) => e.field);
    expect(fields).to.include.members(['actions', 'schedule_when']);
    expect(err.errors.find((e) => e.field === 'schedule_when')!.message).to.match(/in the past/);
  });

  it('refuses a duplicate name with 422 and leaves the first task intact', async () => {
    const first = await f.tasks.create(input());
    const err = await rejection(f.tasks.create(input({ scheduleWhen: '1h' })));
    expect((err as TaskrError).status).to.equal(422);
    const stored = await f.tasks.get(first.id);
    expect(stored.scheduleWhen).to.equal('5m');
  });

  it('keeps the pending occurrence when an update does not touch the schedule', async () => {
    const task = await f.tasks.create(input());
    await f.clock.advance(60_000);
    const updated = await f.tasks.update(task.id, input({ memo: 'nightly' }));
    expect(updated.memo).to.equal('nightly');
    expect(iso(updated.nextTriggerAt)).to.equal('2026-03-01T12:05:00.000Z');
  });

  it('re-plans from now when the schedule changes, and replaces the actions', async () => {
    const task = await f.tasks.create(input());
    await f.clock.advance(60_000);
    const updated = await f.tasks.update(
      task.id,
      input({
        scheduleWhen: '1h',
        actions: [{ actionClassName: 'Log', parameters: { message: 'new' } }],
      }),
    );
    expect(iso(updated.nextTriggerAt)).to.equal('2026-03-01T13:01:00.000Z');
    expect(updated.actions).to.have.length(1);
    expect(updated.actions[0]!.parameters.message).to.equal('new');
  });

  it('pauses (no next fire) and resumes from now', async () => {
    const task = await f.tasks.create(input());
    const paused = await f.tasks.pause(task.id);
    expect(paused.enabled).to.equal(false);
    expect(paused.nextTriggerAt).to.equal(null);
    await f.clock.advance(3 * 60_000);
    const resumed = await f.tasks.resume(task.id);
    expect(resumed.enabled).to.equal(true);
    expect(iso(resumed.nextTriggerAt)).to.equal('2026-03-01T12:08:00.000Z');
  });

  it('answers task.not_found (404) for a missing id on every operation', async () => {
    for (const op of [
      () => f.tasks.get(999),
      () => f.tasks.update(999, input()),
      () => f.tasks.delete(999),
      () => f.tasks.pause(999),
      () => f.tasks.resume(999),
      () => f.tasks.runNow(999),
      () => f.tasks.cancel(999),
    ]) {
      const err = (await rejection(op())) as TaskrError;
      expect(err.code).to.equal('task.not_found');
      expect(err.status).to.equal(404);
    }
  });

  it('runs a task now and records the run', async () => {
    const task = await f.tasks.create(input());
    const run = await f.tasks.runNow(task.id);
    expect(run.trigger).to.equal('manual');
    expect(run.taskId).to.equal(task.id);
  });

  it('deletes a task with its runs', async () => {
    const task = await f.tasks.create(input());
    await f.tasks.runNow(task.id);
    await f.tasks.delete(task.id);
    expect(await f.store.tasks.get(task.id)).to.equal(null);
    expect((await f.store.runs.list({ taskId: task.id })).total).to.equal(0);
  });

  it('upserts by name: creates, leaves an identical entry alone, updates a changed one', async () => {
    const a = await f.tasks.upsertByName(input());
    expect(a.created).to.equal(true);
    const b = await f.tasks.upsertByName(input());
    expect(b).to.include({ created: false, changed: false });
    const c = await f.tasks.upsertByName(input({ scheduleWhen: '10m' }));
    expect(c).to.include({ created: false, changed: true });
    expect(c.task.scheduleWhen).to.equal('10m');
    expect(await f.store.tasks.count()).to.equal(1);
  });
});
