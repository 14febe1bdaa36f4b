// Taskr's method override: a POST carrying `_method=DELETE|PUT|PATCH` (any case) in the
// query string or the form body is dispatched as that method, for HTML forms and HTTP
// clients without DELETE (`POST /tasks/123?_method=DELETE` deletes task 123).
import type { Context, Next } from 'koa';
import { HttpError } from '../httpError.js';
import { state } from '../state.js';

const OVERRIDES = ['DELETE', 'PUT', 'PATCH'];

function firstString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return firstString(v[v.length - 1]);
  return undefined;
}

/** The method a POST stands for, or null when it is not overridden. */
export function overriddenMethod(query: unknown, body: unknown): string | null {
  const fromQuery = firstString((query as Record<string, unknown> | null)?._method);
  const fromBody = firstString((body as Record<string, unknown> | null)?._method);
  const raw = (fromQuery ?? fromBody)?.trim();
  if (!raw) return null;
  const method = raw.toUpperCase();
  if (method === 'POST') return null;
  if (!OVERRIDES.includes(method)) {
    throw new HttpError(
      400,
      `_method '${raw.slice(0, 20)}' is not allowed; use DELETE, PUT or PATCH`,
    );
  }
  return method;
}

export async function methodOverride(ctx: Context, next: Next): Promise<void> {
  if (ctx.method === 'POST') {
    const method = overriddenMethod(ctx.query, state(ctx).body);
    if (method) ctx.method = method;
  }
  await next();
}
