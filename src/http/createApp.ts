// Builds Taskr's HTTP API (HTML, XML and JSON) as a Koa app, without listening.
// Middleware order matters: errors wrap everything; the format is known before anything
// can fail (so errors render in it); the body is read before the method override (which
// may come from a form field); the router runs last, then 405/404 for what it left.
import Koa from 'koa';
import type { ActionRegistry } from '../actions/registry.js';
import type { Clock } from '../clock/clock.js';
import type { Config } from '../config/config.js';
import { httpMetrics } from '../ops/httpMetrics.js';
import { opsRouter } from '../ops/opsRouter.js';
import { createTaskrMetrics, type TaskrMetrics } from '../ops/taskrMetrics.js';
import type { SchedulerApi } from '../scheduler/schedulerApi.js';
import type { Store } from '../store/store.js';
import type { TaskServiceApi } from '../tasks/taskServiceApi.js';
import { bodyParser, DEFAULT_BODY_LIMIT } from './middleware/bodyParser.js';
import { errorHandler, type ServerErrorReporter } from './middleware/errorHandler.js';
import { formatMiddleware } from './middleware/format.js';
import { methodOverride } from './middleware/methodOverride.js';
import { notAllowedOrNotFound } from './middleware/notAllowed.js';
import { dashboardContext } from './presenters/dashboard/context.js';
import { createSecurity, CredentialStore, type SecurityDeps } from './security/index.js';
import { actionTypesRouter } from './routes/actionTypes.js';
import { logEntriesRouter } from './routes/logEntries.js';
import { nodesRouter } from './routes/nodes.js';
import { miscRouter } from './routes/misc.js';
import { runEventsRouter } from './routes/runEvents.js';
import { runsRouter } from './routes/runs.js';
import { scheduleRouter } from './routes/schedule.js';
import { taskOperationsRouter } from './routes/taskOperations.js';
import { tasksRouter } from './routes/tasks.js';

export interface AppDeps {
  tasks: TaskServiceApi;
  store: Store;
  registry: ActionRegistry;
  scheduler: SchedulerApi;
  clock: Clock;
  config: Readonly<Config>;
  version: string;
  /** Largest request body accepted (bytes); default 1 MiB. */
  bodyLimit?: number;
  /** Called with unexpected (500) errors, e.g. to log them. */
  onServerError?: ServerErrorReporter;
  /** Served at /metrics; one is created (listening to the scheduler's events) when not given. */
  metrics?: TaskrMetrics;
  /**
   * Credentials and CSRF (see src/http/security). When not given: with config.auth.enabled,
   * no credential is accepted (every protected route is a 401); without, no authentication.
   */
  security?: SecurityDeps;
}

export function createApp(deps: AppDeps): Koa {
  const app = new Koa();
  const metrics = deps.metrics ?? createTaskrMetrics(deps);
  // Outermost, so it counts the final status of every request, refused ones too.
  app.use(httpMetrics(metrics));
  // First, so every HTML page (error pages too) can show the dashboard's extras.
  app.use(dashboardContext(deps));
  // Without a reporter, 500s go to Koa's 'error' event (logged to stderr by default).
  const report: ServerErrorReporter =
    deps.onServerError ?? ((err, ctx) => ctx.app.emit('error', err, ctx));
  const security = createSecurity(
    deps.config,
    deps.security ?? {
      credentials: deps.config.auth.enabled ? CredentialStore.none() : null,
    },
  );
  // Before the error handler, so error responses carry X-Request-ID too.
  app.use(security.requestId);
  app.use(errorHandler(report));
  app.use(formatMiddleware);
  // Host, rate limits, Origin/CORS, authentication and roles: before any body is read.
  app.use(security.guard);
  const { http } = deps.config;
  app.use(
    bodyParser({
      limit: deps.bodyLimit ?? http.bodyLimitBytes ?? DEFAULT_BODY_LIMIT,
      maxDepth: http.maxDepth,
      maxFieldLength: http.maxFieldLength,
    }),
  );
  // The CSRF token is a form field: after the body parser, before the method override.
  app.use(security.csrf);
  app.use(methodOverride);
  app.use(notAllowedOrNotFound);
  for (const router of [
    miscRouter(deps),
    opsRouter({ ...deps, metrics }),
    tasksRouter(deps),
    taskOperationsRouter(deps),
    runsRouter(deps),
    runEventsRouter(deps),
    logEntriesRouter(deps),
    nodesRouter(deps),
    actionTypesRouter(deps),
    scheduleRouter(deps),
  ]) {
    app.use(router.routes());
  }
  return app;
}
