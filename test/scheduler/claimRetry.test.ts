// A claim that fails (the database refuses it) is retried with backoff instead of losing
// its occurrences: claims are idempotent, keyed on the occurrence.
import { expect } from 'chai';
import pg from 'pg';
import { describeEachBackend } from '../helpers/databases.js';
import { collectingLogger, createTask, harness, iso, runsOf, teardown } from './harness.js';

describeEachBackend('scheduler: failed claims are retried', (backend) => {
  afterEach(teardown);
  if (backend.name !== 'postgres') return;

  it('loses no occurrence while the runs table is unavailable for a few seconds', async function () {
    this.timeout(30_000);
    const url = await backend.url();
    const logger = collectingLogger();
    const h = await harness('2024-03-01T10:00:00Z', { url, logger });
    const task = await createTask(h, { when: '1s', policies: { overlap: 'allow' } });
    await h.scheduler.start();
    const u = new URL(url);
    const schema = u.searchParams.get('schema');
    u.searchParams.delete('schema');
    const admin = new pg.Client({ connectionString: u.toString() });
    await admin.connect();
    try {
      if (schema) await admin.query(`SET search_path = "${schema}"`);
      await h.clock.advance(2_000); // 10:00:01 and 10:00:02 run normally
      await h.scheduler.idle();
      // Every INSERT INTO runs now fails at once ("relation runs does not exist").
      await admin.query('ALTER TABLE runs RENAME TO runs_away');
      for (let i = 0; i < 12; i++) await h.clock.advance(250); // 10:00:03 and :04 fail
      await admin.query('ALTER TABLE runs_away RENAME TO runs');
      for (let i = 0; i < 24; i++) await h.clock.advance(250); // retries succeed; :05..:11
      await h.scheduler.idle();
    } finally {
      await admin.query('ALTER TABLE IF EXISTS runs_away RENAME TO runs').catch(() => undefined);
      await admin.end();
    }
    const runs = await runsOf(h.store, task.id);
    const instants = runs.map((r) => iso(r.scheduledFor)).sort();
    // 10:00:01 .. 10:00:11 (11 s of clock time), each exactly once, none lost.
    const expected = Array.from(
      { length: 11 },
      (_, i) => new Date(Date.UTC(2024, 2, 1, 10, 0, i + 1)),
    );
    expect(instants).to.deep.equal(expected.map((d) => d.toISOString()));
    expect(runs.every((r) => r.status === 'succeeded')).to.equal(true);
    expect(
      logger.problems.some((p) => p.includes('retrying')),
      logger.problems.join('\n'),
    ).to.equal(true);
  });
});
