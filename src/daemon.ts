// Wires the daemon together: config -> store -> action registry -> scheduler -> task
// service -> tasks file -> HTTP app. Each piece gets its dependencies passed in.
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ActionRegistry } from './actions/registry.js';
import { systemClock, type Clock } from './clock/clock.js';
import type { Config } from './config/config.js';
import { createApp } from './http/createApp.js';
import { createLogger, type Logger } from './log/logger.js';
import { Scheduler } from './scheduler/loop.js';
import { openStore } from './store/openStore.js';
import type { Store } from './store/store.js';
import { TaskService } from './tasks/taskService.js';
import { applyTasksFile } from './tasks/tasksFile.js';
import { VERSION } from './version.js';

export interface Daemon {
  readonly config: Readonly<Config>;
  readonly store: Store;
  readonly registry: ActionRegistry;
  readonly scheduler: Scheduler;
  readonly tasks: TaskService;
  readonly server: Server | null;
  /** Base URL when listening, e.g. http://127.0.0.1:7007 */
  readonly url: string | null;
  /** Stops firing and serving, waits up to graceMs for running runs, closes the store. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartOptions {
  config: Readonly<Config>;
  clock?: Clock;
  logger?: Logger;
  /** Listen on config.bind:config.port (default true). */
  listen?: boolean;
}

async function listen(server: Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return `http://${shownHost}:${addr.port}`;
}

export async function startDaemon(opts: StartOptions): Promise<Daemon> {
  const { config } = opts;
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger ?? createLogger({ level: config.logLevel });
  mkdirSync(config.dataDir, { recursive: true });

  const store = await openStore(config.databaseUrl, { logger });
  const registry = await ActionRegistry.load({
    externalDirs: config.actions.externalDirs,
    allow: config.actions.allow,
    onProblem: (file, message) => logger.warn({ file }, `action plugin not loaded: ${message}`),
  });
  const scheduler = new Scheduler({ store, registry, clock, config, logger });
  const tasks = new TaskService({ store, registry, scheduler, clock, config });
  if (config.tasksFile) await applyTasksFile(config.tasksFile, tasks, logger);
  await scheduler.start();

  const app = createApp({
    tasks,
    store,
    registry,
    scheduler,
    clock,
    config,
    version: VERSION,
    onServerError: (err, ctx) =>
      logger.error({ err, method: ctx.method, path: ctx.path }, 'http: internal error'),
  });
  let server: Server | null = null;
  let url: string | null = null;
  if (opts.listen !== false) {
    server = createServer(app.callback());
    url = await listen(server, config.port, config.bind);
    logger.info(
      { url, database: store.kind, node: config.nodeName },
      `Taskr ${VERSION} listening on ${url}`,
    );
  }

  let stopping: Promise<void> | null = null;
  const stop = (graceMs = 30_000): Promise<void> => {
    stopping ??= (async () => {
      if (server) {
        const s = server;
        await new Promise<void>((resolve) => {
          s.close(() => resolve());
          s.closeAllConnections?.();
        });
      }
      await scheduler.stop(graceMs);
      await store.close();
    })();
    return stopping;
  };
  return { config, store, registry, scheduler, tasks, server, url, stop };
}
