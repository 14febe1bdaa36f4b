// Decides whether a tasks-file entry differs from the stored task, so start-up upserts
// leave unchanged tasks (and their pending occurrence) alone.
import type { Task } from '../domain/types.js';
import type { TaskRecordInput } from '../store/store.js';

/** JSON with object keys sorted, so parameter order does not count as a change. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

export function sameTaskDefinition(
  task: Task,
  record: Omit<TaskRecordInput, 'nextTriggerAt'>,
): boolean {
  const stored = {
    name: task.name,
    memo: task.memo,
    method: task.scheduleMethod,
    when: task.scheduleWhen,
    timezone: task.timezone,
    enabled: task.enabled,
    policies: task.policies,
    actions: task.actions
      .slice()
      .sort((a, b) => a.order - b.order)
      .map((a) => ({ actionClassName: a.actionClassName, parameters: a.parameters })),
  };
  const wanted = {
    name: record.name,
    memo: record.memo,
    method: record.scheduleMethod,
    when: record.scheduleWhen,
    timezone: record.timezone,
    enabled: record.enabled,
    policies: record.policies,
    actions: record.actions,
  };
  return canonical(stored) === canonical(wanted);
}
