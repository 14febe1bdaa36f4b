// The scheduler's fast path: claim + pending -> running in one transaction, the next
// triggers written with it, and the batch write of next triggers.
import { expect } from 'chai';
import { openStore } from '../../src/store/openStore.js';
import type { StartClaim } from '../../src/store/store.js';
import { describeEachBackend } from '../helpers/databases.js';
import { T0, at, claim, taskInput, useStore } from './fixtures.js';

describeEachBackend('store: runs.claimAndStart and tasks.setNextTriggers', (backend) => {
  const ctx = useStore(backend);
  let taskId: number;
  let otherId: number;
  beforeEach(async () => {
    taskId = (await ctx.store.tasks.create(taskInput(), T0)).id;
    otherId = (await ctx.store.tasks.create(taskInput({ name: 'other' }), T0)).id;
  });

  it('starts only the won claims flagged start; the rows match what the store reads back', async () => {
    const runs = ctx.store.runs;
    const t1 = at('2025-03-01T10:00:00.001Z');
    const t2 = at('2025-03-01T10:00:00.002Z');
    const startedAt = at('2025-03-01T10:00:00.005Z');
    await runs.claim([claim(otherId, t1)]); // already claimed elsewhere: not won again
    const claims: StartClaim[] = [
      { ...claim(taskId, t1), start: true },
      { ...claim(taskId, t2) }, // not flagged: stays pending
      { ...claim(otherId, t1), start: true },
      {
        ...claim(taskId, t1, { attempt: 1, status: 'skipped', error: 'skipped: busy' }),
        start: true,
      },
    ];
    const won = await runs.claimAndStart!(claims, startedAt);
    expect(won.map((w) => [w.claimed.taskId, w.claimed.attempt, w.claimed.status])).to.deep.equal([
      [taskId, 0, 'pending'],
      [taskId, 0, 'pending'],
      [taskId, 1, 'skipped'],
    ]);
    expect(won.map((w) => w.running?.status ?? null)).to.deep.equal(['running', null, null]);
    for (const w of won) {
      const stored = await runs.get(w.claimed.id);
      expect(stored).to.deep.equal(w.running ?? w.claimed);
    }
    expect(won[0]!.running!.startedAt!.toISOString()).to.equal(startedAt.toISOString());
    // The started run goes on through the transition table as usual.
    const done = await runs.transition(won[0]!.claimed.id, 'running', 'succeeded', {
      finishedAt: at('2025-03-01T10:00:01Z'),
    });
    expect(done).to.include({ status: 'succeeded' });
  });

  it('a key given twice in one batch is claimed once, at its first position; the rest keep input order', async () => {
    const t1 = at('2025-03-01T10:00:00.001Z');
    const t2 = at('2025-03-01T10:00:00.002Z');
    const won = await ctx.store.runs.claimAndStart!(
      [
        { ...claim(otherId, t2), start: true },
        { ...claim(taskId, t1), start: true },
        { ...claim(otherId, t2), start: true },
        { ...claim(taskId, t2) },
      ],
      at('2025-03-01T10:00:00.005Z'),
    );
    expect(won.map((w) => [w.claimed.taskId, w.claimed.scheduledFor.getTime()])).to.deep.equal([
      [otherId, t2.getTime()],
      [taskId, t1.getTime()],
      [taskId, t2.getTime()],
    ]);
    expect((await ctx.store.runs.list({})).total).to.equal(3);
  });

  it('two claimers of the same keys: each key is won (and started) once', async () => {
    const second = await openStore(ctx.url);
    ctx.extra.push(second);
    const keys = Array.from({ length: 40 }, (_, i) => at(`2025-03-01T10:00:${10 + i}.000Z`));
    const mk = (): StartClaim[] => keys.map((k) => ({ ...claim(taskId, k), start: true }));
    const [a, b] = await Promise.all([
      ctx.store.runs.claimAndStart!(mk(), T0),
      second.runs.claimAndStart!(mk(), T0),
    ]);
    expect(a.length + b.length).to.equal(keys.length);
    const { runs } = await ctx.store.runs.list({ taskId, limit: 1000 });
    expect(runs.filter((r) => r.status === 'running')).to.have.length(keys.length);
  });

  it('writes next triggers with the claim, and in batches through setNextTriggers', async () => {
    const n1 = at('2025-03-01T11:00:00.000Z');
    await ctx.store.runs.claimAndStart!([{ ...claim(taskId, T0), start: true }], T0, [
      { id: taskId, nextTriggerAt: n1 },
      { id: otherId, nextTriggerAt: null },
    ]);
    expect((await ctx.store.tasks.get(taskId))!.nextTriggerAt!.toISOString()).to.equal(
      n1.toISOString(),
    );
    expect((await ctx.store.tasks.get(otherId))!.nextTriggerAt).to.equal(null);
    const n2 = at('2025-03-01T12:00:00.000Z');
    await ctx.store.tasks.setNextTriggers!([
      { id: otherId, nextTriggerAt: n2 },
      { id: taskId, nextTriggerAt: null },
    ]);
    expect((await ctx.store.tasks.get(otherId))!.nextTriggerAt!.toISOString()).to.equal(
      n2.toISOString(),
    );
    expect((await ctx.store.tasks.get(taskId))!.nextTriggerAt).to.equal(null);
  });

  it('all() reads every task exactly as get() does', async () => {
    const created = [];
    for (let i = 0; i < 12; i++) {
      created.push(
        await ctx.store.tasks.create(
          taskInput({
            name: `t${i}`,
            memo: i % 2 ? null : `memo ${i}`,
            timezone: i % 3 ? null : 'UTC',
          }),
          T0,
        ),
      );
    }
    const all = await ctx.store.tasks.all();
    const byId = new Map(all.map((t) => [t.id, t]));
    for (const t of created) expect(byId.get(t.id)).to.deep.equal(t);
  });
});
