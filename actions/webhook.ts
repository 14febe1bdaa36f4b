// Webhook (Taskr's Rest): one HTTP request, or a task_api conversation with a named service.
import { defineActionType, type ParamSpec } from '../src/actions/contract.js';
import type { Config } from '../src/config/config.js';
import { hasEnvRefs, resolveParamsEnv } from '../src/actions/envRefs.js';
import { parseExpectStatus } from '../src/actions/httpCall.js';
import { finish, parseDurationMs, validateParams, type ParamError } from '../src/actions/params.js';
import { runWebhook, type WebhookParams } from '../src/actions/webhookRun.js';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;

const params: readonly ParamSpec[] = [
  {
    name: 'url',
    type: 'string',
    required: false,
    description: 'http(s) URL to call (or give service and action instead).',
  },
  {
    name: 'method',
    type: 'string',
    required: false,
    default: 'POST',
    enum: METHODS,
    description: 'HTTP method. Default: POST.',
  },
  {
    name: 'headers',
    type: 'object',
    required: false,
    description: 'Extra request headers as a JSON object, e.g. {"X-Source": "taskr"}.',
  },
  {
    name: 'body',
    type: 'json',
    required: false,
    description:
      'Request body: JSON (sent as application/json) or a CGI string like a=1&b=2 (sent as a form). Not with GET/HEAD.',
  },
  {
    name: 'username',
    type: 'string',
    required: false,
    description: 'User name for HTTP basic authentication.',
  },
  {
    name: 'password',
    type: 'string',
    required: false,
    secret: true,
    description: 'Password for HTTP basic authentication (never shown).',
  },
  {
    name: 'token',
    type: 'string',
    required: false,
    secret: true,
    description: 'Bearer token sent as Authorization: Bearer ... (never shown).',
  },
  {
    name: 'timeout',
    type: 'string',
    required: false,
    default: '30s',
    description: 'Time limit per request: milliseconds or 500ms, 30s, 5m. Default: 30s.',
  },
  {
    name: 'expect_status',
    type: 'string',
    required: false,
    description: 'Statuses that count as success, e.g. 200 or 200,204 or 3xx. Default: any 2xx.',
  },
  {
    name: 'protocol',
    type: 'string',
    required: false,
    enum: ['plain', 'task_api'],
    description:
      'plain: one request. task_api: call again while the answer is 206 (its body is the next payload) until 200 (success) or another status (failure). Default: task_api with service, else plain.',
  },
  {
    name: 'service',
    type: 'string',
    required: false,
    description:
      'Name of a service from the config (actions.services): its base URL, headers and credentials are used.',
  },
  {
    name: 'action',
    type: 'string',
    required: false,
    description: 'With service: the service action; the request goes to <baseUrl>/<action>.',
  },
  {
    name: 'payload',
    type: 'json',
    required: false,
    description: 'With service or task_api: the JSON payload of the first request.',
  },
  {
    name: 'max_calls',
    type: 'integer',
    required: false,
    default: 100,
    description: 'task_api: the most requests made before giving up. Default: 100.',
  },
  {
    name: 'poll_interval',
    type: 'string',
    required: false,
    default: '1s',
    description: 'task_api: pause between calls (ms or 500ms, 2s...). Default: 1s.',
  },
];

function urlErrors(p: Record<string, unknown>, config: Readonly<Config>): ParamError[] {
  if (p.url !== undefined && p.service !== undefined) {
    return [{ param: 'url', message: 'and service cannot both be given; use one' }];
  }
  if (p.service !== undefined) {
    const names = Object.keys(config.actions.services);
    const errors: ParamError[] = [];
    if (!names.includes(String(p.service))) {
      const known = names.length ? names.join(', ') : 'none configured (config actions.services)';
      errors.push({
        param: 'service',
        message: `'${String(p.service)}' is not a configured service; known: ${known}`,
      });
    }
    const action = p.action;
    if (action === undefined)
      errors.push({ param: 'action', message: "can't be blank when service is given" });
    else if (
      !/^[A-Za-z0-9_.~/-]+$/.test(String(action)) ||
      String(action).split('/').includes('..')
    ) {
      errors.push({
        param: 'action',
        message: `'${String(action)}' is not a valid action name (letters, digits, _ . ~ - /)`,
      });
    }
    return errors;
  }
  if (p.url === undefined)
    return [{ param: 'url', message: "can't be blank (or give service and action)" }];
  const url = String(p.url);
  if (hasEnvRefs(url)) return [];
  try {
    if (['http:', 'https:'].includes(new URL(url).protocol)) return [];
  } catch {
    // reported below
  }
  return [{ param: 'url', message: `'${url}' is not an http(s) URL` }];
}

function otherErrors(p: Record<string, unknown>): ParamError[] {
  const errors: ParamError[] = [];
  const err = (param: string, message: string) => errors.push({ param, message });
  if (p.body !== undefined && p.payload !== undefined)
    err('payload', 'and body cannot both be given; use one');
  if (
    ['GET', 'HEAD'].includes(String(p.method)) &&
    (p.body !== undefined || p.payload !== undefined)
  ) {
    err('body', `is not sent with ${String(p.method)}; put parameters in the url's query string`);
  }
  if (p.password !== undefined && p.username === undefined) err('password', 'needs a username');
  if (p.token !== undefined && p.username !== undefined)
    err('token', 'and username cannot both be given; use one');
  for (const name of ['timeout', 'poll_interval']) {
    const ms = parseDurationMs(p[name]);
    if (ms === null || (name === 'timeout' && ms < 1)) {
      err(name, `'${String(p[name])}' is not a duration; use milliseconds or 500ms, 30s, 5m, 1h`);
    }
  }
  if (typeof p.expect_status === 'string' && !parseExpectStatus(p.expect_status)) {
    err(
      'expect_status',
      `'${p.expect_status}' is not a status list; use e.g. 200 or 200,204 or 2xx`,
    );
  }
  if (typeof p.max_calls === 'number' && p.max_calls < 1)
    err('max_calls', `must be at least 1, got ${p.max_calls}`);
  return errors;
}

export default defineActionType<WebhookParams>({
  name: 'Webhook',
  aliases: ['Rest'],
  description:
    'Calls an HTTP endpoint (any method, JSON or form body, basic or bearer auth) and fails ' +
    'unless the status is expected. With a configured service it speaks the task_api protocol: ' +
    'POST <baseUrl>/<action> with the payload, again while the answer is 206, until 200.',
  params,
  validate(raw, config) {
    const r = validateParams('Webhook', params, raw);
    if (!r.ok) return r;
    return finish<WebhookParams>(r.params, [
      ...urlErrors(r.params, config),
      ...otherErrors(r.params),
    ]);
  },
  async run(raw, ctx) {
    return runWebhook(
      resolveParamsEnv(raw, params, (s) => ctx.resolveEnv(s)),
      ctx,
    );
  },
});
