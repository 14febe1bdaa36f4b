// Ruby: Taskr's Taskr::Actions::Ruby, kept so existing tasks work: `code` run by `ruby`.
// Equivalent to a Script with interpreter ruby.
import { defineActionType, type ParamSpec } from '../src/actions/contract.js';
import { resolveParamsEnv } from '../src/actions/envRefs.js';
import { finish, validateParams } from '../src/actions/params.js';
import { runScript, scriptChecks, scriptPlaceParams } from '../src/actions/runScript.js';

export interface RubyParams {
  code: string;
  cwd?: string;
  env?: Record<string, unknown>;
}

const params: readonly ParamSpec[] = [
  {
    name: 'code',
    type: 'text',
    required: true,
    description:
      'Ruby code, run with the `ruby` interpreter from a private temporary file. ' +
      'An exception or non-zero exit fails the action.',
  },
  ...scriptPlaceParams('{"RAILS_ENV": "production"}'),
];

export default defineActionType<RubyParams>({
  name: 'Ruby',
  description:
    'Runs Ruby code with the ruby interpreter (Taskr compatibility; same as Script with ' +
    'interpreter ruby). Needs ruby installed on the daemon host.',
  params,
  validate(raw) {
    const r = validateParams('Ruby', params, raw);
    return r.ok ? finish<RubyParams>(r.params, scriptChecks(r.params)) : r;
  },
  async run(raw, ctx) {
    const p = resolveParamsEnv(raw, params, (s) => ctx.resolveEnv(s));
    return runScript({ ...p, interpreter: 'ruby' }, ctx);
  },
});
