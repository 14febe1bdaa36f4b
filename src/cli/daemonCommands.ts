// The daemon's own commands: `serve`, `apply-tasks`, `config check`, `schedule preview`.
// `serve` wires the signals (SIGTERM/SIGINT graceful stop, SIGHUP tasks-file reload) and
// the optional pid file around startDaemon().
import { Command, InvalidArgumentError } from 'commander';
import { DateTime } from 'luxon';
import { loadConfig, maskedConfig, type ConfigInput } from '../config/config.js';
import { createLogger } from '../log/logger.js';
import { removePidFile, writePidFile } from '../ops/pidFile.js';
import { installSignalHandlers } from '../ops/signals.js';
import { describeSchedule, nextFireTimes, parseSchedule } from '../schedule/schedule.js';
import { io } from './io.js';

interface ServeFlags {
  config?: string;
  port?: string;
  bind?: string;
  databaseUrl?: string;
  tasks?: string;
  nodeName?: string;
  logLevel?: string;
  logFormat?: string;
  pidFile?: string;
  shutdownGraceMs?: string;
}

const FLAG_KEYS: Readonly<Record<keyof Omit<ServeFlags, 'config'>, string>> = {
  port: 'port',
  bind: 'bind',
  databaseUrl: 'databaseUrl',
  tasks: 'tasksFile',
  nodeName: 'nodeName',
  logLevel: 'logLevel',
  logFormat: 'logFormat',
  pidFile: 'pidFile',
  shutdownGraceMs: 'shutdownGraceMs',
};

export function overridesFrom(flags: ServeFlags): ConfigInput {
  const o: Record<string, unknown> = {};
  for (const [flag, key] of Object.entries(FLAG_KEYS)) {
    const v = flags[flag as keyof ServeFlags];
    if (v !== undefined) o[key] = v;
  }
  return o as ConfigInput;
}

// The daemon's modules (TypeORM, Koa, the actions) load only for commands that need them,
// so `taskr --help` and the client commands answer at once.
const loadDaemon = () => import('../daemon.js');

async function serve(flags: ServeFlags): Promise<void> {
  const { startDaemon } = await loadDaemon();
  const { applyTasksFile } = await import('../tasks/tasksFile.js');
  const config = loadConfig({ file: flags.config, overrides: overridesFrom(flags) });
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  // The pid file is written before anything binds, so a second daemon fails fast.
  const pidFile = config.pidFile;
  if (pidFile) {
    writePidFile(pidFile);
    process.once('exit', () => removePidFile(pidFile));
  }
  let daemon;
  try {
    daemon = await startDaemon({ config, logger });
  } catch (err) {
    if (pidFile) removePidFile(pidFile);
    throw err;
  }
  const d = daemon;
  const tasksFile = config.tasksFile;
  installSignalHandlers({
    logger,
    graceMs: config.shutdownGraceMs,
    stop: (graceMs) => d.stop(graceMs),
    interruptNow: () => d.scheduler.stop(0),
    runsInProgress: () => d.scheduler.status().runsInProgress,
    reload: tasksFile
      ? async () => {
          const r = await applyTasksFile(tasksFile, d.tasks, logger);
          return `tasks file ${tasksFile} applied: ${r.created.length} created, ${r.updated.length} updated, ${r.unchanged.length} unchanged`;
        }
      : undefined,
  });
  if (pidFile) logger.info({ pidFile, pid: process.pid }, `pid file ${pidFile} written`);
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
  const lines = [`${describeSchedule(schedule)}  [${schedule.timezone}]`];
  for (const t of nextFireTimes(schedule, new Date(now), opts.count, new Date(now))) {
    const local = DateTime.fromJSDate(t, { zone: schedule.timezone }).toFormat(
      'ccc yyyy-MM-dd HH:mm:ss',
    );
    lines.push(`  ${t.toISOString()}  (${local} ${schedule.timezone})`);
  }
  io().out(`${lines.join('\n')}\n`);
}

function configCheck(file: string | undefined): void {
  const config = loadConfig({ file: file ?? undefined });
  io().out(`${JSON.stringify(maskedConfig(config), null, 2)}\n`);
  io().err('config OK\n');
}

export function registerDaemonCommands(program: Command): void {
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
    .option(
      '--tasks <file>',
      'tasks file (YAML or JSON) upserted by name at start-up and on SIGHUP',
    )
    .option('--node-name <name>', "this node's name (TASKR_NODE_NAME)")
    .option('--log-level <level>', 'trace, debug, info, warn, error or silent (TASKR_LOG_LEVEL)')
    .option(
      '--log-format <format>',
      'json, pretty, or auto: pretty on a terminal (TASKR_LOG_FORMAT)',
    )
    .option('--pid-file <file>', 'write the pid here; removed on exit (TASKR_PID_FILE)')
    .option('--shutdown-grace-ms <ms>', 'on SIGTERM, how long runs may finish (default 30000)')
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
      io().out(`tasks file ${file} applied\n`);
    });
}
