// The `taskr` program: daemon commands and client commands, and runCli(), which runs it
// and turns every error into one line on stderr and an exit code (never a stack trace for
// a mistake the user can fix). runCli never calls process.exit, so tests run it in-process.
import { Command, CommanderError } from 'commander';
import { TaskrError, ValidationError } from '../errors.js';
import { OpsError } from '../ops/pidFile.js';
import { VERSION } from '../version.js';
import { CliError, EXIT_BAD_INPUT, EXIT_REQUEST_FAILED } from './client/cliError.js';
import { registerRunCommands } from './client/runCommands.js';
import { registerTaskCommands } from './client/taskCommands.js';
import { registerDaemonCommands } from './daemonCommands.js';
import { io, withIo, type CliIo } from './io.js';

export function buildProgram(): Command {
  const program = new Command('taskr')
    .description('Taskr: a cron-style scheduler daemon with a REST API in HTML, XML and JSON')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io().out(s), writeErr: (s) => io().err(s) });
  registerDaemonCommands(program);
  registerTaskCommands(program);
  registerRunCommands(program);
  // Sub-commands inherit neither exitOverride nor the output target: set them everywhere.
  const visit = (cmd: Command) => {
    for (const sub of cmd.commands) {
      sub
        .exitOverride()
        .configureOutput({ writeOut: (s) => io().out(s), writeErr: (s) => io().err(s) });
      visit(sub);
    }
  };
  visit(program);
  return program;
}

/** The exit code for an error, after printing it. */
export function reportError(err: unknown): number {
  const say = (line: string) => io().err(`taskr: ${line}\n`);
  if (err instanceof CommanderError) {
    // Commander printed its message (or the help) already.
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
    if (err.code === 'commander.help' || err.code === 'commander.executeSubCommandAsync')
      return err.exitCode;
    return EXIT_BAD_INPUT;
  }
  if (err instanceof CliError) {
    if (err.message) say(err.message);
    return err.exitCode;
  }
  if (err instanceof ValidationError) {
    for (const e of err.errors) say(`${e.field} ${e.message}`);
    return EXIT_BAD_INPUT;
  }
  if (err instanceof TaskrError) {
    say(`${err.message} [${err.code}]`);
    return EXIT_BAD_INPUT;
  }
  if (err instanceof OpsError) {
    say(err.message);
    return EXIT_REQUEST_FAILED;
  }
  say((err as Error)?.stack ?? String(err));
  return EXIT_REQUEST_FAILED;
}

/** Runs `taskr` with argv (as process.argv: node, script, args...) and returns the exit code. */
export async function runCli(argv: readonly string[], target?: CliIo): Promise<number> {
  const run = async () => {
    try {
      await buildProgram().parseAsync([...argv]);
      return 0;
    } catch (err) {
      return reportError(err);
    }
  };
  return target ? withIo(target, run) : run();
}
