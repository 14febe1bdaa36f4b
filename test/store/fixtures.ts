// Shared fixtures for the store suites: task inputs, claims and a per-test store.
import type { ActionResult } from '../../src/domain/types.js';
import type { Store, RunClaim, TaskRecordInput } from '../../src/store/store.js';
import { openStore } from '../../src/store/openStore.js';
import { type Backend, cleanupDatabases } from '../helpers/databases.js';

export const T0 = new Date('2025-03-01T10:00:00.123Z');

export function at(iso: string): Date {
  return new Date(iso);
}

export function taskInput(overrides: Partial<TaskRecordInput> = {}): TaskRecordInput {
  return {
    name: 'backup',
    memo: 'nightly backup',
    scheduleMethod: 'every',
    scheduleWhen: '5m',
    timezone: 'Europe/Paris',
    enabled: true,
    policies: {
      overlap: 'skip',
      misfire: 'run_once',
      timeoutMs: 90_000,
      retries: 2,
      retryBackoffMs: 1500,
    },
    createdBy: 'alice',
    nextTriggerAt: at('2025-03-01T10:05:00.456Z'),
    actions: [
      { actionClassName: 'Shell', parameters: { command: 'echo one' } },
      { actionClassName: 'Webhook', parameters: { url: 'http://127.0.0.1:1/x', method: 'POST' } },
    ],
    ...overrides,
  };
}

export function claim(
  taskId: number,
  scheduledFor: Date,
  overrides: Partial<RunClaim> = {},
): RunClaim {
  return {
    taskId,
    scheduledFor,
    attempt: 0,
    trigger: 'schedule',
    status: 'pending',
    runAt: scheduledFor,
    node: 'node-a',
    ...overrides,
  };
}

/**
 * Opens a fresh store for every test of the enclosing suite. `ctx.url` is that test's
 * database URL (to open a second instance on the same database).
 */
export function useStore(backend: Backend): { store: Store; url: string; extra: Store[] } {
  const ctx = { store: undefined as unknown as Store, url: '', extra: [] as Store[] };
  beforeEach(async () => {
    ctx.url = await backend.url();
    ctx.store = await openStore(ctx.url);
  });
  afterEach(async () => {
    for (const s of ctx.extra.splice(0)) await s.close();
    await ctx.store?.close();
    ctx.store = undefined as unknown as Store;
    await cleanupDatabases();
  });
  return ctx;
}

/** An action result (a Shell that printed hello), with overrides. */
export function actionResult(overrides: Partial<ActionResult> = {}): ActionResult {
  return {
    actionId: 1,
    order: 0,
    actionClassName: 'Shell',
    status: 'succeeded',
    exitCode: 0,
    httpStatus: null,
    error: null,
    output: 'hello\n',
    outputTruncated: false,
    startedAt: at('2025-03-01T10:00:00.001Z'),
    finishedAt: at('2025-03-01T10:00:00.999Z'),
    ...overrides,
  };
}
