// The access matrix: every route, with no credentials, bad ones, a viewer and an admin (by
// Basic and by bearer token). Reads need any valid credential, writes need admin, /health and
// the assets need none; a 401 always carries the Basic challenge; refused writes change nothing.
import { expect } from 'chai';
import request from 'supertest';
import type { AppFixture } from '../helpers/app.js';
import { CREDENTIALS, secureFixture, TASK_JSON, type CredentialKind } from './support.js';

interface Route {
  method: 'get' | 'head' | 'options' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  /** Status for a credential that may use the route. */
  ok: number;
  body?: object | string;
  type?: string;
}

const BAD: CredentialKind[] = ['none', 'bad password', 'unknown user', 'bad token'];
const VIEWERS: CredentialKind[] = ['viewer', 'viewer token'];
const ADMINS: CredentialKind[] = ['admin', 'admin token'];

describe('security: access matrix over every route', function () {
  this.timeout(30_000);
  let f: AppFixture;
  let taskId: number;
  let runId: number;
  before(async () => {
    f = await secureFixture();
    const task = await f.createTask({ name: 'existing' });
    taskId = task.id;
    runId = (await f.tasks.runNow(task.id)).id;
  });
  after(async () => {
    expect(f.serverErrors).to.deep.equal([]);
    await f.close();
  });

  async function send(route: Route, kind: CredentialKind) {
    let req = request(f.handler)[route.method](route.path);
    const auth = CREDENTIALS[kind];
    if (auth) req = req.set('Authorization', auth);
    if (route.body) req = req.type(route.type ?? 'json').send(route.body);
    return req;
  }

  const publicRoutes = (): Route[] => [
    { method: 'get', path: '/health', ok: 200 },
    { method: 'get', path: '/health.xml', ok: 200 },
    { method: 'get', path: '/assets/taskr.css', ok: 200 },
    { method: 'get', path: '/assets/taskr.js', ok: 200 },
  ];

  const readRoutes = (): Route[] => [
    { method: 'get', path: '/', ok: 302 },
    { method: 'get', path: '/tasks', ok: 200 },
    { method: 'get', path: '/tasks.json', ok: 200 },
    { method: 'get', path: '/tasks.xml', ok: 200 },
    { method: 'get', path: '/tasks/new', ok: 200 },
    { method: 'get', path: `/tasks/${taskId}`, ok: 200 },
    { method: 'get', path: `/tasks/${taskId}.json`, ok: 200 },
    { method: 'head', path: `/tasks/${taskId}.xml`, ok: 200 },
    { method: 'get', path: `/tasks/${taskId}/edit`, ok: 200 },
    { method: 'get', path: `/tasks/${taskId}/runs.json`, ok: 200 },
    { method: 'get', path: `/tasks/${taskId}/stats.json`, ok: 200 },
    { method: 'get', path: `/runs/${runId}.json`, ok: 200 },
    { method: 'get', path: '/runs/999999/events', ok: 404 },
    { method: 'get', path: '/log_entries.json', ok: 200 },
    { method: 'get', path: '/action_types.json', ok: 200 },
    { method: 'get', path: '/action_types/Shell.json', ok: 200 },
    {
      method: 'get',
      path: '/schedule/preview.json?schedule_method=every&schedule_when=1h',
      ok: 200,
    },
    { method: 'get', path: '/metrics', ok: 200 },
    { method: 'get', path: '/ready', ok: 200 },
    { method: 'options', path: '/tasks', ok: 204 },
    { method: 'get', path: '/nothing-here', ok: 404 },
  ];

  const writeRoutes = (): Route[] => [
    { method: 'post', path: '/tasks.json', ok: 201, body: TASK_JSON },
    { method: 'put', path: `/tasks/${taskId}.json`, ok: 200, body: { schedule_when: '2h' } },
    { method: 'patch', path: `/tasks/${taskId}.json`, ok: 200, body: { schedule_when: '3h' } },
    { method: 'post', path: `/tasks/${taskId}/run.json`, ok: 201 },
    {
      method: 'put',
      path: `/tasks/${taskId}/pause.xml`,
      ok: 200,
      body: '',
      type: 'application/xml',
    },
    { method: 'post', path: `/tasks/${taskId}/resume.json`, ok: 200 },
    { method: 'post', path: `/tasks/${taskId}/reload.json`, ok: 200 },
    { method: 'post', path: `/tasks/${taskId}/cancel.json`, ok: 200 },
    { method: 'post', path: `/tasks/${taskId}.json?_method=DELETE`, ok: 204 },
  ];

  it('serves /health and the assets to everyone, even with bad credentials', async () => {
    for (const route of publicRoutes()) {
      for (const kind of Object.keys(CREDENTIALS) as CredentialKind[]) {
        const res = await send(route, kind);
        expect(res.status, `${kind} ${route.method} ${route.path}`).to.equal(route.ok);
      }
    }
  });

  it('answers reads 401 with the Basic challenge without valid credentials, and serves viewers and admins', async () => {
    for (const route of readRoutes()) {
      for (const kind of BAD) {
        const res = await send(route, kind);
        const what = `${kind} ${route.method} ${route.path}`;
        expect(res.status, what).to.equal(401);
        expect(res.headers['www-authenticate'], what).to.equal('Basic realm="Taskr"');
      }
      for (const kind of [...VIEWERS, ...ADMINS]) {
        const res = await send(route, kind);
        expect(res.status, `${kind} ${route.method} ${route.path}`).to.equal(route.ok);
      }
    }
  });

  it('refuses writes: 401 without valid credentials, 403 for viewers, and changes nothing', async () => {
    const before = await f.snapshot();
    const runsBefore = (await f.store.runs.list({})).runs.length;
    for (const route of writeRoutes()) {
      for (const kind of [...BAD, ...VIEWERS]) {
        const res = await send(route, kind);
        const what = `${kind} ${route.method} ${route.path}`;
        expect(res.status, what).to.equal(BAD.includes(kind) ? 401 : 403);
        if (res.status === 401)
          expect(res.headers['www-authenticate'], what).to.equal('Basic realm="Taskr"');
      }
    }
    expect(await f.snapshot()).to.deep.equal(before);
    expect((await f.store.runs.list({})).runs).to.have.length(runsBefore);
  });

  it('lets an admin write, by password and by token', async () => {
    for (const route of writeRoutes()) {
      const kind = route.method === 'post' ? 'admin token' : 'admin';
      const res = await send(route, kind);
      expect(res.status, `${kind} ${route.method} ${route.path}: ${res.text}`).to.equal(route.ok);
    }
    const names = (await f.snapshot()).map((t) => t.name);
    expect(names).to.deep.equal(['from-api']); // created; 'existing' deleted last
  });

  it('renders the refusal in the negotiated format and names what is wrong', async () => {
    const json = await request(f.handler).get('/tasks.json');
    expect(json.type).to.equal('application/json');
    expect(json.body.error).to.match(/authentication required/i);
    const xml = await request(f.handler)
      .get('/tasks.xml')
      .set('Authorization', CREDENTIALS['bad password']);
    expect(xml.text).to.match(
      /<errors>\s*<error>Authentication failed: the Basic credentials were not accepted<\/error>/,
    );
    const html = await request(f.handler).get('/tasks');
    expect(html.type).to.equal('text/html');
    expect(html.text).to.contain('Error 401');
    const viewer = await request(f.handler)
      .post('/tasks.json')
      .set('Authorization', CREDENTIALS.viewer)
      .send(TASK_JSON);
    expect(viewer.body.error).to.equal(
      "User 'viewer' has role viewer, which may only read (GET, HEAD); POST needs admin",
    );
    const odd = await request(f.handler).get('/tasks.json').set('Authorization', 'Digest abc');
    expect(odd.status).to.equal(401);
    expect(odd.body.error).to.match(/Basic or Bearer/);
  });
});
