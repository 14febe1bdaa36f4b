// CSRF protection: a signed double-submit token. A browser gets a random nonce in the
// HttpOnly, SameSite=Strict cookie `taskr_csrf`; its forms carry
// HMAC(server key, nonce + user) in the `_csrf` field. A cross-site page can neither read the
// page's token nor forge one for a cookie it planted (e.g. from another port of the same
// host: cookies ignore ports), because it lacks the key. Binding the user in means a token
// seen by one user is worthless to another. The key is per process: after a restart a form
// rendered before it is refused once (reload the page). Works with JavaScript off.
//
// Only writes a browser can send cross-site without a CORS preflight need the token: bodies
// of the form media types (urlencoded, multipart, text/plain) and bodies without a
// Content-Type. JSON and XML bodies, and requests carrying `Authorization: Bearer`, force a
// preflight that the Origin check refuses, so API clients (ActiveResource, curl with JSON)
// need nothing. A body-less POST without Content-Type (`curl -X POST .../run`) can only come
// from fetch in a browser, which sends Origin: the Origin check covers it.
//
// Scripts that post forms (Taskr-era PHP clients such as Zend_Rest_Client, `curl -d`) never
// saw a form and cannot carry a token. They also carry none of the marks every current
// browser puts on a form post (Sec-Fetch-Site, Origin) nor a cookie or Referer, so a form
// post with none of those four is not one a browser could have been tricked into sending,
// and it needs no token. (A browser old enough to send none of them is not supported.)
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, Next } from 'koa';
import type { Principal } from '../../auth/principal.js';
import { TaskrError } from '../../errors.js';
import { state } from '../state.js';
import { runWithCsrfToken } from './requestContext.js';

export const CSRF_COOKIE = 'taskr_csrf';
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const FORM_TYPES = new Set([
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
]);
const NONCE = /^[A-Za-z0-9_-]{24}$/;

/** The headers that show a request came from a browser (see the comment at the top). */
export interface BrowserMarks {
  cookie?: string;
  origin?: string;
  referer?: string;
  secFetchSite?: string;
}

export function fromBrowser(marks: BrowserMarks): boolean {
  return Boolean(marks.cookie || marks.origin || marks.referer || marks.secFetchSite);
}

/** Whether a browser could send this write cross-site without a preflight. */
export function needsCsrfToken(
  method: string,
  contentType: string,
  hasBody: boolean,
  authorization: string,
  marks: BrowserMarks = { secFetchSite: 'unknown' },
): boolean {
  if (SAFE_METHODS.has(method)) return false;
  if (/^bearer\s/i.test(authorization)) return false;
  if (!fromBrowser(marks)) return false;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return FORM_TYPES.has(type) || (type === '' && hasBody);
}

export class CsrfTokens {
  private readonly key = randomBytes(32);

  /** The token for a browser's nonce and the user it acts as. */
  tokenFor(nonce: string, user: string): string {
    return createHmac('sha256', this.key).update(`${nonce}\0${user}`).digest('base64url');
  }

  matches(given: string, nonce: string, user: string): boolean {
    const expected = Buffer.from(this.tokenFor(nonce, user));
    const actual = Buffer.from(given);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }
}

function firstString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  return Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;
}

function refuse(detail: string): TaskrError {
  return new TaskrError('http.csrf_failed', { detail });
}

/** Runs after the body parser (the token is a form field) and before the method override. */
export function csrfProtection(tokens: CsrfTokens, enabled = true) {
  return async function checkCsrf(ctx: Context, next: Next): Promise<void> {
    const st = state(ctx);
    const user = (ctx.state.principal as Principal | undefined)?.name ?? 'anonymous';
    let nonce = ctx.cookies.get(CSRF_COOKIE);
    if (nonce !== undefined && !NONCE.test(nonce)) nonce = undefined;
    const given = firstString(st.body[CSRF_FIELD]) ?? (ctx.get(CSRF_HEADER) || undefined);
    delete st.body[CSRF_FIELD];
    const hasBody = st.bodyKind !== 'none';
    if (
      enabled &&
      needsCsrfToken(ctx.method, ctx.get('Content-Type'), hasBody, ctx.get('Authorization'), {
        cookie: ctx.get('Cookie'),
        origin: ctx.get('Origin'),
        referer: ctx.get('Referer'),
        secFetchSite: ctx.get('Sec-Fetch-Site'),
      })
    ) {
      if (nonce === undefined) throw refuse('no taskr_csrf cookie came with the form');
      if (given === undefined) throw refuse(`the form has no ${CSRF_FIELD} field`);
      if (!tokens.matches(given, nonce, user))
        throw refuse(`the ${CSRF_FIELD} token does not match`);
    }
    if (nonce === undefined && st.format === 'html' && SAFE_METHODS.has(ctx.method)) {
      nonce = randomBytes(18).toString('base64url');
      ctx.cookies.set(CSRF_COOKIE, nonce, {
        httpOnly: true,
        sameSite: 'strict',
        path: '/',
        overwrite: true,
      });
    }
    await runWithCsrfToken(nonce === undefined ? undefined : tokens.tokenFor(nonce, user), next);
  };
}
