// Readable renderings of tasks, runs and log entries for the CLI.
import type { LogEntryJson, RunJson, TaskJson } from './apiTypes.js';
import { duration, instant, renderFields, renderTable } from './table.js';

const ACTION_KEYS = new Set(['id', 'order', 'action_class_name']);

export function scheduleText(t: TaskJson): string {
  return `${t.schedule_method} ${t.schedule_when}${t.timezone ? ` [${t.timezone}]` : ''}`;
}

export function tasksTable(tasks: readonly TaskJson[]): string {
  if (tasks.length === 0) return 'no tasks\n';
  return renderTable(
    ['ID', 'NAME', 'SCHEDULE', 'STATE', 'NEXT RUN', 'LAST TRIGGERED'],
    tasks.map((t) => [
      t.id,
      t.name,
      scheduleText(t),
      t.state,
      instant(t.next_trigger_at),
      instant(t.last_triggered),
    ]),
  );
}

function paramText(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v ?? null);
}

export function taskDetails(t: TaskJson): string {
  const actions = t.actions
    .map((a) => {
      const params = Object.entries(a)
        .filter(([k]) => !ACTION_KEYS.has(k))
        .map(([k, v]) => `${k}=${paramText(v)}`);
      return `#${a.order} ${a.action_class_name}${params.length ? ` ${params.join(' ')}` : ''}`;
    })
    .join('\n');
  const lastError = t.last_triggered_error
    ? `${t.last_triggered_error.type}: ${t.last_triggered_error.message}`
    : null;
  return renderFields([
    ['id', t.id],
    ['name', t.name],
    ['memo', t.memo],
    ['schedule', scheduleText(t)],
    ['state', t.state],
    ['next run', instant(t.next_trigger_at)],
    ['last triggered', instant(t.last_triggered)],
    ['last error', lastError],
    ['overlap', t.overlap ?? 'default'],
    ['misfire', t.misfire ?? 'default'],
    ['timeout', t.timeout_ms === null ? 'default' : duration(t.timeout_ms)],
    ['retries', t.retries ?? 'default'],
    ['actions', actions || null],
  ]);
}

export function runsTable(runs: readonly RunJson[]): string {
  if (runs.length === 0) return 'no runs\n';
  return renderTable(
    ['ID', 'TASK', 'STATUS', 'TRIGGER', 'SCHEDULED FOR', 'STARTED', 'DURATION', 'ERROR'],
    runs.map((r) => [
      r.id,
      r.task_id,
      r.status,
      r.attempt > 1 ? `${r.trigger} #${r.attempt}` : r.trigger,
      instant(r.scheduled_for),
      instant(r.started_at),
      duration(r.duration_ms),
      r.error,
    ]),
  );
}

export function runDetails(r: RunJson): string {
  const head = renderFields([
    ['id', r.id],
    ['task', r.task_id],
    ['status', r.status],
    ['trigger', r.trigger],
    ['attempt', r.attempt],
    ['scheduled for', instant(r.scheduled_for)],
    ['started', instant(r.started_at)],
    ['finished', instant(r.finished_at)],
    ['duration', duration(r.duration_ms)],
    ['node', r.node],
    ['error', r.error],
  ]);
  const results = r.results.map((a) => {
    const code =
      a.exit_code !== null
        ? ` exit ${a.exit_code}`
        : a.http_status !== null
          ? ` HTTP ${a.http_status}`
          : '';
    const lines = [
      `--- action #${a.order} ${a.action_class_name}: ${a.status}${code}${a.error ? ` (${a.error})` : ''}`,
    ];
    if (a.output) lines.push(a.output.replace(/\n$/, ''));
    if (a.output_truncated) lines.push('[output truncated]');
    return lines.join('\n');
  });
  return results.length ? `${head}${results.join('\n')}\n` : head;
}

export function logLine(e: LogEntryJson): string {
  const where = e.run_id !== null ? ` [run ${e.run_id}]` : '';
  return `${instant(e.timestamp)} ${e.level.padEnd(5)}${where} ${e.data}`;
}
