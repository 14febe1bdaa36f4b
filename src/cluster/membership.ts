// This node's membership: it registers in the nodes table, heartbeats every
// cluster.heartbeatMs, keeps the list of live nodes (for rendezvous hashing), measures its
// clock against the database's, and declares dead any node whose heartbeat is older than
// the lease. Invariants: "alive" is decided in SQL with database time only; a dead node is
// declared dead (and taken over) by exactly one survivor, through markDead's guarded UPDATE.
import type { Clock, TimerHandle } from '../clock/clock.js';
import type { Config } from '../config/config.js';
import type { NodeBeat, Store } from '../store/store.js';
import { ClockSkewMonitor } from './clockSkew.js';
import { errorText, type ClusterLogger } from './clusterLogger.js';

export interface MembershipDeps {
  store: Store;
  clock: Clock;
  config: Readonly<Config>;
  logger: ClusterLogger;
  version: string;
  runsInProgress(): number;
  /** Called on the one node that declared `name` dead: take over its runs. */
  onDeadNode(name: string): Promise<void>;
}

/** Dead and stopped nodes are forgotten a day after their last heartbeat. */
const FORGET_AFTER_MS = 24 * 3_600_000;
/** Pruning runs on one heartbeat in this many. */
const PRUNE_EVERY = 100;

export class Membership {
  readonly name: string;
  private liveNodes: readonly string[] = [];
  private address: string | null = null;
  private timer: TimerHandle | null = null;
  private beating: Promise<void> | null = null;
  private stopped = true;
  private beats = 0;
  private readonly skew: ClockSkewMonitor;

  constructor(private readonly deps: MembershipDeps) {
    this.name = deps.config.nodeName;
    this.skew = new ClockSkewMonitor(this.name, deps.config.cluster.maxClockSkewMs, deps.logger);
  }

  /** Live nodes as of the last heartbeat (sorted; always includes this node once joined). */
  get live(): readonly string[] {
    return this.liveNodes;
  }

  get clockSkewMs(): number | null {
    return this.skew.skewMs;
  }

  /** Records the node's HTTP address and sends it at once (the /nodes page shows it). */
  setAddress(address: string | null): void {
    this.address = address;
    if (!this.stopped) void this.beat();
  }

  /** Registers this node, reads the live set, and starts heartbeating. */
  async join(): Promise<void> {
    const { store, logger, config } = this.deps;
    const previous = (await store.nodes.list(config.cluster.leaseMs)).find(
      (n) => n.name === this.name,
    );
    if (previous?.alive) {
      logger.warn(
        { node: this.name },
        `cluster: node name ${this.name} was alive within the lease; if another daemon runs ` +
          'with this name, give each daemon its own TASKR_NODE_NAME',
      );
    }
    await this.register();
    await this.refresh();
    this.stopped = false;
    this.arm();
  }

  /** Stops heartbeating and marks the node stopped (a clean shutdown). */
  async leave(): Promise<void> {
    this.stopped = true;
    if (this.timer) this.deps.clock.clearTimer(this.timer);
    this.timer = null;
    await this.beating?.catch(() => undefined);
    try {
      await this.deps.store.nodes.leave(this.name);
    } catch (err) {
      this.deps.logger.warn({ err: errorText(err) }, 'cluster: could not mark this node stopped');
    }
  }

  /** One heartbeat: refresh, measure skew, re-read the live set, take over dead nodes. */
  beat(): Promise<void> {
    this.beating ??= this.doBeat().finally(() => (this.beating = null));
    return this.beating;
  }

  private async doBeat(): Promise<void> {
    const { store, clock, logger } = this.deps;
    try {
      const before = clock.now();
      const dbNow = await store.nodes.heartbeat(this.beatRecord());
      if (dbNow === null) {
        logger.warn(
          { node: this.name },
          `cluster: node ${this.name} was declared dead by another node (no heartbeat for ` +
            'longer than the lease) and its runs were taken over; it joins again',
        );
        await this.register();
      } else {
        this.skew.measure(before, clock.now(), dbNow);
      }
      await this.refresh();
      await this.reap();
      if (++this.beats % PRUNE_EVERY === 0) await store.nodes.prune(FORGET_AFTER_MS);
    } catch (err) {
      logger.warn({ err: errorText(err) }, 'cluster: heartbeat failed; retrying');
    }
  }

  private async register(): Promise<void> {
    const before = this.deps.clock.now();
    const record = await this.deps.store.nodes.register(this.beatRecord());
    this.skew.measure(before, this.deps.clock.now(), record.lastHeartbeat.getTime());
  }

  private async refresh(): Promise<void> {
    const live = await this.deps.store.nodes.live(this.deps.config.cluster.leaseMs);
    if (!live.includes(this.name)) live.push(this.name);
    this.liveNodes = Object.freeze(live.sort());
  }

  /**
   * Survivors look every heartbeat, so a node is declared dead once it has been silent for
   * the lease minus one heartbeat: its runs are then interrupted within the lease of its
   * last heartbeat, as promised, not up to a heartbeat later. (heartbeatMs <= leaseMs / 2,
   * so a node must still miss several heartbeats in a row to be declared dead.)
   */
  private async reap(): Promise<void> {
    const { store, config, logger } = this.deps;
    const silence = config.cluster.leaseMs - config.cluster.heartbeatMs;
    for (const name of await store.nodes.expired(silence)) {
      if (name === this.name) continue;
      if (!(await store.nodes.markDead(name, silence))) continue; // another survivor won
      logger.warn(
        { node: name },
        `cluster: node ${name} silent for ${silence} ms (lease ${config.cluster.leaseMs} ms): dead`,
      );
      try {
        await this.deps.onDeadNode(name);
      } catch (err) {
        logger.error(
          { node: name, err: errorText(err) },
          'cluster: taking over a dead node failed',
        );
      }
    }
  }

  private beatRecord(): NodeBeat {
    return {
      name: this.name,
      version: this.deps.version,
      address: this.address,
      runsInProgress: this.deps.runsInProgress(),
      clockSkewMs: this.skew.skewMs,
    };
  }

  private arm(): void {
    if (this.stopped) return;
    this.timer = this.deps.clock.setTimer(() => {
      this.timer = null;
      void this.beat().then(() => this.arm());
    }, this.deps.config.cluster.heartbeatMs);
  }
}
