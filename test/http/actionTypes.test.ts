import { expect } from 'chai';
import request from 'supertest';
import { appFixture, type AppFixture } from '../helpers/app.js';
import { xmlList, xmlValue } from './fixtures.js';

describe('http /action_types', () => {
  let f: AppFixture;
  beforeEach(async () => {
    f = await appFixture();
  });
  afterEach(async () => {
    expect(f.serverErrors).to.deep.equal([]);
    await f.close();
  });

  it('lists every allowed type with its declared parameters in JSON, XML and HTML', async () => {
    const json = await request(f.handler).get('/action_types.json');
    expect(json.status).to.equal(200);
    const names = json.body.map((t: { name: string }) => t.name);
    expect(names).to.include.members(['Shell', 'Log', 'Webhook']);
    const shell = json.body.find((t: { name: string }) => t.name === 'Shell');
    expect(shell.params.find((p: { name: string }) => p.name === 'command')).to.include({
      required: true,
      type: 'text',
    });
    const xml = await request(f.handler).get('/action_types.xml');
    expect(xml.text).to.match(/<action-types type="array">\s*<action-type>/);
    expect(xmlList(xml.text).map((t) => t.name)).to.deep.equal(names);
    const html = await request(f.handler).get('/action_types');
    expect(html.text).to.contain('<a href="/action_types/Shell">Shell</a>');
  });

  it('shows one type by name or alias (any case) and marks secret parameters', async () => {
    const hook = await request(f.handler).get('/action_types/webhook.json');
    expect(hook.status).to.equal(200);
    expect(hook.body.name).to.equal('Webhook');
    expect(hook.body.params.find((p: { name: string }) => p.name === 'password')).to.include({
      secret: true,
    });
    const alias = await request(f.handler).get('/action_types/Noop.xml');
    expect(xmlValue(alias.text)).to.include({ name: 'Log' });
    const html = await request(f.handler).get('/action_types/Shell');
    expect(html.text).to.contain('<code>command</code>');
  });

  it('404s an unknown type, listing the known ones', async () => {
    const res = await request(f.handler).get('/action_types/Teleport.json');
    expect(res.status).to.equal(404);
    expect(res.body.error).to.match(/action type 'Teleport' not found; known: .*Shell/i);
  });
});
