// PURE: how long the loop's one timer sleeps. It never sleeps past the cap, so the loop
// re-reads the wall clock at least that often (a clock stepped forward is noticed).
//
// Linux ends a long sleep late by its timer slack (poll/epoll: 0.1 % of the timeout for a
// normal process, 0.5 % if niced, at most 100 ms): here a timer armed 4 s ahead fired
// 4-5 ms late, one armed 5 s ahead 6-8 ms late (0.15 %). So a long sleep ends 0.2 % + 1 ms
// early, on purpose; the wake finds nothing due yet and arms a short hop to the instant,
// whose slack is ~50 us.

/** Sleeps shorter than this are armed as they are (their slack is under 0.05 ms). */
export const PREWAKE_MIN_MS = 20;

/** How much earlier than `delay` a sleep ends: 0.2 % of it (above the slack seen) plus 1 ms. */
export function prewake(delay: number): number {
  return delay >= PREWAKE_MIN_MS ? Math.ceil(delay / 500) + 1 : 0;
}

/**
 * Delay in ms until the next wake: earliestDue - now less prewake(), at most the cap (a
 * sleep of s <= delay - prewake(delay) ends before the instant even 0.2 % late); an
 * overdue instant: 0; nothing due: the cap.
 */
export function nextWake(earliestDue: number | null, now: number, capMs: number): number {
  if (earliestDue === null) return capMs;
  const delay = Math.max(0, earliestDue - now);
  return Math.min(capMs, delay - prewake(delay));
}
