// Shell: runs a command line with /bin/sh -c (Taskr's Taskr::Actions::Shell).
import { defineActionType, type ParamSpec } from '../src/actions/contract.js';
import { hasEnvRefs, resolveParamsEnv } from '../src/actions/envRefs.js';
import { finish, validateParams } from '../src/actions/params.js';
import { runProcess } from '../src/actions/runProcess.js';

export interface ShellParams {
  command: string;
  cwd?: string;
  env?: Record<string, unknown>;
  as_user?: string;
}

const params: readonly ParamSpec[] = [
  {
    name: 'command',
    type: 'text',
    required: true,
    description:
      'Command line run with /bin/sh -c, e.g. `tar czf /backup/www.tgz /var/www`. Pipes, ' +
      'redirections and && work. A non-zero exit code fails the action.',
  },
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
    description:
      'Extra environment variables as a JSON object, e.g. {"LANG": "C"}. Values may use ' +
      '${env:NAME} to pass a variable of the daemon without storing it.',
  },
  {
    name: 'as_user',
    type: 'string',
    required: false,
    description: 'Run the command as this system user (the daemon must run as root).',
  },
];

export default defineActionType<ShellParams>({
  name: 'Shell',
  description:
    'Runs a shell command (/bin/sh -c). Its standard output and error are captured line by ' +
    'line; a timeout or cancel kills the command and every process it started.',
  params,
  validate(raw) {
    const r = validateParams('Shell', params, raw);
    if (!r.ok) return r;
    const errors = [];
    const p = r.params;
    if (typeof p.cwd === 'string' && !p.cwd.startsWith('/') && !hasEnvRefs(p.cwd)) {
      errors.push({ param: 'cwd', message: `must be an absolute path, got '${p.cwd}'` });
    }
    if (typeof p.as_user === 'string' && !/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(p.as_user)) {
      errors.push({ param: 'as_user', message: `'${p.as_user}' is not a valid user name` });
    }
    return finish<ShellParams>(p, errors);
  },
  async run(raw, ctx) {
    const p = resolveParamsEnv(raw, params, (s) => ctx.resolveEnv(s));
    return runProcess(
      { file: '/bin/sh', args: ['-c', p.command], cwd: p.cwd, env: p.env, asUser: p.as_user },
      ctx,
    );
  },
});
