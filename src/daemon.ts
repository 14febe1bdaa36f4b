// Wires the daemon together: config -> store -> action registry -> scheduler -> task
// service -> tasks file -> HTTP app. Each piece gets its dependencies passed in.
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ActionRegistry } from './actions/registry.js';
import { systemClock, type Clock } from './clock/clock.js';
import { Cluster } from './cluster/cluster.js';
import { lockSqliteDatabase } from './cluster/sqliteLock.js';
import type { Config } from './config/config.js';
import { createApp } from './http/createApp.js';
import { assertAuthAllowed } from './auth/loopback.js';
import { CredentialStore, serverOptions } from './http/security/index.js';
import { createLogger, type Logger } from './log/logger.js';
import { createTaskrMetrics, type TaskrMetrics } from './ops/taskrMetrics.js';
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
  /** The registry served at /metrics. */
  readonly metrics: TaskrMetrics;
  /** Base URL when listening, e.g. http://127.0.0.1:7007 */
  readonly url: string | null;
  /**
   * Stops firing and serving, waits up to graceMs (default config.shutdownGraceMs) for
   * running runs, interrupts the rest, closes the store.
   */
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
  const logger = opts.logger ?? createLogger({ level: config.logLevel, format: config.logFormat });
  // Refuse before touching anything: auth off is allowed on a loopback bind only.
  assertAuthAllowed(config);
  mkdirSync(config.dataDir, { recursive: true });
  // Plaintext passwords and tokens are hashed here; only the hashes are kept.
  const credentials = config.auth.enabled
    ? await CredentialStore.fromConfig({
        auth: config.auth,
        dataDir: config.dataDir,
        onNotice: (n) => logger[n.level]({ file: n.file }, n.message),
      })
    : null;
  if (!credentials)
    logger.warn({ bind: config.bind }, 'auth: authentication is off (loopback bind)');

  // SQLite is single-node: a second daemon on the same file stops here (cluster/sqliteLock).
  const singleNode = lockSqliteDatabase(config.databaseUrl);
  const store = await openStore(config.databaseUrl, { logger }).catch((err: unknown) => {
    singleNode?.release();
    throw err;
  });
  const registry = await ActionRegistry.load({
    externalDirs: config.actions.externalDirs,
    allow: config.actions.allow,
    onProblem: (file, message) => logger.warn({ file }, `action plugin not loaded: ${message}`),
  });
  const cluster = new Cluster({ store, config, clock, logger, version: VERSION });
  const { firingDelay } = cluster;
  const scheduler = new Scheduler({ store, registry, clock, config, logger, firingDelay });
  // Changes made through this node are also sent to the other nodes of a cluster.
  const publishing = cluster.publishing(scheduler);
  const tasks = new TaskService({ store, registry, scheduler: publishing, clock, config });
  if (config.tasksFile) await applyTasksFile(config.tasksFile, tasks, logger);
  // Before start(), so runs started at start-up (catch-up, due one-shots) are counted.
  const metrics = createTaskrMetrics({ scheduler, store, version: VERSION });
  await cluster.start(scheduler);
  await scheduler.start();

  const app = createApp({
    tasks,
    store,
    registry,
    scheduler,
    clock,
    config,
    version: VERSION,
    metrics,
    security: { credentials },
    onServerError: (err, ctx) =>
      logger.error(
        { err, method: ctx.method, path: ctx.path, requestId: ctx.state.requestId as unknown },
        'http: internal error',
      ),
  });
  let server: Server | null = null;
  let url: string | null = null;
  if (opts.listen !== false) {
    server = createServer(serverOptions(config.http), app.callback());
    url = await listen(server, config.port, config.bind);
    cluster.setAddress(url);
    logger.info(
      { url, database: store.kind, node: config.nodeName },
      `Taskr ${VERSION} listening on ${url}`,
    );
  }

  let stopping: Promise<void> | null = null;
  const stop = (graceMs = config.shutdownGraceMs): Promise<void> => {
    stopping ??= (async () => {
      if (server) {
        const s = server;
        await new Promise<void>((resolve) => {
          s.close(() => resolve());
          s.closeAllConnections?.();
        });
      }
      await scheduler.stop(graceMs);
      await cluster.stop();
      metrics.close();
      await store.close();
      singleNode?.release();
    })();
    return stopping;
  };
  return { config, store, registry, scheduler, tasks, server, metrics, url, stop };
}
