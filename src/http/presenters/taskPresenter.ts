// The task view model, rendered as XML (ActiveResource), JSON and HTML alike. Actions carry
// id, action_class_name, order and each parameter as its own key; secret parameters are
// masked by the registry and never echoed.
import type { Task, TaskAction } from '../../domain/types.js';
import type { ViewRecord, ViewValue } from './viewModel.js';

export interface ParameterMasker {
  publicParameters(type: string, params: Record<string, unknown>): Record<string, unknown>;
}

const ROW_KEYS = new Set(['id', 'order', 'action_class_name']);

export function actionView(action: TaskAction, registry: ParameterMasker): ViewRecord {
  const view: ViewRecord = {
    id: action.id,
    action_class_name: action.actionClassName,
    order: action.order,
  };
  const params = registry.publicParameters(action.actionClassName, action.parameters);
  for (const [k, v] of Object.entries(params)) {
    // Reserved names cannot be parameters; guard anyway so a row field is never overwritten.
    if (!ROW_KEYS.has(k) && v !== undefined) view[k] = v as ViewValue;
  }
  return view;
}

/** paused (disabled), expired (a one-shot that fired) or scheduled. */
export function taskState(task: Task): 'paused' | 'expired' | 'scheduled' {
  if (!task.enabled) return 'paused';
  return task.nextTriggerAt === null ? 'expired' : 'scheduled';
}

export function taskView(task: Task, registry: ParameterMasker): ViewRecord {
  return {
    id: task.id,
    name: task.name,
    memo: task.memo,
    schedule_method: task.scheduleMethod,
    schedule_when: task.scheduleWhen,
    timezone: task.timezone,
    enabled: task.enabled,
    state: taskState(task),
    overlap: task.policies.overlap,
    misfire: task.policies.misfire,
    timeout_ms: task.policies.timeoutMs,
    retries: task.policies.retries,
    retry_backoff_ms: task.policies.retryBackoffMs,
    created_on: task.createdOn,
    created_by: task.createdBy,
    updated_on: task.updatedOn,
    last_triggered: task.lastTriggered,
    last_triggered_error: task.lastTriggeredError
      ? { type: task.lastTriggeredError.type, message: task.lastTriggeredError.message }
      : null,
    next_trigger_at: task.nextTriggerAt,
    actions: task.actions.map((a) => actionView(a, registry)),
  };
}

/** GET /tasks/new.xml: the writable fields with their defaults (ActiveResource's `build`). */
export function taskTemplateView(): ViewRecord {
  return {
    name: null,
    memo: null,
    schedule_method: 'every',
    schedule_when: null,
    timezone: null,
    enabled: true,
    overlap: null,
    misfire: null,
    timeout_ms: null,
    retries: null,
    retry_backoff_ms: null,
    actions: [],
  };
}
