// Firing lateness: N one-shot tasks on instants spread over a few seconds, fired by
// Taskr's scheduler on a real SQLite store, against bare croner callbacks on the same
// instant pattern (same offsets from a whole second) run just before, in the same process.
// The phases run one after the other so neither disturbs the other's event loop.
import { readFileSync } from 'node:fs';
import { cronerArmCostMs, cronerBaseline } from './cronerBaseline.js';
import { spreadInstants, startAfter } from './instants.js';
import { summarize, type Summary } from './stats.js';
import { ms, type BenchResult, type Row } from './table.js';
import {
  atTask,
  createCostMs,
  createTasks,
  fireAndMeasure,
  openTaskrBench,
} from './taskrHarness.js';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/paths.js';

export interface LatenessOptions {
  tasks: number;
  spanMs: number;
}

export const LATENESS_DEFAULTS: LatenessOptions = { tasks: 10_000, spanMs: 3_000 };

/** Time allowed after the last instant for every start to be seen. */
const GRACE_MS = 30_000;

export async function latenessBench(
  opts: LatenessOptions = LATENESS_DEFAULTS,
): Promise<BenchResult> {
  const { tasks: n, spanMs } = opts;
  // Baseline first, on a quiet process.
  const b0 = startAfter(2_000 + cronerArmCostMs() * n * 1.5);
  const baseline = await cronerBaseline(spreadInstants(b0, n, spanMs), b0 + spanMs + GRACE_MS);
  const base = summarize(baseline.lateness);

  // T0 far enough ahead that creating the tasks and loading them into the loop is done.
  const perTask = await createCostMs();
  const t0 = startAfter(3_000 + perTask * n * 1.5);
  const instants = spreadInstants(t0, n, spanMs);
  const bench = await openTaskrBench('lateness');
  try {
    const createMs = await createTasks(
      bench.store,
      instants.map((at, i) => atTask(`lateness-${i}`, at)),
    );
    const firing = await fireAndMeasure(bench, n, t0 + spanMs + GRACE_MS);
    const taskr = summarize(firing.lateness);
    const rows = [...baselineRows(base, n), ...taskrRows(taskr, base, n, bench.errors.length)];
    const notes = [
      `${n} 'at' tasks (Log no-op) on instants spread evenly over ${spanMs} ms from a whole second; baseline: croner ${baselineVersion()} one-shot jobs on the same offsets, run first in the same process.`,
      `lateness = start (performance.timeOrigin + performance.now()) minus the scheduled instant; Taskr's start is the run's 'running' event (after claim and pending -> running on SQLite).`,
      `setup: croner armed ${n} jobs in ${baseline.setupMs.toFixed(0)} ms; Taskr created ${n} tasks in ${createMs.toFixed(0)} ms (store.tasks.create, 64 in flight; no bulk insert), scheduler.start() took ${firing.startMs.toFixed(0)} ms and finished ${t0 - firing.startedAt} ms before the first instant.`,
      ...bench.errors.slice(0, 5).map((e) => `scheduler ${e}`),
    ];
    if (baseline.armedAt > b0)
      notes.push('INVALID: croner jobs were still being armed at the first instant.');
    if (firing.startedAt > t0)
      notes.push('INVALID: the scheduler started after the first instant; raise the lead time.');
    return {
      id: 'lateness',
      title: `Firing lateness (${n} tasks over ${spanMs / 1000} s)`,
      rows,
      notes,
    };
  } finally {
    await bench.close();
  }
}

function baselineRows(base: Summary, n: number): Row[] {
  return [
    {
      measure: 'baseline (croner) callbacks',
      value: `${base.count}/${n}`,
      target: '-',
      pass: null,
    },
    { measure: 'baseline lateness p50', value: ms(base.p50, 3), target: '-', pass: null },
    { measure: 'baseline lateness p99', value: ms(base.p99, 3), target: '-', pass: null },
    { measure: 'baseline lateness max', value: ms(base.max, 3), target: '-', pass: null },
  ];
}

function taskrRows(taskr: Summary, base: Summary, n: number, errors: number): Row[] {
  const limit = base.p99 + 2;
  return [
    {
      measure: 'Taskr runs started',
      value: `${taskr.count}/${n}`,
      target: `${n}/${n}`,
      pass: taskr.count === n,
    },
    {
      measure: 'Taskr lateness min',
      value: ms(taskr.min, 3),
      target: '>= 0 ms',
      pass: !(taskr.min < 0),
    },
    { measure: 'Taskr lateness p50', value: ms(taskr.p50, 3), target: '-', pass: null },
    {
      measure: 'Taskr p99 vs baseline p99',
      value: `${ms(taskr.p99, 3)} (+${(taskr.p99 - base.p99).toFixed(3)})`,
      target: `<= ${ms(limit, 3)}`,
      pass: taskr.p99 <= limit,
    },
    {
      measure: 'Taskr lateness p99',
      value: ms(taskr.p99, 3),
      target: '<= 10 ms',
      pass: taskr.p99 <= 10,
    },
    { measure: 'Taskr lateness max', value: ms(taskr.max, 3), target: '-', pass: null },
    {
      measure: 'scheduler errors/warnings',
      value: String(errors),
      target: '0',
      pass: errors === 0,
    },
  ];
}

function baselineVersion(): string {
  const pkg = readFileSync(join(PACKAGE_ROOT, 'node_modules', 'croner', 'package.json'), 'utf8');
  return `v${(JSON.parse(pkg) as { version: string }).version}`;
}
