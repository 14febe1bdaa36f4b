// Browser safety: CSRF tokens in the dashboard's forms (signed double-submit cookie), the
// Origin check, the Host allow-list (DNS rebinding) and CORS, off by default. API clients that
// a browser cannot imitate cross-site (JSON, XML, bearer tokens) need no token.
import { expect } from 'chai';
import request from 'supertest';
import type { AppFixture } from '../helpers/app.js';
import { ADMIN, basic, CREDENTIALS, secureFixture, TASK_JSON } from './support.js';

const FORM = 'application/x-www-form-urlencoded';
const ADMIN_AUTH = CREDENTIALS.admin;

function formBody(name: string, extra: Record<string, string> = {}): string {
  return new URLSearchParams({
    'task[name]': name,
    'task[schedule_method]': 'every',
    'task[schedule_when]': '10m',
    'action[0][action_class_name]': 'Log',
    'action[0][message]': 'from the form',
    ...extra,
  }).toString();
}

/** The cookie and the token a browser gets with the new-task form. */
async function formSession(
  f: AppFixture,
  auth = ADMIN_AUTH,
): Promise<{ cookie: string; token: string }> {
  const page = await request(f.handler).get('/tasks/new').set('Authorization', auth);
  expect(page.status).to.equal(200);
  const setCookie = ([] as string[]).concat(page.headers['set-cookie'] ?? []);
  const line = setCookie.find((c) => c.startsWith('taskr_csrf='));
  expect(line, 'the csrf cookie').to.be.a('string');
  expect(line)
    .to.match(/; httponly/i)
    .and.match(/samesite=strict/i);
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
  expect(token, 'the form carries the token').to.be.a('string');
  return { cookie: line!.split(';')[0]!, token: token! };
}

describe('security: browser safety', function () {
  this.timeout(20_000);
  let f: AppFixture;
  beforeEach(async () => {
    f = await secureFixture({
      http: { allowedHosts: ['taskr.example.com'], cors: { origins: ['https://ui.example'] } },
    });
  });
  afterEach(async () => {
    expect(f.serverErrors).to.deep.equal([]);
    await f.close();
  });

  describe('CSRF', () => {
    it('accepts the dashboard form posted back with its token (no JavaScript needed)', async () => {
      const { cookie, token } = await formSession(f);
      const res = await request(f.handler)
        .post('/tasks')
        .set('Authorization', ADMIN_AUTH)
        .set('Cookie', cookie)
        .type(FORM)
        .send(formBody('via-form', { _csrf: token }));
      expect(res.status, res.text).to.equal(303);
      const [task] = await f.snapshot();
      expect(task!.name).to.equal('via-form');
      // The task page's buttons (run, pause, delete) carry the token as well.
      const show = await request(f.handler)
        .get(`/tasks/${task!.id}`)
        .set('Authorization', ADMIN_AUTH)
        .set('Cookie', cookie);
      const forms = show.text.match(/<form[^>]*method="post"[\s\S]*?<\/form>/gi) ?? [];
      expect(forms.length).to.be.greaterThan(0);
      for (const form of forms) expect(form).to.contain(`name="_csrf" value="${token}"`);
      const run = await request(f.handler)
        .post(`/tasks/${task!.id}/run`)
        .set('Authorization', ADMIN_AUTH)
        .set('Cookie', cookie)
        .type(FORM)
        .send({ _csrf: token });
      expect(run.status).to.equal(303);
    });

    it('refuses form posts without a valid token and changes nothing', async () => {
      const { cookie, token } = await formSession(f);
      const viewerSession = await formSession(f, CREDENTIALS.viewer);
      const other = await formSession(f);
      const cases: [string, Record<string, string>, string][] = [
        ['no token, no cookie', {}, ''],
        ['no token', {}, cookie],
        ['token without its cookie', { _csrf: token }, ''],
        ['token of another browser', { _csrf: token }, other.cookie],
        ['token of another user', { _csrf: viewerSession.token }, viewerSession.cookie],
        ['forged token', { _csrf: 'A'.repeat(43) }, cookie],
        ['planted cookie', { _csrf: token }, 'taskr_csrf=AAAAAAAAAAAAAAAAAAAAAAAA'],
      ];
      for (const [what, extra, cookieHeader] of cases) {
        // A browser's form post always carries Sec-Fetch-Site (scripts that carry none of the
        // browser marks are exempt: see src/http/security/csrf.ts).
        let req = request(f.handler)
          .post('/tasks')
          .set('Authorization', ADMIN_AUTH)
          .set('Sec-Fetch-Site', 'same-origin')
          .type(FORM);
        if (cookieHeader) req = req.set('Cookie', cookieHeader);
        const res = await req.send(formBody(`x-${what}`, extra));
        expect(res.status, what).to.equal(403);
        expect(res.text, what).to.contain('CSRF check failed');
      }
      const multipart = await request(f.handler)
        .post('/tasks')
        .set('Authorization', ADMIN_AUTH)
        .set('Cookie', cookie)
        .set('Sec-Fetch-Site', 'same-origin')
        .field('task[name]', 'multi')
        .field('task[schedule_method]', 'every')
        .field('task[schedule_when]', '1h');
      expect(multipart.status).to.equal(403);
      const plain = await request(f.handler)
        .post('/tasks')
        .set('Authorization', ADMIN_AUTH)
        .set('Content-Type', 'text/plain')
        .send('{"name":"x","schedule_method":"every","schedule_when":"1h"}');
      expect(plain.status).to.be.within(400, 499);
      // A form-encoded _method=DELETE is a delete a browser could send: it needs the token too.
      const task = await f.createTask({ name: 'keep-me' });
      const del = await request(f.handler)
        .post(`/tasks/${task.id}`)
        .set('Authorization', ADMIN_AUTH)
        .set('Referer', 'http://127.0.0.1/tasks')
        .type(FORM)
        .send({ _method: 'DELETE' });
      expect(del.status).to.equal(403);
      expect((await f.snapshot()).map((t) => t.name)).to.deep.equal(['keep-me']);
    });

    it('leaves API clients unchanged: JSON, XML, bearer tokens and body-less custom methods', async () => {
      const json = await request(f.handler)
        .post('/tasks.json')
        .set('Authorization', ADMIN_AUTH)
        .send(TASK_JSON);
      expect(json.status).to.equal(201);
      const xml = await request(f.handler)
        .post('/tasks.xml')
        .set('Authorization', ADMIN_AUTH)
        .type('application/xml')
        .send(
          '<task><name>xml-one</name><schedule-method>every</schedule-method><schedule-when>1h</schedule-when>' +
            '<actions type="array"><action><action-class-name>Log</action-class-name><message>x</message></action></actions></task>',
        );
      expect(xml.status).to.equal(201);
      const bearerForm = await request(f.handler)
        .post('/tasks')
        .set('Authorization', CREDENTIALS['admin token'])
        .type(FORM)
        .send(formBody('bearer-form'));
      expect(bearerForm.status).to.equal(303);
      const id = (json.body as { id: number }).id;
      const pause = await request(f.handler)
        .put(`/tasks/${id}/pause.xml`)
        .set('Authorization', ADMIN_AUTH)
        .type('application/xml')
        .send('');
      expect(pause.status).to.equal(200);
      const run = await request(f.handler)
        .post(`/tasks/${id}/run`)
        .set('Authorization', ADMIN_AUTH); // curl -X POST
      expect(run.status).to.equal(303);
      expect((await f.snapshot()).map((t) => t.name).sort()).to.deep.equal([
        'bearer-form',
        'from-api',
        'xml-one',
      ]);
    });
  });

  describe('Origin and CORS', () => {
    it('refuses a foreign Origin (any method) and a cross-site write without Origin', async () => {
      for (const origin of ['https://evil.example', 'null', 'http://127.0.0.1:1', 'not a url']) {
        const post = await request(f.handler)
          .post('/tasks.json')
          .set('Authorization', ADMIN_AUTH)
          .set('Origin', origin)
          .send(TASK_JSON);
        expect(post.status, origin).to.equal(403);
        expect(post.body.error, origin).to.match(/is not this server's origin/);
        const get = await request(f.handler)
          .get('/tasks.json')
          .set('Authorization', ADMIN_AUTH)
          .set('Origin', origin);
        expect(get.status, origin).to.equal(403);
      }
      const secFetch = await request(f.handler)
        .post('/tasks.json')
        .set('Authorization', ADMIN_AUTH)
        .set('Sec-Fetch-Site', 'cross-site')
        .send(TASK_JSON);
      expect(secFetch.status).to.equal(403);
      expect(await f.snapshot()).to.deep.equal([]);
    });

    it('accepts its own origin', async () => {
      const server = await f.listen();
      const res = await request(f.handler)
        .post('/tasks.json')
        .set('Host', `127.0.0.1:${server.port}`)
        .set('Origin', `http://127.0.0.1:${server.port}`)
        .set('Authorization', ADMIN_AUTH)
        .send(TASK_JSON);
      expect(res.status).to.equal(201);
    });

    it('sends no CORS headers by default, and answers a listed origin (preflight without credentials)', async () => {
      const plain = await request(f.handler).get('/tasks.json').set('Authorization', ADMIN_AUTH);
      expect(plain.headers).to.not.have.property('access-control-allow-origin');
      const preflight = await request(f.handler)
        .options('/tasks.json')
        .set('Origin', 'https://ui.example')
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'authorization, content-type');
      expect(preflight.status).to.equal(204);
      expect(preflight.headers['access-control-allow-origin']).to.equal('https://ui.example');
      expect(preflight.headers['access-control-allow-headers']).to.match(/Authorization/);
      expect(preflight.headers).to.not.have.property('access-control-allow-credentials');
      const get = await request(f.handler)
        .get('/tasks.json')
        .set('Origin', 'https://ui.example')
        .set('Authorization', CREDENTIALS['viewer token']);
      expect(get.status).to.equal(200);
      expect(get.headers['access-control-allow-origin']).to.equal('https://ui.example');
      expect(get.headers.vary).to.match(/Origin/);
      const unauth = await request(f.handler)
        .get('/tasks.json')
        .set('Origin', 'https://ui.example');
      expect(unauth.status).to.equal(401); // CORS is not authentication
    });
  });

  describe('Host allow-list (DNS rebinding)', () => {
    it('refuses names it does not know with 421, before authentication', async () => {
      for (const host of [
        'evil.example',
        'evil.example:7007',
        'localhost.evil.example',
        '127.0.0.1.nip.io',
      ]) {
        const res = await request(f.handler)
          .get('/tasks.json')
          .set('Host', host)
          .set('Authorization', ADMIN_AUTH);
        expect(res.status, host).to.equal(421);
        expect(res.body.error).to.contain(`Host '${host}' is not served here`);
      }
      const health = await request(f.handler).get('/health').set('Host', 'evil.example');
      expect(health.status).to.equal(421);
    });

    it('serves localhost, the loopback addresses and configured names, any port', async () => {
      for (const host of [
        'localhost:7007',
        'LOCALHOST',
        '127.0.0.1',
        '[::1]:7007',
        'taskr.example.com',
        'Taskr.Example.com.:443',
      ]) {
        const res = await request(f.handler)
          .get('/tasks.json')
          .set('Host', host)
          .set('Authorization', ADMIN_AUTH);
        expect(res.status, host).to.equal(200);
      }
    });
  });

  it('keeps a good password working after bad attempts (no lock-out by default)', async () => {
    for (let i = 0; i < 3; i++) {
      const bad = await request(f.handler)
        .get('/tasks.json')
        .set('Authorization', basic(ADMIN.username, `nope${i}`));
      expect(bad.status).to.equal(401);
    }
    const good = await request(f.handler).get('/tasks.json').set('Authorization', ADMIN_AUTH);
    expect(good.status).to.equal(200);
  });
});
