// Retrying a failed claim. A claim is idempotent (its key is the occurrence) and
// all-or-nothing, so one that fails (database down, deadlock victim, lost connection) is
// tried again with backoff rather than losing its occurrences. It is given up, and the
// error rethrown, only once the oldest occurrence would count as missed anyway, or when
// the scheduler stops.
import type { Clock } from '../clock/clock.js';
import type { RunClaim } from '../store/store.js';

/** Backoff of a failed claim: 250 ms, doubling, at most 5 s. */
const FIRST_MS = 250;
const MAX_MS = 5_000;

export interface ClaimRetryDeps {
  clock: Clock;
  misfireThresholdMs: number;
  stopped: () => boolean;
  warn?: (obj: object, msg: string) => void;
}

export async function withClaimRetry<T>(
  claims: readonly RunClaim[],
  attempt: () => Promise<T>,
  deps: ClaimRetryDeps,
): Promise<T> {
  let oldest = Infinity;
  for (const c of claims) oldest = Math.min(oldest, c.scheduledFor.getTime());
  for (let delay = FIRST_MS; ; delay = Math.min(delay * 2, MAX_MS)) {
    try {
      return await attempt();
    } catch (err) {
      const age = deps.clock.now() - oldest;
      if (deps.stopped() || !(age + delay <= deps.misfireThresholdMs)) throw err;
      const message = err instanceof Error ? err.message : String(err);
      deps.warn?.(
        { err: message, claims: claims.length, retryInMs: delay },
        'scheduler: claiming runs failed; retrying',
      );
      await new Promise<void>((resolve) => deps.clock.setTimer(resolve, delay));
    }
  }
}
