// Rate limits as in the dispatch seed: requests per second per client and requests in flight,
// each a 429 with Retry-After. A token bucket per client address in one small file rather than
// koa-ratelimit: that one needs an external store (Redis or a Map driver) and counts fixed
// windows, while one daemon needs neither; the bucket also allows a short burst.
import type { Context, Next } from 'koa';
import type { Clock } from '../../clock/clock.js';
import { TaskrError } from '../../errors.js';

interface Bucket {
  tokens: number;
  at: number;
}

/** Buckets kept before idle ones (full again, so equal to a fresh bucket) are swept. */
const SWEEP_AT = 10_000;

export type TakeResult = { ok: true } | { ok: false; retryAfterSeconds: number };

/** A token bucket per key: `burst` tokens, refilled at `perSecond`. Time comes from the Clock. */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly clock: Clock,
  ) {}

  private level(b: Bucket, now: number): number {
    // A clock that jumps backward refills nothing (elapsed is clamped at 0).
    const elapsed = Math.max(0, now - b.at) / 1000;
    return Math.min(this.burst, b.tokens + elapsed * this.perSecond);
  }

  take(key: string): TakeResult {
    const now = this.clock.now();
    if (this.buckets.size >= SWEEP_AT) this.sweep(now);
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    b.tokens = this.level(b, now);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true };
    }
    return {
      ok: false,
      retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / this.perSecond)),
    };
  }

  private sweep(now: number): void {
    for (const [key, b] of this.buckets)
      if (this.level(b, now) >= this.burst) this.buckets.delete(key);
  }

  get size(): number {
    return this.buckets.size;
  }
}

export interface RateLimitOptions {
  perSecond: number;
  burst: number;
  maxInFlight: number;
  clock: Clock;
}

/** 429 + Retry-After beyond the per-client rate or the in-flight cap (0 turns either off). */
export function rateLimit(opts: RateLimitOptions) {
  const buckets =
    opts.perSecond > 0 ? new TokenBuckets(opts.perSecond, opts.burst, opts.clock) : null;
  let inFlight = 0;
  return async function limitRate(ctx: Context, next: Next): Promise<void> {
    if (opts.maxInFlight > 0 && inFlight >= opts.maxInFlight) {
      ctx.set('Retry-After', '1');
      throw new TaskrError('http.too_busy', { limit: opts.maxInFlight, retryAfter: 1 });
    }
    // The socket's address: X-Forwarded-For is not trusted (app.proxy is off).
    const taken = buckets?.take(ctx.ip) ?? { ok: true };
    if (!taken.ok) {
      ctx.set('Retry-After', String(taken.retryAfterSeconds));
      throw new TaskrError('http.rate_limited', {
        client: ctx.ip,
        limit: opts.perSecond,
        retryAfter: taken.retryAfterSeconds,
      });
    }
    inFlight += 1;
    try {
      await next();
    } finally {
      inFlight -= 1;
    }
  };
}
