// The cluster's event channel on PostgreSQL: NOTIFY through the store's pool, LISTEN on a
// dedicated pg client (a pooled connection would be handed back and lose its LISTEN).
// The listener reconnects after a drop; events sent meanwhile are lost, which is why
// cluster mode also polls (src/cluster/changePoller.ts).
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { ClusterEventListener } from '../store.js';

const MAX_IDENTIFIER = 63;
const RECONNECT_MS = 1000;

/**
 * One channel per schema: NOTIFY is database-wide, and daemons on other schemas of the
 * same database (tests, several installs) must not hear each other.
 */
export function channelName(schema: string | null): string {
  const name = schema ? `taskr_events_${schema}` : 'taskr_events';
  if (name.length <= MAX_IDENTIFIER) return name;
  return `taskr_events_${createHash('sha1').update(schema!).digest('hex').slice(0, 32)}`;
}

export class PgEventListener implements ClusterEventListener {
  private client: pg.Client | null = null;
  private retry: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly onEvent: (payload: string) => void,
    private readonly onProblem: (err: Error) => void,
  ) {}

  /** Connects and listens; a failure is reported and retried, never thrown. */
  async start(): Promise<void> {
    try {
      await this.connect();
    } catch (err) {
      this.dropped(null, err as Error);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    const c = this.client;
    this.client = null;
    if (c) await c.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, keepAlive: true });
    client.on('notification', (m) => {
      if (m.channel === this.channel && m.payload) this.onEvent(m.payload);
    });
    client.on('error', (err) => this.dropped(client, err));
    client.on('end', () => this.dropped(client, new Error('the LISTEN connection ended')));
    await client.connect();
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    await client.query(`LISTEN "${this.channel}"`);
    this.client = client;
  }

  private dropped(client: pg.Client | null, err: Error): void {
    if (this.closed || (client !== null && this.client !== client && this.client !== null)) return;
    if (client) client.end().catch(() => undefined);
    this.client = null;
    if (this.retry) return;
    this.onProblem(err);
    this.retry = setTimeout(() => {
      this.retry = null;
      if (!this.closed) void this.start();
    }, RECONNECT_MS);
    this.retry.unref();
  }
}
