// PURE: how long the loop's one timer sleeps. It never sleeps past the cap, so the loop
// re-reads the wall clock at least that often (a clock stepped forward is noticed).

/** Delay in ms until the next wake: clamp(earliestDue - now, 0, cap); nothing due → cap. */
export function nextWake(earliestDue: number | null, now: number, capMs: number): number {
  if (earliestDue === null) return capMs;
  return Math.min(capMs, Math.max(0, earliestDue - now));
}
