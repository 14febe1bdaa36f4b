// Running a Webhook action: a single request checked against expect_status, or the task_api
// protocol (see /work/shared/seeds/001: 206 = still running, call again with the response
// body as the next request's payload; 200 = complete; anything else = failed).
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config, ServiceConfig } from '../config/config.js';
import type { ActionContext, ActionOutcome } from './contract.js';
import {
  basicAuth,
  encodeBody,
  httpCall,
  parseExpectStatus,
  safeUrl,
  splitUrlCredentials,
  truncateBody,
  withContentType,
  type HttpAnswer,
  type HttpRequest,
} from './httpCall.js';
import { parseDurationMs } from './params.js';
import { abortKind } from '../process/spawnTree.js';

export interface WebhookParams {
  url?: string;
  method: string;
  headers?: Record<string, unknown>;
  body?: unknown;
  username?: string;
  password?: string;
  token?: string;
  timeout: string;
  expect_status?: string;
  protocol?: 'plain' | 'task_api';
  service?: string;
  action?: string;
  payload?: unknown;
  max_calls: number;
  poll_interval: string;
}

/** A named service's URL for an action: baseUrl + "/" + action (one slash between them). */
export function serviceUrl(service: ServiceConfig, action: string): string {
  return `${service.baseUrl.replace(/\/+$/, '')}/${action.replace(/^\/+/, '')}`;
}

function stringHeaders(h: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(h ?? {}).map(([k, v]) => [k, String(v)]));
}

/** Method, URL and headers (auth included): the task's own settings win over the service's. */
function baseRequest(p: WebhookParams, config: Readonly<Config>): Omit<HttpRequest, 'body'> {
  const service = p.service ? config.actions.services[p.service] : undefined;
  if (p.service && !service) {
    throw new Error(`service '${p.service}' is not configured (config actions.services)`);
  }
  const rawUrl = service ? serviceUrl(service, p.action ?? '') : p.url!;
  const { url, auth: urlAuth } = splitUrlCredentials(rawUrl);
  const headers = { ...stringHeaders(service?.headers), ...stringHeaders(p.headers) };
  const username = p.username ?? (p.token ? undefined : service?.username);
  const password = p.password ?? service?.password ?? '';
  const token = p.token ?? (p.username ? undefined : service?.token);
  const auth =
    username !== undefined ? basicAuth(username, password) : token ? `Bearer ${token}` : urlAuth;
  if (auth && !Object.keys(headers).some((k) => k.toLowerCase() === 'authorization')) {
    headers.Authorization = auth;
  }
  return {
    method: p.method.toUpperCase(),
    url,
    headers,
    timeoutMs: parseDurationMs(p.timeout) ?? 30_000,
  };
}

function withBody(base: Omit<HttpRequest, 'body'>, body: unknown): HttpRequest {
  const encoded = encodeBody(body);
  return { ...base, headers: withContentType(base.headers, encoded), body: encoded?.body };
}

function outputBody(ctx: ActionContext, text: string): void {
  if (text === '') return;
  for (const line of truncateBody(text).split('\n')) ctx.output(line, 'stdout');
}

function failure(answer: Extract<HttpAnswer, { ok: false }>, ctx: ActionContext): ActionOutcome {
  if (!answer.aborted) return { ok: false, httpStatus: null, error: answer.error };
  const why = abortKind(ctx.signal) === 'timeout' ? 'timed out' : 'cancelled';
  return { ok: false, httpStatus: null, error: `${why}: ${answer.error}` };
}

async function runPlain(
  p: WebhookParams,
  req: HttpRequest,
  ctx: ActionContext,
): Promise<ActionOutcome> {
  const answer = await httpCall(req, ctx.signal);
  if (!answer.ok) return failure(answer, ctx);
  ctx.output(`${req.method} ${safeUrl(req.url)} -> ${answer.status}`, 'stdout');
  outputBody(ctx, answer.text);
  const expected = parseExpectStatus(p.expect_status ?? '') ?? (() => false);
  if (expected(answer.status)) return { ok: true, httpStatus: answer.status };
  const want = p.expect_status?.trim() || '2xx';
  return { ok: false, httpStatus: answer.status, error: `HTTP ${answer.status}, expected ${want}` };
}

async function runTaskApi(
  p: WebhookParams,
  first: HttpRequest,
  ctx: ActionContext,
): Promise<ActionOutcome> {
  const pauseMs = parseDurationMs(p.poll_interval) ?? 1000;
  let req = first;
  for (let call = 1; call <= p.max_calls; call++) {
    const answer = await httpCall(req, ctx.signal);
    if (!answer.ok) return failure(answer, ctx);
    ctx.output(
      `task_api call ${call}: ${req.method} ${safeUrl(req.url)} -> ${answer.status}`,
      'stdout',
    );
    if (answer.status === 200) {
      outputBody(ctx, answer.text);
      return { ok: true, httpStatus: 200 };
    }
    if (answer.status !== 206) {
      outputBody(ctx, answer.text);
      return {
        ok: false,
        httpStatus: answer.status,
        error: `task_api: HTTP ${answer.status} on call ${call} (task failed)`,
      };
    }
    if (call === p.max_calls) {
      return {
        ok: false,
        httpStatus: 206,
        error: `task_api: still running (206) after max_calls ${p.max_calls} calls`,
      };
    }
    // The response body, as received, is the next request's payload.
    const contentType = answer.contentType ?? 'application/json';
    req = {
      ...req,
      body: answer.text,
      headers: { ...withoutContentType(req.headers), 'Content-Type': contentType },
    };
    if (pauseMs > 0) {
      try {
        await sleep(pauseMs, undefined, { signal: ctx.signal });
      } catch {
        return failure(
          { ok: false, aborted: true, error: `task_api aborted after call ${call}` },
          ctx,
        );
      }
    }
  }
  return { ok: false, httpStatus: null, error: 'task_api: max_calls must be at least 1' };
}

function withoutContentType(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).filter(([k]) => k.toLowerCase() !== 'content-type'));
}

export async function runWebhook(p: WebhookParams, ctx: ActionContext): Promise<ActionOutcome> {
  let base;
  try {
    base = baseRequest(p, ctx.config);
  } catch (err) {
    return { ok: false, httpStatus: null, error: (err as Error).message };
  }
  const protocol = p.protocol ?? (p.service ? 'task_api' : 'plain');
  const req = withBody(base, p.payload ?? p.body);
  return protocol === 'task_api' ? runTaskApi(p, req, ctx) : runPlain(p, req, ctx);
}
