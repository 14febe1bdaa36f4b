// A real ActionContext for action tests: collects output lines and log entries in arrays,
// resolves ${env:NAME} from a given environment, and aborts through a real AbortController.
import type { ActionContext, ActionOutcome, ActionType } from '../../src/actions/contract.js';
import { resolveEnvRefs } from '../../src/actions/envRefs.js';
import { systemClock, type Clock } from '../../src/clock/clock.js';
import { configSchema, type Config, type ConfigInput } from '../../src/config/config.js';
import type { LogLevel, Run, Task, TaskAction } from '../../src/domain/types.js';
import type { Store } from '../../src/store/store.js';

export interface OutputLine {
  line: string;
  stream: 'stdout' | 'stderr';
}

export interface TestActionContext extends ActionContext {
  /** Every output line, in arrival order, with its stream. */
  lines: OutputLine[];
  stdout: string[];
  stderr: string[];
  logs: { level: LogLevel; data: string }[];
  controller: AbortController;
}

export interface ActionContextOptions {
  config?: ConfigInput;
  store?: Store;
  clock?: Clock;
  env?: NodeJS.ProcessEnv;
  actionClassName?: string;
  parameters?: Record<string, unknown>;
}

export function testConfig(input: ConfigInput = {}): Readonly<Config> {
  return configSchema.parse(input);
}

export function actionContext(opts: ActionContextOptions = {}): TestActionContext {
  const now = new Date();
  const action: TaskAction = {
    id: 1,
    taskId: 1,
    order: 0,
    actionClassName: opts.actionClassName ?? 'Shell',
    parameters: opts.parameters ?? {},
  };
  const task = {
    id: 1,
    name: 'test-task',
    actions: [action],
    createdOn: now,
    updatedOn: now,
  } as unknown as Task;
  const run = { id: 1, taskId: 1, status: 'running', results: [] } as unknown as Run;
  const controller = new AbortController();
  const lines: OutputLine[] = [];
  const stdout: string[] = [];
  const stderr: string[] = [];
  const logs: { level: LogLevel; data: string }[] = [];
  const env = opts.env ?? process.env;
  return {
    signal: controller.signal,
    controller,
    logger: { log: (level, data) => logs.push({ level, data }) },
    output(line, stream = 'stdout') {
      lines.push({ line, stream });
      (stream === 'stderr' ? stderr : stdout).push(line);
    },
    task,
    action,
    run,
    clock: opts.clock ?? systemClock,
    config: testConfig(opts.config),
    store: opts.store ?? (undefined as unknown as Store),
    resolveEnv: (value) => resolveEnvRefs(value, env),
    lines,
    stdout,
    stderr,
    logs,
  };
}

/** Validates raw params with the type (failing loudly if invalid) and runs it. */
export async function runType(
  type: ActionType<unknown>,
  raw: Record<string, unknown>,
  ctx: TestActionContext,
): Promise<ActionOutcome> {
  const v = type.validate(raw, ctx.config);
  if (!v.ok) throw new Error(`invalid params for ${type.name}: ${JSON.stringify(v.errors)}`);
  return type.run(v.params, ctx);
}
