// Measures this node's clock against the database's at each heartbeat and warns when they
// differ by more than cluster.maxClockSkewMs. Lease decisions never depend on it (they are
// made in SQL with database time); the skew matters for firing instants and for the
// updated_on stamps that the change poller reads.
import type { ClusterLogger } from './clusterLogger.js';

/** While the skew stays too large, the warning is repeated at most this often. */
const REWARN_MS = 60_000;

export class ClockSkewMonitor {
  private lastWarnAt: number | null = null;
  private skew: number | null = null;

  constructor(
    private readonly node: string,
    private readonly maxSkewMs: number,
    private readonly logger: ClusterLogger,
  ) {}

  /** The last measured skew (this node's clock minus the database's), ms. */
  get skewMs(): number | null {
    return this.skew;
  }

  /**
   * Records one measurement: the database said `dbNow` between local readings `before` and
   * `after` (the midpoint halves the round trip's error). Returns the skew.
   */
  measure(before: number, after: number, dbNow: number): number {
    const skew = Math.round((before + after) / 2 - dbNow);
    this.skew = skew;
    const tooFar = Math.abs(skew) > this.maxSkewMs;
    if (
      tooFar &&
      (this.lastWarnAt === null || after - this.lastWarnAt >= REWARN_MS || after < this.lastWarnAt)
    ) {
      this.lastWarnAt = after;
      this.logger.warn(
        { node: this.node, skewMs: skew, maxClockSkewMs: this.maxSkewMs },
        `cluster: node ${this.node}'s clock is ${Math.abs(skew)} ms ${skew > 0 ? 'ahead of' : 'behind'} ` +
          `the database's (more than cluster.maxClockSkewMs = ${this.maxSkewMs}); ` +
          'occurrences may fire early or late on this node: synchronise its clock (NTP)',
      );
    } else if (!tooFar && this.lastWarnAt !== null) {
      this.lastWarnAt = null;
      this.logger.info(
        { node: this.node, skewMs: skew },
        `cluster: node ${this.node}'s clock is back within ${this.maxSkewMs} ms of the database's`,
      );
    }
    return skew;
  }
}
