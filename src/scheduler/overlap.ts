// PURE: what to do with a new occurrence while the task already has runs in progress,
// and how long a retry waits.
import type { OverlapPolicy } from '../domain/types.js';

export type OverlapDecision = 'start' | 'skip' | 'queue' | 'replace';

export interface ActiveRuns {
  /** Runs of the task executing (or claimed and about to execute). */
  running: number;
  /** Runs of the task waiting behind a running one (at most one under `queue`). */
  queued: number;
}

export function decideOverlap(policy: OverlapPolicy, active: ActiveRuns): OverlapDecision {
  const busy = active.running > 0 || active.queued > 0;
  switch (policy) {
    case 'allow':
      return 'start';
    case 'skip':
      return busy ? 'skip' : 'start';
    case 'queue':
      // Never more than one waiting run: a burst collapses into one follow-up.
      if (active.queued > 0) return 'skip';
      return active.running > 0 ? 'queue' : 'start';
    case 'replace':
      return active.running > 0 ? 'replace' : 'start';
  }
}

/** The longest a retry ever waits, whatever the attempt. */
export const MAX_RETRY_DELAY_MS = 86_400_000;

/** backoffMs * 2^(attempt-1), capped at one day; attempt is the attempt that failed (1-based). */
export function retryDelay(attempt: number, backoffMs: number, capMs = MAX_RETRY_DELAY_MS): number {
  if (backoffMs <= 0) return 0;
  const exp = Math.max(0, Math.floor(attempt) - 1);
  // 2^exp overflows to Infinity for large attempts; min() keeps the cap.
  return Math.min(capMs, backoffMs * 2 ** Math.min(exp, 1024));
}
