// Plumbing shared by the client commands: the connection options every command takes,
// the client built from them, output helpers and task references (id or exact name).
import type { Command } from 'commander';
import { io } from '../io.js';
import { ApiClient } from './apiClient.js';
import type { TaskJson } from './apiTypes.js';
import { CliError, EXIT_BAD_INPUT } from './cliError.js';
import { resolveConnection, type ConnectionFlags } from './connection.js';

export interface ClientFlags extends ConnectionFlags {
  json?: boolean | string;
}

/** Adds --url, --user, --password, --token, --config and --json to a command. */
export function withConnection(cmd: Command, json = true): Command {
  cmd
    .option('--url <url>', 'daemon URL (TASKR_URL; default from the config: http://127.0.0.1:7007)')
    .option('-u, --user <name>', 'user for HTTP Basic (TASKR_USERNAME)')
    .option('--password <password>', 'password (TASKR_PASSWORD)')
    .option('--token <token>', 'API token, sent as a bearer token (TASKR_API_TOKEN)')
    .option(
      '-c, --config <file>',
      'config file to take the URL and credentials from (TASKR_CONFIG)',
    );
  if (json) cmd.option('--json', "print the server's JSON instead of a table");
  return cmd;
}

export function clientFrom(flags: ClientFlags): ApiClient {
  return new ApiClient(resolveConnection(flags));
}

export function print(text: string): void {
  io().out(text.endsWith('\n') ? text : `${text}\n`);
}

export function printJson(value: unknown): void {
  print(JSON.stringify(value, null, 2));
}

export function parseId(raw: string, what: string): number {
  if (!/^\d{1,15}$/.test(raw) || Number(raw) < 1) {
    throw new CliError(`${what} id '${raw}' is not a positive whole number`, EXIT_BAD_INPUT);
  }
  return Number(raw);
}

/** A task given by id (`7`) or by its exact name (`nightly-backup`). */
export async function resolveTaskId(client: ApiClient, ref: string): Promise<number> {
  if (/^\d+$/.test(ref)) return parseId(ref, 'task');
  const tasks = await client.get<TaskJson[]>('/tasks', { q: ref, per_page: 1000 });
  const task = tasks.find((t) => t.name === ref);
  if (!task) throw new CliError(`no task named '${ref}' (give its id or exact name)`);
  return task.id;
}

/** Every task, page by page (the API pages at most 1000 per request). */
export async function allTasks(
  client: ApiClient,
  query: Record<string, string | undefined> = {},
): Promise<TaskJson[]> {
  const out: TaskJson[] = [];
  for (let page = 1; ; page++) {
    const res = await client.request<TaskJson[]>('GET', '/tasks', {
      query: { ...query, page, per_page: 1000 },
    });
    out.push(...res.body);
    const total = Number(res.headers.get('x-total-count') ?? out.length);
    if (res.body.length === 0 || out.length >= total) return out;
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
