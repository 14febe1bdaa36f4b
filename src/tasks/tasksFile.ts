// The tasks file: recurring maintenance jobs kept in git, declared in YAML or JSON and
// upserted by name at start-up (and on SIGHUP). Entries use the API's field names.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { Logger } from '../log/logger.js';
import { TaskrError, ValidationError } from '../errors.js';
import { normaliseTaskInput } from '../http/input/taskInput.js';
import type { TaskInput } from '../domain/types.js';
import type { TaskServiceApi } from './taskServiceApi.js';

export interface TasksFileResult {
  created: string[];
  updated: string[];
  unchanged: string[];
}

/** Reads the file's entries: either a list, or a mapping with a `tasks` list. */
export function readTasksFile(file: string): Record<string, unknown>[] {
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new TaskrError('tasks_file.invalid', { file, detail: (err as Error).message });
  }
  const list =
    parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>).tasks
      : parsed;
  if (!Array.isArray(list)) {
    throw new TaskrError('tasks_file.invalid', {
      file,
      detail: 'expected a list of tasks, or a mapping with a `tasks:` list',
    });
  }
  return list.map((entry, i) => {
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
      throw new TaskrError('tasks_file.invalid', {
        file,
        detail: `entry ${i + 1} is not a mapping`,
      });
    }
    return entry as Record<string, unknown>;
  });
}

/** One entry as a TaskInput; problems reading it (bad booleans, durations) name the entry. */
function inputFromEntry(file: string, raw: Record<string, unknown>, i: number): TaskInput {
  const { input, errors } = normaliseTaskInput(raw);
  if (errors.length > 0) {
    const detail = errors.map((e) => `${e.field} ${e.message}`).join('; ');
    throw new TaskrError('tasks_file.invalid', { file, detail: `entry ${i + 1}: ${detail}` });
  }
  return { ...input, createdBy: `tasks file ${file}` };
}

/**
 * Validates every entry first, then upserts them: a file with one bad entry changes
 * nothing, and the error names the entry and the field.
 */
export async function applyTasksFile(
  file: string,
  tasks: TaskServiceApi,
  logger?: Logger,
): Promise<TasksFileResult> {
  const entries = readTasksFile(file);
  const inputs = entries.map((raw, i) => inputFromEntry(file, raw, i));
  const names = new Set<string>();
  for (const [i, input] of inputs.entries()) {
    const label = `entry ${i + 1}${input.name ? ` (${input.name})` : ''}`;
    if (names.has(input.name)) {
      throw new TaskrError('tasks_file.invalid', {
        file,
        detail: `${label}: name '${input.name}' appears twice`,
      });
    }
    names.add(input.name);
    const existing = input.name
      ? (await tasks.list({ q: input.name })).tasks.find((t) => t.name === input.name)
      : undefined;
    try {
      await tasks.validate(input, existing?.id);
    } catch (err) {
      if (err instanceof ValidationError) {
        throw new TaskrError('tasks_file.invalid', { file, detail: `${label}: ${err.message}` });
      }
      throw err;
    }
  }
  const result: TasksFileResult = { created: [], updated: [], unchanged: [] };
  for (const input of inputs) {
    const r = await tasks.upsertByName(input);
    (r.created ? result.created : r.changed ? result.updated : result.unchanged).push(r.task.name);
  }
  logger?.info({ file, ...result }, 'tasks file applied');
  return result;
}
