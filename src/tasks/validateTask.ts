// Turns client input into a fully validated task record, collecting every field error
// at once so a form can show them all. Used by the task service only.
import type { ActionRegistry } from '../actions/registry.js';
import type { Config } from '../config/config.js';
import {
  MISFIRE_POLICIES,
  OVERLAP_POLICIES,
  type ActionInput,
  type TaskInput,
  type TaskPolicies,
} from '../domain/types.js';
import { ValidationError, type FieldError } from '../errors.js';
import { parseSchedule, type ParsedSchedule } from '../schedule/schedule.js';
import type { TaskRecordInput } from '../store/store.js';

export const NAME_MAX = 255;
export const MEMO_MAX = 10_000;

export interface ValidatedTask {
  record: Omit<TaskRecordInput, 'nextTriggerAt'>;
  schedule: ParsedSchedule;
}

export interface ValidateOptions {
  registry: ActionRegistry;
  config: Readonly<Config>;
  now: number;
  /** `at` in the past is an error only when the schedule is new or changed. */
  rejectPast: boolean;
}

function validateName(input: TaskInput, errors: FieldError[]): string {
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (!name) errors.push({ field: 'name', message: "can't be blank" });
  else if (name.length > NAME_MAX) {
    errors.push({ field: 'name', message: `is too long (at most ${NAME_MAX} characters)` });
  }
  return name;
}

function validateMemo(input: TaskInput, errors: FieldError[]): string | null {
  const memo = input.memo ?? null;
  if (memo === null || memo === '') return null;
  if (typeof memo !== 'string') {
    errors.push({ field: 'memo', message: 'must be text' });
    return null;
  }
  if (memo.length > MEMO_MAX) {
    errors.push({ field: 'memo', message: `is too long (at most ${MEMO_MAX} characters)` });
  }
  return memo;
}

function intField(
  value: unknown,
  field: string,
  min: number,
  max: number,
  errors: FieldError[],
): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    errors.push({ field, message: `must be a whole number from ${min} to ${max}` });
    return null;
  }
  return value;
}

function validatePolicies(input: TaskInput, errors: FieldError[]): TaskPolicies {
  const p = input.policies ?? {};
  const overlap = p.overlap ?? null;
  if (overlap !== null && !OVERLAP_POLICIES.includes(overlap)) {
    errors.push({
      field: 'overlap',
      message: `'${String(overlap)}' is not allowed; use ${OVERLAP_POLICIES.join(', ')}`,
    });
  }
  const misfire = p.misfire ?? null;
  if (misfire !== null && !MISFIRE_POLICIES.includes(misfire)) {
    errors.push({
      field: 'misfire',
      message: `'${String(misfire)}' is not allowed; use ${MISFIRE_POLICIES.join(', ')}`,
    });
  }
  const week = 7 * 24 * 3_600_000;
  return {
    overlap: OVERLAP_POLICIES.includes(overlap as never) ? overlap : null,
    misfire: MISFIRE_POLICIES.includes(misfire as never) ? misfire : null,
    timeoutMs: intField(p.timeoutMs, 'timeout', 1, 30 * 24 * 3_600_000, errors),
    retries: intField(p.retries, 'retries', 0, 100, errors),
    retryBackoffMs: intField(p.retryBackoffMs, 'retry_backoff', 0, week, errors),
  };
}

function validateActions(
  actions: ActionInput[] | undefined,
  registry: ActionRegistry,
  errors: FieldError[],
): ActionInput[] {
  if (!Array.isArray(actions) || actions.length === 0) {
    errors.push({ field: 'actions', message: "can't be empty: give at least one action" });
    return [];
  }
  const out: ActionInput[] = [];
  actions.forEach((a, i) => {
    const r = registry.validateAction(i, a);
    if (r.ok) out.push({ actionClassName: r.actionClassName, parameters: r.parameters });
    else errors.push(...r.errors);
  });
  return out;
}

/** Validates everything the client sent; throws one ValidationError listing every problem. */
export function validateTaskInput(input: TaskInput, opts: ValidateOptions): ValidatedTask {
  const errors: FieldError[] = [];
  const name = validateName(input, errors);
  const memo = validateMemo(input, errors);
  let schedule: ParsedSchedule | null = null;
  try {
    schedule = parseSchedule(input.scheduleMethod, input.scheduleWhen, {
      timezone: input.timezone ?? null,
      defaultTimezone: opts.config.timezone,
      now: opts.now,
      rejectPast: opts.rejectPast,
    });
  } catch (err) {
    if (err instanceof ValidationError) errors.push(...err.errors);
    else throw err;
  }
  const policies = validatePolicies(input, errors);
  const actions = validateActions(input.actions, opts.registry, errors);
  if (input.enabled !== undefined && typeof input.enabled !== 'boolean') {
    errors.push({ field: 'enabled', message: 'must be true or false' });
  }
  if (errors.length > 0 || !schedule) throw new ValidationError(errors);
  return {
    schedule,
    record: {
      name,
      memo,
      scheduleMethod: schedule.method,
      scheduleWhen: schedule.when,
      // Keep the zone the client chose or a trailing cron zone named; null = the daemon's.
      timezone:
        input.timezone ||
        (schedule.when !== String(input.scheduleWhen).trim() ? schedule.timezone : null),
      enabled: input.enabled ?? true,
      policies,
      createdBy: input.createdBy ?? null,
      actions,
    },
  };
}
