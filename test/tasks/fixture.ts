// A task service on real parts: a SQLite file, the real registry and scheduler, a ManualClock.
import { ActionRegistry } from '../../src/actions/registry.js';
import { ManualClock } from '../../src/clock/manualClock.js';
import { loadConfig } from '../../src/config/config.js';
import type { TaskInput } from '../../src/domain/types.js';
import { Scheduler } from '../../src/scheduler/loop.js';
import { openStore } from '../../src/store/openStore.js';
import type { Store } from '../../src/store/store.js';
import { TaskService } from '../../src/tasks/taskService.js';
import { cleanupDatabases, tempSqliteUrl } from '../helpers/databases.js';

export interface ServiceFixture {
  store: Store;
  clock: ManualClock;
  scheduler: Scheduler;
  tasks: TaskService;
  close(): Promise<void>;
}

export async function serviceFixture(start = '2026-03-01T12:00:00Z'): Promise<ServiceFixture> {
  const store = await openStore(tempSqliteUrl());
  const clock = new ManualClock(start);
  const config = loadConfig({
    env: {},
    file: null,
    overrides: { timezone: 'UTC', nodeName: 'test' },
  });
  const registry = await ActionRegistry.load({});
  const scheduler = new Scheduler({ store, registry, clock, config });
  const tasks = new TaskService({ store, registry, scheduler, clock, config });
  await scheduler.start();
  return {
    store,
    clock,
    scheduler,
    tasks,
    async close() {
      await scheduler.stop(0);
      await store.close();
      await cleanupDatabases();
    },
  };
}

export function input(overrides: Partial<TaskInput> = {}): TaskInput {
  return {
    name: 'backup',
    scheduleMethod: 'every',
    scheduleWhen: '5m',
    actions: [{ actionClassName: 'Log', parameters: { message: 'hi' } }],
    ...overrides,
  };
}
