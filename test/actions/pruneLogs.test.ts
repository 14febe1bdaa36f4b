import { expect } from 'chai';
import pruneLogs from '../../actions/pruneLogs.js';
import { ManualClock } from '../../src/clock/manualClock.js';
import { openStore } from '../../src/store/openStore.js';
import type { Store } from '../../src/store/store.js';
import { cleanupDatabases, tempSqliteUrl } from '../helpers/databases.js';
import { actionContext, runType, testConfig } from '../helpers/actionContext.js';
import { claim, taskInput } from '../store/fixtures.js';

const at = (iso: string) => new Date(iso);

describe('PruneLogs action (real SQLite store)', () => {
  let store: Store;
  beforeEach(async () => (store = await openStore(tempSqliteUrl())));
  afterEach(async () => {
    await store.close();
    await cleanupDatabases();
  });

  async function seed(): Promise<number> {
    const task = await store.tasks.create(taskInput(), at('2025-01-01T00:00:00Z'));
    const runs = await store.runs.claim([
      claim(task.id, at('2025-01-01T00:00:00Z')),
      claim(task.id, at('2025-01-09T00:00:00Z')),
      claim(task.id, at('2025-01-01T12:00:00Z')), // stays running: never pruned
    ]);
    for (const [run, finishedAt] of [
      [runs[0]!, at('2025-01-01T00:01:00Z')],
      [runs[1]!, at('2025-01-09T00:01:00Z')],
    ] as const) {
      await store.runs.transition(run.id, 'pending', 'running', { startedAt: run.runAt });
      await store.runs.transition(run.id, 'running', 'succeeded', { finishedAt });
    }
    await store.runs.transition(runs[2]!.id, 'pending', 'running', { startedAt: runs[2]!.runAt });
    const entry = (iso: string, data: string) => ({
      timestamp: at(iso),
      level: 'INFO' as const,
      taskId: task.id,
      actionId: null,
      runId: null,
      data,
    });
    await store.logs.append([
      entry('2025-01-01T00:00:00Z', 'old'),
      entry('2025-01-02T23:00:00Z', 'older'),
      entry('2025-01-09T00:00:00Z', 'new'),
    ]);
    return task.id;
  }

  it('deletes log entries and finished runs older than N days by the injected clock', async () => {
    const taskId = await seed();
    const ctx = actionContext({ store, clock: new ManualClock('2025-01-10T00:00:00Z') });
    const out = await runType(pruneLogs, { days: '7' }, ctx);
    expect(out).to.deep.equal({ ok: true });
    expect(ctx.stdout).to.deep.equal([
      'pruned 2 log entries and 1 finished runs older than 7 days (before 2025-01-03T00:00:00.000Z)',
    ]);
    const logs = await store.logs.list({ taskId });
    expect(logs.map((l) => l.data)).to.deep.equal(['new']);
    const { runs } = await store.runs.list({ taskId });
    expect(runs.map((r) => r.status).sort()).to.deep.equal(['running', 'succeeded']);
  });

  it('validates days: required, integer, not negative; RotateTaskLog is its alias', () => {
    const config = testConfig();
    expect(pruneLogs.validate({}, config)).to.deep.equal({
      ok: false,
      errors: [{ param: 'days', message: "can't be blank" }],
    });
    expect(pruneLogs.validate({ days: '-1' }, config)).to.deep.equal({
      ok: false,
      errors: [{ param: 'days', message: 'must be 0 or more, got -1' }],
    });
    expect(pruneLogs.validate({ days: 'x' }, config).ok).to.equal(false);
    expect(pruneLogs.aliases).to.deep.equal(['RotateTaskLog']);
  });
});
