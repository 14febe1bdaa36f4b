// Cluster mode: several daemons on one PostgreSQL, each occurrence run exactly once. The
// database is the only coordinator: the claim key makes each occurrence exactly-once,
// heartbeats in the nodes table decide who is alive (database time), NOTIFY carries
// changes between nodes (polling catches up missed ones). This object wires those pieces
// to one daemon; on SQLite it only registers and heartbeats (the dashboard lists the node).
//
// Work spreads by rendezvous hashing of task ids over the live nodes: the owner fires an
// occurrence at its instant, the others only after a backup delay. Whoever claims first
// runs it; when the owner is dead or saturated, a backup does, a little late.
import type { Clock } from '../clock/clock.js';
import type { Config } from '../config/config.js';
import type { Run } from '../domain/types.js';
import type { SchedulerApi } from '../scheduler/schedulerApi.js';
import type { Store } from '../store/store.js';
import { ChangePoller } from './changePoller.js';
import { ClusterBus } from './clusterEvents.js';
import type { ClusterLogger } from './clusterLogger.js';
import { Membership } from './membership.js';
import { PublishingScheduler } from './publishingScheduler.js';
import { ownerOf } from './rendezvous.js';
import { takeOverDeadNode } from './takeOver.js';

/** The scheduler as the cluster drives it (src/scheduler/loop.ts's Scheduler). */
export interface ClusterScheduler extends SchedulerApi {
  adopt(run: Run): void;
}

export interface ClusterDeps {
  store: Store;
  config: Readonly<Config>;
  clock: Clock;
  logger: ClusterLogger;
  version: string;
}

/** Slack added to the allowed clock skew for the backup delay and the poll's look-back. */
const SLACK_MS = 300;
const POLL_MARGIN_SLACK_MS = 5_000;
const CANCEL_WAIT_MS = 3_000;

/** How long a backup waits after an occurrence's instant: past any allowed skew, within the lease. */
export function backupDelayMs(config: Readonly<Config>): number {
  const c = config.cluster;
  return Math.min(c.leaseMs, c.maxClockSkewMs + SLACK_MS);
}

export class Cluster {
  readonly membership: Membership;
  readonly bus: ClusterBus;
  private readonly backupDelay: number;
  private poller: ChangePoller | null = null;
  private scheduler: ClusterScheduler | null = null;

  constructor(private readonly deps: ClusterDeps) {
    this.backupDelay = backupDelayMs(deps.config);
    this.membership = new Membership({
      store: deps.store,
      clock: deps.clock,
      config: deps.config,
      logger: deps.logger,
      version: deps.version,
      runsInProgress: () => this.scheduler?.status().runsInProgress ?? 0,
      onDeadNode: async (name) => {
        await takeOverDeadNode(name, {
          ...deps,
          node: this.membership.name,
          adopt: (run) => this.scheduler?.adopt(run),
          changed: (run) => this.scheduler?.events.emit('run', run),
        });
      },
    });
    this.bus = new ClusterBus({
      store: deps.store,
      node: this.membership.name,
      logger: deps.logger,
    });
  }

  /**
   * SchedulerDeps.firingDelay: 0 for tasks this node owns (unless it is saturated: every
   * slot under scheduler.maxConcurrentRuns taken), the backup delay for the others.
   */
  readonly firingDelay = (taskId: number): number => {
    const live = this.membership.live;
    if (live.length <= 1) return 0;
    if (ownerOf(taskId, live) === this.membership.name && !this.saturated()) return 0;
    return this.backupDelay;
  };

  /** The SchedulerApi for the task service: changes are also sent to the other nodes. */
  publishing(scheduler: SchedulerApi): SchedulerApi {
    if (this.deps.store.kind !== 'postgres') return scheduler;
    return new PublishingScheduler(scheduler, this.bus, {
      store: this.deps.store,
      clock: this.deps.clock,
      node: this.membership.name,
      liveNodes: () => this.deps.store.nodes.live(this.deps.config.cluster.leaseMs),
      cancelWaitMs: CANCEL_WAIT_MS,
    });
  }

  /** Joins (before scheduler.start(), so the first plan knows the live nodes) and listens. */
  async start(scheduler: ClusterScheduler): Promise<void> {
    this.scheduler = scheduler;
    await this.membership.join();
    if (this.deps.store.kind !== 'postgres') return;
    await this.bus.listen(scheduler);
    const { config, store, clock, logger } = this.deps;
    this.poller = new ChangePoller({
      store,
      clock,
      logger,
      pollMs: config.cluster.pollMs,
      marginMs: config.cluster.maxClockSkewMs + POLL_MARGIN_SLACK_MS,
      apply: (kind, taskId) => this.bus.apply(kind, taskId),
    });
    await this.poller.start();
  }

  /** The node's HTTP address, shown on /nodes (sent with the next heartbeat). */
  setAddress(address: string | null): void {
    this.membership.setAddress(address);
  }

  /** Stops listening and polling, and marks the node stopped. Call after scheduler.stop(). */
  async stop(): Promise<void> {
    await this.poller?.stop();
    await this.bus.close();
    await this.membership.leave();
    this.scheduler = null;
  }

  private saturated(): boolean {
    const s = this.scheduler;
    return s !== null && s.status().runsInProgress >= this.deps.config.scheduler.maxConcurrentRuns;
  }
}
