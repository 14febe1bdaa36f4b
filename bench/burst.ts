// Burst: N one-shot tasks all due on the same instant, fired by Taskr's scheduler with
// durable run rows on SQLite (claimed in one batch, each moved pending -> running). The
// target: every run has started within 1 s of the instant.
import type { RunStatus } from '../src/domain/types.js';
import { startAfter } from './instants.js';
import { summarize } from './stats.js';
import { ms, type BenchResult } from './table.js';
import {
  atTask,
  createCostMs,
  createTasks,
  fireAndMeasure,
  openTaskrBench,
} from './taskrHarness.js';

export interface BurstOptions {
  tasks: number;
  /** All runs must have started within this many ms of the instant. */
  withinMs: number;
}

export const BURST_DEFAULTS: BurstOptions = { tasks: 10_000, withinMs: 1_000 };

const GRACE_MS = 30_000;
const STARTED: RunStatus[] = ['running', 'succeeded', 'failed', 'timed_out'];

export async function burstBench(opts: BurstOptions = BURST_DEFAULTS): Promise<BenchResult> {
  const { tasks: n, withinMs } = opts;
  const perTask = await createCostMs();
  const t0 = startAfter(3_000 + perTask * n * 1.5);
  const bench = await openTaskrBench('burst');
  try {
    const records = Array.from({ length: n }, (_, i) => atTask(`burst-${i}`, t0));
    const createMs = await createTasks(bench.store, records);
    const firing = await fireAndMeasure(bench, n, t0 + GRACE_MS);
    const s = summarize(firing.lateness);
    const durable = (await bench.store.runs.list({ status: STARTED, limit: 1 })).total;
    const allRows = (await bench.store.runs.list({ limit: 1 })).total;
    const errors = bench.errors.length;
    const rows = [
      {
        measure: 'runs started',
        value: `${s.count}/${n}`,
        target: `${n}/${n}`,
        pass: s.count === n,
      },
      { measure: 'first start after the instant', value: ms(s.min), target: '-', pass: null },
      { measure: 'p50 start after the instant', value: ms(s.p50), target: '-', pass: null },
      { measure: 'p99 start after the instant', value: ms(s.p99), target: '-', pass: null },
      {
        measure: 'last start after the instant',
        value: ms(s.max),
        target: `<= ${withinMs} ms`,
        pass: s.count === n && s.max <= withinMs,
      },
      {
        measure: 'durable run rows (started)',
        value: `${durable} (${allRows} rows in all)`,
        target: String(n),
        pass: durable === n && allRows === n,
      },
      {
        measure: 'scheduler errors/warnings',
        value: String(errors),
        target: '0',
        pass: errors === 0,
      },
    ];
    const notes = [
      `${n} 'at' tasks (Log no-op) all due at ${new Date(t0).toISOString()}; start = the run's 'running' event (performance.timeOrigin + performance.now()).`,
      `setup: ${n} tasks created in ${createMs.toFixed(0)} ms (store.tasks.create, 64 in flight); scheduler.start() took ${firing.startMs.toFixed(0)} ms and finished ${t0 - firing.startedAt} ms before the instant.`,
      ...bench.errors.slice(0, 5).map((e) => `scheduler ${e}`),
    ];
    if (firing.startedAt > t0)
      notes.push('INVALID: the scheduler started after the instant; raise the lead time.');
    return { id: 'burst', title: `Burst (${n} runs due in the same second, SQLite)`, rows, notes };
  } finally {
    await bench.close();
  }
}
