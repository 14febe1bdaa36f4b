// The HTTP app on real parts: a SQLite file in a tmp dir, the real action registry, the real
// scheduler (ManualClock, so nothing fires unless a test advances it) and the task service.
import { mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
import { ActionRegistry } from '../../src/actions/registry.js';
import { ManualClock } from '../../src/clock/manualClock.js';
import { CredentialStore } from '../../src/auth/credentialStore.js';
import { loadConfig, type Config, type ConfigInput } from '../../src/config/config.js';
import type { Task, TaskInput } from '../../src/domain/types.js';
import { createApp } from '../../src/http/createApp.js';
import type { SecurityDeps } from '../../src/http/security/index.js';
import { Scheduler } from '../../src/scheduler/loop.js';
import { openStore } from '../../src/store/openStore.js';
import type { Store } from '../../src/store/store.js';
import { TaskService } from '../../src/tasks/taskService.js';
import { cleanupDatabases, tempSqliteUrl } from './databases.js';

export interface AppFixture {
  app: Koa;
  /** app.callback() for supertest. */
  handler: ReturnType<Koa['callback']>;
  store: Store;
  clock: ManualClock;
  config: Readonly<Config>;
  registry: ActionRegistry;
  scheduler: Scheduler;
  tasks: TaskService;
  /** Errors the app reported as 500s (tests assert there are none). */
  serverErrors: unknown[];
  /** Creates a task directly through the service. */
  createTask(overrides?: Partial<TaskInput>): Promise<Task>;
  /** Every stored task, for "the store is unchanged" assertions. */
  snapshot(): Promise<Task[]>;
  /** Listens on 127.0.0.1 (port 0) for raw-socket tests. */
  listen(): Promise<{ port: number; server: Server }>;
  close(): Promise<void>;
}

export const START = '2026-03-01T12:00:00Z';

export interface AppFixtureOptions {
  bodyLimit?: number;
  /** Config overrides over the test defaults (e.g. auth users, http limits, actions.allow). */
  config?: ConfigInput;
  /**
   * Security as the daemon runs it: credentials from config.auth (hashed; with none, the
   * generated admin password goes to a tmp data dir) and CSRF checks on. Off by default:
   * tests of other features run without authentication (allowed on loopback) or CSRF tokens.
   */
  secure?: boolean;
}

export async function appFixture(opts: AppFixtureOptions = {}): Promise<AppFixture> {
  const store = await openStore(tempSqliteUrl());
  const clock = new ManualClock(START);
  const config = loadConfig({
    env: {},
    file: null,
    overrides: {
      timezone: 'UTC',
      nodeName: 'test',
      ...(opts.secure ? { dataDir: mkdtempSync(join(tmpdir(), 'taskr-app-')) } : {}),
      ...opts.config,
    },
  });
  const security: SecurityDeps = opts.secure
    ? {
        credentials: await CredentialStore.fromConfig({
          auth: config.auth,
          dataDir: config.dataDir,
        }),
      }
    : { credentials: null, csrf: false };
  const registry = await ActionRegistry.load({ config, allow: config.actions.allow });
  const scheduler = new Scheduler({ store, registry, clock, config });
  const tasks = new TaskService({ store, registry, scheduler, clock, config });
  await scheduler.start();
  const serverErrors: unknown[] = [];
  const app = createApp({
    tasks,
    store,
    registry,
    scheduler,
    clock,
    config,
    version: '0.0.0-test',
    bodyLimit: opts.bodyLimit,
    security,
    onServerError: (err) => serverErrors.push(err),
  });
  const servers: Server[] = [];
  return {
    app,
    handler: app.callback(),
    store,
    clock,
    config,
    registry,
    scheduler,
    tasks,
    serverErrors,
    createTask: (overrides = {}) =>
      tasks.create({
        name: 'backup',
        scheduleMethod: 'every',
        scheduleWhen: '1h',
        actions: [{ actionClassName: 'Log', parameters: { message: 'hi' } }],
        ...overrides,
      }),
    snapshot: async () => (await store.tasks.list({ limit: 10_000 })).tasks,
    async listen() {
      const server = app.listen(0, '127.0.0.1');
      servers.push(server);
      await new Promise<void>((resolve) => server.once('listening', resolve));
      return { port: (server.address() as AddressInfo).port, server };
    },
    async close() {
      for (const s of servers) {
        s.closeAllConnections();
        await new Promise<void>((resolve) => s.close(() => resolve()));
      }
      await scheduler.stop(0);
      await store.close();
      await cleanupDatabases();
    },
  };
}
