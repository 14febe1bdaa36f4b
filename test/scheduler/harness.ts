// Loop tests: a real store (SQLite file, or PostgreSQL), the real action registry, a
// ManualClock and a Scheduler, plus helpers to create tasks and read their runs.
import { ActionRegistry } from '../../src/actions/registry.js';
import { ManualClock } from '../../src/clock/manualClock.js';
import { loadConfig, type Config, type ConfigInput } from '../../src/config/config.js';
import type { ActionInput, Run, Task, TaskPolicies } from '../../src/domain/types.js';
import { parseSchedule } from '../../src/schedule/schedule.js';
import { Scheduler, type SchedulerLogger } from '../../src/scheduler/loop.js';
import { openStore } from '../../src/store/openStore.js';
import type { Store } from '../../src/store/store.js';
import { cleanupDatabases, tempSqliteUrl } from '../helpers/databases.js';

export const t = (iso: string): number => new Date(iso).getTime();
export const iso = (d: Date | number | null): string | null =>
  d === null ? null : new Date(d).toISOString();

let registry: ActionRegistry | null = null;
export async function actionRegistry(): Promise<ActionRegistry> {
  registry ??= await ActionRegistry.load({});
  return registry;
}

export function testConfig(overrides: ConfigInput = {}): Readonly<Config> {
  return loadConfig({
    env: {},
    file: null,
    overrides: {
      nodeName: 'node-a',
      timezone: 'UTC',
      ...overrides,
      scheduler: { timerCapMs: 30_000, ...overrides.scheduler },
    },
  });
}

export interface Harness {
  url: string;
  store: Store;
  clock: ManualClock;
  config: Readonly<Config>;
  scheduler: Scheduler;
}

const open: { stores: Store[]; schedulers: Scheduler[] } = { stores: [], schedulers: [] };

/** A scheduler on a store (a new SQLite file unless `url` is given), not yet started. */
export async function harness(
  start: string,
  opts: { url?: string; config?: ConfigInput; logger?: SchedulerLogger } = {},
): Promise<Harness> {
  const url = opts.url ?? tempSqliteUrl();
  const store = await openStore(url);
  const clock = new ManualClock(start);
  const config = testConfig(opts.config);
  const scheduler = new Scheduler({
    store,
    registry: await actionRegistry(),
    clock,
    config,
    logger: opts.logger,
  });
  open.stores.push(store);
  open.schedulers.push(scheduler);
  return { url, store, clock, config, scheduler };
}

/** Stops every scheduler and closes every store the tests opened; removes the databases. */
export async function teardown(): Promise<void> {
  for (const s of open.schedulers.splice(0)) await s.stop(0).catch(() => undefined);
  for (const s of open.stores.splice(0)) await s.close().catch(() => undefined);
  await cleanupDatabases();
}

export interface TaskSpec {
  name?: string;
  method?: Task['scheduleMethod'];
  when?: string;
  policies?: Partial<TaskPolicies>;
  actions?: ActionInput[];
  /** Default: the schedule's first instant from the clock's now (as the task service does). */
  nextTriggerAt?: string | null;
  enabled?: boolean;
}

let seq = 0;
export function logAction(message = 'hello'): ActionInput {
  return { actionClassName: 'Log', parameters: { message } };
}
export function shellAction(command: string): ActionInput {
  return { actionClassName: 'Shell', parameters: { command } };
}

export async function createTask(
  h: Pick<Harness, 'store' | 'clock'>,
  spec: TaskSpec = {},
): Promise<Task> {
  const method = spec.method ?? 'every';
  const when = spec.when ?? '1m';
  const now = h.clock.now();
  const schedule = parseSchedule(method, when, { timezone: 'UTC', defaultTimezone: 'UTC', now });
  const next =
    spec.nextTriggerAt !== undefined
      ? spec.nextTriggerAt === null
        ? null
        : new Date(spec.nextTriggerAt)
      : new Date(schedule.first(now)!);
  return h.store.tasks.create(
    {
      name: spec.name ?? `task-${++seq}`,
      memo: null,
      scheduleMethod: method,
      scheduleWhen: when,
      timezone: 'UTC',
      enabled: spec.enabled ?? true,
      policies: {
        overlap: null,
        misfire: null,
        timeoutMs: null,
        retries: null,
        retryBackoffMs: null,
        ...spec.policies,
      },
      createdBy: null,
      nextTriggerAt: next,
      actions: spec.actions ?? [logAction()],
    },
    new Date(now),
  );
}

/** The task's runs, oldest occurrence first (then attempt). */
export async function runsOf(store: Store, taskId: number): Promise<Run[]> {
  const { runs } = await store.runs.list({ taskId, limit: 100_000 });
  return runs.sort(
    (a, b) =>
      a.scheduledFor.getTime() - b.scheduledFor.getTime() || a.attempt - b.attempt || a.id - b.id,
  );
}

/** A scheduler logger that collects warnings and errors (the loop logs a failed claim and goes on). */
export function collectingLogger(): SchedulerLogger & { problems: string[] } {
  const problems: string[] = [];
  const keep = (level: string) => (obj: object | string, msg?: string) =>
    problems.push(`${level} ${msg ?? ''} ${JSON.stringify(obj)}`);
  return { problems, info: () => undefined, warn: keep('warn'), error: keep('error') };
}

/** Polls in real time (child processes run in real time, whatever the ManualClock says). */
export async function waitFor(
  cond: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 8000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Advances the clock and waits until the scheduler is idle (claims, runs, write-backs done). */
export async function advance(h: Pick<Harness, 'clock' | 'scheduler'>, ms: number): Promise<void> {
  await h.clock.advance(ms);
  await h.scheduler.idle();
}
