// One phase of the lateness bench in a process of its own (forked by lateness.ts), so the
// two phases share no heap: croner's 10,000 jobs leave ~800 MB of garbage behind, and a
// Taskr phase run after them in the same process paid for it in every scavenge (5-10 ms
// instead of 2-3) and in concurrent marking on the shared cores.
// Usage (by lateness.ts): node latenessPhase.js baseline|taskr <tasks> <spanMs>; the
// result goes back over the IPC channel.
import { installCleanupHandlers } from './cleanup.js';
import { cronerArmCostMs, cronerBaseline, type FiringResult } from './cronerBaseline.js';
import { spreadInstants, startAfter } from './instants.js';
import {
  atTask,
  createCostMs,
  createTasks,
  fireAndMeasure,
  openTaskrBench,
} from './taskrHarness.js';

/** Time allowed after the last instant for every start to be seen. */
const GRACE_MS = 30_000;

export interface PhaseResult extends FiringResult {
  /** When the instants began, ms since the epoch. */
  t0: number;
  /** croner: when the last job was armed; Taskr: when scheduler.start() returned. */
  readyAt: number;
  /** Taskr only: store.tasks.create for every task, and scheduler.start(), ms. */
  createMs?: number;
  startMs?: number;
  errors: string[];
}

async function baseline(n: number, spanMs: number): Promise<PhaseResult> {
  const t0 = startAfter(2_000 + cronerArmCostMs() * n * 1.5);
  const r = await cronerBaseline(spreadInstants(t0, n, spanMs), t0 + spanMs + GRACE_MS);
  return { ...r, t0, readyAt: r.armedAt, errors: [] };
}

async function taskr(n: number, spanMs: number): Promise<PhaseResult> {
  // T0 far enough ahead that creating the tasks and loading them into the loop is done.
  const perTask = await createCostMs();
  const t0 = startAfter(3_000 + perTask * n * 1.5);
  const instants = spreadInstants(t0, n, spanMs);
  const bench = await openTaskrBench('lateness');
  try {
    const records = instants.map((at, i) => atTask(`lateness-${i}`, at));
    const createMs = await createTasks(bench.store, records);
    const f = await fireAndMeasure(bench, n, t0 + spanMs + GRACE_MS);
    return { ...f, t0, readyAt: f.startedAt, createMs, errors: bench.errors };
  } finally {
    await bench.close();
  }
}

async function main(): Promise<void> {
  installCleanupHandlers();
  const [phase, tasks, span] = process.argv.slice(2);
  const run = phase === 'baseline' ? baseline : phase === 'taskr' ? taskr : null;
  if (!run || !process.send)
    throw new Error('usage (forked): latenessPhase baseline|taskr N SPAN_MS');
  const result = await run(Number(tasks), Number(span));
  process.send(result, () => process.exit(0));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
