// Script: runs a piece of code with an interpreter (node by default; bash, python3, ruby...).
import { defineActionType, type ParamSpec } from '../src/actions/contract.js';
import { resolveParamsEnv } from '../src/actions/envRefs.js';
import { finish, validateParams } from '../src/actions/params.js';
import { runScript, scriptChecks, scriptPlaceParams } from '../src/actions/runScript.js';

export interface ScriptParams {
  code: string;
  interpreter: string;
  cwd?: string;
  env?: Record<string, unknown>;
}

const params: readonly ParamSpec[] = [
  {
    name: 'code',
    type: 'text',
    required: true,
    description:
      'The script itself. It is written to a private temporary file, run, then deleted. ' +
      'A non-zero exit code fails the action.',
  },
  {
    name: 'interpreter',
    type: 'string',
    required: false,
    default: 'node',
    description:
      'Program that runs the script file: node (default), bash, sh, python3, ruby, perl, ' +
      'or an absolute path to an interpreter.',
  },
  ...scriptPlaceParams('{"LANG": "C"}'),
];

export default defineActionType<ScriptParams>({
  name: 'Script',
  description:
    'Runs a script with an interpreter (node, bash, sh, python3, ruby...). Output is captured ' +
    'line by line; a timeout or cancel kills the interpreter and everything it started.',
  params,
  validate(raw) {
    const r = validateParams('Script', params, raw);
    return r.ok ? finish<ScriptParams>(r.params, scriptChecks(r.params)) : r;
  },
  async run(raw, ctx) {
    const p = resolveParamsEnv(raw, params, (s) => ctx.resolveEnv(s));
    return runScript(p, ctx);
  },
});
