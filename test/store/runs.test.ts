import { expect } from 'chai';
import { TaskrError } from '../../src/errors.js';
import { openStore } from '../../src/store/openStore.js';
import type { RunClaim } from '../../src/store/store.js';
import { describeEachBackend } from '../helpers/databases.js';
import { T0, actionResult as result, at, claim, taskInput, useStore } from './fixtures.js';

describeEachBackend('store: runs', (backend) => {
  const ctx = useStore(backend);
  let taskId: number;
  beforeEach(async () => {
    taskId = (await ctx.store.tasks.create(taskInput(), T0)).id;
  });

  it('claim inserts new rows only; claiming the same keys again returns []', async () => {
    const t1 = at('2025-03-01T10:00:00.001Z');
    const t2 = at('2025-03-01T10:00:00.002Z');
    const first = await ctx.store.runs.claim([claim(taskId, t1), claim(taskId, t2)]);
    expect(first.map((r) => r.scheduledFor.toISOString())).to.deep.equal([
      t1.toISOString(),
      t2.toISOString(),
    ]);
    expect(first[0]).to.deep.include({
      taskId,
      attempt: 0,
      status: 'pending',
      trigger: 'schedule',
      node: 'node-a',
      results: [],
    });
    expect(await ctx.store.runs.claim([claim(taskId, t1), claim(taskId, t2)])).to.deep.equal([]);
    // Only the new key of a mixed batch comes back; attempt is part of the key.
    const mixed = await ctx.store.runs.claim([
      claim(taskId, t1),
      claim(taskId, t1, { attempt: 1, trigger: 'retry', runAt: at('2025-03-01T10:00:10Z') }),
    ]);
    expect(mixed.map((r) => [r.attempt, r.trigger, r.runAt.toISOString()])).to.deep.equal([
      [1, 'retry', '2025-03-01T10:00:10.000Z'],
    ]);
    expect((await ctx.store.runs.list({ taskId })).total).to.equal(3);
  });

  it('claim returns rows in input order, records skipped/missed rows and drops claims of missing tasks', async () => {
    const claims: RunClaim[] = [
      claim(taskId, at('2025-03-01T10:03:00Z')),
      claim(taskId, at('2025-03-01T10:01:00Z'), {
        status: 'missed',
        missedCount: 7,
        error: 'daemon was down',
      }),
      claim(999_999, at('2025-03-01T10:01:00Z')),
      claim(taskId, at('2025-03-01T10:02:00Z'), { status: 'skipped', node: null }),
    ];
    const runs = await ctx.store.runs.claim(claims);
    expect(runs.map((r) => [r.scheduledFor.toISOString(), r.status])).to.deep.equal([
      ['2025-03-01T10:03:00.000Z', 'pending'],
      ['2025-03-01T10:01:00.000Z', 'missed'],
      ['2025-03-01T10:02:00.000Z', 'skipped'],
    ]);
    expect(runs[1]).to.deep.include({ missedCount: 7, error: 'daemon was down' });
    expect(runs[2].node).to.equal(null);
    // Run ids are assigned chronologically, whatever the input order.
    expect([runs[1].id, runs[2].id, runs[0].id]).to.deep.equal(
      [...runs.map((r) => r.id)].sort((x, y) => x - y),
    );
  });

  it('claims a large batch (more rows than one statement holds) in one call', async () => {
    const base = T0.getTime();
    const claims = Array.from({ length: 2500 }, (_, i) => claim(taskId, new Date(base + i)));
    const runs = await ctx.store.runs.claim(claims);
    expect(runs).to.have.length(2500);
    expect(runs.map((r) => r.scheduledFor.getTime() - base)).to.deep.equal(claims.map((_, i) => i));
    expect(await ctx.store.runs.claim(claims)).to.deep.equal([]);
  });

  it('two store instances on the same database claiming the same 200 keys get disjoint sets covering all', async () => {
    const other = await openStore(ctx.url);
    ctx.extra.push(other);
    const base = T0.getTime();
    const keys = Array.from({ length: 200 }, (_, i) => claim(taskId, new Date(base + i * 1000)));
    // Interleave many small batches from both instances so their statements really overlap.
    const batches = (reverse: boolean) => {
      const list = reverse ? [...keys].reverse() : keys;
      return Array.from({ length: 20 }, (_, i) => list.slice(i * 10, i * 10 + 10));
    };
    const claimAll = async (store: typeof other, reverse: boolean) =>
      (await Promise.all(batches(reverse).map((b) => store.runs.claim(b)))).flat();
    const [a, b] = await Promise.all([claimAll(ctx.store, false), claimAll(other, true)]);
    const idsA = new Set(a.map((r) => r.scheduledFor.getTime()));
    const idsB = new Set(b.map((r) => r.scheduledFor.getTime()));
    expect([...idsA].filter((t) => idsB.has(t))).to.deep.equal([]);
    expect(idsA.size + idsB.size).to.equal(200);
    expect(a.length + b.length).to.equal(200);
    expect((await other.runs.list({ taskId })).total).to.equal(200);
  });

  it('transition is a compare-and-set and writes the given fields', async () => {
    const [run] = await ctx.store.runs.claim([claim(taskId, T0)]);
    const started = at('2025-03-01T10:00:00.321Z');
    const running = await ctx.store.runs.transition(run.id, 'pending', 'running', {
      startedAt: started,
    });
    expect(running).to.deep.include({ id: run.id, status: 'running' });
    expect(running?.startedAt?.toISOString()).to.equal(started.toISOString());
    // Lost race: the row is no longer pending.
    expect(await ctx.store.runs.transition(run.id, 'pending', 'cancelled')).to.equal(null);
    expect((await ctx.store.runs.get(run.id))?.status).to.equal('running');
    const done = await ctx.store.runs.transition(run.id, 'running', 'failed', {
      finishedAt: at('2025-03-01T10:00:01.654Z'),
      durationMs: 1333,
      error: 'exit code 2',
      results: [result({ status: 'failed', exitCode: 2 })],
    });
    expect(done).to.deep.include({ status: 'failed', durationMs: 1333, error: 'exit code 2' });
    expect(done?.finishedAt?.toISOString()).to.equal('2025-03-01T10:00:01.654Z');
    expect(done?.startedAt?.toISOString()).to.equal(started.toISOString());
    expect(done?.results).to.deep.equal([result({ status: 'failed', exitCode: 2 })]);
    expect(await ctx.store.runs.get(run.id)).to.deep.equal(done);
    expect(await ctx.store.runs.transition(424242, 'pending', 'running')).to.equal(null);
  });

  it('concurrent transitions of many runs each apply exactly once', async () => {
    const base = T0.getTime();
    const runs = await ctx.store.runs.claim(
      Array.from({ length: 300 }, (_, i) => claim(taskId, new Date(base + i))),
    );
    const first = await Promise.all(
      runs.map((r) => ctx.store.runs.transition(r.id, 'pending', 'running')),
    );
    const second = await Promise.all(
      runs.map((r) => ctx.store.runs.transition(r.id, 'pending', 'running')),
    );
    expect(first.every((r) => r?.status === 'running')).to.equal(true);
    expect(second.every((r) => r === null)).to.equal(true);
    expect((await ctx.store.runs.active()).every((r) => r.status === 'running')).to.equal(true);
  });

  it('an illegal transition throws run.illegal_transition and changes nothing', async () => {
    const [run] = await ctx.store.runs.claim([claim(taskId, T0)]);
    let caught: unknown;
    try {
      await ctx.store.runs.transition(run.id, 'pending', 'succeeded');
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(TaskrError);
    expect((caught as TaskrError).code).to.equal('run.illegal_transition');
    expect((await ctx.store.runs.get(run.id))?.status).to.equal('pending');
  });

  it('saveResults stores results with dates round-tripped', async () => {
    const [run] = await ctx.store.runs.claim([claim(taskId, T0)]);
    const results = [
      result(),
      result({
        order: 1,
        actionId: 2,
        status: 'not_run',
        startedAt: null,
        finishedAt: null,
        output: '',
      }),
    ];
    await ctx.store.runs.saveResults(run.id, results);
    expect((await ctx.store.runs.get(run.id))?.results).to.deep.equal(results);
  });

  it('list filters by task and status, newest first, with total; active lists pending and running', async () => {
    const other = await ctx.store.tasks.create(taskInput({ name: 'other' }), T0);
    const runs = await ctx.store.runs.claim([
      claim(taskId, at('2025-03-01T10:00:00Z')),
      claim(taskId, at('2025-03-01T10:01:00Z')),
      claim(taskId, at('2025-03-01T10:02:00Z')),
      claim(other.id, at('2025-03-01T10:00:00Z')),
    ]);
    await ctx.store.runs.transition(runs[1].id, 'pending', 'running');
    await ctx.store.runs.transition(runs[0].id, 'pending', 'cancelled');
    const page = await ctx.store.runs.list({ taskId, limit: 2 });
    expect(page.total).to.equal(3);
    expect(page.runs.map((r) => r.id)).to.deep.equal([runs[2].id, runs[1].id]);
    expect((await ctx.store.runs.list({ taskId, offset: 2 })).runs.map((r) => r.id)).to.deep.equal([
      runs[0].id,
    ]);
    const st = await ctx.store.runs.list({ status: ['running', 'cancelled'] });
    expect(st.runs.map((r) => r.status)).to.deep.equal(['running', 'cancelled']);
    expect((await ctx.store.runs.list({ status: [] })).total).to.equal(0);
    // Ids follow (scheduledFor, taskId, attempt), so other's 10:00 run precedes 10:01.
    expect((await ctx.store.runs.active()).map((r) => r.id)).to.deep.equal([
      runs[3].id,
      runs[1].id,
      runs[2].id,
    ]);
    expect((await ctx.store.runs.active(other.id)).map((r) => r.id)).to.deep.equal([runs[3].id]);
    expect(await ctx.store.runs.get(987654)).to.equal(null);
  });

  it('interruptRunning marks running runs (optionally one node, optionally overdue pending) interrupted', async () => {
    const [a, b, c, d] = await ctx.store.runs.claim([
      claim(taskId, at('2025-03-01T10:00:00Z'), { node: 'node-a' }),
      claim(taskId, at('2025-03-01T10:01:00Z'), { node: 'node-b' }),
      claim(taskId, at('2025-03-01T10:02:00Z'), { node: 'node-a' }),
      claim(taskId, at('2025-03-01T12:00:00Z'), { node: 'node-a' }),
    ]);
    await ctx.store.runs.transition(a.id, 'pending', 'running', {
      startedAt: at('2025-03-01T10:00:00.500Z'),
    });
    await ctx.store.runs.transition(b.id, 'pending', 'running', {
      startedAt: at('2025-03-01T10:01:00Z'),
    });
    const when = at('2025-03-01T10:30:00.750Z');
    expect(
      await ctx.store.runs.interruptRunning('daemon restarted', 'node-a', { at: when }),
    ).to.equal(1);
    const ia = await ctx.store.runs.get(a.id);
    expect(ia).to.deep.include({
      status: 'interrupted',
      error: 'daemon restarted',
      durationMs: 1_800_250,
    });
    expect(ia?.finishedAt?.toISOString()).to.equal(when.toISOString());
    expect((await ctx.store.runs.get(b.id))?.status).to.equal('running');
    // All nodes, plus pending runs due before 11:00 (c), not the later one (d).
    const n = await ctx.store.runs.interruptRunning('stopped', null, {
      pendingDueBefore: at('2025-03-01T11:00:00Z'),
      at: when,
    });
    expect(n).to.equal(2);
    expect((await ctx.store.runs.get(b.id))?.status).to.equal('interrupted');
    expect(await ctx.store.runs.get(c.id)).to.deep.include({
      status: 'interrupted',
      durationMs: null,
    });
    expect((await ctx.store.runs.get(d.id))?.status).to.equal('pending');
    expect(await ctx.store.runs.interruptRunning('again')).to.equal(0);
  });

  it('pruneFinished deletes only finished runs older than the instant', async () => {
    const [old, recent, active, skipped] = await ctx.store.runs.claim([
      claim(taskId, at('2025-03-01T08:00:00Z')),
      claim(taskId, at('2025-03-01T09:00:00Z')),
      claim(taskId, at('2025-03-01T07:00:00Z')),
      claim(taskId, at('2025-03-01T06:00:00Z'), { status: 'skipped' }),
    ]);
    for (const [run, fin] of [
      [old, '2025-03-01T08:00:05Z'],
      [recent, '2025-03-01T09:00:05Z'],
    ] as const) {
      await ctx.store.runs.transition(run.id, 'pending', 'running');
      await ctx.store.runs.transition(run.id, 'running', 'succeeded', { finishedAt: at(fin) });
    }
    await ctx.store.runs.transition(active.id, 'pending', 'running');
    expect(await ctx.store.runs.pruneFinished(at('2025-03-01T08:30:00Z'))).to.equal(2);
    expect(await ctx.store.runs.get(old.id)).to.equal(null);
    expect(await ctx.store.runs.get(skipped.id)).to.equal(null);
    expect(await ctx.store.runs.get(recent.id)).to.not.equal(null);
    expect(await ctx.store.runs.get(active.id)).to.not.equal(null);
  });
});
