// GET /nodes in HTML, XML and JSON, and the node of each run on the dashboard.
import { expect } from 'chai';
import request from 'supertest';
import { appFixture, type AppFixture } from '../helpers/app.js';
import { xmlList } from '../http/fixtures.js';

describe('cluster: GET /nodes and the node of each run', () => {
  let f: AppFixture;
  beforeEach(async () => {
    f = await appFixture();
    await f.store.nodes.register({
      name: 'test',
      version: '9.9.9',
      address: 'http://127.0.0.1:7007',
      runsInProgress: 2,
      clockSkewMs: 12,
    });
    await f.store.nodes.register({
      name: 'gone',
      version: '9.9.9',
      address: null,
      runsInProgress: 0,
      clockSkewMs: null,
    });
    await f.store.nodes.leave('gone');
  });
  afterEach(() => f.close());

  it('lists the nodes as JSON: alive, last heartbeat, runs in progress', async () => {
    const res = await request(f.handler).get('/nodes.json').expect(200);
    expect(res.type).to.equal('application/json');
    const byName = new Map((res.body as Record<string, unknown>[]).map((n) => [n.name, n]));
    expect(byName.get('test')).to.include({
      alive: true,
      status: 'alive',
      this_node: true,
      runs_in_progress: 2,
      version: '9.9.9',
      address: 'http://127.0.0.1:7007',
      clock_skew_ms: 12,
    });
    const beat = Date.parse(String(byName.get('test')!.last_heartbeat));
    expect(Math.abs(beat - Date.now())).to.be.below(60_000);
    expect(byName.get('gone')).to.include({ alive: false, status: 'stopped', this_node: false });
  });

  it('lists the nodes as XML and as an HTML page linked from the navigation', async () => {
    const xml = await request(f.handler).get('/nodes.xml').expect(200);
    expect(xml.text).to.match(/<nodes type="array">/);
    const names = xmlList(xml.text).map((n) => n.name);
    expect(names).to.have.members(['test', 'gone']);
    const html = await request(f.handler).get('/nodes').expect(200);
    expect(html.type).to.equal('text/html');
    expect(html.text).to.contain('<h1>Nodes</h1>');
    expect(html.text).to.match(/<td>test <span class="muted">\(this node\)<\/span><\/td>/);
    expect(html.text).to.contain('stopped');
    expect(html.text).to.contain('href="/nodes"');
  });

  it("shows which node ran each run in a task's run table", async () => {
    const task = await f.createTask();
    await f.tasks.runNow(task.id);
    await f.scheduler.idle();
    const html = await request(f.handler).get(`/tasks/${task.id}/runs`).expect(200);
    expect(html.text).to.contain('<th scope="col">Node</th>');
    expect(html.text).to.contain('<td data-label="Node">test</td>');
  });
});
