// What a survivor does for a node declared dead: its `running` runs become `interrupted`
// (retried where the task's retries policy says so) and its `pending` runs (claimed, not
// started: waiting for a slot or for a retry's runAt) are handed to the survivor. Safe to
// repeat or to race: interrupting is a compare-and-set on status, a retry is a claim
// (attempt + 1) that only one node can win, and reassigning moves each pending row once.
import type { Clock } from '../clock/clock.js';
import type { Config } from '../config/config.js';
import type { Run } from '../domain/types.js';
import { retryDelay } from '../scheduler/overlap.js';
import type { Store } from '../store/store.js';
import type { ClusterLogger } from './clusterLogger.js';

export interface TakeOverDeps {
  store: Store;
  clock: Clock;
  config: Readonly<Config>;
  logger: ClusterLogger;
  /** This (surviving) node. */
  node: string;
  /** Hands a pending run of this node to its scheduler. */
  adopt(run: Run): void;
  /** Tells listeners (dashboard, metrics) that a run changed. */
  changed(run: Run): void;
}

export interface TakeOverResult {
  interrupted: number;
  retried: number;
  adopted: number;
}

export async function takeOverDeadNode(dead: string, deps: TakeOverDeps): Promise<TakeOverResult> {
  const { store, clock, config } = deps;
  const error = `interrupted: node ${dead} stopped heartbeating (lease of ${config.cluster.leaseMs} ms expired)`;
  const running = await store.nodes.runningRuns(dead);
  const interrupted = await store.runs.interruptRunning(error, dead, { at: new Date(clock.now()) });
  let retried = 0;
  for (const before of running) {
    // Re-read: only a run this interrupt ended (not one that finished meanwhile) is retried.
    const run = await store.runs.get(before.id);
    if (!run || run.status !== 'interrupted') continue;
    deps.changed(run);
    const retry = await claimRetry(run, deps);
    if (retry) {
      retried++;
      deps.changed(retry);
      deps.adopt(retry);
    }
  }
  const pending = await store.nodes.reassignPending(dead, deps.node);
  for (const run of pending) deps.adopt(run);
  const result = { interrupted, retried, adopted: pending.length };
  deps.logger.warn(
    { node: dead, ...result },
    `cluster: took over node ${dead}: ${interrupted} run(s) interrupted, ${retried} retried, ` +
      `${pending.length} pending run(s) moved to ${deps.node}`,
  );
  return result;
}

async function claimRetry(run: Run, deps: TakeOverDeps): Promise<Run | null> {
  const task = await deps.store.tasks.get(run.taskId);
  if (!task) return null;
  const retries = task.policies.retries ?? deps.config.defaults.retries;
  if (run.attempt > retries) return null;
  const backoff = task.policies.retryBackoffMs ?? deps.config.defaults.retryBackoffMs;
  const [claimed] = await deps.store.runs.claim([
    {
      taskId: run.taskId,
      scheduledFor: run.scheduledFor,
      attempt: run.attempt + 1,
      trigger: 'retry',
      status: 'pending',
      runAt: new Date(deps.clock.now() + retryDelay(run.attempt, backoff)),
      node: deps.node,
    },
  ]);
  return claimed ?? null;
}
