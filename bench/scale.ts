// Scale: a SQLite store holding N tasks, then `node bin/taskr.js serve` on it as a child
// process: spawn to ready (GET /health 200, served only after every task is loaded into the
// loop) and the daemon's RSS at ready and ~5 s later. An empty store gives the fixed cost
// (Node + tsx + migrations + HTTP) for comparison.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { INHERITED_POLICIES, type ScheduleMethod } from '../src/domain/types.js';
import { openStore } from '../src/store/openStore.js';
import type { TaskRecordInput } from '../src/store/store.js';
import { makeTmpDir, removeTmpDir } from './cleanup.js';
import { sleep } from './instants.js';
import { startServe } from './serveProcess.js';
import { ms, type BenchResult, type Row } from './table.js';
import { createTasks } from './taskrHarness.js';

export interface ScaleOptions {
  tasks: number;
  readyMs: number;
  rssMb: number;
  /** Second RSS reading this long after ready. */
  settleMs: number;
}

export const SCALE_DEFAULTS: ScaleOptions = {
  tasks: 100_000,
  readyMs: 3_000,
  rssMb: 300,
  settleMs: 5_000,
};

const MB = 1_000_000;
const HOUR = 3_600_000;

/** A realistic mix of the four methods; every next trigger is hours away, so nothing fires. */
function scaleTask(i: number, now: number): TaskRecordInput {
  const kinds: [ScheduleMethod, string, number][] = [
    ['every', '6h', now + 6 * HOUR],
    ['cron', '0 3 * * *', now + 2 * HOUR + (i % 60) * 60_000],
    ['at', new Date(now + 48 * HOUR + i * 1000).toISOString(), now + 48 * HOUR + i * 1000],
    ['in', '2d', now + 48 * HOUR],
  ];
  const [method, when, next] = kinds[i % kinds.length]!;
  return {
    name: `scale-task-${i}`,
    memo: i % 10 === 0 ? `memo for task ${i}` : null,
    scheduleMethod: method,
    scheduleWhen: when,
    timezone: null,
    enabled: i % 50 !== 0,
    policies: { ...INHERITED_POLICIES },
    createdBy: 'bench',
    nextTriggerAt: i % 50 === 0 ? null : new Date(next),
    actions: [{ actionClassName: 'Log', parameters: { message: `task ${i}` } }],
  };
}

/** Creates the database file with N tasks; returns how long it took and the count read back. */
export async function seedScaleStore(
  file: string,
  n: number,
): Promise<{ seedMs: number; count: number }> {
  const store = await openStore(`sqlite:${file}`);
  try {
    const now = Date.now();
    const records = Array.from({ length: n }, (_, i) => scaleTask(i, now));
    const seedMs = await createTasks(store, records);
    return { seedMs, count: await store.tasks.count() };
  } finally {
    await store.close();
  }
}

/** Starts the daemon on the file and reads ready time and memory; always stops it. */
async function measureServe(file: string, dataDir: string, settleMs: number) {
  const serve = await startServe({ databaseUrl: `sqlite:${file}`, dataDir, timeoutMs: 60_000 });
  try {
    const atReady = serve.memory();
    await sleep(settleMs);
    const later = serve.memory();
    return { readyMs: serve.readyMs, rssReady: atReady.rss, rssLater: later.rss, hwm: later.hwm };
  } finally {
    await serve.stop();
  }
}

export async function scaleBench(opts: ScaleOptions = SCALE_DEFAULTS): Promise<BenchResult> {
  const dir = makeTmpDir('scale');
  try {
    const empty = await measureServe(join(dir, 'empty.sqlite'), dir, 0);
    const file = join(dir, 'scale.sqlite');
    const { seedMs, count } = await seedScaleStore(file, opts.tasks);
    const sizeMb = statSync(file).size / MB;
    const full = await measureServe(file, dir, opts.settleMs);
    const mb = (b: number) => `${(b / MB).toFixed(1)} MB`;
    const rows: Row[] = [
      {
        measure: 'tasks in the store',
        value: String(count),
        target: String(opts.tasks),
        pass: count === opts.tasks,
      },
      {
        measure: 'start to ready, empty store',
        value: ms(empty.readyMs, 0),
        target: '-',
        pass: null,
      },
      {
        measure: `start to ready, ${count} tasks`,
        value: ms(full.readyMs, 0),
        target: `<= ${opts.readyMs} ms`,
        pass: full.readyMs <= opts.readyMs,
      },
      { measure: 'RSS at ready, empty store', value: mb(empty.rssReady), target: '-', pass: null },
      {
        measure: 'RSS at ready',
        value: mb(full.rssReady),
        target: `<= ${opts.rssMb} MB`,
        pass: full.rssReady <= opts.rssMb * MB,
      },
      {
        measure: `RSS ${opts.settleMs / 1000} s after ready`,
        value: mb(full.rssLater),
        target: `<= ${opts.rssMb} MB`,
        pass: full.rssLater <= opts.rssMb * MB,
      },
      { measure: 'peak RSS (VmHWM)', value: mb(full.hwm), target: '-', pass: null },
    ];
    const notes = [
      `\`node bin/taskr.js serve\` (the compiled build in dist/, made by npm run bench) on a SQLite file of ${sizeMb.toFixed(1)} MB, TASKR_LOG_LEVEL=warn; ready = first 200 from GET /health (polled every 5 ms); memory from \`/proc/<pid>/status\`, 1 MB = 10^6 bytes.`,
      `tasks: every/cron/at/in in equal parts, one Log action each, 2% disabled, next triggers hours ahead (nothing fires); seeded in ${(seedMs / 1000).toFixed(1)} s through store.tasks.create (no bulk insert in the store).`,
    ];
    return { id: 'scale', title: `Scale (${count} tasks in the store)`, rows, notes };
  } finally {
    removeTmpDir(dir);
  }
}
