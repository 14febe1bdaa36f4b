import { expect } from 'chai';
import request from 'supertest';
import { appFixture, type AppFixture } from '../helpers/app.js';
import { xmlList } from './fixtures.js';

describe('http /tasks in JSON', () => {
  let f: AppFixture;
  beforeEach(async () => {
    f = await appFixture();
  });
  afterEach(async () => {
    expect(f.serverErrors).to.deep.equal([]);
    await f.close();
  });

  describe('as JSON', () => {
    const body = {
      task: {
        name: 'report',
        schedule_method: 'cron',
        schedule_when: '0 9 * * *',
        timeout: '30m',
        actions: [{ action_class_name: 'Log', message: 'hello' }],
      },
    };

    it('creates (201 + Location /tasks/<id>.json), reads, patches and deletes (204)', async () => {
      const res = await request(f.handler).post('/tasks.json').send(body);
      expect(res.status).to.equal(201);
      expect(res.headers.location).to.match(/^\/tasks\/\d+\.json$/);
      expect(res.headers['content-type']).to.equal('application/json; charset=utf-8');
      expect(res.body).to.include({
        name: 'report',
        schedule_when: '0 9 * * *',
        timeout_ms: 1_800_000,
      });
      expect(res.body.actions).to.deep.equal([
        { id: 1, action_class_name: 'Log', order: 0, message: 'hello' },
      ]);
      expect(res.body.next_trigger_at).to.equal('2026-03-02T09:00:00Z');
      const id = res.body.id as number;

      const got = await request(f.handler).get(`/tasks/${id}`).set('Accept', 'application/json');
      expect(got.body).to.deep.equal(res.body);

      const patched = await request(f.handler).patch(`/tasks/${id}.json`).send({ enabled: false });
      expect(patched.status).to.equal(200);
      expect(patched.body).to.include({ enabled: false, state: 'paused', name: 'report' });
      expect(patched.body.actions).to.have.length(1);

      const del = await request(f.handler).delete(`/tasks/${id}.json`);
      expect(del.status).to.equal(204);
      expect((await request(f.handler).get(`/tasks/${id}.json`)).status).to.equal(404);
    });

    it('answers 422 with {"error", "errors": {field: [...]}} and stores nothing', async () => {
      const res = await request(f.handler)
        .post('/tasks.json')
        .send({
          name: '',
          schedule_method: 'every',
          schedule_when: '5x',
          action: { action_class_name: 'Nope' },
        });
      expect(res.status).to.equal(422);
      expect(res.body.error)
        .to.be.a('string')
        .and.match(/Schedule when '5x'/);
      expect(res.body.errors.name).to.deep.equal(["can't be blank"]);
      expect(res.body.errors.schedule_when[0]).to.match(/unknown unit 'x'/);
      expect(res.body.errors['actions[0].action_class_name'][0]).to.match(
        /'Nope' is not a known action type/,
      );
      expect(await f.snapshot()).to.deep.equal([]);
    });

    it('pages with page/per_page, a Link rel=next header and X-Total-Count', async () => {
      for (const name of ['a', 'b', 'c']) await f.createTask({ name });
      const first = await request(f.handler).get('/tasks.json?per_page=2');
      expect(first.body).to.have.length(2);
      expect(first.headers['x-total-count']).to.equal('3');
      expect(first.headers.link).to.match(/<\/tasks\.json\?per_page=2&page=2>; rel="next"/);
      const second = await request(f.handler).get('/tasks.json?per_page=2&page=2');
      expect(second.body).to.have.length(1);
      expect(second.headers.link).not.to.contain('rel="next"');
      expect(second.headers.link).to.contain('rel="prev"');
    });

    it('filters by q, enabled and status', async () => {
      await f.createTask({ name: 'nightly-backup' });
      const paused = await f.createTask({ name: 'report' });
      await f.tasks.pause(paused.id);
      expect(
        (await request(f.handler).get('/tasks.json?q=BACKUP')).body.map(
          (t: { name: string }) => t.name,
        ),
      ).to.deep.equal(['nightly-backup']);
      expect(
        (await request(f.handler).get('/tasks.json?enabled=false')).body.map(
          (t: { name: string }) => t.name,
        ),
      ).to.deep.equal(['report']);
      expect((await request(f.handler).get('/tasks.json?status=failed')).body).to.deep.equal([]);
      const bad = await request(f.handler).get('/tasks.json?status=weird');
      expect(bad.status).to.equal(400);
      expect(bad.body.error).to.match(/Status 'weird' is not allowed/);
    });

    it('returns the first 500 tasks to a plain GET /tasks.xml', async () => {
      const now = new Date('2026-03-01T12:00:00Z');
      for (let i = 0; i < 501; i++) {
        await f.store.tasks.create(
          {
            name: `t${i}`,
            memo: null,
            scheduleMethod: 'every',
            scheduleWhen: '1h',
            timezone: null,
            enabled: true,
            policies: {
              overlap: null,
              misfire: null,
              timeoutMs: null,
              retries: null,
              retryBackoffMs: null,
            },
            createdBy: null,
            nextTriggerAt: null,
            actions: [{ actionClassName: 'Log', parameters: {} }],
          },
          now,
        );
      }
      const res = await request(f.handler).get('/tasks.xml');
      expect(xmlList(res.text)).to.have.length(500);
      expect(res.headers.link).to.contain('rel="next"');
    });
  });
});
