import type { RunStatus } from './types.js';
import { TaskrError } from '../errors.js';

// The one transition table for run status. Rows may be created as `pending`
// (claimed, about to start or waiting), or directly in `skipped` / `missed`.
// Every other change goes through assertTransition.
const TRANSITIONS: Readonly<Record<RunStatus, readonly RunStatus[]>> = Object.freeze({
  pending: ['running', 'cancelled', 'skipped', 'interrupted'],
  running: ['succeeded', 'failed', 'timed_out', 'cancelled', 'interrupted'],
  succeeded: [],
  failed: [],
  timed_out: [],
  cancelled: [],
  skipped: [],
  missed: [],
  interrupted: [],
});

export const INITIAL_RUN_STATUSES: readonly RunStatus[] = ['pending', 'skipped', 'missed'];
export const ACTIVE_RUN_STATUSES: readonly RunStatus[] = ['pending', 'running'];

export function canTransition(from: RunStatus, to: RunStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function isTerminal(status: RunStatus): boolean {
  return TRANSITIONS[status].length === 0;
}

/** Throws run.illegal_transition unless `from -> to` is in the table. */
export function assertTransition(from: RunStatus, to: RunStatus): void {
  if (!canTransition(from, to)) {
    throw new TaskrError('run.illegal_transition', { from, to });
  }
}

export function allowedTransitions(from: RunStatus): readonly RunStatus[] {
  return TRANSITIONS[from];
}
