#!/usr/bin/env node
// The `taskr` command line (commander: the well-kept standard for Node CLIs).
import { Command, InvalidArgumentError } from 'commander';
import { DateTime } from 'luxon';
import { loadConfig, maskedConfig, type ConfigInput } from '../config/config.js';
import { ValidationError, TaskrError } from '../errors.js';
import { createLogger } from '../log/logger.js';
import { describeSchedule, nextFireTimes, parseSchedule } from '../schedule/schedule.js';
import { VERSION } from '../version.js';

interface ServeFlags {
  config?: string;
  port?: string;
  bind?: string;
  databaseUrl?: string;
  tasks?: string;
  nodeName?: string;
  logLevel?: string;
}

function overridesFrom(flags: ServeFlags): ConfigInput {
  const o: Record<string, unknown> = {};
  if (flags.port !== undefined) o.port = flags.port;
  if (flags.bind !== undefined) o.bind = flags.bind;
  if (flags.databaseUrl !== undefined) o.databaseUrl = flags.databaseUrl;
  if (flags.tasks !== undefined) o.tasksFile = flags.tasks;
  if (flags.nodeName !== undefined) o.nodeName = flags.nodeName;
  if (flags.logLevel !== undefined) o.logLevel = flags.logLevel;
  return o as ConfigInput;
}

// The daemon's modules (TypeORM, Koa, the actions) load only for commands that need them,
// so `taskr --help` and the tools answer at once.
const loadDaemon = () => import('../daemon.js');

async function serve(flags: ServeFlags): Promise<void> {
  const { startDaemon } = await loadDaemon();
  const { applyTasksFile } = await import('../tasks/tasksFile.js');
  const config = loadConfig({ file: flags.config, overrides: overridesFrom(flags) });
  const logger = createLogger({ level: config.logLevel });
  const daemon = await startDaemon({ config, logger });
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'stopping: no new runs; waiting for running runs');
    daemon.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGHUP', () => {
    if (!config.tasksFile) return void logger.info('SIGHUP: no tasks file configured');
    applyTasksFile(config.tasksFile, daemon.tasks, logger).catch((err: unknown) =>
      logger.error({ err: (err as Error).message }, 'SIGHUP: tasks file not applied'),
    );
  });
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) {
    throw new InvalidArgumentError('must be a whole number from 1 to 1000');
  }
  return n;
}

function preview(method: string, when: string, opts: { timezone?: string; count: number }): void {
  const config = loadConfig();
  const now = Date.now();
  const schedule = parseSchedule(method, when, {
    timezone: opts.timezone ?? null,
    defaultTimezone: config.timezone,
    now,
  });
  console.log(`${describeSchedule(schedule)}  [${schedule.timezone}]`);
  for (const t of nextFireTimes(schedule, new Date(now), opts.count, new Date(now))) {
    const local = DateTime.fromJSDate(t, { zone: schedule.timezone }).toFormat(
      'ccc yyyy-MM-dd HH:mm:ss',
    );
    console.log(`  ${t.toISOString()}  (${local} ${schedule.timezone})`);
  }
}

function configCheck(file: string | undefined): void {
  const config = loadConfig({ file: file ?? undefined });
  console.log(JSON.stringify(maskedConfig(config), null, 2));
  console.error('config OK');
}

export function buildProgram(): Command {
  const program = new Command('taskr')
    .description('Taskr: a cron-style scheduler daemon with a REST API in HTML, XML and JSON')
    .version(VERSION);
  program
    .command('serve')
    .description('run the daemon: scheduler loop, REST API and dashboard')
    .option('-c, --config <file>', 'config file (YAML or JSON); also TASKR_CONFIG')
    .option('-p, --port <port>', 'port to listen on (default 7007; TASKR_PORT)')
    .option('-b, --bind <address>', 'address to bind (default 127.0.0.1; TASKR_BIND)')
    .option(
      '--database-url <url>',
      'sqlite:PATH, sqlite::memory: or postgres://... (TASKR_DATABASE_URL)',
    )
    .option('--tasks <file>', 'tasks file (YAML or JSON) upserted by name at start-up')
    .option('--node-name <name>', "this node's name (TASKR_NODE_NAME)")
    .option('--log-level <level>', 'trace, debug, info, warn, error or silent')
    .action(serve);
  const schedule = program.command('schedule').description('schedule tools');
  schedule
    .command('preview <method> <when>')
    .description('print the next fire times of a schedule (method: in, every, at, cron)')
    .option('-z, --timezone <zone>', 'IANA time zone (default: the daemon zone)')
    .option('-n, --count <n>', 'how many fire times', positiveInt, 5)
    .action(preview);
  const config = program.command('config').description('configuration tools');
  config
    .command('check [file]')
    .description(
      'validate a config file (or TASKR_CONFIG) and print the resolved config, secrets masked',
    )
    .action(configCheck);
  program
    .command('apply-tasks <file>')
    .description('validate a tasks file and upsert its tasks into the database, then exit')
    .option('-c, --config <file>', 'config file')
    .action(async (file: string, flags: { config?: string }) => {
      const config = loadConfig({ file: flags.config, overrides: { tasksFile: file } });
      const { startDaemon } = await loadDaemon();
      const daemon = await startDaemon({
        config,
        listen: false,
        logger: createLogger({ level: 'warn' }),
      });
      await daemon.stop(0);
      console.log(`tasks file ${file} applied`);
    });
  return program;
}

function report(err: unknown): never {
  if (err instanceof ValidationError) {
    for (const e of err.errors) console.error(`taskr: ${e.field} ${e.message}`);
  } else if (err instanceof TaskrError) {
    console.error(`taskr: ${err.message} [${err.code}]`);
  } else {
    console.error(`taskr: ${(err as Error)?.stack ?? String(err)}`);
  }
  process.exit(2);
}

buildProgram().parseAsync(process.argv).catch(report);
