// The task service: the one place where client input becomes a stored task. The HTTP
// API, the tasks file and the CLI all go through it, so validation cannot differ.
import type { Run, Task, TaskInput } from '../domain/types.js';
import type { TaskListQuery } from '../store/store.js';

export interface TaskServiceApi {
  /** Validates (throws ValidationError with every field error at once) and creates. */
  create(input: TaskInput): Promise<Task>;
  /** Validates and replaces the task (actions replaced, never appended). */
  update(id: number, input: TaskInput): Promise<Task>;
  /** Validates without storing (for previews and `taskr config check`). */
  validate(input: TaskInput, existingId?: number): Promise<void>;
  get(id: number): Promise<Task>;
  list(query?: TaskListQuery): Promise<{ tasks: Task[]; total: number }>;
  delete(id: number): Promise<void>;
  pause(id: number): Promise<Task>;
  /** Resumes; the schedule restarts from now. */
  resume(id: number): Promise<Task>;
  /** Re-reads the task from the store and re-plans it (Taskr's Reload). */
  reload(id: number): Promise<Task>;
  runNow(id: number): Promise<Run>;
  cancel(id: number): Promise<Run[]>;
  /** Creates or replaces by name (tasks file); returns what happened. */
  upsertByName(input: TaskInput): Promise<{ task: Task; created: boolean; changed: boolean }>;
}
