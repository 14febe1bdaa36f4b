// Action policy: actions.allow is enforced when a task is saved (422 naming the type), secret
// parameters never reach the API or the run log, and `${env:NAME}` is resolved only at run time.
import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { AppFixture } from '../helpers/app.js';
import { CREDENTIALS, secureFixture } from './support.js';

const ADMIN = CREDENTIALS.admin;

describe('security: action policy', function () {
  this.timeout(20_000);
  let f: AppFixture;
  afterEach(async () => {
    expect(f.serverErrors).to.deep.equal([]);
    await f.close();
  });

  it('refuses a task using a type outside actions.allow with 422 naming it, in every format', async () => {
    f = await secureFixture({ actions: { allow: ['Log', 'Webhook'] } });
    const json = await request(f.handler)
      .post('/tasks.json')
      .set('Authorization', ADMIN)
      .send({
        name: 'sh',
        schedule_method: 'every',
        schedule_when: '1h',
        action: { action_class_name: 'Shell', command: 'id' },
      });
    expect(json.status).to.equal(422);
    expect(JSON.stringify(json.body)).to.contain("'Shell'");
    const xml = await request(f.handler)
      .post('/tasks.xml')
      .set('Authorization', ADMIN)
      .type('application/xml')
      .send(
        '<task><name>sc</name><schedule-method>every</schedule-method><schedule-when>1h</schedule-when>' +
          '<actions type="array"><action><action-class-name>Script</action-class-name><script>x</script></action></actions></task>',
      );
    expect(xml.status).to.equal(422);
    expect(xml.text).to.match(/<error>[^<]*'Script'[^<]*<\/error>/);
    const task = await f.createTask({ name: 'ok' });
    const update = await request(f.handler)
      .put(`/tasks/${task.id}.json`)
      .set('Authorization', ADMIN)
      .send({ action: { action_class_name: 'Shell', command: 'id' } });
    expect(update.status).to.equal(422);
    expect((await f.snapshot()).map((t) => t.actions.map((a) => a.actionClassName))).to.deep.equal([
      ['Log'],
    ]);
    const types = await request(f.handler).get('/action_types.json').set('Authorization', ADMIN);
    expect(JSON.stringify(types.body)).to.not.contain('"Shell"');
  });

  describe('secrets', () => {
    let hook: Server;
    const seen: string[] = [];
    before(async () => {
      hook = createServer((req, res) => {
        seen.push(String(req.headers.authorization));
        // The first action succeeds (so the second runs), the second fails (an error is logged).
        res.statusCode = seen.length === 1 ? 200 : 500;
        res.end(seen.length === 1 ? 'ok' : 'hook failed');
      });
      await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
      process.env.TASKR_SEC_TEST_HOOK_PW = 'from-the-environment';
    });
    after(() => {
      delete process.env.TASKR_SEC_TEST_HOOK_PW;
      hook.close();
    });

    it('never shows a secret parameter, resolves ${env:NAME} only at run time, and keeps both out of the run log', async () => {
      f = await secureFixture();
      const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
      const created = await request(f.handler)
        .post('/tasks.json')
        .set('Authorization', ADMIN)
        .send({
          name: 'hook',
          schedule_method: 'every',
          schedule_when: '1h',
          actions: [
            { action_class_name: 'Webhook', url, username: 'u', password: 'typed-secret-1' },
            {
              action_class_name: 'Webhook',
              url,
              username: 'u',
              password: '${env:TASKR_SEC_TEST_HOOK_PW}',
            },
          ],
        });
      expect(created.status, created.text).to.equal(201);
      const id = (created.body as { id: number }).id;
      const stored = (await f.store.tasks.get(id))!;
      expect(
        stored.actions[1]!.parameters.password,
        'the reference is stored, not the value',
      ).to.equal('${env:TASKR_SEC_TEST_HOOK_PW}');
      const run = await request(f.handler)
        .post(`/tasks/${id}/run.json`)
        .set('Authorization', ADMIN);
      expect(run.status).to.equal(201);
      const runId = (run.body as { id: number }).id;
      const deadline = Date.now() + 10_000;
      for (;;) {
        const r = await f.store.runs.get(runId);
        if (r && ['succeeded', 'failed', 'timed_out'].includes(r.status)) break;
        if (Date.now() > deadline) throw new Error('the run did not finish');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const auths = seen.map((h) => Buffer.from(h.replace(/^Basic /, ''), 'base64').toString());
      expect(auths).to.include('u:typed-secret-1');
      expect(auths).to.include('u:from-the-environment');
      // The run log is written in batches on the (manual) clock's timer.
      await f.clock.advance(5_000);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const texts = [
        JSON.stringify(await f.store.logs.list({ taskId: id, limit: 1000 })),
        JSON.stringify(await f.store.runs.get(runId)),
        (await request(f.handler).get(`/runs/${runId}.json`).set('Authorization', ADMIN)).text,
        (await request(f.handler).get(`/tasks/${id}.xml`).set('Authorization', ADMIN)).text,
        (await request(f.handler).get(`/tasks/${id}`).set('Authorization', ADMIN)).text,
        (await request(f.handler).get(`/tasks/${id}/edit`).set('Authorization', ADMIN)).text,
        (
          await request(f.handler)
            .get(`/log_entries.json?task_id=${id}`)
            .set('Authorization', ADMIN)
        ).text,
      ];
      expect(texts[0]).to.contain('500'); // the log did record the failure
      for (const text of texts) {
        expect(text).to.not.contain('typed-secret-1');
        expect(text).to.not.contain('from-the-environment');
      }
    });
  });
});
