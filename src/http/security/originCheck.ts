// Cross-site requests are refused: a present Origin must be this server's own (same Host) or
// one listed in http.cors.origins, which also get CORS headers. CORS is off by default.
// Preflights from a listed origin are answered here, before authentication (browsers send
// no credentials on a preflight).
import type { Context, Next } from 'koa';
import { TaskrError } from '../../errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const ALLOW_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE';
const ALLOW_HEADERS = 'Authorization, Content-Type, Accept, X-Request-ID, X-CSRF-Token';
const EXPOSE_HEADERS = 'Location, X-Request-ID, Retry-After, WWW-Authenticate, Allow';

/** `https://Example.com:443/` -> `https://example.com`, or null when not an origin. */
export function normaliseOrigin(text: string): string | null {
  try {
    const u = new URL(text);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
  } catch {
    return null;
  }
}

function sameOrigin(origin: string, hostHeader: string): boolean {
  return hostHeader !== '' && new URL(origin).host === hostHeader.trim().toLowerCase();
}

function setCors(ctx: Context, origin: string): void {
  ctx.set('Access-Control-Allow-Origin', origin);
  ctx.set('Access-Control-Expose-Headers', EXPOSE_HEADERS);
}

export function originCheck(corsOrigins: readonly string[]) {
  const listed = new Set(corsOrigins.map((o) => normaliseOrigin(o) ?? o));
  return async function checkOrigin(ctx: Context, next: Next): Promise<void> {
    ctx.vary('Origin');
    const header = ctx.get('Origin');
    if (header === '') {
      // Older browsers omit Origin; Sec-Fetch-Site still tells a cross-site write.
      if (ctx.get('Sec-Fetch-Site') === 'cross-site' && !SAFE_METHODS.has(ctx.method)) {
        throw new TaskrError('http.origin_forbidden', { origin: '(cross-site, no Origin)' });
      }
      return next();
    }
    const origin = normaliseOrigin(header);
    if (origin && sameOrigin(origin, ctx.get('Host'))) return next();
    if (!origin || !listed.has(origin)) {
      throw new TaskrError('http.origin_forbidden', { origin: header.slice(0, 100) });
    }
    setCors(ctx, origin);
    if (ctx.method === 'OPTIONS' && ctx.get('Access-Control-Request-Method') !== '') {
      ctx.set('Access-Control-Allow-Methods', ALLOW_METHODS);
      ctx.set('Access-Control-Allow-Headers', ALLOW_HEADERS);
      ctx.set('Access-Control-Max-Age', '600');
      ctx.status = 204;
      return;
    }
    await next();
  };
}
