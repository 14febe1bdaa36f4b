// `taskr runs list [--task T]|show ID` and `taskr logs TASK [--follow] [--level L]`.
import type { Command } from 'commander';
import type { ApiClient } from './apiClient.js';
import type { LogEntryJson, RunJson } from './apiTypes.js';
import { CliError, EXIT_BAD_INPUT } from './cliError.js';
import {
  allTasks,
  clientFrom,
  parseId,
  print,
  printJson,
  resolveTaskId,
  sleep,
  withConnection,
  type ClientFlags,
} from './common.js';
import { logLine, runDetails, runsTable } from './views.js';

const LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'];

function positive(raw: string, flag: string, max: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new CliError(`${flag} '${raw}' must be a whole number from 1 to ${max}`, EXIT_BAD_INPUT);
  }
  return n;
}

/** The newest runs: of one task, or of every task merged (one request per task). */
async function newestRuns(
  client: ApiClient,
  task: string | undefined,
  limit: number,
): Promise<RunJson[]> {
  const ids = task
    ? [await resolveTaskId(client, task)]
    : (await allTasks(client)).map((t) => t.id);
  const lists = await Promise.all(
    ids.map((id) => client.get<RunJson[]>(`/tasks/${id}/runs`, { per_page: limit })),
  );
  return lists
    .flat()
    .sort((a, b) => b.id - a.id)
    .slice(0, limit);
}

interface LogsFlags extends ClientFlags {
  follow?: boolean;
  level?: string;
  limit: string;
  run?: string;
  interval: string;
}

async function logs(ref: string, flags: LogsFlags): Promise<void> {
  const level = flags.level?.toUpperCase();
  if (level !== undefined && !LEVELS.includes(level)) {
    throw new CliError(
      `--level '${flags.level}' is not a level; use debug, info, warn or error`,
      EXIT_BAD_INPUT,
    );
  }
  const limit = positive(flags.limit, '--limit', 5000);
  const interval = positive(flags.interval, '--interval', 60_000);
  const client = clientFrom(flags);
  const query = {
    task_id: await resolveTaskId(client, ref),
    run_id: flags.run ? parseId(flags.run, 'run') : undefined,
    level,
  };
  // The newest `limit` entries, shown oldest first like a log file.
  const recent = (await client.get<LogEntryJson[]>('/log_entries', { ...query, limit })).reverse();
  const show = (entries: LogEntryJson[]) => {
    for (const e of entries) print(flags.json ? JSON.stringify(e) : logLine(e));
  };
  show(recent);
  if (!flags.follow) return;
  let afterId = recent.at(-1)?.id ?? 0;
  let stop = false;
  const onSignal = () => (stop = true);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    while (!stop) {
      await sleep(interval);
      const more = await client.get<LogEntryJson[]>('/log_entries', {
        ...query,
        after_id: afterId,
        order: 'asc',
        limit: 5000,
      });
      show(more);
      afterId = more.at(-1)?.id ?? afterId;
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export function registerRunCommands(program: Command): void {
  const runs = program.command('runs').description('runs of tasks on a running daemon');

  withConnection(runs.command('list').description('the newest runs (of one task, or of all)'))
    .option('-t, --task <task>', 'only this task (id or exact name)')
    .option('-n, --limit <n>', 'how many runs', '20')
    .action(async (flags: ClientFlags & { task?: string; limit: string }) => {
      const list = await newestRuns(
        clientFrom(flags),
        flags.task,
        positive(flags.limit, '--limit', 1000),
      );
      if (flags.json) printJson(list);
      else print(runsTable(list));
    });

  withConnection(
    runs.command('show <id>').description("a run with each action's result and output"),
  ).action(async (raw: string, flags: ClientFlags) => {
    const run = await clientFrom(flags).get<RunJson>(`/runs/${parseId(raw, 'run')}`);
    if (flags.json) printJson(run);
    else print(runDetails(run));
  });

  withConnection(program.command('logs <task>').description("a task's log (id or exact name)"))
    .option('-f, --follow', 'keep printing new entries until interrupted')
    .option('-l, --level <level>', 'this level and more severe: debug, info, warn, error')
    .option('-n, --limit <n>', 'how many recent entries to show first', '50')
    .option('-r, --run <id>', 'only entries of this run')
    .option('--interval <ms>', 'how often --follow polls', '1000')
    .action(logs);
}
