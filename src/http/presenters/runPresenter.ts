// View models for runs (with each action's result and output) and log entries.
import type { ActionResult, LogEntry, Run } from '../../domain/types.js';
import type { ViewRecord } from './viewModel.js';

export function resultView(r: ActionResult): ViewRecord {
  return {
    action_id: r.actionId,
    order: r.order,
    action_class_name: r.actionClassName,
    status: r.status,
    exit_code: r.exitCode,
    http_status: r.httpStatus,
    error: r.error,
    output: r.output,
    output_truncated: r.outputTruncated,
    started_at: r.startedAt,
    finished_at: r.finishedAt,
  };
}

export function runView(run: Run): ViewRecord {
  return {
    id: run.id,
    task_id: run.taskId,
    scheduled_for: run.scheduledFor,
    trigger: run.trigger,
    attempt: run.attempt,
    status: run.status,
    run_at: run.runAt,
    started_at: run.startedAt,
    finished_at: run.finishedAt,
    duration_ms: run.durationMs,
    error: run.error,
    missed_count: run.missedCount,
    node: run.node,
    results: run.results.map(resultView),
  };
}

export function logEntryView(e: LogEntry): ViewRecord {
  return {
    id: e.id,
    timestamp: e.timestamp,
    level: e.level,
    task_id: e.taskId,
    action_id: e.actionId,
    run_id: e.runId,
    data: e.data,
  };
}
