// Every route but the public ones needs credentials: HTTP Basic (what a browser and
// ActiveResource's user/password send) or `Authorization: Bearer <token>`. A 401 always
// carries the Basic challenge so a browser asks for a login, with JavaScript or without.
// A viewer may only read; anything else it sends is a 403.
import type { Context, Next } from 'koa';
import type { CredentialStore } from '../../auth/credentialStore.js';
import { ANONYMOUS_ADMIN, mayUse, type Principal } from '../../auth/principal.js';
import { TaskrError } from '../../errors.js';

export const CHALLENGE = 'Basic realm="Taskr"';
const MAX_HEADER = 4096;

/** Paths served without credentials: the liveness probe and the dashboard's CSS/JS. */
export function isPublicPath(path: string): boolean {
  return path === '/health' || path.startsWith('/assets/');
}

function unauthorized(ctx: Context, err: TaskrError): TaskrError {
  ctx.set('WWW-Authenticate', CHALLENGE);
  return err;
}

async function principalOf(ctx: Context, store: CredentialStore): Promise<Principal> {
  const header = ctx.get('Authorization');
  if (header === '') throw unauthorized(ctx, new TaskrError('auth.required'));
  if (header.length > MAX_HEADER) {
    throw unauthorized(ctx, new TaskrError('auth.malformed', { detail: 'too long' }));
  }
  const m = /^(\w+) +(\S+) *$/.exec(header);
  const scheme = m?.[1]?.toLowerCase();
  if (m && scheme === 'basic') {
    const decoded = Buffer.from(m[2]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) {
      throw unauthorized(
        ctx,
        new TaskrError('auth.malformed', { detail: 'Basic credentials need user:password' }),
      );
    }
    const found = await store.verifyBasic(decoded.slice(0, colon), decoded.slice(colon + 1));
    if (found) return found;
    throw unauthorized(ctx, new TaskrError('auth.invalid_credentials', { scheme: 'Basic' }));
  }
  if (m && scheme === 'bearer') {
    const found = await store.verifyToken(m[2]!);
    if (found) return found;
    throw unauthorized(ctx, new TaskrError('auth.invalid_credentials', { scheme: 'Bearer' }));
  }
  throw unauthorized(
    ctx,
    new TaskrError('auth.malformed', { detail: 'use the Basic or Bearer scheme' }),
  );
}

/** credentials null: authentication is off (loopback only); every request acts as admin. */
export function authenticate(credentials: CredentialStore | null) {
  return async function requireCredentials(ctx: Context, next: Next): Promise<void> {
    if (credentials === null) {
      ctx.state.principal = ANONYMOUS_ADMIN;
      return next();
    }
    if (isPublicPath(ctx.path)) return next();
    const principal = await principalOf(ctx, credentials);
    ctx.state.principal = principal;
    if (!mayUse(principal, ctx.method)) {
      throw new TaskrError('auth.forbidden', {
        user: principal.name,
        role: principal.role,
        method: ctx.method,
      });
    }
    await next();
  };
}
