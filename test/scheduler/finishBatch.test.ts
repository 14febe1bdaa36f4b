// The finish batch (FinishWriter): runs that finish in one turn of the event loop are
// written together, a run is reported finished only once its row is stored, a failed
// write leaves the row `running` for restart recovery without wedging the loop, and the
// start-up warm-up writes nothing.
import { expect } from 'chai';
import type { ActionType } from '../../src/actions/contract.js';
import type { Run } from '../../src/domain/types.js';
import { Scheduler } from '../../src/scheduler/loop.js';
import type { FinishedOutcome, FinishedRun } from '../../src/store/store.js';
import {
  actionRegistry,
  advance,
  collectingLogger,
  createTask,
  harness,
  runsOf,
  teardown,
} from './harness.js';

const START = '2024-03-01T10:00:00Z';

describe('scheduler: finish batch', () => {
  afterEach(teardown);

  it('writes the runs finishing in one turn in one store call, each reported after it is stored', async () => {
    const h = await harness(START);
    const tasks = [];
    for (let i = 0; i < 20; i++) tasks.push(await createTask(h, { when: '1m' }));
    await h.scheduler.start(); // first: its warm-up makes one (empty-handed) finish call
    const runs = h.store.runs;
    const original = runs.finishHeld!.bind(runs);
    const batches: number[] = [];
    const stored = new Set<number>();
    runs.finishHeld = async (items: readonly FinishedRun[]): Promise<FinishedOutcome[]> => {
      batches.push(items.length);
      const out = await original(items);
      for (const item of items) stored.add(item.held.id);
      return out;
    };
    const reportedBeforeStored: number[] = [];
    h.scheduler.events.on('run', (run: Run) => {
      if (run.status === 'succeeded' && !stored.has(run.id)) reportedBeforeStored.push(run.id);
    });
    await advance(h, 60_000);
    expect(batches, 'one finish write for the 20 runs of the wake').to.deep.equal([20]);
    expect(reportedBeforeStored).to.deep.equal([]);
    for (const task of tasks) {
      expect((await runsOf(h.store, task.id)).map((r) => r.status)).to.deep.equal(['succeeded']);
    }
  });

  it('a failed finish write is reported, leaves the run running and does not wedge the loop', async () => {
    const logger = collectingLogger();
    const h = await harness(START, { logger });
    const task = await createTask(h, { when: '1m' });
    await h.scheduler.start();
    const runs = h.store.runs;
    const original = runs.finishHeld!.bind(runs);
    let failures = 1;
    runs.finishHeld = (items) =>
      failures-- > 0 ? Promise.reject(new Error('disk full')) : original(items);
    await advance(h, 60_000); // idle() resolves: the failed run no longer holds a slot
    expect(logger.problems.join('\n')).to.match(/disk full/);
    await advance(h, 60_000);
    const statuses = (await runsOf(h.store, task.id)).map((r) => r.status);
    // The first stays `running` (restart recovery marks it interrupted); the next one ran.
    expect(statuses).to.deep.equal(['running', 'succeeded']);
  });

  it('an action that resolves with no outcome fails its run with a message saying so', async () => {
    const h = await harness(START);
    const registry = await actionRegistry();
    const hollow: ActionType<unknown> = {
      name: 'Hollow',
      description: 'resolves with nothing',
      params: [],
      validate: () => ({ ok: true, params: {}, warnings: [] }) as never,
      run: () => Promise.resolve(undefined as never),
    };
    const scheduler = new Scheduler({
      store: h.store,
      clock: h.clock,
      config: h.config,
      registry: { resolve: (name) => (name === 'Hollow' ? hollow : registry.resolve(name)) },
    });
    const task = await createTask(h, {
      when: '1m',
      actions: [{ actionClassName: 'Hollow', parameters: {} }],
    });
    await scheduler.start();
    try {
      await h.clock.advance(60_000);
      await scheduler.idle();
      const [run] = await runsOf(h.store, task.id);
      expect(run!.status).to.equal('failed');
      expect(run!.results[0]!.error).to.equal('the action returned undefined, not an outcome');
    } finally {
      await scheduler.stop(0);
    }
  });

  it('start-up warm-up writes nothing', async () => {
    const h = await harness(START);
    const task = await createTask(h, { when: '1h' });
    const before = await h.store.tasks.get(task.id);
    await h.scheduler.start();
    await h.scheduler.idle();
    expect((await h.store.runs.list({ limit: 10 })).total).to.equal(0);
    const after = await h.store.tasks.get(task.id);
    expect(after).to.deep.equal(before);
  });
});
