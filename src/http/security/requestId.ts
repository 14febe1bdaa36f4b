// X-Request-ID: a client's id is kept when it is sane (printable, short: it goes into logs),
// otherwise a fresh one is made; either way it is echoed and put on ctx.state.requestId.
import { randomUUID } from 'node:crypto';
import type { Context, Next } from 'koa';

const SANE_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** The client's id if acceptable, else a new UUID. */
export function chooseRequestId(given: string | undefined): string {
  return given !== undefined && SANE_ID.test(given) ? given : randomUUID();
}

export async function requestId(ctx: Context, next: Next): Promise<void> {
  const id = chooseRequestId(ctx.get('X-Request-ID') || undefined);
  ctx.state.requestId = id;
  ctx.set('X-Request-ID', id);
  await next();
}
