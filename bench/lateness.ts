// Firing lateness: N one-shot tasks on instants spread over a few seconds, fired by
// Taskr's scheduler on a real SQLite store, against bare croner callbacks on the same
// instant pattern (same offsets from a whole second). Each phase runs in a fresh process
// of its own (latenessPhase.ts), one after the other: neither disturbs the other's event
// loop, and neither inherits the other's heap.
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGE_ROOT } from '../src/paths.js';
import { trackChild } from './cleanup.js';
import type { PhaseResult } from './latenessPhase.js';
import { summarize, type Summary } from './stats.js';
import { ms, type BenchResult, type Row } from './table.js';

export interface LatenessOptions {
  tasks: number;
  spanMs: number;
}

export const LATENESS_DEFAULTS: LatenessOptions = { tasks: 10_000, spanMs: 3_000 };

const PHASE_SCRIPT = fileURLToPath(new URL('./latenessPhase.js', import.meta.url));

/** Runs one phase in a fresh Node process (the same flags as this one) and returns its result. */
function runPhase(phase: 'baseline' | 'taskr', opts: LatenessOptions): Promise<PhaseResult> {
  return new Promise((resolve, reject) => {
    const child = fork(PHASE_SCRIPT, [phase, String(opts.tasks), String(opts.spanMs)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    trackChild(child);
    let result: PhaseResult | null = null;
    child.on('message', (m) => (result = m as PhaseResult));
    child.on('error', reject);
    child.on('exit', (code) =>
      result ? resolve(result) : reject(new Error(`the ${phase} phase exited with code ${code}`)),
    );
  });
}

export async function latenessBench(
  opts: LatenessOptions = LATENESS_DEFAULTS,
): Promise<BenchResult> {
  const { tasks: n, spanMs } = opts;
  const baseline = await runPhase('baseline', opts);
  const taskr = await runPhase('taskr', opts);
  const base = summarize(baseline.lateness);
  const firing = summarize(taskr.lateness);
  const rows = [...baselineRows(base, n), ...taskrRows(firing, base, n, taskr.errors.length)];
  const notes = [
    `${n} 'at' tasks (Log no-op) on instants spread evenly over ${spanMs} ms from a whole second; baseline: croner ${baselineVersion()} one-shot jobs on the same offsets. Each phase runs in a fresh Node process, baseline first.`,
    `lateness = start (performance.timeOrigin + performance.now()) minus the scheduled instant; Taskr's start is the run's 'running' event (after claim and pending -> running on SQLite).`,
    `setup: croner armed ${n} jobs in ${baseline.setupMs.toFixed(0)} ms; Taskr created ${n} tasks in ${(taskr.createMs ?? 0).toFixed(0)} ms (store.tasks.create, 64 in flight; no bulk insert), scheduler.start() took ${(taskr.startMs ?? 0).toFixed(0)} ms and finished ${taskr.t0 - taskr.readyAt} ms before the first instant.`,
    ...taskr.errors.slice(0, 5).map((e) => `scheduler ${e}`),
  ];
  if (baseline.readyAt > baseline.t0)
    notes.push('INVALID: croner jobs were still being armed at the first instant.');
  if (taskr.readyAt > taskr.t0)
    notes.push('INVALID: the scheduler started after the first instant; raise the lead time.');
  return {
    id: 'lateness',
    title: `Firing lateness (${n} tasks over ${spanMs / 1000} s)`,
    rows,
    notes,
  };
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
