// After the router: a path that exists under other methods is a 405 with Allow (ActiveResource
// crashes on a 405 without it); OPTIONS answers with Allow; anything else is a 404.
import type { Context, Next } from 'koa';
import { HttpError } from '../httpError.js';

interface MatchedLayer {
  methods: string[];
}

export async function notAllowedOrNotFound(ctx: Context, next: Next): Promise<void> {
  await next();
  if (ctx.body !== undefined && ctx.body !== null) return;
  if (ctx.status !== 404) return;
  const matched = ((ctx as unknown as { matched?: MatchedLayer[] }).matched ?? []).filter(
    (l) => l.methods.length > 0,
  );
  const allowed = [...new Set(matched.flatMap((l) => l.methods))];
  if (allowed.length > 0) {
    const allow = allowed.join(', ');
    if (ctx.method === 'OPTIONS') {
      ctx.set('Allow', allow);
      ctx.status = 204;
      return;
    }
    const path = (ctx.state as { originalPath?: string }).originalPath ?? ctx.path;
    throw new HttpError(405, `method ${ctx.method} is not allowed on ${path}; allowed: ${allow}`, {
      Allow: allow,
    });
  }
  const shown = (ctx.state as { originalPath?: string }).originalPath ?? ctx.path;
  throw new HttpError(404, `nothing at ${ctx.method} ${shown}`);
}
