// The claim's rows: its columns, the one order every claimer takes keys in, and matching
// won rows back to the claims (runStore.ts).
import type { Run } from '../../domain/types.js';
import type { ClaimedStart, RunClaim } from '../store.js';

export const CLAIM_COLUMNS = [
  'task_id',
  'scheduled_for',
  'attempt',
  'trigger_type',
  'status',
  'run_at',
  'node',
  'error',
  'missed_count',
] as const;

// PostgreSQL types a VALUES list from its parameters, so each needs a cast to match the column.
export const PG_CASTS = [
  'integer',
  'timestamptz',
  'integer',
  'varchar',
  'varchar',
  'timestamptz',
  'varchar',
  'text',
  'integer',
];

export function claimKeyOf(c: { taskId: number; scheduledFor: Date; attempt: number }): string {
  return `${c.taskId}|${c.scheduledFor.getTime()}|${c.attempt}`;
}

/**
 * Unique claims in one total order (scheduledFor, taskId, attempt) for every claimer:
 * concurrent claimers then take the unique-index entries in the same order (no PG
 * deadlock), and new run ids follow that order (chronological), whatever the input order.
 */
export function sortedClaims<C extends RunClaim>(claims: readonly C[]): C[] {
  const unique = new Map<string, C>();
  for (const c of claims) unique.set(claimKeyOf(c), c);
  return [...unique.values()].sort(
    (a, b) =>
      a.scheduledFor.getTime() - b.scheduledFor.getTime() ||
      a.taskId - b.taskId ||
      a.attempt - b.attempt,
  );
}

export function compareClaims(a: RunClaim, b: RunClaim): number {
  return (
    a.scheduledFor.getTime() - b.scheduledFor.getTime() ||
    a.taskId - b.taskId ||
    a.attempt - b.attempt
  );
}

/**
 * The claims' indexes in sortedClaims' order (scheduledFor, taskId, attempt), each key
 * once (its first position). A wake's claims usually come sorted already: one pass checks.
 */
export function claimOrder(claims: readonly RunClaim[]): number[] {
  const order = new Array<number>(claims.length);
  let sorted = true;
  for (let i = 0; i < claims.length; i++) {
    order[i] = i;
    if (i > 0 && compareClaims(claims[i - 1]!, claims[i]!) >= 0) sorted = false;
  }
  if (sorted) return order;
  order.sort((a, b) => compareClaims(claims[a]!, claims[b]!) || a - b);
  return order.filter(
    (idx, k) => k === 0 || compareClaims(claims[order[k - 1]!]!, claims[idx]!) !== 0,
  );
}

/** The won runs in the claims' input order, each inserted key once. */
export function inInputOrder(claims: readonly RunClaim[], won: Run[]): ClaimedStart[] {
  const inserted = new Map<string, Run>();
  for (const run of won) inserted.set(claimKeyOf(run), run);
  const out: ClaimedStart[] = [];
  for (const c of claims) {
    const key = claimKeyOf(c);
    const run = inserted.get(key);
    if (run) {
      out.push({ claimed: run, running: null });
      inserted.delete(key);
    }
  }
  return out;
}

/** The row a claim inserted (every column is given by the claim or is a default). */
export function claimedRun(id: number, c: RunClaim): Run {
  return {
    id,
    taskId: c.taskId,
    scheduledFor: c.scheduledFor,
    trigger: c.trigger,
    attempt: c.attempt,
    status: c.status,
    runAt: c.runAt,
    startedAt: null,
    finishedAt: null,
    durationMs: null,
    error: c.error ?? null,
    missedCount: c.missedCount ?? null,
    node: c.node,
    results: [],
  };
}
