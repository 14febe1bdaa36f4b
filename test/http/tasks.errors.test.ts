import { expect } from 'chai';
import request from 'supertest';
import { appFixture, type AppFixture } from '../helpers/app.js';
import { AR_CREATE, xmlValue } from './fixtures.js';

describe('http /tasks error paths (a bad request changes nothing)', () => {
  let f: AppFixture;
  let taskId: number;
  let before: unknown;
  beforeEach(async () => {
    f = await appFixture({ bodyLimit: 4096 });
    taskId = (await f.createTask()).id;
    before = await f.snapshot();
  });
  afterEach(async () => {
    expect(await f.snapshot()).to.deep.equal(before);
    expect(f.serverErrors).to.deep.equal([]);
    await f.close();
  });

  const xml = (body: string) => ({ type: 'application/xml', body });

  it('400 for malformed XML and JSON, naming the problem', async () => {
    const cases: [string, { type: string; body: string }, RegExp][] = [
      ['/tasks.xml', xml('<task><name>x</task>'), /XML body: not well-formed/],
      [
        '/tasks.xml',
        xml('<task><retries type="integer">many</retries></task>'),
        /retries.*integer.*many/,
      ],
      ['/tasks.xml', xml('<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "c">]><task/>'), /DOCTYPE/],
      ['/tasks.xml', xml('<a/><b/>'), /XML body/],
      [
        '/tasks.json',
        { type: 'application/json', body: '{"name": ' },
        /JSON body is not valid JSON/,
      ],
      [
        '/tasks.json',
        { type: 'application/json', body: '"just a string"' },
        /JSON body must be an object/,
      ],
    ];
    for (const [path, { type, body }, message] of cases) {
      for (const method of ['post', 'put'] as const) {
        const url = method === 'post' ? path : path.replace('/tasks', `/tasks/${taskId}`);
        const res = await request(f.handler)[method](url).set('Content-Type', type).send(body);
        expect(res.status, `${method} ${url} ${body}`).to.equal(400);
        expect(res.text, body).to.match(message);
      }
    }
  });

  it('413 for a body over the limit, 415 for an unknown media type', async () => {
    const big = await request(f.handler)
      .post('/tasks.json')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ name: 'x'.repeat(5000) }));
    expect(big.status).to.equal(413);
    expect(big.body.error).to.match(/larger than the limit of 4096 bytes/);
    const plain = await request(f.handler)
      .post('/tasks.xml')
      .set('Content-Type', 'text/plain')
      .send('name=x');
    expect(plain.status).to.equal(415);
    expect(plain.text).to.match(/<error>Content-Type 'text\/plain' is not accepted/);
  });

  it('404 for a missing task on every method and custom method, in every format', async () => {
    const missing = taskId + 100;
    const probes: [string, string][] = [
      ['get', `/tasks/${missing}.xml`],
      ['head', `/tasks/${missing}.xml`],
      ['put', `/tasks/${missing}.xml`],
      ['patch', `/tasks/${missing}.json`],
      ['delete', `/tasks/${missing}`],
      ['get', `/tasks/${missing}/edit`],
      ['post', `/tasks/${missing}/run.xml`],
      ['put', `/tasks/${missing}/pause.xml`],
      ['post', `/tasks/${missing}/resume.json`],
      ['post', `/tasks/${missing}/reload`],
      ['post', `/tasks/${missing}/cancel.json`],
      ['get', `/tasks/${missing}/runs.json`],
      ['get', `/tasks/${missing}/stats.xml`],
      ['get', '/tasks/abc.json'],
      ['delete', '/tasks/0.xml'],
    ];
    for (const [method, path] of probes) {
      const res = await (
        request(f.handler) as unknown as Record<string, (p: string) => request.Test>
      )[method]!(path);
      expect(res.status, `${method} ${path}`).to.equal(404);
    }
    const res = await request(f.handler).get(`/tasks/${missing}.xml`);
    expect(res.text).to.contain(`<error>Task ${missing} not found</error>`);
  });

  it('405 with Allow for a wrong method, including custom methods on GET', async () => {
    const run = await request(f.handler).get(`/tasks/${taskId}/run.xml`);
    expect(run.status).to.equal(405);
    expect(run.headers.allow).to.equal('POST, PUT');
    const collection = await request(f.handler).delete('/tasks.json');
    expect(collection.status).to.equal(405);
    expect(collection.headers.allow?.split(', ')).to.include.members(['GET', 'POST']);
    const opts = await request(f.handler).options(`/tasks/${taskId}`);
    expect(opts.status).to.equal(204);
    expect(opts.headers.allow).to.contain('DELETE');
    expect((await request(f.handler).get(`/tasks/${taskId}/pause`)).status).to.equal(405);
  });

  it('406 listing the formats for an unknown format', async () => {
    const res = await request(f.handler).get('/tasks.yaml').set('Accept', 'application/json');
    expect(res.status).to.equal(406);
    expect(res.body.error).to.equal("Format 'yaml' is not available; use html, xml or json");
    expect((await request(f.handler).get('/tasks?format=CSV')).status).to.equal(406);
  });

  it('422 for each kind of invalid task, every message starting with its humanized field', async () => {
    const cases: [string, RegExp][] = [
      [
        '<name></name><schedule-method>every</schedule-method><schedule-when>1h</schedule-when>',
        /<error>Name can't be blank<\/error>/,
      ],
      [
        '<name>n</name><schedule-method>often</schedule-method><schedule-when>1h</schedule-when>',
        /<error>Schedule method 'often' is not allowed/,
      ],
      [
        '<name>n</name><schedule-method>every</schedule-method><schedule-when>5x</schedule-when>',
        /<error>Schedule when '5x' for every: unknown unit 'x'/,
      ],
      [
        '<name>n</name><schedule-method>cron</schedule-method><schedule-when>1 2 3</schedule-when>',
        /<error>Schedule when '1 2 3' for cron/,
      ],
      [
        '<name>n</name><schedule-method>at</schedule-method><schedule-when>2020-01-01 00:00</schedule-when>',
        /<error>Schedule when .*in the past/,
      ],
      [
        '<name>n</name><schedule-method>every</schedule-method><schedule-when>1h</schedule-when><timezone>Mars/Base</timezone>',
        /<error>Timezone 'Mars\/Base'/,
      ],
      [
        '<name>n</name><schedule-method>every</schedule-method><schedule-when>1h</schedule-when><enabled>perhaps</enabled>',
        /<error>Enabled must be true or false/,
      ],
      [
        '<name>n</name><schedule-method>every</schedule-method><schedule-when>1h</schedule-when><timeout>soon</timeout>',
        /<error>Timeout 'soon' is not a duration/,
      ],
      [
        '<name>n</name><schedule-method>every</schedule-method><schedule-when>1h</schedule-when><overlap>sometimes</overlap>',
        /<error>Overlap 'sometimes' is not allowed/,
      ],
    ];
    const actions =
      '<actions type="array"><action><action-class-name>Log</action-class-name></action></actions>';
    for (const [fields, message] of cases) {
      const res = await request(f.handler)
        .post('/tasks.xml')
        .set('Content-Type', 'application/xml')
        .send(`<task>${fields}${actions}</task>`);
      expect(res.status, fields).to.equal(422);
      expect(res.text, fields).to.match(message);
    }
    const noActions = await request(f.handler)
      .post('/tasks.xml')
      .set('Content-Type', 'application/xml')
      .send(
        '<task><name>n</name><schedule-method>every</schedule-method><schedule-when>1h</schedule-when></task>',
      );
    expect(noActions.text).to.match(/<error>Actions can't be empty/);
    const badAction = await request(f.handler)
      .post('/tasks.xml')
      .set('Content-Type', 'application/xml')
      .send(
        AR_CREATE.replace('backup', 'other').replace(
          '<command>echo hi</command>',
          '<nonsense>1</nonsense>',
        ),
      );
    expect(badAction.status).to.equal(422);
    expect(badAction.text).to.match(/<error>Actions\[0\]\.nonsense is not a parameter of Shell/);
    const unknown = await request(f.handler)
      .put(`/tasks/${taskId}.json`)
      .send({ actions: [{ action_class_name: 'Teleport' }] });
    expect(unknown.status).to.equal(422);
    expect(unknown.body.errors['actions[0].action_class_name'][0]).to.match(
      /'Teleport' is not a known action type/,
    );
  });

  it('422, not 500, for fields of the wrong JSON type', async () => {
    const res = await request(f.handler)
      .post('/tasks.json')
      .send({
        name: { nested: true },
        schedule_method: ['every'],
        schedule_when: 5,
        actions: 'Log',
        retries: {},
      });
    expect(res.status).to.be.oneOf([400, 422]);
    const dup = await request(f.handler)
      .put(`/tasks/${taskId}.xml`)
      .set('Content-Type', 'application/xml')
      .send('<task><name/></task>');
    expect(dup.status).to.equal(422);
    expect(xmlValue(dup.text)).to.deep.equal({ error: "Name can't be blank" });
  });

  it('a duplicate name on update is a 422 and leaves both tasks as they were', async () => {
    const other = await f.createTask({ name: 'other' });
    before = await f.snapshot();
    const res = await request(f.handler).patch(`/tasks/${other.id}.json`).send({ name: 'backup' });
    expect(res.status).to.equal(422);
    expect(res.body.errors.name[0]).to.match(/has already been taken/);
  });
});
