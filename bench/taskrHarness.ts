// Taskr's real pieces, in-process, for the firing benches: a store on a tmp SQLite file,
// the action registry, the scheduler loop on the system clock, and one-shot `at` tasks
// whose only action is the no-op Log. Lateness is taken when the scheduler emits the run
// in status `running` (after the claim and the pending -> running write).
import { join } from 'node:path';
import { ActionRegistry } from '../src/actions/registry.js';
import { systemClock } from '../src/clock/clock.js';
import { loadConfig, type Config } from '../src/config/config.js';
import { INHERITED_POLICIES, type Run } from '../src/domain/types.js';
import { Scheduler, type SchedulerLogger } from '../src/scheduler/loop.js';
import { openStore } from '../src/store/openStore.js';
import type { Store, TaskRecordInput } from '../src/store/store.js';
import { makeTmpDir, removeTmpDir } from './cleanup.js';
import type { FiringResult } from './cronerBaseline.js';
import { preciseNow } from './stats.js';

export interface TaskrBench {
  dir: string;
  url: string;
  store: Store;
  config: Readonly<Config>;
  registry: ActionRegistry;
  /** Errors the scheduler logged (a healthy run has none). */
  errors: string[];
  close(): Promise<void>;
}

export async function openTaskrBench(prefix: string): Promise<TaskrBench> {
  const dir = makeTmpDir(prefix);
  const url = `sqlite:${join(dir, 'bench.sqlite')}`;
  const config = loadConfig({
    env: {},
    file: null,
    overrides: {
      nodeName: 'bench',
      timezone: 'UTC',
      dataDir: dir,
      databaseUrl: url,
      logLevel: 'warn',
    },
  });
  const store = await openStore(url);
  const registry = await ActionRegistry.load({});
  const errors: string[] = [];
  const close = async () => {
    await store.close();
    removeTmpDir(dir);
  };
  return { dir, url, store, config, registry, errors, close };
}

/** A one-shot `at` task on the instant, running the no-op Log action. */
export function atTask(name: string, instant: number): TaskRecordInput {
  const at = new Date(instant);
  return {
    name,
    memo: null,
    scheduleMethod: 'at',
    scheduleWhen: at.toISOString(),
    timezone: null,
    enabled: true,
    policies: { ...INHERITED_POLICIES },
    createdBy: 'bench',
    nextTriggerAt: at,
    actions: [{ actionClassName: 'Log', parameters: { message: '' } }],
  };
}

/**
 * Inserts the records through `store.tasks.create` (the store has no bulk insert), keeping
 * `window` creates in flight. Returns the elapsed ms. Between batches it yields to the event
 * loop: the store's statement queue resolves in microtasks only, so without a pause timers
 * and signals (Ctrl-C) would wait for the whole seed.
 */
export async function createTasks(
  store: Store,
  records: readonly TaskRecordInput[],
  window = 64,
  batch = 2_000,
): Promise<number> {
  const start = performance.now();
  const now = new Date();
  for (let from = 0; from < records.length; from += batch) {
    const end = Math.min(records.length, from + batch);
    let next = from;
    const worker = async () => {
      while (next < end) await store.tasks.create(records[next++]!, now);
    };
    await Promise.all(Array.from({ length: Math.min(window, end - from) }, worker));
    await new Promise((resolve) => setImmediate(resolve));
  }
  return performance.now() - start;
}

/** ms per task for `store.tasks.create`, measured on a throwaway store in a tmp folder. */
export async function createCostMs(sample = 500): Promise<number> {
  const bench = await openTaskrBench('calibrate');
  try {
    const far = Date.now() + 86_400_000;
    const records = Array.from({ length: sample }, (_, i) => atTask(`calibrate-${i}`, far));
    return (await createTasks(bench.store, records)) / sample;
  } finally {
    await bench.close();
  }
}

export interface TaskrFiring extends FiringResult {
  /** Time scheduler.start() took (loading every task), ms. */
  startMs: number;
  /** When start() returned, ms since the epoch (must be before the first instant). */
  startedAt: number;
}

/**
 * Starts a scheduler on the bench store, records each run's lateness when it enters
 * `running`, and waits for `expected` starts or the deadline; then stops the scheduler
 * (letting in-flight runs finish) so the store can be read and closed.
 */
export async function fireAndMeasure(
  bench: TaskrBench,
  expected: number,
  deadline: number,
): Promise<TaskrFiring> {
  const logger = collectingLogger(bench.errors);
  const scheduler = new Scheduler({
    store: bench.store,
    registry: bench.registry,
    clock: systemClock,
    config: bench.config,
    logger,
  });
  const lateness: number[] = [];
  // Run ids already counted: a grow-as-needed bitmap, so the measuring itself allocates
  // next to nothing while the runs fire (a Set of 10,000 ids reallocates as it grows).
  let seen = new Uint8Array(expected * 2 + 1024);
  let resolveAll: () => void = () => undefined;
  const allStarted = new Promise<void>((r) => (resolveAll = r));
  scheduler.events.on('run', (run: Run) => {
    if (run.status !== 'running') return;
    if (run.id >= seen.length) {
      const grown = new Uint8Array(run.id * 2);
      grown.set(seen);
      seen = grown;
    }
    if (seen[run.id] === 1) return;
    seen[run.id] = 1;
    lateness.push(preciseNow() - run.scheduledFor.getTime());
    if (lateness.length === expected) resolveAll();
  });
  const t = performance.now();
  await scheduler.start();
  const startMs = performance.now() - t;
  const startedAt = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<void>(
    (r) => (timer = setTimeout(r, Math.max(0, deadline - Date.now()))),
  );
  await Promise.race([allStarted, timedOut]);
  clearTimeout(timer);
  await scheduler.stop(10_000);
  return { lateness, expected, setupMs: 0, startMs, startedAt };
}

function collectingLogger(errors: string[]): SchedulerLogger {
  const text = (obj: object | string, msg?: string) =>
    `${msg ?? ''} ${typeof obj === 'string' ? obj : JSON.stringify(obj)}`.trim();
  return {
    info: () => undefined,
    warn: (obj, msg) => errors.push(`warn: ${text(obj, msg)}`),
    error: (obj, msg) => errors.push(`error: ${text(obj, msg)}`),
  };
}
