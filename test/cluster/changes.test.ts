// A change made through one node takes effect on the others within a second: an edit
// through node X changes the schedule node Y fires, a pause through X stops the task on
// every node, a cancel through X aborts the run executing on Y.
import { expect } from 'chai';
import { ownerOf } from '../../src/cluster/rendezvous.js';
import type { Run } from '../../src/domain/types.js';
import { openStore } from '../../src/store/openStore.js';
import type { Store } from '../../src/store/store.js';
import { cleanupDatabases, tempPostgresUrl } from '../helpers/databases.js';
import {
  allRuns,
  describePg,
  jsonRequest,
  killAll,
  sleep,
  spawnNode,
  waitFor,
  waitForNodes,
} from './harness.js';

const NODES = ['a', 'b'];

describePg('cluster: changes through one node reach every node', function () {
  this.timeout(90_000);
  let store: Store | null = null;
  afterEach(async () => {
    await killAll();
    await store?.close();
    store = null;
    await cleanupDatabases();
  });

  async function start() {
    const url = await tempPostgresUrl();
    store = await openStore(url);
    const procs = NODES.map((n) => spawnNode(n, url));
    const urls = await waitForNodes(store, procs, 30_000);
    return { store, urls };
  }

  /** Creates a task through node `via`; returns it with its owner and the other node. */
  async function create(urls: Map<string, string>, via: string, body: Record<string, unknown>) {
    const res = await jsonRequest('POST', `${urls.get(via)}/tasks.json`, body);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const id = (res.body as { id: number }).id;
    const owner = ownerOf(id, NODES)!;
    return { id, owner, other: NODES.find((n) => n !== owner)! };
  }

  const scheduled = (runs: Run[], after: number) =>
    runs.filter((r) => r.scheduledFor.getTime() > after).map((r) => r.scheduledFor.getTime());

  it('an edit through one node changes the schedule the other fires; a pause stops it everywhere', async () => {
    const { store, urls } = await start();
    const log = { action_class_name: 'Log', message: 'tick' };
    const every1 = { schedule_method: 'every', schedule_when: '1s', overlap: 'allow', action: log };
    const edited = await create(urls, 'a', { name: 'edited', ...every1 });
    const paused = await create(urls, 'b', { name: 'paused', ...every1 });
    await waitFor('both tasks to run', async () => {
      const runs = await allRuns(store);
      return [edited.id, paused.id].every((id) => runs.some((r) => r.taskId === id));
    });

    // Edit through the node that does not own the task: every 1s -> every 3s.
    const editedAt = Date.now();
    const res = await jsonRequest('PATCH', `${urls.get(edited.other)}/tasks/${edited.id}.json`, {
      schedule_when: '3s',
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    // Pause the other task through the node that does not own it.
    const pausedAt = Date.now();
    const p = await jsonRequest('POST', `${urls.get(paused.other)}/tasks/${paused.id}/pause.json`);
    expect(p.status, JSON.stringify(p.body)).to.equal(200);

    await sleep(8_500);
    const editedRuns = await allRuns(store, edited.id);
    // Within a second of the edit, the owner fires on the new schedule (3 s apart) only.
    const after = scheduled(editedRuns, editedAt + 1_000);
    expect(after.length, 'runs after the edit').to.be.at.least(2);
    for (let i = 1; i < after.length; i++) expect(after[i]! - after[i - 1]!).to.equal(3_000);
    const nodes = new Set(
      editedRuns.filter((r) => r.scheduledFor.getTime() > editedAt + 1_000).map((r) => r.node),
    );
    expect([...nodes]).to.deep.equal([edited.owner]);
    // Nothing of the paused task is due more than a second after the pause, on any node.
    expect(scheduled(await allRuns(store, paused.id), pausedAt + 1_000)).to.deep.equal([]);
  });

  it('a cancel through one node aborts the run executing on the other', async () => {
    const { store, urls } = await start();
    const task = await create(urls, 'a', {
      name: 'sleeper',
      schedule_method: 'in',
      schedule_when: '1s',
      action: { action_class_name: 'Shell', command: 'sleep 30' },
    });
    const running = await waitFor('the run to start', async () => {
      const runs = await allRuns(store, task.id);
      return runs.find((r) => r.status === 'running');
    });
    const via = NODES.find((n) => n !== running.node)!;
    const sentAt = Date.now();
    const res = await jsonRequest('POST', `${urls.get(via)}/tasks/${task.id}/cancel.json`);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const cancelled = res.body as { id: number; status: string }[];
    expect(cancelled.map((r) => [r.id, r.status])).to.deep.equal([[running.id, 'cancelled']]);
    const after = (await store.runs.get(running.id))!;
    expect(after.status).to.equal('cancelled');
    expect(after.finishedAt!.getTime() - sentAt).to.be.below(1_000);
  });
});
