// Cluster pieces in-process on the real PostgreSQL: the nodes table (leases by database
// time, one winner for a dead node), taking over a dead node's runs, heartbeats with clock
// skew warnings, events between nodes and the polling fallback.
import { expect } from 'chai';
import { ManualClock } from '../../src/clock/manualClock.js';
import { ChangePoller } from '../../src/cluster/changePoller.js';
import { ClusterBus, decodeEvent, encodeEvent } from '../../src/cluster/clusterEvents.js';
import type { ClusterLogger } from '../../src/cluster/clusterLogger.js';
import { Membership } from '../../src/cluster/membership.js';
import { takeOverDeadNode } from '../../src/cluster/takeOver.js';
import { loadConfig } from '../../src/config/config.js';
import type { Run } from '../../src/domain/types.js';
import { openStore } from '../../src/store/openStore.js';
import type { NodeBeat, Store } from '../../src/store/store.js';
import { cleanupDatabases, tempPostgresUrl } from '../helpers/databases.js';
import { describePg, sleep, taskRecord, waitFor } from './harness.js';

const LEASE_MS = 1_000;

function beat(name: string): NodeBeat {
  return { name, version: 't', address: null, runsInProgress: 0, clockSkewMs: null };
}

function recordingLogger(): ClusterLogger & { warnings: string[] } {
  const warnings: string[] = [];
  return {
    warnings,
    info: () => undefined,
    error: (obj, msg) => warnings.push(String(msg ?? obj)),
    warn: (obj, msg) => warnings.push(String(msg ?? obj)),
  };
}

function config(nodeName: string) {
  return loadConfig({
    env: {},
    file: null,
    overrides: { nodeName, cluster: { leaseMs: LEASE_MS, heartbeatMs: 500 } },
  });
}

describePg('cluster: membership, take-over and events on PostgreSQL', function () {
  this.timeout(30_000);
  const stores: Store[] = [];
  let url = '';
  const open = async (): Promise<Store> => {
    const s = await openStore(url);
    stores.push(s);
    return s;
  };
  beforeEach(async () => {
    url = await tempPostgresUrl();
  });
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    await cleanupDatabases();
  });

  it('decides alive and expired by database time; exactly one caller marks a dead node', async () => {
    const [s1, s2] = [await open(), await open()];
    await s1.nodes.register(beat('a'));
    await s1.nodes.register(beat('b'));
    expect(await s1.nodes.live(LEASE_MS)).to.deep.equal(['a', 'b']);
    await sleep(LEASE_MS + 200);
    expect(await s1.nodes.heartbeat(beat('a'))).to.be.a('number');
    expect(await s1.nodes.live(LEASE_MS)).to.deep.equal(['a']);
    expect(await s1.nodes.expired(LEASE_MS)).to.deep.equal(['b']);
    // Six survivors race; the guarded UPDATE lets one win.
    const wins = await Promise.all(
      [s1, s2, s1, s2, s1, s2].map((s) => s.nodes.markDead('b', LEASE_MS)),
    );
    expect(wins.filter(Boolean)).to.have.length(1);
    expect(await s1.nodes.markDead('a', LEASE_MS), 'a live node is never marked').to.equal(false);
    // The dead node's heartbeat is refused (it must notice, then register again).
    expect(await s2.nodes.heartbeat(beat('b'))).to.equal(null);
    const listed = await s1.nodes.list(LEASE_MS);
    expect(listed.map((n) => [n.name, n.status, n.alive])).to.have.deep.members([
      ['a', 'alive', true],
      ['b', 'dead', false],
    ]);
    await s2.nodes.register(beat('b'));
    await s1.nodes.leave('a');
    expect(await s1.nodes.live(LEASE_MS)).to.deep.equal(['b']);
  });

  it("a survivor interrupts a dead node's running runs, retries them per policy and adopts its pending runs", async () => {
    const store = await open();
    const now = new Date();
    const retried = await store.tasks.create(
      taskRecord('retried', { next: null, retries: 1 }),
      now,
    );
    const once = await store.tasks.create(taskRecord('once', { next: null }), now);
    const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
    const claimed = await store.runs.claim(
      [retried.id, once.id, once.id].map((taskId, i) => ({
        taskId,
        scheduledFor: at(i),
        attempt: 1,
        trigger: 'schedule' as const,
        status: 'pending' as const,
        runAt: at(i),
        node: 'x',
      })),
    );
    await store.runs.transition(claimed[0]!.id, 'pending', 'running', { startedAt: now });
    await store.runs.transition(claimed[1]!.id, 'pending', 'running', { startedAt: now });
    const adopted: Run[] = [];
    const deps = {
      store,
      clock: new ManualClock(now),
      config: config('y'),
      logger: recordingLogger(),
      node: 'y',
      adopt: (r: Run) => adopted.push(r),
      changed: () => undefined,
    };
    const result = await takeOverDeadNode('x', deps);
    expect(result).to.deep.equal({ interrupted: 2, retried: 1, adopted: 1 });
    for (const r of claimed.slice(0, 2)) {
      const after = (await store.runs.get(r.id))!;
      expect(after.status).to.equal('interrupted');
      expect(after.error).to.match(/node x stopped heartbeating/);
    }
    const { runs } = await store.runs.list({ taskId: retried.id });
    const retry = runs.find((r) => r.attempt === 2)!;
    expect([retry.trigger, retry.status, retry.node]).to.deep.equal(['retry', 'pending', 'y']);
    expect(retry.scheduledFor.getTime()).to.equal(at(0).getTime());
    expect(adopted.map((r) => r.id).sort()).to.deep.equal([claimed[2]!.id, retry.id].sort());
    expect((await store.runs.get(claimed[2]!.id))!.node).to.equal('y');
    // A second survivor doing the same finds nothing left (safe to repeat or race).
    expect(await takeOverDeadNode('x', { ...deps, node: 'z' })).to.deep.equal({
      interrupted: 0,
      retried: 0,
      adopted: 0,
    });
  });

  it('heartbeats keep the live set, and one survivor takes over a node that stopped beating', async () => {
    const store = await open();
    const dead: string[][] = [[], []];
    const member = (name: string, i: number) =>
      new Membership({
        store,
        clock: new ManualClock(Date.now()),
        config: config(name),
        logger: recordingLogger(),
        version: 't',
        runsInProgress: () => 0,
        onDeadNode: async (n) => void dead[i]!.push(n),
      });
    const [a, b, c] = [member('a', 0), member('b', 1), member('c', 1)];
    await c.join();
    await a.join();
    await b.join();
    expect(b.live).to.deep.equal(['a', 'b', 'c']);
    await sleep(LEASE_MS + 200); // c never beats again (its ManualClock never fires)
    // Both survivors look for dead nodes at once: one takes c over.
    await Promise.all([a.beat(), b.beat()]);
    await a.beat();
    expect(a.live).to.deep.equal(['a', 'b']);
    expect([...dead[0]!, ...dead[1]!]).to.deep.equal(['c']);
    await a.leave();
    await b.beat();
    expect(b.live).to.deep.equal(['b']);
  });

  it("warns when the node's clock is off the database's by more than maxClockSkewMs", async () => {
    const store = await open();
    const logger = recordingLogger();
    const m = new Membership({
      store,
      clock: new ManualClock('2020-01-01T00:00:00Z'),
      config: config('late'),
      logger,
      version: 't',
      runsInProgress: () => 0,
      onDeadNode: async () => undefined,
    });
    await m.join();
    expect(logger.warnings.join('\n')).to.match(/clock is \d+ ms behind the database's/);
    expect(m.clockSkewMs!).to.be.below(-1_000_000);
    const fine = recordingLogger();
    const ok = new Membership({
      store,
      clock: new ManualClock(Date.now()),
      config: config('ontime'),
      logger: fine,
      version: 't',
      runsInProgress: () => 0,
      onDeadNode: async () => undefined,
    });
    await ok.join();
    expect(fine.warnings).to.deep.equal([]);
  });

  it('an event published by one node reaches the others (not itself) within a second', async () => {
    const [s1, s2] = [await open(), await open()];
    const logger = recordingLogger();
    const got: string[][] = [[], []];
    const target = (i: number) => ({
      taskChanged: async (id: number) => void got[i]!.push(`changed ${id}`),
      taskRemoved: async (id: number) => void got[i]!.push(`removed ${id}`),
      cancel: async (id: number) => void got[i]!.push(`cancel ${id}`),
    });
    const a = new ClusterBus({ store: s1, node: 'a', logger });
    const b = new ClusterBus({ store: s2, node: 'b', logger });
    await a.listen(target(0));
    await b.listen(target(1));
    try {
      const sentAt = Date.now();
      await a.publish('changed', 7);
      await a.publish('cancel', 7);
      await a.publish('removed', 8);
      await waitFor('the events', async () => got[1]!.length === 3, 2_000, 10);
      expect(Date.now() - sentAt).to.be.below(1_000);
      expect(got[1]).to.deep.equal(['changed 7', 'cancel 7', 'removed 8']);
      expect(got[0]).to.deep.equal([]);
    } finally {
      await a.close();
      await b.close();
    }
    expect(decodeEvent('not json')).to.equal(null);
    expect(decodeEvent(JSON.stringify({ kind: 'drop', taskId: 1, node: 'a' }))).to.equal(null);
    const e = { kind: 'run' as const, taskId: 3, runId: 9, node: 'a' };
    expect(decodeEvent(encodeEvent(e))).to.deep.equal(e);
  });

  it('the poller finds changes a node missed, even stamped by a clock a little behind, and deletions', async () => {
    const store = await open();
    const applied: string[] = [];
    const poller = new ChangePoller({
      store,
      clock: new ManualClock(Date.now()),
      logger: recordingLogger(),
      pollMs: 1000,
      marginMs: 5_000,
      apply: async (kind, id) => void applied.push(`${kind} ${id}`),
    });
    const old = await store.tasks.create(taskRecord('old', { next: null }), new Date());
    await poller.start();
    await poller.poll();
    expect(applied).to.deep.equal([]);
    const t = await store.tasks.create(taskRecord('new', { next: null }), new Date());
    await poller.poll();
    expect(applied).to.deep.equal([`changed ${t.id}`]);
    // A writer whose clock is 3 s behind: its updated_on is older than the newest seen.
    await store.tasks.setEnabled(old.id, false, null, new Date(Date.now() - 3_000));
    await poller.poll();
    expect(applied).to.deep.equal([`changed ${t.id}`, `changed ${old.id}`]);
    await store.tasks.delete(t.id);
    await poller.poll();
    expect(applied.at(-1)).to.equal(`removed ${t.id}`);
    await poller.poll();
    expect(applied).to.have.length(3);
    await poller.stop();
  });
});
