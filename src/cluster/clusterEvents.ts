// The events nodes send each other after a change (PostgreSQL NOTIFY payloads), and the
// bus that sends them and applies the ones it receives. Received changes are applied one
// at a time, in arrival order: two quick changes to one task (edit, then pause) must not
// be re-read out of order.
import type { ClusterEventListener, Store } from '../store/store.js';
import { errorText, type ClusterLogger } from './clusterLogger.js';

export const CLUSTER_EVENT_KINDS = ['changed', 'removed', 'run', 'cancel'] as const;
export type ClusterEventKind = (typeof CLUSTER_EVENT_KINDS)[number];

/** {kind, taskId, runId?, node}: `node` is the sender (a node ignores its own events). */
export interface ClusterEvent {
  kind: ClusterEventKind;
  taskId: number;
  runId?: number;
  node: string;
}

export function encodeEvent(event: ClusterEvent): string {
  return JSON.stringify(event);
}

/** The event, or null for a payload that is not one (never throws). */
export function decodeEvent(payload: string): ClusterEvent | null {
  let v: unknown;
  try {
    v = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const e = v as Record<string, unknown>;
  if (!CLUSTER_EVENT_KINDS.includes(e.kind as ClusterEventKind)) return null;
  if (!Number.isSafeInteger(e.taskId) || typeof e.node !== 'string') return null;
  if (e.runId !== undefined && !Number.isSafeInteger(e.runId)) return null;
  return e as unknown as ClusterEvent;
}

/** What a received event changes on this node (the real scheduler, not a publishing one). */
export interface EventTarget {
  taskChanged(taskId: number): Promise<void>;
  taskRemoved(taskId: number): Promise<void>;
  cancel(taskId: number): Promise<unknown>;
}

export interface ClusterBusDeps {
  store: Store;
  node: string;
  logger: ClusterLogger;
}

export class ClusterBus {
  private chain: Promise<void> = Promise.resolve();
  private listener: ClusterEventListener | null = null;
  private target: EventTarget | null = null;

  constructor(private readonly deps: ClusterBusDeps) {}

  /** Tells every other node; a failure is logged (the poller catches changes up). */
  async publish(kind: ClusterEventKind, taskId: number, runId?: number): Promise<void> {
    const event: ClusterEvent = { kind, taskId, node: this.deps.node };
    if (runId !== undefined) event.runId = runId;
    try {
      await this.deps.store.nodes.publish(encodeEvent(event));
    } catch (err) {
      this.deps.logger.warn(
        { err: errorText(err), kind, taskId },
        'cluster: could not notify the other nodes; they will see the change by polling',
      );
    }
  }

  /** Starts applying received events to `target` (PostgreSQL; nothing to hear on SQLite). */
  async listen(target: EventTarget): Promise<void> {
    this.target = target;
    this.listener = await this.deps.store.nodes.listen(
      (payload) => this.receive(payload),
      (err) =>
        this.deps.logger.warn(
          { err: errorText(err) },
          'cluster: the event connection dropped; reconnecting (polling covers the gap)',
        ),
    );
  }

  /** Applies a change on this node, after every change received before it. */
  apply(kind: ClusterEventKind, taskId: number): Promise<void> {
    const target = this.target;
    if (!target) return Promise.resolve();
    const step = async (): Promise<void> => {
      if (kind === 'changed') await target.taskChanged(taskId);
      else if (kind === 'removed') await target.taskRemoved(taskId);
      else if (kind === 'cancel') await target.cancel(taskId);
      // `run`: a run started elsewhere; nothing to change here.
    };
    const next = this.chain
      .then(step)
      .catch((err: unknown) =>
        this.deps.logger.warn(
          { err: errorText(err), kind, taskId },
          'cluster: applying a change from another node failed',
        ),
      );
    this.chain = next;
    return next;
  }

  async close(): Promise<void> {
    const l = this.listener;
    this.listener = null;
    this.target = null;
    if (l) await l.close();
    await this.chain;
  }

  private receive(payload: string): void {
    const event = decodeEvent(payload);
    if (!event || event.node === this.deps.node) return;
    void this.apply(event.kind, event.taskId);
  }
}
