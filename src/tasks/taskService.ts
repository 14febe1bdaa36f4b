// The task service: validation, next-fire computation and store writes for every
// change to a task, then a nudge to the scheduler. The HTTP API, the tasks file and
// the CLI all come through here.
import type { ActionRegistry } from '../actions/registry.js';
import type { Clock } from '../clock/clock.js';
import type { Config } from '../config/config.js';
import type { Run, Task, TaskInput } from '../domain/types.js';
import { TaskrError } from '../errors.js';
import { parseSchedule, type ParsedSchedule } from '../schedule/schedule.js';
import type { SchedulerApi } from '../scheduler/schedulerApi.js';
import type { Store, TaskListQuery, TaskRecordInput } from '../store/store.js';
import type { TaskServiceApi } from './taskServiceApi.js';
import { sameTaskDefinition } from './sameTask.js';
import { validateTaskInput } from './validateTask.js';

export interface TaskServiceDeps {
  store: Store;
  registry: ActionRegistry;
  scheduler: SchedulerApi;
  clock: Clock;
  config: Readonly<Config>;
}

function isOneShot(task: Pick<Task, 'scheduleMethod'>): boolean {
  return task.scheduleMethod === 'in' || task.scheduleMethod === 'at';
}

export class TaskService implements TaskServiceApi {
  constructor(private readonly deps: TaskServiceDeps) {}

  private now(): number {
    return this.deps.clock.now();
  }

  /** The first fire instant for a schedule (re)started now; null when nothing is left. */
  private firstFire(schedule: ParsedSchedule, now: number): Date | null {
    const at = schedule.first(now);
    return at === null ? null : new Date(at);
  }

  private scheduleOf(task: Task): ParsedSchedule {
    return parseSchedule(task.scheduleMethod, task.scheduleWhen, {
      timezone: task.timezone,
      defaultTimezone: this.deps.config.timezone,
      now: this.now(),
    });
  }

  async validate(input: TaskInput, existingId?: number): Promise<void> {
    const existing = existingId === undefined ? null : await this.get(existingId);
    validateTaskInput(input, {
      ...this.deps,
      now: this.now(),
      rejectPast: !existing || scheduleChanged(existing, input),
    });
  }

  async create(input: TaskInput): Promise<Task> {
    const now = this.now();
    const { record, schedule } = validateTaskInput(input, { ...this.deps, now, rejectPast: true });
    const nextTriggerAt = record.enabled ? this.firstFire(schedule, now) : null;
    const task = await this.deps.store.tasks.create({ ...record, nextTriggerAt }, new Date(now));
    await this.deps.scheduler.taskChanged(task.id);
    return task;
  }

  async update(id: number, input: TaskInput): Promise<Task> {
    const existing = await this.get(id);
    const now = this.now();
    const changed = scheduleChanged(existing, input);
    const { record, schedule } = validateTaskInput(input, {
      ...this.deps,
      now,
      rejectPast: changed,
    });
    const full: TaskRecordInput = {
      ...record,
      createdBy: existing.createdBy,
      nextTriggerAt: this.nextAfterEdit(existing, record.enabled, changed, schedule, now),
    };
    const task = await this.deps.store.tasks.update(id, full, new Date(now));
    await this.deps.scheduler.taskChanged(id);
    return task;
  }

  /**
   * An edit keeps the pending occurrence unless the schedule changed or the task was
   * resumed, so a client re-sending the whole document (ActiveResource) moves nothing.
   */
  private nextAfterEdit(
    existing: Task,
    enabled: boolean,
    changed: boolean,
    schedule: ParsedSchedule,
    now: number,
  ): Date | null {
    if (!enabled) return null;
    if (changed) return this.firstFire(schedule, now);
    if (!existing.enabled) return this.resumeFire(existing, schedule, now);
    return existing.nextTriggerAt;
  }

  /** Resume schedules from now; a one-shot that already fired stays expired. */
  private resumeFire(task: Task, schedule: ParsedSchedule, now: number): Date | null {
    if (isOneShot(task) && task.lastTriggered) return null;
    const next = this.firstFire(schedule, now);
    if (task.scheduleMethod === 'at' && next && next.getTime() <= now) return null;
    return next;
  }

  async get(id: number): Promise<Task> {
    const task = Number.isSafeInteger(id) ? await this.deps.store.tasks.get(id) : null;
    if (!task) throw new TaskrError('task.not_found', { id });
    return task;
  }

  list(query?: TaskListQuery): Promise<{ tasks: Task[]; total: number }> {
    return this.deps.store.tasks.list(query);
  }

  async delete(id: number): Promise<void> {
    await this.get(id);
    // Cancel first so no run of a deleted task is left running unrecorded.
    await this.deps.scheduler.taskRemoved(id);
    await this.deps.store.tasks.delete(id);
  }

  async pause(id: number): Promise<Task> {
    await this.get(id);
    const task = await this.deps.store.tasks.setEnabled(id, false, null, new Date(this.now()));
    await this.deps.scheduler.taskChanged(id);
    return task;
  }

  async resume(id: number): Promise<Task> {
    const existing = await this.get(id);
    if (existing.enabled) return existing;
    const now = this.now();
    const next = this.resumeFire(existing, this.scheduleOf(existing), now);
    const task = await this.deps.store.tasks.setEnabled(id, true, next, new Date(now));
    await this.deps.scheduler.taskChanged(id);
    return task;
  }

  async reload(id: number): Promise<Task> {
    const task = await this.get(id);
    await this.deps.scheduler.taskChanged(id);
    return task;
  }

  async runNow(id: number): Promise<Run> {
    await this.get(id);
    return this.deps.scheduler.runNow(id);
  }

  async cancel(id: number): Promise<Run[]> {
    await this.get(id);
    return this.deps.scheduler.cancel(id);
  }

  async upsertByName(
    input: TaskInput,
  ): Promise<{ task: Task; created: boolean; changed: boolean }> {
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    const existing = name ? await this.deps.store.tasks.getByName(name) : null;
    if (!existing) return { task: await this.create(input), created: true, changed: true };
    const { record } = validateTaskInput(input, {
      ...this.deps,
      now: this.now(),
      rejectPast: scheduleChanged(existing, input),
    });
    if (sameTaskDefinition(existing, record)) {
      return { task: existing, created: false, changed: false };
    }
    return { task: await this.update(existing.id, input), created: false, changed: true };
  }
}

function scheduleChanged(existing: Task, input: TaskInput): boolean {
  return (
    existing.scheduleMethod !== input.scheduleMethod ||
    existing.scheduleWhen !== String(input.scheduleWhen ?? '').trim() ||
    (existing.timezone ?? null) !== (input.timezone || null)
  );
}
