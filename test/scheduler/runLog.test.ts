import { expect } from 'chai';
import { ManualClock } from '../../src/clock/manualClock.js';
import { FLUSH_AT, FLUSH_INTERVAL_MS, RunLog, type RunLogEntry } from '../../src/runlog/runLog.js';
import { openStore } from '../../src/store/openStore.js';
import type { Store } from '../../src/store/store.js';
import { cleanupDatabases, tempSqliteUrl } from '../helpers/databases.js';

describe('runlog/RunLog (SQLite)', () => {
  let store: Store;
  let clock: ManualClock;
  let log: RunLog;
  beforeEach(async () => {
    store = await openStore(tempSqliteUrl());
    clock = new ManualClock('2024-03-01T10:00:00Z');
    log = new RunLog({ logs: store.logs, clock, storeLevel: 'INFO' });
  });
  afterEach(async () => {
    await store.close();
    await cleanupDatabases();
  });
  const stored = () => store.logs.list({ order: 'asc', limit: 10_000 });

  it('drops entries below storeLevel and emits the kept ones', async () => {
    const seen: RunLogEntry[] = [];
    log.on('log', (e: RunLogEntry) => seen.push(e));
    expect(log.write('DEBUG', 'noise', {})).to.equal(false);
    expect(log.write('WARN', 'careful', { taskId: null })).to.equal(true);
    await log.flush();
    expect(seen.map((e) => e.data)).to.deep.equal(['careful']);
    expect((await stored()).map((e) => [e.level, e.data])).to.deep.equal([['WARN', 'careful']]);
  });

  it('buffers and writes a batch when the flush interval passes on the clock', async () => {
    log.write('INFO', 'one', {});
    log.write('INFO', 'two', {});
    expect(await stored()).to.have.length(0);
    expect(clock.armedDelays()).to.deep.equal([FLUSH_INTERVAL_MS]);
    await clock.advance(FLUSH_INTERVAL_MS);
    await log.flush();
    const rows = await stored();
    expect(rows.map((e) => e.data)).to.deep.equal(['one', 'two']);
    expect(rows[0]!.timestamp.toISOString()).to.equal('2024-03-01T10:00:00.000Z');
  });

  it(`writes at once when ${FLUSH_AT} entries wait, and close() flushes the rest`, async () => {
    for (let i = 0; i < FLUSH_AT + 3; i++) log.write('INFO', `line ${i}`, { runId: null });
    // The full batch left without the clock moving.
    for (let i = 0; i < 200 && (await stored()).length < FLUSH_AT; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(await stored()).to.have.length(FLUSH_AT);
    await log.close();
    expect(await stored()).to.have.length(FLUSH_AT + 3);
    expect(log.write('ERROR', 'after close', {})).to.equal(false);
  });
});
