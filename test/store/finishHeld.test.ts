import { expect } from 'chai';
import type { Run } from '../../src/domain/types.js';
import { describeEachBackend } from '../helpers/databases.js';
import { T0, at, claim, taskInput, useStore } from './fixtures.js';

// The scheduler's finish batch: each held run's compare-and-set to its final status and its
// task's last-triggered state, all items of a call together.
describeEachBackend('store: runs.finishHeld', (backend) => {
  const ctx = useStore(backend);

  async function runningRun(taskId: number, iso: string): Promise<Run> {
    const [run] = await ctx.store.runs.claim([claim(taskId, at(iso))]);
    const running = await ctx.store.runs.transition(run!.id, 'pending', 'running', {
      startedAt: at(iso),
    });
    return running!;
  }

  it('finishes every held run and writes each task state; a run no longer held gives null', async () => {
    const a = await ctx.store.tasks.create(taskInput({ name: 'a' }), T0);
    const b = await ctx.store.tasks.create(taskInput({ name: 'b' }), T0);
    const runA = await runningRun(a.id, '2025-03-01T10:00:01Z');
    const runB = await runningRun(b.id, '2025-03-01T10:00:02Z');
    // Someone else (a cancel) ended B first: B's compare-and-set must lose.
    await ctx.store.runs.transition(runB.id, 'running', 'cancelled', { error: 'cancelled' });
    const finishedAt = at('2025-03-01T10:00:05Z');
    const outcomes = await ctx.store.runs.finishHeld!([
      {
        held: runA,
        to: 'succeeded',
        fields: { finishedAt, durationMs: 4000, error: null, results: [] },
        taskId: a.id,
        state: { nextTriggerAt: at('2025-03-01T10:05:00Z'), lastTriggered: runA.startedAt },
      },
      {
        held: runB,
        to: 'failed',
        fields: { finishedAt, durationMs: 3000, error: 'boom', results: [] },
        taskId: b.id,
        state: {
          nextTriggerAt: null,
          lastTriggered: runB.startedAt,
          lastTriggeredError: { type: 'Error', message: 'boom' },
        },
      },
    ]);
    expect(outcomes[1]).to.equal(null);
    const done = outcomes[0] as Run;
    expect(done).to.deep.include({ id: runA.id, status: 'succeeded', durationMs: 4000 });
    // What the store holds is what came back (no read back, so compare).
    const storedA = await ctx.store.runs.get(runA.id);
    expect(storedA).to.deep.include({ status: 'succeeded', durationMs: 4000, error: null });
    expect(storedA!.finishedAt!.toISOString()).to.equal(finishedAt.toISOString());
    expect((await ctx.store.runs.get(runB.id))!.status).to.equal('cancelled');
    const taskA = await ctx.store.tasks.get(a.id);
    expect(taskA!.nextTriggerAt!.toISOString()).to.equal('2025-03-01T10:05:00.000Z');
    expect(taskA!.lastTriggered!.toISOString()).to.equal('2025-03-01T10:00:01.000Z');
    // The task state is written even when the run's own row had already ended.
    const taskB = await ctx.store.tasks.get(b.id);
    expect(taskB!.nextTriggerAt).to.equal(null);
    expect(taskB!.lastTriggeredError).to.deep.equal({ type: 'Error', message: 'boom' });
  });

  it('refuses an illegal transition before writing anything', async () => {
    const a = await ctx.store.tasks.create(taskInput({ name: 'a' }), T0);
    const run = await runningRun(a.id, '2025-03-01T10:00:01Z');
    const item = {
      held: run,
      to: 'pending' as const,
      fields: {},
      taskId: a.id,
      state: { nextTriggerAt: null },
    };
    const outcome = await ctx.store.runs.finishHeld!([item]).then(
      (o) => o[0],
      (err: unknown) => err,
    );
    expect(outcome).to.be.instanceOf(Error);
    expect(String(outcome)).to.match(/running.*pending/);
    expect((await ctx.store.runs.get(run.id))!.status).to.equal('running');
    expect((await ctx.store.tasks.get(a.id))!.nextTriggerAt).to.not.equal(null);
  });
});
