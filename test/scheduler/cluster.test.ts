// Two schedulers (two nodes) on one database, their clocks at the same instants: the
// claim key lets exactly one of them run each occurrence.
import { expect } from 'chai';
import { describeEachBackend } from '../helpers/databases.js';
import { createTask, harness, iso, runsOf, teardown } from './harness.js';

describeEachBackend('scheduler/cluster: two nodes on one database', (backend) => {
  afterEach(teardown);

  it('every occurrence has exactly one non-skipped run', async function () {
    this.timeout(30_000);
    const url = await backend.url();
    const a = await harness('2024-03-01T10:00:00Z', { url, config: { nodeName: 'node-a' } });
    const b = await harness('2024-03-01T10:00:00Z', { url, config: { nodeName: 'node-b' } });
    const tasks = [];
    for (let i = 0; i < 10; i++)
      tasks.push(await createTask(a, { when: `${i + 1}s`, policies: { overlap: 'allow' } }));
    tasks.push(await createTask(a, { method: 'cron', when: '*/5 * * * * *' }));
    tasks.push(await createTask(a, { method: 'in', when: '7s' }));
    await a.scheduler.start();
    await b.scheduler.start();
    // 30 s in steps of 250 ms, both clocks at the same instants.
    // Each step the other node goes first, so both win claims.
    for (let i = 0; i < 120; i++) {
      const [first, second] = Math.floor(i / 4) % 2 === 0 ? [a, b] : [b, a];
      await Promise.all([first.clock.advance(250), second.clock.advance(250)]);
    }
    await Promise.all([a.scheduler.idle(), b.scheduler.idle()]);
    const nodes = new Set<string | null>();
    for (const task of tasks) {
      const runs = await runsOf(a.store, task.id);
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
      expect(runs, `task ${task.name}`).to.have.length(expected);
    }
    // Both nodes took part (each won some claims).
    expect([...nodes].sort()).to.deep.equal(['node-a', 'node-b']);
  });
});
