// Koa middleware counting every answered request by method, the matched @koa/router pattern
// (`/tasks/:id`, never the raw path, so cardinality stays bounded) and final status.
// It runs outermost, so it sees the status the error handler (and any guard) settled on.
import type { Context, Next } from 'koa';
import type { TaskrMetrics } from './taskrMetrics.js';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** The route label: the router's pattern, or `unmatched` (404s, requests refused before routing). */
export function routeLabel(ctx: Context): string {
  const matched = (ctx as unknown as { _matchedRoute?: string | RegExp })._matchedRoute;
  if (typeof matched === 'string' && matched !== '') return matched;
  return matched instanceof RegExp ? matched.source : 'unmatched';
}

export function httpMetrics(metrics: Pick<TaskrMetrics, 'observeHttp'>) {
  return async function countRequests(ctx: Context, next: Next): Promise<void> {
    const started = process.hrtime.bigint();
    let status = 500;
    try {
      await next();
      status = ctx.status;
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const method = METHODS.has(ctx.method) ? ctx.method : 'OTHER';
      metrics.observeHttp(method, routeLabel(ctx), status, seconds);
    }
  };
}
