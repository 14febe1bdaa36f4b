// The next fire instants of a stored task, for the task page and its stats: the pending
// occurrence (nextTriggerAt) and the ones the schedule gives after it. A paused or expired
// task has none.
import type { Config } from '../config/config.js';
import type { Task } from '../domain/types.js';
import { parseSchedule } from '../schedule/schedule.js';

export function upcomingFires(
  task: Task,
  config: Readonly<Config>,
  now: number,
  count = 5,
): Date[] {
  if (!task.enabled || task.nextTriggerAt === null) return [];
  let schedule;
  try {
    schedule = parseSchedule(task.scheduleMethod, task.scheduleWhen, {
      timezone: task.timezone,
      defaultTimezone: config.timezone,
      now,
    });
  } catch {
    // A stored schedule that no longer parses (e.g. a zone removed from tzdata): only the pending one.
    return [task.nextTriggerAt];
  }
  const out: Date[] = [task.nextTriggerAt];
  let t: number | null = task.nextTriggerAt.getTime();
  while (out.length < count) {
    t = schedule.next(t);
    if (t === null) break;
    out.push(new Date(t));
  }
  return out;
}
