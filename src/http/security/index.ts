// The HTTP security layer, assembled for createApp. Two middleware stacks because the CSRF
// token is a form field and must wait for the body parser, while everything else must run
// before a body is even read (an unauthenticated client gets nothing parsed):
//   requestId  -> (errors, format) -> guard: host, rate limit, origin/CORS, authentication
//   -> (body parser) -> csrf -> (method override, routes)
import type { Context, Middleware, Next } from 'koa';
import type { CredentialStore } from '../../auth/credentialStore.js';
import { systemClock, type Clock } from '../../clock/clock.js';
import type { Config } from '../../config/config.js';
import { authenticate } from './authenticate.js';
import { csrfProtection, CsrfTokens } from './csrf.js';
import { hostCheck, hostPolicy } from './hostCheck.js';
import { originCheck } from './originCheck.js';
import { rateLimit } from './rateLimit.js';
import { requestId } from './requestId.js';

export interface SecurityDeps {
  /** The users and tokens; null turns authentication off (the daemon allows that on loopback only). */
  credentials: CredentialStore | null;
  /** CSRF checks; always on in the daemon. Only tests of unrelated features turn them off. */
  csrf?: boolean;
  /** Time for the rate limiter (real time by default, also when the scheduler's clock is manual). */
  clock?: Clock;
}

export interface SecurityMiddleware {
  requestId: Middleware;
  guard: Middleware;
  csrf: Middleware;
}

type Step = (ctx: Context, next: Next) => Promise<void>;

/** Runs the steps in order as one middleware (koa-compose is only a transitive dependency). */
function chain(steps: Step[]): Middleware {
  return (ctx: Context, next: Next) => {
    const dispatch = (i: number): Promise<void> =>
      i === steps.length ? Promise.resolve(next()) : steps[i]!(ctx, () => dispatch(i + 1));
    return dispatch(0);
  };
}

export function createSecurity(config: Readonly<Config>, deps: SecurityDeps): SecurityMiddleware {
  const http = config.http;
  const guard = chain([
    hostCheck(hostPolicy(config.bind, http.allowedHosts)),
    rateLimit({ ...http.rateLimit, clock: deps.clock ?? systemClock }),
    originCheck(http.cors.origins),
    authenticate(deps.credentials),
  ]);
  return {
    requestId,
    guard,
    csrf: csrfProtection(new CsrfTokens(), deps.csrf ?? true),
  };
}

export { CredentialStore } from '../../auth/credentialStore.js';
export { serverOptions } from './serverTimeouts.js';
