import { expect } from 'chai';
import request from 'supertest';
import { appFixture, type AppFixture } from '../helpers/app.js';

describe('http root, health, assets and unknown routes', () => {
  let f: AppFixture;
  beforeEach(async () => {
    f = await appFixture();
  });
  afterEach(async () => {
    expect(f.serverErrors).to.deep.equal([]);
    await f.close();
  });

  it('GET / redirects to /tasks (keeping an explicit format)', async () => {
    expect((await request(f.handler).get('/')).headers.location).to.equal('/tasks');
    expect((await request(f.handler).get('/?format=xml')).headers.location).to.equal('/tasks.xml');
    expect((await request(f.handler).head('/')).status).to.equal(302);
  });

  it('GET /health answers {status: ok} (JSON unless another format is asked for)', async () => {
    const res = await request(f.handler).get('/health');
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('application/json; charset=utf-8');
    expect(res.body).to.deep.equal({ status: 'ok', version: '0.0.0-test' });
    const xml = await request(f.handler).get('/health.xml');
    expect(xml.text).to.match(/<health>\s*<status>ok<\/status>/);
  });

  it('serves the stylesheet and script from the daemon with their types', async () => {
    const css = await request(f.handler).get('/assets/taskr.css');
    expect(css.status).to.equal(200);
    expect(css.headers['content-type']).to.equal('text/css; charset=utf-8');
    expect(css.text).to.contain('font-family');
    const js = await request(f.handler).get('/assets/taskr.js');
    expect(js.headers['content-type']).to.equal('text/javascript; charset=utf-8');
    expect((await request(f.handler).get('/assets/../package.json')).status).to.equal(404);
    expect((await request(f.handler).get('/assets/nope.css')).status).to.equal(404);
  });

  it('404s unknown routes in the negotiated format', async () => {
    const xml = await request(f.handler).get('/nothing.xml');
    expect(xml.status).to.equal(404);
    expect(xml.headers['content-type']).to.equal('application/xml; charset=utf-8');
    expect(xml.text).to.contain('<error>Nothing at GET /nothing.xml</error>');
    const json = await request(f.handler).post('/nothing').set('Accept', 'application/json');
    expect(json.status).to.equal(404);
    expect(json.body.error).to.equal('Nothing at POST /nothing');
    const html = await request(f.handler).get('/nothing');
    expect(html.status).to.equal(404);
    expect(html.text).to.contain('<h1>Error 404</h1>');
  });

  it('pages that link elsewhere use the same layout and stylesheet', async () => {
    for (const path of ['/tasks', '/tasks/new', '/log_entries', '/action_types']) {
      const res = await request(f.handler).get(path);
      expect(res.status, path).to.equal(200);
      expect(res.text, path).to.contain('<link rel="stylesheet" href="/assets/taskr.css">');
      expect(res.text, path).not.to.match(/https?:\/\/(?!127\.0\.0\.1)/);
    }
  });
});
