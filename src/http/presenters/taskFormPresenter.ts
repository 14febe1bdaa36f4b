// The HTML task form's model: the values to fill in (from a stored task, or from what the
// client just sent when it failed validation) and the choices for each control. Secret
// parameters are never written into the page: a stored secret shows as the mask (sent back
// unchanged, it keeps the stored value); a secret typed into a failed create is blanked.
import { SECRET_MASK, type ActionTypeDescription } from '../../actions/registry.js';
import {
  MISFIRE_POLICIES,
  OVERLAP_POLICIES,
  SCHEDULE_METHODS,
  type TaskInput,
} from '../../domain/types.js';
import { actionTypeView } from './actionTypePresenter.js';
import type { ViewRecord } from './viewModel.js';

export interface FormAction {
  action_class_name: string;
  params: Record<string, string>;
}

export interface TaskFormModel {
  name: string;
  memo: string;
  schedule_method: string;
  schedule_when: string;
  timezone: string;
  enabled: boolean;
  overlap: string;
  misfire: string;
  timeout: string;
  retries: string;
  retry_backoff: string;
  actions: FormAction[];
}

export interface TaskFormPage {
  form: TaskFormModel;
  /** Per field (snake_case, `actions[0].command`), the messages to show beside it. */
  errors: Record<string, string[]>;
  /** Every message, full, for the summary at the top. */
  messages: string[];
  actionTypes: ViewRecord[];
  scheduleMethods: readonly string[];
  overlapPolicies: readonly string[];
  misfirePolicies: readonly string[];
  /** Where the form posts and the method it overrides to. */
  action: string;
  method: 'POST' | 'PUT';
  taskId: number | null;
}

function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function formParams(
  params: Record<string, unknown>,
  type: ActionTypeDescription | undefined,
  secrets: 'mask' | 'blank',
): Record<string, string> {
  const out: Record<string, string> = {};
  const secret = new Set((type?.params ?? []).filter((p) => p.secret).map((p) => p.name));
  for (const [k, v] of Object.entries(params)) {
    if (!secret.has(k)) out[k] = text(v);
    else if (secrets === 'mask' && text(v) !== '') out[k] = SECRET_MASK;
  }
  return out;
}

export function taskFormModel(
  input: TaskInput,
  types: readonly ActionTypeDescription[],
  secrets: 'mask' | 'blank',
): TaskFormModel {
  const p = input.policies ?? {};
  const typeOf = (name: string) =>
    types.find((t) => [t.name, ...t.aliases].some((n) => n.toLowerCase() === name.toLowerCase()));
  return {
    name: text(input.name),
    memo: text(input.memo),
    schedule_method: text(input.scheduleMethod) || 'every',
    schedule_when: text(input.scheduleWhen),
    timezone: text(input.timezone),
    enabled: input.enabled ?? true,
    overlap: text(p.overlap),
    misfire: text(p.misfire),
    timeout: text(p.timeoutMs),
    retries: text(p.retries),
    retry_backoff: text(p.retryBackoffMs),
    actions: input.actions.map((a) => {
      const type = typeOf(a.actionClassName);
      return {
        action_class_name: type?.name ?? a.actionClassName,
        params: formParams(a.parameters, type, secrets),
      };
    }),
  };
}

export function emptyTaskInput(): TaskInput {
  return { name: '', scheduleMethod: 'every', scheduleWhen: '', enabled: true, actions: [] };
}

export function taskFormPage(
  form: TaskFormModel,
  types: readonly ActionTypeDescription[],
  target: { taskId: number | null },
  errors: { fieldErrors: Record<string, string[]>; messages: string[] } = {
    fieldErrors: {},
    messages: [],
  },
): TaskFormPage {
  return {
    form,
    errors: errors.fieldErrors,
    messages: errors.messages,
    actionTypes: types.map(actionTypeView),
    scheduleMethods: SCHEDULE_METHODS,
    overlapPolicies: OVERLAP_POLICIES,
    misfirePolicies: MISFIRE_POLICIES,
    action: target.taskId === null ? '/tasks' : `/tasks/${target.taskId}`,
    method: target.taskId === null ? 'POST' : 'PUT',
    taskId: target.taskId,
  };
}
