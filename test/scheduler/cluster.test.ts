// Two schedulers (two nodes) on one database, their clocks at the same instants: the
// claim key lets exactly one of them run each occurrence, and none is lost, even when the
// store is slow (claims still in flight while the clocks move on).
import { expect } from 'chai';
import pg from 'pg';
import type { Task } from '../../src/domain/types.js';
import { describeEachBackend } from '../helpers/databases.js';
import {
  collectingLogger,
  createTask,
  harness,
  iso,
  runsOf,
  teardown,
  type Harness,
} from './harness.js';

interface Cluster {
  a: Harness;
  b: Harness;
  tasks: Task[];
  /** Warnings and errors both loops logged (a failed claim is logged, not thrown). */
  problems: string[];
}

async function cluster(url: string): Promise<Cluster> {
  const logger = collectingLogger();
  const a = await harness('2024-03-01T10:00:00Z', { url, logger, config: { nodeName: 'node-a' } });
  const b = await harness('2024-03-01T10:00:00Z', { url, logger, config: { nodeName: 'node-b' } });
  const tasks = [];
  for (let i = 0; i < 10; i++)
    tasks.push(await createTask(a, { when: `${i + 1}s`, policies: { overlap: 'allow' } }));
  tasks.push(await createTask(a, { method: 'cron', when: '*/5 * * * * *' }));
  tasks.push(await createTask(a, { method: 'in', when: '7s' }));
  await a.scheduler.start();
  await b.scheduler.start();
  return { a, b, tasks, problems: logger.problems };
}

/** 30 s in steps of 250 ms, both clocks at the same instants; `beforeStep` runs first. */
async function run30s(c: Cluster, beforeStep?: (i: number) => Promise<void>): Promise<void> {
  for (let i = 0; i < 120; i++) {
    await beforeStep?.(i);
    // Each step the other node goes first, so both win claims.
    const [first, second] = Math.floor(i / 4) % 2 === 0 ? [c.a, c.b] : [c.b, c.a];
    await Promise.all([first.clock.advance(250), second.clock.advance(250)]);
  }
  await Promise.all([c.a.scheduler.idle(), c.b.scheduler.idle()]);
}

async function expectEveryOccurrenceOnce(c: Cluster): Promise<void> {
  expect(c.problems, 'scheduler errors').to.deep.equal([]);
  const nodes = new Set<string | null>();
  for (const task of c.tasks) {
    const runs = await runsOf(c.a.store, task.id);
    // One row per occurrence; a skipped row (overlap skip: the previous run was still
    // going in real time) is that occurrence's one row, never a second run of it.
    const keys = runs.map((r) => `${iso(r.scheduledFor)}#${r.attempt}`);
    expect(new Set(keys).size, `task ${task.name}: duplicate occurrences`).to.equal(keys.length);
    for (const r of runs) {
      expect(['succeeded', 'skipped'], `task ${task.name} run ${r.id}`).to.include(r.status);
      if (r.status === 'succeeded') nodes.add(r.node);
    }
    const expected =
      task.scheduleMethod === 'in'
        ? 1
        : task.scheduleMethod === 'cron'
          ? 6
          : Math.floor(30 / Number(task.scheduleWhen.slice(0, -1)));
    expect(keys, `task ${task.name} occurrences`).to.have.length(expected);
  }
  // Both nodes took part (each won some claims).
  expect([...nodes].sort()).to.deep.equal(['node-a', 'node-b']);
}

describeEachBackend('scheduler/cluster: two nodes on one database', (backend) => {
  afterEach(teardown);

  it('every occurrence has exactly one non-skipped run', async function () {
    this.timeout(30_000);
    const c = await cluster(await backend.url());
    await run30s(c);
    await expectEveryOccurrenceOnce(c);
  });

  // A slow store (CPU starvation, a long transaction) leaves claims in flight while the
  // clocks move on: the loops must keep planning from their own next triggers, so every
  // occurrence is still claimed exactly once when the store catches up.
  if (backend.name === 'postgres') {
    it('loses no occurrence while claims wait on a locked runs table', async function () {
      this.timeout(30_000);
      const url = await backend.url();
      const c = await cluster(url);
      const u = new URL(url);
      const schema = u.searchParams.get('schema');
      u.searchParams.delete('schema');
      const locker = new pg.Client({ connectionString: u.toString() });
      await locker.connect();
      try {
        if (schema) await locker.query(`SET search_path = "${schema}"`);
        let blocked = 0;
        await run30s(c, async (i) => {
          // Steps 10..59 (12.5 s of clock time): no claim can insert until the COMMIT.
          if (i === 10) {
            await locker.query('BEGIN');
            await locker.query('LOCK TABLE runs IN EXCLUSIVE MODE');
          }
          if (i === 59) {
            const waiting = await locker.query(
              `SELECT count(*)::int AS n FROM pg_stat_activity
                 WHERE wait_event_type = 'Lock' AND query ILIKE 'INSERT INTO runs%'`,
            );
            blocked = waiting.rows[0].n as number;
            await locker.query('COMMIT');
          }
        });
        // The lock really held claims back (both nodes' claims were waiting on it).
        expect(blocked, 'claims waiting on the lock').to.be.greaterThan(0);
      } finally {
        await locker.end();
      }
      await expectEveryOccurrenceOnce(c);
    });
  }
});
