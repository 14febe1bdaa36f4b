// Log: writes a message to the run's output and always succeeds (also the no-op for benchmarks).
import { defineActionType, type ParamSpec } from '../src/actions/contract.js';
import { resolveParamsEnv } from '../src/actions/envRefs.js';
import { finish, validateParams } from '../src/actions/params.js';

export interface LogParams {
  message: string;
}

const params: readonly ParamSpec[] = [
  {
    name: 'message',
    type: 'text',
    required: false,
    default: '',
    description: 'Text written to the run output (one line per line of text). May be empty.',
  },
];

export default defineActionType<LogParams>({
  name: 'Log',
  aliases: ['Noop'],
  description:
    'Writes a message to the run output and always succeeds. Useful as a marker between ' +
    'other actions, or as a no-op to test a schedule.',
  params,
  validate(raw) {
    const r = validateParams('Log', params, raw);
    return r.ok ? finish<LogParams>(r.params, []) : r;
  },
  async run(raw, ctx) {
    const { message } = resolveParamsEnv(raw, params, (s) => ctx.resolveEnv(s));
    if (message !== '') for (const line of message.split('\n')) ctx.output(line, 'stdout');
    return { ok: true };
  },
});
