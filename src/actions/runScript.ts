// Runs a script's code with an interpreter (Script, Ruby): the code goes to a private temp
// file (mode 0600 in a fresh mkdtemp folder, itself 0700) that is removed afterwards, also
// when the run fails, times out or is cancelled.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { ActionContext, ActionOutcome, ParamSpec } from './contract.js';
import { hasEnvRefs } from './envRefs.js';
import type { ParamError } from './params.js';
import { runProcess } from './runProcess.js';

/** File extensions some interpreters care about (node picks ESM/CJS by syntax for .js). */
const EXTENSIONS: Record<string, string> = {
  node: '.js',
  python: '.py',
  python3: '.py',
  ruby: '.rb',
  bash: '.sh',
  sh: '.sh',
  perl: '.pl',
  php: '.php',
};

const INTERPRETER_NAME = /^[A-Za-z0-9_./+-]+$/;

export interface ScriptSpec {
  interpreter: string;
  code: string;
  cwd?: string;
  env?: Record<string, unknown>;
}

export async function runScript(spec: ScriptSpec, ctx: ActionContext): Promise<ActionOutcome> {
  const dir = await mkdtemp(join(tmpdir(), 'taskr-script-'));
  try {
    const file = join(dir, `script${EXTENSIONS[basename(spec.interpreter)] ?? ''}`);
    await writeFile(file, spec.code, { mode: 0o600 });
    return await runProcess(
      { file: spec.interpreter, args: [file], cwd: spec.cwd, env: spec.env },
      ctx,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Checks shared by Script and Ruby. */
export function scriptChecks(p: Record<string, unknown>): ParamError[] {
  const errors: ParamError[] = [];
  const interp = p.interpreter;
  if (typeof interp === 'string' && !INTERPRETER_NAME.test(interp)) {
    errors.push({
      param: 'interpreter',
      message: `'${interp}' is not a program name or path (letters, digits, . _ - + / only)`,
    });
  }
  if (typeof p.cwd === 'string' && !p.cwd.startsWith('/') && !hasEnvRefs(p.cwd)) {
    errors.push({ param: 'cwd', message: `must be an absolute path, got '${p.cwd}'` });
  }
  return errors;
}

/** The `cwd` and `env` parameters every script-running type declares (Script, Ruby). */
export function scriptPlaceParams(envExample: string): ParamSpec[] {
  return [
    {
      name: 'cwd',
      type: 'string',
      required: false,
      description: "Working directory (absolute path). Default: the daemon's working directory.",
    },
    {
      name: 'env',
      type: 'object',
      required: false,
      description: `Extra environment variables as a JSON object, e.g. ${envExample}.`,
    },
  ];
}
