// The scheduled instants a bench fires on: whole milliseconds (what an ISO `at` schedule
// can name), spread evenly over a span, or all on one instant for the burst.

/** `count` instants from t0 (inclusive) spread evenly over spanMs, ascending, whole ms. */
export function spreadInstants(t0: number, count: number, spanMs: number): number[] {
  return Array.from({ length: count }, (_, i) => t0 + Math.floor((i * spanMs) / count));
}

/** The next whole second at least leadMs from now (benches start on a round instant). */
export function startAfter(leadMs: number, now = Date.now()): number {
  return Math.ceil((now + leadMs) / 1000) * 1000;
}

/** Resolves at the wall-clock instant (ms since the epoch). */
export function sleepUntil(instant: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, instant - Date.now())));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
