// The loop's in-memory tasks: each task as last read, its parsed schedule (lazily, shared
// between tasks with the same schedule) and the due queue of enabled tasks' next triggers.
import type { Task } from '../domain/types.js';
import { parseSchedule, type ParsedSchedule } from '../schedule/schedule.js';
import { DueQueue, type DueEntry } from './dueQueue.js';
import type { PlanSchedule } from './plan.js';

export interface TaskEntry {
  task: Task;
  /** Recurring schedules only: parsed on first fire (100k tasks start fast); null when it does not parse. */
  schedule?: ParsedSchedule | null;
}

/** The planner's view of every one-shot: it fires at the stored instant, then never again. */
const ONE_SHOT: PlanSchedule = Object.freeze({
  recurring: false,
  intervalMs: null,
  first: () => null,
  next: () => null,
});

/** Distinct parsed schedules kept for sharing between tasks. */
const PARSED_CACHE_MAX = 10_000;

function scheduleKey(task: Task): string {
  return `${task.scheduleMethod}\u0000${task.scheduleWhen}\u0000${task.timezone ?? ''}`;
}

export class TaskTable {
  private readonly entries = new Map<number, TaskEntry>();
  private readonly due = new DueQueue();
  private readonly parsed = new Map<string, ParsedSchedule>();

  constructor(
    private readonly defaultTimezone: string,
    private readonly onParseError: (task: Task, err: unknown) => void,
    /** Cluster hook: queue each task this long after its next trigger (default none). */
    private readonly delayOf?: (taskId: number) => number,
  ) {}

  /** Enabled tasks with a next trigger. */
  get scheduledCount(): number {
    return this.due.size;
  }

  get(taskId: number): Task | undefined {
    return this.entries.get(taskId)?.task;
  }

  /**
   * Keeps the task and (re)queues it at its stored nextTriggerAt; disabled tasks leave the
   * queue. With the schedule unchanged, a stored instant older than the one this loop has
   * already moved to (a write-back not yet visible to whoever re-saved the task) is ignored:
   * nextTriggerAt only moves forward.
   */
  put(task: Task): void {
    const previous = this.entries.get(task.id)?.task;
    const memory = previous?.nextTriggerAt ?? null;
    if (
      previous?.enabled &&
      task.enabled &&
      memory !== null &&
      task.nextTriggerAt !== null &&
      task.nextTriggerAt < memory &&
      scheduleKey(previous) === scheduleKey(task)
    ) {
      task.nextTriggerAt = memory;
    }
    this.entries.set(task.id, { task });
    this.requeue(task);
  }

  remove(taskId: number): void {
    this.entries.delete(taskId);
    this.due.remove(taskId);
  }

  /** Records the task's new next trigger (after a plan) and requeues it. */
  setNext(task: Task, nextTriggerAt: number | null): void {
    task.nextTriggerAt = nextTriggerAt === null ? null : new Date(nextTriggerAt);
    this.requeue(task);
  }

  /** Whether the task waits in the due queue (false while a wake is firing it). */
  isQueued(taskId: number): boolean {
    return this.due.has(taskId);
  }

  earliest(): number | null {
    return this.due.peek()?.dueAt ?? null;
  }

  /** Takes out every task due at or before now (the caller requeues each after planning). */
  popDue(now: number): DueEntry[] {
    return this.due.popDue(now);
  }

  /** What the planner needs of the task's schedule, or null (reported once) when it does not parse. */
  scheduleOf(taskId: number, now: number): PlanSchedule | null {
    const entry = this.entries.get(taskId);
    if (!entry) return null;
    const { task } = entry;
    // A one-shot (`in`, `at`) fires at its stored instant and then never again: the
    // planner needs no parse of it (it was validated when saved), and 10,000 one-shots
    // firing leave no parsed schedules behind.
    if (task.scheduleMethod === 'in' || task.scheduleMethod === 'at') return ONE_SHOT;
    if (entry.schedule !== undefined) return entry.schedule;
    // Recurring schedules are pure and immutable, so tasks with the same one share it
    // (parsing costs ~0.3 ms, too much for 10k tasks falling due in the same second).
    const key = scheduleKey(task);
    const cached = this.parsed.get(key);
    if (cached) return (entry.schedule = cached);
    try {
      entry.schedule = parseSchedule(task.scheduleMethod, task.scheduleWhen, {
        timezone: task.timezone,
        defaultTimezone: this.defaultTimezone,
        now,
      });
    } catch (err) {
      this.onParseError(task, err);
      return (entry.schedule = null); // reported once; it stays out of the queue until edited
    }
    if (this.parsed.size >= PARSED_CACHE_MAX) this.parsed.clear();
    this.parsed.set(key, entry.schedule);
    return entry.schedule;
  }

  private requeue(task: Task): void {
    if (task.enabled && task.nextTriggerAt)
      this.due.update(task.id, task.nextTriggerAt.getTime() + (this.delayOf?.(task.id) ?? 0));
    else this.due.remove(task.id);
  }
}
