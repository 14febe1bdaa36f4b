// Taskr's own metrics: runs by final status and firing lateness (from the scheduler's 'run'
// events, so the scheduler's hot path is not touched), runs in progress and tasks by state
// (read at scrape time, so they are never stale), HTTP requests by route pattern and status.
import { isTerminal } from '../domain/runStatus.js';
import { RUN_STATUSES, type Run } from '../domain/types.js';
import type { SchedulerApi } from '../scheduler/schedulerApi.js';
import type { Store } from '../store/store.js';
import { MetricsRegistry, type Counter, type Histogram } from './metrics.js';

/** Seconds; from "on time" to "a timer cap late" (the loop re-checks at least every 30 s). */
export const LATENESS_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300,
];
export const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface TaskrMetricsDeps {
  scheduler: Pick<SchedulerApi, 'events' | 'status'>;
  store: Pick<Store, 'tasks'>;
  version: string;
}

export interface TaskrMetrics {
  readonly registry: MetricsRegistry;
  readonly runsTotal: Counter;
  readonly lateness: Histogram;
  /** Records one answered HTTP request (route: the matched pattern, or `unmatched`). */
  observeHttp(method: string, route: string, status: number, seconds: number): void;
  render(): Promise<string>;
  /** Stops listening to the scheduler's events. */
  close(): void;
}

const FINAL_STATUSES = RUN_STATUSES.filter((s) => isTerminal(s));

/** Counts of tasks by the API's `state`: scheduled, paused (disabled), expired (fired one-shot). */
export async function countTasksByState(
  store: Pick<Store, 'tasks'>,
): Promise<{ scheduled: number; paused: number; expired: number }> {
  const [total, paused, expired] = await Promise.all([
    store.tasks.count(),
    store.tasks.list({ enabled: false, limit: 0 }).then((r) => r.total),
    store.tasks.list({ enabled: true, status: 'expired', limit: 0 }).then((r) => r.total),
  ]);
  return { scheduled: Math.max(0, total - paused - expired), paused, expired };
}

export function createTaskrMetrics(deps: TaskrMetricsDeps): TaskrMetrics {
  const registry = new MetricsRegistry();
  registry
    .gauge({ name: 'taskr_build_info', help: 'Taskr version (always 1)', labelNames: ['version'] })
    .set({ version: deps.version }, 1);
  registry
    .gauge({ name: 'process_start_time_seconds', help: 'Start time of the process (Unix seconds)' })
    .set({}, Math.round(performance.timeOrigin) / 1000);

  const runsTotal = registry.counter({
    name: 'taskr_runs_total',
    help: 'Runs that reached a final status on this node since it started, by status',
    labelNames: ['status'],
  });
  for (const status of FINAL_STATUSES) runsTotal.inc({ status }, 0);

  const lateness = registry.histogram({
    name: 'taskr_run_lateness_seconds',
    help: 'Firing lateness of schedule-triggered runs: started_at minus scheduled_for',
    buckets: LATENESS_BUCKETS,
  });

  const inProgress = registry.gauge({
    name: 'taskr_runs_in_progress',
    help: 'Runs executing on this node now',
    collect: () => inProgress.set({}, deps.scheduler.status().runsInProgress),
  });

  const storeUp = registry.gauge({
    name: 'taskr_store_up',
    help: '1 when the last scrape could read the store, else 0',
  });
  const tasks = registry.gauge({
    name: 'taskr_tasks',
    help: 'Tasks by state: scheduled, paused (disabled) or expired (a one-shot that fired)',
    labelNames: ['state'],
    collect: async () => {
      tasks.reset();
      try {
        const counts = await countTasksByState(deps.store);
        for (const [state, n] of Object.entries(counts)) tasks.set({ state }, n);
        storeUp.set({}, 1);
      } catch {
        storeUp.set({}, 0); // the scrape still answers; /ready says why
      }
    },
  });

  const httpRequests = registry.counter({
    name: 'taskr_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
  });
  const httpDuration = registry.histogram({
    name: 'taskr_http_request_duration_seconds',
    help: 'HTTP request duration by method and route pattern',
    labelNames: ['method', 'route'],
    buckets: HTTP_DURATION_BUCKETS,
  });

  const onRun = (run: Run): void => {
    if (isTerminal(run.status)) runsTotal.inc({ status: run.status });
    else if (run.status === 'running' && run.trigger === 'schedule' && run.startedAt) {
      lateness.observe({}, (run.startedAt.getTime() - run.scheduledFor.getTime()) / 1000);
    }
  };
  deps.scheduler.events.on('run', onRun);

  return {
    registry,
    runsTotal,
    lateness,
    observeHttp(method, route, status, seconds) {
      httpRequests.inc({ method, route, status });
      httpDuration.observe({ method, route }, seconds);
    },
    render: () => registry.render(),
    close: () => void deps.scheduler.events.off('run', onRun),
  };
}
