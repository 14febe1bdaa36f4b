// Builds Taskr's HTTP API (HTML, XML and JSON) as a Koa app, without listening.
// Middleware order matters: errors wrap everything; the format is known before anything
// can fail (so errors render in it); the body is read before the method override (which
// may come from a form field); the router runs last, then 405/404 for what it left.
import Koa from 'koa';
import type { ActionRegistry } from '../actions/registry.js';
import type { Clock } from '../clock/clock.js';
import type { Config } from '../config/config.js';
import type { SchedulerApi } from '../scheduler/schedulerApi.js';
import type { Store } from '../store/store.js';
import type { TaskServiceApi } from '../tasks/taskServiceApi.js';
import { bodyParser, DEFAULT_BODY_LIMIT } from './middleware/bodyParser.js';
import { errorHandler, type ServerErrorReporter } from './middleware/errorHandler.js';
import { formatMiddleware } from './middleware/format.js';
import { methodOverride } from './middleware/methodOverride.js';
import { notAllowedOrNotFound } from './middleware/notAllowed.js';
import { actionTypesRouter } from './routes/actionTypes.js';
import { logEntriesRouter } from './routes/logEntries.js';
import { miscRouter } from './routes/misc.js';
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
}

export function createApp(deps: AppDeps): Koa {
  const app = new Koa();
  // Without a reporter, 500s go to Koa's 'error' event (logged to stderr by default).
  const report: ServerErrorReporter =
    deps.onServerError ?? ((err, ctx) => ctx.app.emit('error', err, ctx));
  app.use(errorHandler(report));
  app.use(formatMiddleware);
  app.use(bodyParser({ limit: deps.bodyLimit ?? DEFAULT_BODY_LIMIT }));
  app.use(methodOverride);
  app.use(notAllowedOrNotFound);
  for (const router of [
    miscRouter(deps),
    tasksRouter(deps),
    taskOperationsRouter(deps),
    runsRouter(deps),
    logEntriesRouter(deps),
    actionTypesRouter(deps),
    scheduleRouter(deps),
  ]) {
    app.use(router.routes());
  }
  return app;
}
