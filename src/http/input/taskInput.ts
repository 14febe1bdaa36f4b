// Client bodies (JSON, ActiveResource XML, Rails-style forms, Zend_Rest_Client's `0`
// wrapper) normalised into one TaskInput, so the task service sees the same shape from
// every client. Read-only and unknown fields are ignored; a field the body leaves out keeps
// the stored value on update (PATCH, partial PUT); a sent action list replaces the old one.
import type { ActionInput, Task, TaskInput, TaskPolicies } from '../../domain/types.js';
import { ValidationError, type FieldError } from '../../errors.js';
import { parseDuration } from '../../schedule/duration.js';
import { actionInputs, type NormalisedActions } from './actionInput.js';
import { isPlainObject, lastScalar, textOf } from './values.js';

export interface NormaliseOptions {
  /** The task being edited: absent fields keep its values. */
  existing?: Task | null;
  /** Recorded on create (Taskr recorded the client's address). */
  createdBy?: string | null;
  /** True when an action type declares a parameter literally named `params`/`parameters`. */
  declaresParam?: (actionClassName: string, param: string) => boolean;
}

export interface NormalisedTask {
  input: TaskInput;
  /** Problems found while reading the body (bad booleans, durations...); 422 when any. */
  errors: FieldError[];
  /** The action ids the client echoed, by position (to keep secrets it was shown masked). */
  actionIds: (number | null)[];
  /** The body carried an action list (else the stored actions are kept). */
  actionsGiven: boolean;
}

/** Fields of a task, whatever wrapper the client used: `task[...]`, `0[...]`, `task[0][...]`. */
export function unwrapTask(body: Record<string, unknown>): Record<string, unknown> {
  let src: Record<string, unknown> = { ...body };
  let task = src.task;
  if (Array.isArray(task) && task.length === 1) task = task[0];
  if (isPlainObject(task)) {
    delete src.task;
    src = { ...src, ...task };
  }
  // Zend_Rest_Client-era clients wrap the fields in a `0` key.
  let zero = src['0'];
  if (Array.isArray(zero) && zero.length === 1) zero = zero[0];
  if (isPlainObject(zero)) {
    delete src['0'];
    src = { ...src, ...zero };
  }
  return src;
}

const TRUE_WORDS = ['true', '1', 'on', 'yes'];
const FALSE_WORDS = ['false', '0', 'off', 'no'];

function parseEnabled(v: unknown, errors: FieldError[]): boolean | undefined {
  const value = lastScalar(v);
  if (typeof value === 'boolean') return value;
  if (value === null || value === undefined || value === '') return undefined;
  const word = String(value).trim().toLowerCase();
  if (TRUE_WORDS.includes(word)) return true;
  if (FALSE_WORDS.includes(word)) return false;
  errors.push({
    field: 'enabled',
    message: `must be true or false, not '${String(value).slice(0, 40)}'`,
  });
  return undefined;
}

/** A duration field: a number of ms, or text such as `30m`, `1h30m`, `500ms`; blank = default. */
function parseMs(v: unknown, field: string, errors: FieldError[]): number | null {
  const value = lastScalar(v);
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number') return value;
  const text = String(value).trim();
  if (/^\d+$/.test(text)) return Number(text);
  try {
    return parseDuration(text, 'every');
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    errors.push({
      field,
      message: `'${text.slice(0, 40)}' is not a duration; use e.g. 30s, 5m, 1h30m or a number of milliseconds`,
    });
    return null;
  }
}

function parseCount(v: unknown, field: string, errors: FieldError[]): number | null {
  const value = lastScalar(v);
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number') return value;
  const text = String(value).trim();
  if (/^[-+]?\d+$/.test(text)) return Number(text);
  errors.push({ field, message: `must be a whole number, not '${text.slice(0, 40)}'` });
  return null;
}

type Source = Record<string, unknown>;

function has(src: Source, key: string): boolean {
  return Object.hasOwn(src, key) && src[key] !== undefined;
}

function readPolicies(
  src: Source,
  base: Partial<TaskPolicies>,
  errors: FieldError[],
): Partial<TaskPolicies> {
  // Policies may sit on the task or under `policies`; both spellings of durations work.
  const p: Source = { ...src, ...(isPlainObject(src.policies) ? src.policies : {}) };
  const out: Partial<TaskPolicies> = { ...base };
  if (has(p, 'overlap')) out.overlap = (textOf(p.overlap) || null) as TaskPolicies['overlap'];
  if (has(p, 'misfire')) out.misfire = (textOf(p.misfire) || null) as TaskPolicies['misfire'];
  for (const key of ['timeout', 'timeout_ms', 'timeoutMs']) {
    if (has(p, key)) out.timeoutMs = parseMs(p[key], 'timeout', errors);
  }
  if (has(p, 'retries')) out.retries = parseCount(p.retries, 'retries', errors);
  for (const key of ['retry_backoff', 'retry_backoff_ms', 'retryBackoffMs']) {
    if (has(p, key)) out.retryBackoffMs = parseMs(p[key], 'retry_backoff', errors);
  }
  return out;
}

/** The input that would recreate a stored task (the base of an update). */
export function inputFromTask(task: Task): TaskInput {
  return {
    name: task.name,
    memo: task.memo,
    scheduleMethod: task.scheduleMethod,
    scheduleWhen: task.scheduleWhen,
    timezone: task.timezone,
    enabled: task.enabled,
    policies: { ...task.policies },
    createdBy: task.createdBy,
    actions: task.actions.map((a): ActionInput => ({
      actionClassName: a.actionClassName,
      parameters: { ...a.parameters },
    })),
  };
}

/** Normalises a parsed body (any format) into a TaskInput plus the problems found. */
export function normaliseTaskInput(
  body: Record<string, unknown>,
  opts: NormaliseOptions = {},
): NormalisedTask {
  const src = unwrapTask(body);
  const errors: FieldError[] = [];
  const base: TaskInput = opts.existing
    ? inputFromTask(opts.existing)
    : {
        name: '',
        scheduleMethod: '' as TaskInput['scheduleMethod'],
        scheduleWhen: '',
        actions: [],
      };
  const input: TaskInput = { ...base };
  if (has(src, 'name')) input.name = textOf(src.name);
  if (has(src, 'memo')) input.memo = textOf(src.memo) || null;
  if (has(src, 'schedule_method')) {
    input.scheduleMethod = textOf(src.schedule_method)
      .trim()
      .toLowerCase() as TaskInput['scheduleMethod'];
  }
  if (has(src, 'schedule_when')) input.scheduleWhen = textOf(src.schedule_when);
  if (has(src, 'timezone')) input.timezone = textOf(src.timezone).trim() || null;
  if (has(src, 'enabled')) {
    const enabled = parseEnabled(src.enabled, errors);
    if (enabled !== undefined) input.enabled = enabled;
  }
  input.policies = readPolicies(src, base.policies ?? {}, errors);
  if (!opts.existing && opts.createdBy !== undefined) input.createdBy = opts.createdBy;

  const raw = has(src, 'actions') ? src.actions : has(src, 'action') ? src.action : undefined;
  let actions: NormalisedActions = { actions: base.actions, ids: [], errors: [] };
  if (raw !== undefined) {
    actions = actionInputs(raw, opts.declaresParam);
    input.actions = actions.actions;
    errors.push(...actions.errors);
  }
  return { input, errors, actionIds: actions.ids, actionsGiven: raw !== undefined };
}
