// `taskr tasks list|show|add|rm|run|pause|resume` on the JSON API.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import type { ApiClient } from './apiClient.js';
import { FINAL_RUN_STATUSES, type RunJson, type TaskJson } from './apiTypes.js';
import { CliError, EXIT_BAD_INPUT } from './cliError.js';
import {
  allTasks,
  clientFrom,
  print,
  printJson,
  resolveTaskId,
  sleep,
  withConnection,
  type ClientFlags,
} from './common.js';
import { runDetails, taskDetails, tasksTable } from './views.js';

interface AddFlags extends ClientFlags {
  file?: string;
  name?: string;
  method?: string;
  when?: string;
  memo?: string;
  timezone?: string;
  actionClass?: string;
  param: string[];
  disabled?: boolean;
  overlap?: string;
  misfire?: string;
  timeout?: string;
  retries?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** `command=echo hi` -> ['command', 'echo hi'] (split at the first '='). */
export function parseParam(text: string): [string, string] {
  const i = text.indexOf('=');
  if (i < 1) throw new CliError(`--param '${text}' must look like NAME=VALUE`, EXIT_BAD_INPUT);
  return [text.slice(0, i), text.slice(i + 1)];
}

function readBodyFile(file: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = parseYaml(file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CliError(`cannot read task file ${file}: ${(err as Error).message}`, EXIT_BAD_INPUT);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new CliError(`task file ${file} must hold one task (a mapping)`, EXIT_BAD_INPUT);
  }
  return parsed as Record<string, unknown>;
}

/** The request body: the file's task (if any) with the flags given on top. */
export function taskBody(flags: AddFlags): Record<string, unknown> {
  const file = flags.file ?? (typeof flags.json === 'string' ? flags.json : undefined);
  const body: Record<string, unknown> = file ? readBodyFile(file) : {};
  const set = (key: string, v: unknown) => {
    if (v !== undefined) body[key] = v;
  };
  set('name', flags.name);
  set('memo', flags.memo);
  set('schedule_method', flags.method);
  set('schedule_when', flags.when);
  set('timezone', flags.timezone);
  set('overlap', flags.overlap);
  set('misfire', flags.misfire);
  set('timeout_ms', flags.timeout);
  set('retries', flags.retries);
  if (flags.disabled) body.enabled = false;
  if (flags.actionClass !== undefined) {
    body.actions = [
      { action_class_name: flags.actionClass, ...Object.fromEntries(flags.param.map(parseParam)) },
    ];
  } else if (flags.param.length > 0) {
    throw new CliError(
      '--param needs --action-class (the action the parameters belong to)',
      EXIT_BAD_INPUT,
    );
  }
  if (!file && Object.keys(body).length === 0) {
    throw new CliError(
      'give the task with --name, --method, --when, --action-class and --param, or --file FILE',
      EXIT_BAD_INPUT,
    );
  }
  return body;
}

async function waitForRun(client: ApiClient, run: RunJson, timeoutMs: number): Promise<RunJson> {
  const end = Date.now() + timeoutMs;
  let current = run;
  while (!FINAL_RUN_STATUSES.includes(current.status)) {
    if (Date.now() > end)
      throw new CliError(`run ${run.id} still ${current.status} after ${timeoutMs} ms`);
    await sleep(200);
    current = await client.get<RunJson>(`/runs/${run.id}`);
  }
  return current;
}

export function registerTaskCommands(program: Command): void {
  const tasks = program.command('tasks').description('list and manage tasks on a running daemon');

  withConnection(tasks.command('list').description('list tasks'))
    .option('-s, --search <text>', 'only tasks whose name contains this')
    .option('--status <status>', 'only tasks whose latest run has this status, or `expired`')
    .action(async (flags: ClientFlags & { search?: string; status?: string }) => {
      const list = await allTasks(clientFrom(flags), { q: flags.search, status: flags.status });
      if (flags.json) printJson(list);
      else print(tasksTable(list));
    });

  withConnection(tasks.command('show <task>').description('show a task (id or exact name)')).action(
    async (ref: string, flags: ClientFlags) => {
      const client = clientFrom(flags);
      const task = await client.get<TaskJson>(`/tasks/${await resolveTaskId(client, ref)}`);
      if (flags.json) printJson(task);
      else print(taskDetails(task));
    },
  );

  withConnection(
    tasks.command('add').description('create a task from flags or a JSON/YAML file'),
    false,
  )
    .option(
      '--json [file]',
      'print JSON; with FILE, read the task from that JSON/YAML file (- for stdin)',
    )
    .option(
      '-f, --file <file>',
      'read the task (API field names) from this JSON/YAML file (- for stdin)',
    )
    .option('--name <name>', 'task name (unique)')
    .option('--method <method>', 'schedule method: in, every, at or cron')
    .option('--when <when>', "schedule, e.g. '5m', '2026-06-01 03:00', '0 3 * * *'")
    .option('--memo <text>', 'a note')
    .option('--timezone <zone>', 'IANA time zone (default: the daemon zone)')
    .option('--action-class <type>', 'action type, e.g. Shell, Webhook, Log')
    .option('--param <name=value>', 'an action parameter (repeatable)', collect, [])
    .option('--disabled', 'create it paused')
    .option('--overlap <policy>', 'skip, allow, queue or replace')
    .option('--misfire <policy>', 'skip, run_once or run_all')
    .option('--timeout <duration>', 'run timeout, e.g. 30s, 10m')
    .option('--retries <n>', 'extra attempts after a failure')
    .action(async (flags: AddFlags) => {
      const task = await clientFrom(flags).post<TaskJson>('/tasks', taskBody(flags));
      if (flags.json) printJson(task);
      else print(`created task ${task.id} (${task.name}); next run ${task.next_trigger_at ?? '-'}`);
    });

  withConnection(
    tasks.command('rm <task>').alias('delete').description('delete a task, its runs and log'),
  ).action(async (ref: string, flags: ClientFlags) => {
    const client = clientFrom(flags);
    const id = await resolveTaskId(client, ref);
    await client.delete(`/tasks/${id}`);
    if (flags.json) printJson({ deleted: id });
    else print(`deleted task ${id}`);
  });

  withConnection(tasks.command('run <task>').description('run a task now'))
    .option('-w, --wait', 'wait for the run to finish; exit 1 unless it succeeded')
    .option('--wait-timeout <ms>', 'give up waiting after this many ms', '3600000')
    .action(async (ref: string, flags: ClientFlags & { wait?: boolean; waitTimeout: string }) => {
      const client = clientFrom(flags);
      const id = await resolveTaskId(client, ref);
      let run = await client.post<RunJson>(`/tasks/${id}/run`);
      if (flags.wait) run = await waitForRun(client, run, Number(flags.waitTimeout) || 3_600_000);
      if (flags.json) printJson(run);
      else if (flags.wait) print(runDetails(run));
      else print(`started run ${run.id} of task ${id}`);
      if (flags.wait && run.status !== 'succeeded')
        throw new CliError(`run ${run.id} ${run.status}`);
    });

  for (const op of ['pause', 'resume'] as const) {
    const verb = op === 'pause' ? 'paused' : 'resumed';
    withConnection(
      tasks
        .command(`${op} <task>`)
        .description(op === 'pause' ? 'pause a task' : 'resume a paused task'),
    ).action(async (ref: string, flags: ClientFlags) => {
      const client = clientFrom(flags);
      const task = await client.post<TaskJson>(`/tasks/${await resolveTaskId(client, ref)}/${op}`);
      if (flags.json) printJson(task);
      else
        print(
          `task ${task.id} (${task.name}) ${verb}; state ${task.state}; next run ${task.next_trigger_at ?? '-'}`,
        );
    });
  }
}
