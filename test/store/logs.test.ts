import { expect } from 'chai';
import type { LogEntry, LogLevel } from '../../src/domain/types.js';
import { describeEachBackend } from '../helpers/databases.js';
import { T0, at, claim, taskInput, useStore } from './fixtures.js';

describeEachBackend('store: logs', (backend) => {
  const ctx = useStore(backend);
  let taskId: number;
  let runId: number;
  const entry = (level: LogLevel, data: string, ts: string, run = true): Omit<LogEntry, 'id'> => ({
    timestamp: at(ts),
    level,
    taskId,
    actionId: null,
    runId: run ? runId : null,
    data,
  });

  beforeEach(async () => {
    taskId = (await ctx.store.tasks.create(taskInput(), T0)).id;
    runId = (await ctx.store.runs.claim([claim(taskId, T0)]))[0].id;
    await ctx.store.logs.append([
      entry('DEBUG', 'd1', '2025-03-01T10:00:00.001Z'),
      entry('INFO', 'i1', '2025-03-01T10:00:00.002Z'),
      entry('WARN', 'w1', '2025-03-01T10:00:00.003Z', false),
      entry('ERROR', 'e1', '2025-03-01T10:00:00.004Z'),
      {
        timestamp: at('2025-03-01T10:00:00.005Z'),
        level: 'INFO',
        taskId: null,
        actionId: null,
        runId: null,
        data: 'daemon',
      },
    ]);
  });

  const data = (list: LogEntry[]) => list.map((e) => e.data);

  it('lists newest first by default, oldest first with order asc, round-tripping every field', async () => {
    expect(data(await ctx.store.logs.list({}))).to.deep.equal(['daemon', 'e1', 'w1', 'i1', 'd1']);
    const asc = await ctx.store.logs.list({ order: 'asc' });
    expect(data(asc)).to.deep.equal(['d1', 'i1', 'w1', 'e1', 'daemon']);
    expect(asc[0]).to.deep.include({ level: 'DEBUG', taskId, runId, actionId: null });
    expect(asc[0].timestamp.toISOString()).to.equal('2025-03-01T10:00:00.001Z');
    expect(asc[4]).to.deep.include({ taskId: null, runId: null });
  });

  it('keeps the given level and more severe ones', async () => {
    expect(data(await ctx.store.logs.list({ level: 'DEBUG', order: 'asc' }))).to.have.length(5);
    expect(data(await ctx.store.logs.list({ level: 'INFO', order: 'asc' }))).to.deep.equal([
      'i1',
      'w1',
      'e1',
      'daemon',
    ]);
    expect(data(await ctx.store.logs.list({ level: 'WARN', order: 'asc' }))).to.deep.equal([
      'w1',
      'e1',
    ]);
    expect(data(await ctx.store.logs.list({ level: 'ERROR' }))).to.deep.equal(['e1']);
  });

  it('filters by task, run, since and afterId, and honours limit', async () => {
    expect(data(await ctx.store.logs.list({ taskId, order: 'asc' }))).to.deep.equal([
      'd1',
      'i1',
      'w1',
      'e1',
    ]);
    expect(data(await ctx.store.logs.list({ runId, order: 'asc' }))).to.deep.equal([
      'd1',
      'i1',
      'e1',
    ]);
    expect(
      data(await ctx.store.logs.list({ since: at('2025-03-01T10:00:00.003Z'), order: 'asc' })),
    ).to.deep.equal(['w1', 'e1', 'daemon']);
    const all = await ctx.store.logs.list({ order: 'asc' });
    expect(data(await ctx.store.logs.list({ afterId: all[2].id, order: 'asc' }))).to.deep.equal([
      'e1',
      'daemon',
    ]);
    expect(data(await ctx.store.logs.list({ limit: 2 }))).to.deep.equal(['daemon', 'e1']);
    expect(
      data(await ctx.store.logs.list({ taskId, level: 'WARN', limit: 1, order: 'asc' })),
    ).to.deep.equal(['w1']);
  });

  it('appends large batches and defaults to a limit of 1000', async () => {
    const many = Array.from({ length: 2100 }, (_, i) =>
      entry('INFO', `m${i}`, '2025-03-01T11:00:00Z'),
    );
    await ctx.store.logs.append(many);
    const page = await ctx.store.logs.list({ since: at('2025-03-01T11:00:00Z') });
    expect(page).to.have.length(1000);
    expect(page[0].data).to.equal('m2099');
    await ctx.store.logs.append([]);
  });

  it('prune deletes entries older than the instant', async () => {
    expect(await ctx.store.logs.prune(at('2025-03-01T10:00:00.003Z'))).to.equal(2);
    expect(data(await ctx.store.logs.list({ order: 'asc' }))).to.deep.equal(['w1', 'e1', 'daemon']);
  });
});
