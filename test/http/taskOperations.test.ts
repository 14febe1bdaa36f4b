import { expect } from 'chai';
import request from 'supertest';
import { appFixture, type AppFixture } from '../helpers/app.js';
import { asActiveResourceResends, xmlList, xmlValue } from './fixtures.js';

describe('http task operations: run, pause, resume, reload, cancel', () => {
  let f: AppFixture;
  beforeEach(async () => {
    f = await appFixture();
  });
  afterEach(async () => {
    expect(f.serverErrors).to.deep.equal([]);
    await f.close();
  });

  it('task.post(:run) with the whole record as body: 201 + the run', async () => {
    const t = await f.createTask();
    const doc = (await request(f.handler).get(`/tasks/${t.id}.xml`)).text;
    const res = await request(f.handler)
      .post(`/tasks/${t.id}/run.xml`)
      .set('Content-Type', 'application/xml')
      .send(asActiveResourceResends(doc));
    expect(res.status).to.equal(201);
    const run = xmlValue(res.text);
    expect(run).to.include({ task_id: t.id, trigger: 'manual' });
    expect(res.headers.location).to.equal(`/runs/${run.id}.xml`);
    await f.scheduler.idle();
    const stored = await f.store.runs.get(run.id as number);
    expect(stored?.status).to.equal('succeeded');
    expect((await f.store.tasks.get(t.id))!.name).to.equal('backup');
  });

  it('task.put(:pause) with an empty body, then resume, in XML', async () => {
    const t = await f.createTask();
    const paused = await request(f.handler)
      .put(`/tasks/${t.id}/pause.xml`)
      .set('Content-Type', 'application/xml')
      .set('Content-Length', '0');
    expect(paused.status).to.equal(200);
    expect(xmlValue(paused.text)).to.include({
      enabled: false,
      state: 'paused',
      next_trigger_at: null,
    });
    expect((await f.store.tasks.get(t.id))!.enabled).to.equal(false);
    const resumed = await request(f.handler).post(`/tasks/${t.id}/resume.xml`);
    expect(resumed.status).to.equal(200);
    expect(xmlValue(resumed.text)).to.include({ enabled: true, state: 'scheduled' });
  });

  it('reload answers the task (JSON) and cancel the cancelled runs', async () => {
    const t = await f.createTask({
      name: 'slow',
      actions: [{ actionClassName: 'Shell', parameters: { command: 'sleep 5' } }],
    });
    const reload = await request(f.handler).put(`/tasks/${t.id}/reload.json`);
    expect(reload.status).to.equal(200);
    expect(reload.body).to.include({ id: t.id, name: 'slow' });
    const run = await request(f.handler).post(`/tasks/${t.id}/run.json`);
    expect(run.status).to.equal(201);
    const cancel = await request(f.handler).post(`/tasks/${t.id}/cancel.xml`);
    expect(cancel.status).to.equal(200);
    expect(cancel.text).to.match(/<runs type="array">/);
    const runs = xmlList(cancel.text);
    expect(runs.map((r) => r.id)).to.include(run.body.id);
    await f.scheduler.idle();
    expect((await f.store.runs.get(run.body.id))!.status).to.equal('cancelled');
    // Nothing in progress: an empty list, still 200.
    const none = await request(f.handler).post(`/tasks/${t.id}/cancel.json`);
    expect(none.status).to.equal(200);
    expect(none.body).to.deep.equal([]);
  });

  it('HTML buttons redirect 303 back to the task page', async () => {
    const t = await f.createTask();
    for (const op of ['run', 'pause', 'resume', 'reload', 'cancel']) {
      const res = await request(f.handler).post(`/tasks/${t.id}/${op}`).type('form').send('');
      expect(res.status, op).to.equal(303);
      expect(res.headers.location, op).to.equal(`/tasks/${t.id}`);
    }
    await f.scheduler.idle();
  });

  it('never acts on GET: 405 with Allow, nothing run', async () => {
    const t = await f.createTask();
    for (const op of ['run', 'pause', 'resume', 'reload', 'cancel']) {
      const res = await request(f.handler).get(`/tasks/${t.id}/${op}.xml`);
      expect(res.status, op).to.equal(405);
      expect(res.headers.allow, op).to.equal('POST, PUT');
      expect(res.text).to.match(/<errors>\s*<error>Method GET is not allowed/);
    }
    expect((await f.store.runs.list({ taskId: t.id })).total).to.equal(0);
    expect((await f.store.tasks.get(t.id))!.enabled).to.equal(true);
  });
});
