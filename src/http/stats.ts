// A task's run statistics (go-tasky's stats): runs by status, success rate over finished
// runs, last / mean / p95 duration over the most recent finished runs, next fire times.
import type { Config } from '../config/config.js';
import { RUN_STATUSES, type Task } from '../domain/types.js';
import type { Store } from '../store/store.js';
import { upcomingFires } from './nextFires.js';
import type { ViewRecord } from './presenters/viewModel.js';

/** Durations are taken from this many most recent runs (enough for a stable p95). */
export const DURATION_SAMPLE = 1000;
const FINISHED_OK = 'succeeded';
const FINISHED_BAD = ['failed', 'timed_out', 'cancelled', 'interrupted'];

/** The nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export async function taskStats(
  store: Store,
  task: Task,
  config: Readonly<Config>,
  now: number,
): Promise<ViewRecord> {
  const byStatus: Record<string, number> = {};
  let total = 0;
  for (const status of RUN_STATUSES) {
    const { total: n } = await store.runs.list({ taskId: task.id, status: [status], limit: 1 });
    byStatus[status] = n;
    total += n;
  }
  const ok = byStatus[FINISHED_OK] ?? 0;
  const finished = ok + FINISHED_BAD.reduce((sum, s) => sum + (byStatus[s] ?? 0), 0);
  const { runs } = await store.runs.list({ taskId: task.id, limit: DURATION_SAMPLE });
  // Newest first: the first run with a duration is the last one that finished.
  const durations = runs.map((r) => r.durationMs).filter((d): d is number => d !== null);
  const sorted = [...durations].sort((a, b) => a - b);
  const mean = durations.length
    ? Math.round(durations.reduce((a, b) => a + b, 0) / durations.length)
    : null;
  return {
    task_id: task.id,
    total_runs: total,
    runs_by_status: byStatus,
    success_rate: finished > 0 ? Math.round((ok / finished) * 10_000) / 10_000 : null,
    last_duration_ms: durations[0] ?? null,
    mean_duration_ms: mean,
    p95_duration_ms: percentile(sorted, 95),
    last_run_at: runs[0]?.startedAt ?? runs[0]?.runAt ?? null,
    next_fire_times: upcomingFires(task, config, now),
  };
}
