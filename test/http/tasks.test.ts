import { expect } from 'chai';
import request from 'supertest';
import { SECRET_MASK } from '../../src/actions/registry.js';
import { appFixture, type AppFixture } from '../helpers/app.js';
import { AR_CREATE, asActiveResourceResends, xmlList, xmlValue } from './fixtures.js';

describe('http /tasks', () => {
  let f: AppFixture;
  beforeEach(async () => {
    f = await appFixture();
  });
  afterEach(async () => {
    expect(f.serverErrors).to.deep.equal([]);
    await f.close();
  });

  describe('as ActiveResource (XML)', () => {
    it('creates: 201, Location /tasks/<id>.xml and the record as body', async () => {
      const res = await request(f.handler)
        .post('/tasks.xml')
        .set('Content-Type', 'application/xml')
        .set('Accept', '*/*')
        .send(AR_CREATE);
      expect(res.status).to.equal(201);
      expect(res.headers['content-type']).to.equal('application/xml; charset=utf-8');
      const id = /\/tasks\/(\d+)\.xml$/.exec(res.headers.location)?.[1];
      expect(id).to.be.a('string');
      const task = xmlValue(res.text);
      expect(task.id).to.equal(Number(id));
      expect(task).to.include({
        name: 'backup',
        schedule_method: 'every',
        schedule_when: '1h',
        enabled: true,
      });
      expect(res.text).to.contain('<created-on type="datetime">2026-03-01T12:00:00Z</created-on>');
      expect(res.text).to.contain('<last-triggered nil="true"/>');
      expect(task.actions).to.deep.equal([
        { id: 1, action_class_name: 'Shell', order: 0, command: 'echo hi' },
      ]);
      const stored = await f.store.tasks.get(Number(id));
      expect(stored?.actions[0]?.parameters).to.deep.equal({ command: 'echo hi' });
    });

    it('accepts its own document back on PUT: read-only fields ignored, actions replaced', async () => {
      const created = await request(f.handler)
        .post('/tasks.xml')
        .set('Content-Type', 'application/xml')
        .send(AR_CREATE);
      const url = new URL(created.headers.location, 'http://x').pathname;
      const doc = (await request(f.handler).get(url).set('Accept', 'application/xml')).text;
      const body = asActiveResourceResends(doc, (x) =>
        x.replace('<name>backup</name>', '<name>backup2</name>').replace('echo hi', 'echo bye'),
      );
      expect(body).to.contain('type="dateTime"');
      const res = await request(f.handler)
        .put(url)
        .set('Content-Type', 'application/xml')
        .send(body);
      expect(res.status).to.equal(200);
      const task = xmlValue(res.text);
      expect(task.name).to.equal('backup2');
      expect(task.actions).to.have.length(1);
      expect((task.actions as Record<string, unknown>[])[0]).to.include({ command: 'echo bye' });
      // The same document again changes nothing and never appends actions.
      const again = await request(f.handler)
        .put(url)
        .set('Content-Type', 'application/xml')
        .send(asActiveResourceResends(res.text));
      expect(again.status).to.equal(200);
      const stored = await f.snapshot();
      expect(stored).to.have.length(1);
      expect(stored[0]!.actions).to.have.length(1);
      expect(stored[0]!.createdOn.toISOString()).to.equal('2026-03-01T12:00:00.000Z');
    });

    it('replaces the action list with the one sent (two actions in, two stored)', async () => {
      const t = await f.createTask();
      const body = `<?xml version="1.0" encoding="UTF-8"?>
<task><id type="integer">${t.id}</id><name>backup</name><schedule-method>every</schedule-method><schedule-when>1h</schedule-when>
<actions type="array"><action><action-class-name>Log</action-class-name><message>one</message></action>
<action><action-class-name>Log</action-class-name><params><message>two</message></params></action></actions></task>`;
      const res = await request(f.handler)
        .put(`/tasks/${t.id}.xml`)
        .set('Content-Type', 'application/xml')
        .send(body);
      expect(res.status).to.equal(200);
      const stored = await f.store.tasks.get(t.id);
      expect(stored!.actions.map((a) => a.parameters.message)).to.deep.equal(['one', 'two']);
    });

    it('lists with find(:all): <tasks type="array">, empty as <tasks type="array"/>', async () => {
      const empty = await request(f.handler).get('/tasks.xml').set('Accept', 'application/xml');
      expect(empty.status).to.equal(200);
      expect(empty.text).to.contain('<tasks type="array"/>');
      await f.createTask({ name: 'a' });
      await f.createTask({ name: 'b' });
      const res = await request(f.handler).get('/tasks.xml');
      expect(res.text).to.match(/<tasks type="array">\s*<task>/);
      expect(xmlList(res.text).map((t) => t.name)).to.have.members(['a', 'b']);
    });

    it('answers HEAD 200 for an existing task and 404 after DELETE (never 410)', async () => {
      const t = await f.createTask();
      expect((await request(f.handler).head(`/tasks/${t.id}.xml`)).status).to.equal(200);
      const del = await request(f.handler)
        .delete(`/tasks/${t.id}.xml`)
        .set('Accept', 'application/xml');
      expect(del.status).to.equal(200);
      expect(del.text).to.equal('');
      expect((await request(f.handler).head(`/tasks/${t.id}.xml`)).status).to.equal(404);
      expect((await request(f.handler).get(`/tasks/${t.id}.xml`)).status).to.equal(404);
      expect(await f.snapshot()).to.deep.equal([]);
    });

    it('serves a template record at /tasks/new.xml and the record at /tasks/:id/edit.xml', async () => {
      const tpl = await request(f.handler).get('/tasks/new.xml');
      expect(tpl.status).to.equal(200);
      expect(xmlValue(tpl.text)).to.include({ schedule_method: 'every', enabled: true });
      expect(tpl.text).to.contain('<actions type="array"/>');
      const t = await f.createTask();
      const edit = await request(f.handler).get(`/tasks/${t.id}/edit.xml`);
      expect(xmlValue(edit.text)).to.include({ id: t.id, name: 'backup' });
    });

    it('reports a duplicate name as 422 <errors><error>Name ...</error></errors>', async () => {
      await f.createTask();
      const before = await f.snapshot();
      const res = await request(f.handler)
        .post('/tasks.xml')
        .set('Content-Type', 'application/xml')
        .send(AR_CREATE);
      expect(res.status).to.equal(422);
      expect(res.text).to.match(
        /<errors>\s*<error>Name 'backup' has already been taken<\/error>\s*<\/errors>/,
      );
      expect(res.text).not.to.contain('type=');
      expect(await f.snapshot()).to.deep.equal(before);
    });
  });

  describe('secret parameters', () => {
    it('are masked in every format and kept when the masked document comes back', async () => {
      const t = await f.createTask({
        name: 'hook',
        actions: [
          {
            actionClassName: 'Webhook',
            parameters: { url: 'http://127.0.0.1:9/x', username: 'u', password: 's3cret' },
          },
        ],
      });
      const xml = await request(f.handler).get(`/tasks/${t.id}.xml`);
      expect(xml.text).not.to.contain('s3cret');
      expect(xml.text).to.contain(`<password>${SECRET_MASK}</password>`);
      const json = await request(f.handler).get(`/tasks/${t.id}.json`);
      expect(JSON.stringify(json.body)).not.to.contain('s3cret');
      const html = await request(f.handler).get(`/tasks/${t.id}`);
      expect(html.text).not.to.contain('s3cret');
      const edit = await request(f.handler).get(`/tasks/${t.id}/edit`);
      expect(edit.text).not.to.contain('s3cret');

      const res = await request(f.handler)
        .put(`/tasks/${t.id}.xml`)
        .set('Content-Type', 'application/xml')
        .send(asActiveResourceResends(xml.text));
      expect(res.status).to.equal(200);
      const stored = await f.store.tasks.get(t.id);
      expect(stored!.actions[0]!.parameters.password).to.equal('s3cret');
    });
  });
});
