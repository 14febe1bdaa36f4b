// Runs a child process for an action (Shell, Script, Ruby): output to ctx.output line by line,
// the abort signal kills the whole process tree, and the exit becomes an ActionOutcome.
import { stat } from 'node:fs/promises';
import type { ActionContext, ActionOutcome } from './contract.js';
import { childEnv } from '../process/childEnv.js';
import { spawnTree } from '../process/spawnTree.js';

export interface ProcessSpec {
  file: string;
  args: readonly string[];
  cwd?: string;
  env?: Record<string, unknown>;
  asUser?: string | null;
}

/** A missing cwd would otherwise surface as a misleading "spawn /bin/sh ENOENT". */
async function checkCwd(cwd: string | undefined): Promise<string | null> {
  if (cwd === undefined) return null;
  try {
    if ((await stat(cwd)).isDirectory()) return null;
    return `cwd '${cwd}' is not a directory`;
  } catch {
    return `cwd '${cwd}' does not exist`;
  }
}

export async function runProcess(spec: ProcessSpec, ctx: ActionContext): Promise<ActionOutcome> {
  const cwdProblem = await checkCwd(spec.cwd);
  if (cwdProblem) return { ok: false, exitCode: null, error: cwdProblem };
  let result;
  try {
    result = await spawnTree({
      file: spec.file,
      args: spec.args,
      cwd: spec.cwd,
      env: childEnv(spec.env),
      asUser: spec.asUser,
      signal: ctx.signal,
      onLine: (line, stream) => ctx.output(line, stream),
    });
  } catch (err) {
    return { ok: false, exitCode: null, error: (err as Error).message };
  }
  if (result.aborted) {
    const what = result.aborted === 'timeout' ? 'timed out' : 'cancelled';
    return { ok: false, exitCode: result.exitCode, error: `${what}: process group killed` };
  }
  if (result.signal) {
    return { ok: false, exitCode: null, error: `killed by signal ${result.signal}` };
  }
  if (result.exitCode !== 0) {
    return { ok: false, exitCode: result.exitCode, error: `exit code ${result.exitCode}` };
  }
  return { ok: true, exitCode: 0 };
}
