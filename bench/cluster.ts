// The cluster figure: occurrences per second sustained by 1, 2 and 3 `taskr serve` nodes on
// one PostgreSQL with a no-op action (Log), and the firing lateness p99 at each size.
//
//   npx tsx bench/cluster.ts            (or add clusterBench to bench/run.ts's BENCHES)
//   TASKR_BENCH_PG_URL=postgres://...   (default TASKR_TEST_PG_URL, then 127.0.0.1:5432/test)
//
// Per cluster size, on a fresh schema: phase 1 fires LATENESS_TASKS tasks every second for
// WINDOW_MS and measures lateness (started_at - scheduled_for) of every run; phase 2 raises
// the offered load step by step (LOAD_STEPS occurrences per second) and measures the runs
// finished per second at each step: the highest step the cluster keeps up with (finishes
// at least KEEP_UP of what is offered) is its sustained rate. Nodes see the enabled tasks
// through their change poller (tasks.updated_on), as they would any missed change.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openStore } from '../src/store/openStore.js';
import type { Run } from '../src/domain/types.js';
import type { Store, TaskRecordInput } from '../src/store/store.js';
import { cleanupAll, installCleanupHandlers, makeTmpDir, trackChild } from './cleanup.js';
import { sleep } from './instants.js';
import { freePort, httpStatus } from './serveProcess.js';
import { summarize } from './stats.js';
import { formatTable, ms, type BenchResult, type Row } from './table.js';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/paths.js';

const BIN = join(PACKAGE_ROOT, 'bin', 'taskr.js');
const REPO = PACKAGE_ROOT;
const LATENESS_TASKS = 200;
const LOAD_STEPS = [250, 500, 750, 1_000, 1_250, 1_500, 2_000, 3_000];
const WINDOW_MS = 10_000;
/** Each load step settles this long, then counts finished runs for STEP_MS. */
const SETTLE_MS = 3_000;
const STEP_MS = 5_000;
const KEEP_UP = 0.95;
const SIZES = [1, 2, 3];

function baseUrl(): string {
  return (
    process.env.TASKR_BENCH_PG_URL ||
    process.env.TASKR_TEST_PG_URL ||
    'postgres://postgres@127.0.0.1:5432/test'
  ).trim();
}

function record(name: string, next: Date, enabled: boolean): TaskRecordInput {
  return {
    name,
    memo: null,
    scheduleMethod: 'every',
    scheduleWhen: '1s',
    timezone: null,
    enabled,
    // allow: each occurrence runs (a slow run never turns the next into a skipped row).
    policies: {
      overlap: 'allow',
      misfire: null,
      timeoutMs: null,
      retries: null,
      retryBackoffMs: null,
    },
    createdBy: null,
    nextTriggerAt: enabled ? next : null,
    actions: [{ actionClassName: 'Log', parameters: { message: '' } }],
  };
}

async function startNode(name: string, databaseUrl: string): Promise<() => void> {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'serve'], {
    cwd: REPO,
    env: {
      ...process.env,
      TASKR_CONFIG: '',
      TASKR_TASKS_FILE: '',
      TASKR_DATABASE_URL: databaseUrl,
      TASKR_DATA_DIR: makeTmpDir(`cluster-${name}`),
      TASKR_NODE_NAME: name,
      TASKR_PORT: String(port),
      TASKR_BIND: '127.0.0.1',
      TASKR_LOG_LEVEL: 'warn',
      TASKR_AUTH_ENABLED: 'false',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  trackChild(child);
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-2000)));
  const until = Date.now() + 60_000;
  while ((await httpStatus(`http://127.0.0.1:${port}/health`)) !== 200) {
    if (child.exitCode !== null || Date.now() > until)
      throw new Error(`bench: node ${name} did not start:\n${err}`);
    await sleep(50);
  }
  return () => child.kill('SIGKILL');
}

interface SizeResult {
  nodes: number;
  /** Highest offered rate kept up with, and the rate finished at it. */
  sustainedPerSecond: number;
  finishedPerSecond: number;
  lateness: ReturnType<typeof summarize>;
  latenessRate: number;
}

async function runs(store: Store): Promise<Run[]> {
  return (await store.runs.list({ limit: 10_000_000 })).runs;
}

async function measure(size: number): Promise<SizeResult> {
  const schema = `taskr_bench_cluster_${randomBytes(4).toString('hex')}`;
  const u = new URL(baseUrl());
  u.searchParams.set('schema', schema);
  const store = await openStore(u.toString());
  const stops: (() => void)[] = [];
  try {
    const first = new Date(Date.now() + 3_600_000); // re-planned at enable time below
    const now = new Date();
    const lateIds: number[] = [];
    for (let i = 0; i < LATENESS_TASKS; i++)
      lateIds.push((await store.tasks.create(record(`late-${i}`, first, false), now)).id);
    const loadIds: number[] = [];
    for (let i = 0; i < LOAD_STEPS.at(-1)!; i++)
      loadIds.push((await store.tasks.create(record(`load-${i}`, first, false), now)).id);
    for (let i = 0; i < size; i++) stops.push(await startNode(`n${i + 1}`, u.toString()));
    // One heartbeat (5 s): every node has seen the others join.
    await sleep(6_000);

    // Phase 1: lateness at LATENESS_TASKS occurrences per second.
    // Nodes learn of tasks changed in the database by polling (1 s) and re-reading them.
    const t0 = Math.ceil((Date.now() + 4_000) / 1000) * 1000;
    for (const id of lateIds) await store.tasks.setEnabled(id, true, new Date(t0), new Date());
    await sleep(t0 + WINDOW_MS + 3_000 - Date.now());
    const late = (await runs(store)).filter(
      (r) =>
        r.scheduledFor.getTime() >= t0 && r.scheduledFor.getTime() < t0 + WINDOW_MS && r.startedAt,
    );
    const lateness = summarize(late.map((r) => r.startedAt!.getTime() - r.scheduledFor.getTime()));

    for (const id of lateIds) await store.tasks.setEnabled(id, false, null, new Date());
    // Phase 2: raise the load until the cluster falls behind.
    let sustained = 0;
    let finishedRate = 0;
    let enabled = 0;
    for (const step of LOAD_STEPS) {
      const t1 = Math.ceil((Date.now() + 1_000) / 1000) * 1000;
      for (; enabled < step; enabled++)
        await store.tasks.setEnabled(loadIds[enabled]!, true, new Date(t1), new Date());
      const from = Date.now() + SETTLE_MS;
      await sleep(from + STEP_MS - Date.now());
      const inWindow = (await runs(store)).filter((r) => {
        const f = r.finishedAt?.getTime();
        return f !== undefined && f >= from && f < from + STEP_MS;
      }).length;
      const rate = inWindow / (STEP_MS / 1000);
      if (rate < step * KEEP_UP) break;
      sustained = step;
      finishedRate = rate;
    }
    return {
      nodes: size,
      sustainedPerSecond: sustained,
      finishedPerSecond: finishedRate,
      lateness,
      latenessRate: late.length / (WINDOW_MS / 1000),
    };
  } finally {
    for (const stop of stops) stop();
    await store.close();
    const client = new pg.Client({ connectionString: baseUrl() });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => client.end());
  }
}

export async function clusterBench(): Promise<BenchResult> {
  const rows: Row[] = [];
  const notes: string[] = [];
  for (const size of SIZES) {
    const r = await measure(size);
    rows.push({
      measure: `${size} node${size > 1 ? 's' : ''}: occurrences/s sustained`,
      value: `${r.sustainedPerSecond} (${r.finishedPerSecond.toFixed(0)} run)`,
      target: '-',
      pass: null,
    });
    rows.push({
      measure: `${size} node${size > 1 ? 's' : ''}: lateness p99 at ${LATENESS_TASKS}/s`,
      value: ms(r.lateness.p99, 1),
      target: '-',
      pass: null,
    });
    notes.push(
      `${size} node(s): ${r.lateness.count} runs in the lateness window (${r.latenessRate.toFixed(0)}/s), ` +
        `lateness p50 ${ms(r.lateness.p50, 1)}, max ${ms(r.lateness.max, 1)}`,
    );
  }
  notes.unshift(
    `Log action (no-op), every 1s, overlap allow; sustained = the highest of ${LOAD_STEPS.join(', ')} ` +
      `occurrences/s offered of which at least ${KEEP_UP * 100}% finish per second (over ${STEP_MS / 1000} s); ` +
      'one PostgreSQL. Every node and the database share this machine: more nodes add ' +
      'failover, not capacity, unless they run on their own hosts.',
  );
  return { id: 'cluster', title: 'Cluster: several nodes on one PostgreSQL', rows, notes };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  installCleanupHandlers();
  clusterBench()
    .then((r) => console.log(formatTable(r)))
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    })
    .finally(cleanupAll);
}
