import { expect } from 'chai';
import request from 'supertest';
import { appFixture, type AppFixture } from '../helpers/app.js';
import { form } from './fixtures.js';

const FORM = 'application/x-www-form-urlencoded';

describe('http /tasks from HTML forms and form-encoding clients', () => {
  let f: AppFixture;
  beforeEach(async () => {
    f = await appFixture();
  });
  afterEach(async () => {
    expect(f.serverErrors).to.deep.equal([]);
    await f.close();
  });

  it('creates from task[...] fields with action[0][...] nesting and redirects 303 to the task', async () => {
    const res = await request(f.handler)
      .post('/tasks')
      .type(FORM)
      .send(
        form([
          ['task[name]', 'form-task'],
          ['task[schedule_method]', 'every'],
          ['task[schedule_when]', '10m'],
          ['action[0][action_class_name]', 'Shell'],
          ['action[0][command]', 'echo from form'],
        ]),
      );
    expect(res.status).to.equal(303);
    const [task] = await f.snapshot();
    expect(res.headers.location).to.equal(`/tasks/${task!.id}`);
    expect(task).to.include({ name: 'form-task', scheduleWhen: '10m' });
    expect(task!.actions[0]).to.deep.include({
      actionClassName: 'Shell',
      parameters: { command: 'echo from form' },
    });
  });

  it('creates from unwrapped fields and from the Zend_Rest_Client 0 wrapper (XML answer with format=xml)', async () => {
    const plain = await request(f.handler)
      .post('/tasks?format=xml')
      .type(FORM)
      .send(
        form([
          ['name', 'plain'],
          ['schedule_method', 'in'],
          ['schedule_when', '5m'],
          ['actions[0][action_class_name]', 'Log'],
          ['actions[0][message]', 'x'],
        ]),
      );
    expect(plain.status).to.equal(201);
    expect(plain.headers.location).to.match(/^\/tasks\/\d+\.xml$/);
    const zend = await request(f.handler)
      .post('/tasks.xml')
      .type(FORM)
      .send(
        form([
          ['0[name]', 'zend'],
          ['0[schedule_method]', 'every'],
          ['0[schedule_when]', '1h'],
          ['0[action][action_class_name]', 'Log'],
          ['0[action][message]', 'from php'],
        ]),
      );
    expect(zend.status).to.equal(201);
    const stored = await f.store.tasks.getByName('zend');
    expect(stored!.actions[0]!.parameters).to.deep.equal({ message: 'from php' });
  });

  it('takes the answer format from a format field in the form body (Taskr POST parameter)', async () => {
    const res = await request(f.handler)
      .post('/tasks')
      .type(FORM)
      .send(
        form([
          ['format', 'XML'],
          ['name', 'php'],
          ['schedule_method', 'every'],
          ['schedule_when', '1h'],
          ['action[action_class_name]', 'Log'],
        ]),
      );
    expect(res.status).to.equal(201);
    expect(res.headers.location).to.match(/^\/tasks\/\d+\.xml$/);
    expect(res.text).to.contain('<name>php</name>');
    const bad = await request(f.handler)
      .post('/tasks')
      .type(FORM)
      .send(
        form([
          ['format', 'yaml'],
          ['name', 'x'],
        ]),
      );
    expect(bad.status).to.equal(406);
    expect(await f.store.tasks.getByName('x')).to.equal(null);
  });

  it('creates from multipart/form-data', async () => {
    const res = await request(f.handler)
      .post('/tasks.json')
      .field('task[name]', 'multi')
      .field('task[schedule_method]', 'every')
      .field('task[schedule_when]', '2h')
      .field('task[actions][0][action_class_name]', 'Log')
      .field('task[actions][0][message]', 'line one')
      .field('task[actions][1][action_class_name]', 'Shell')
      .field('task[actions][1][command]', 'true');
    expect(res.status).to.equal(201);
    expect(
      res.body.actions.map((a: { action_class_name: string }) => a.action_class_name),
    ).to.deep.equal(['Log', 'Shell']);
  });

  it('submits the dashboard form shape (params_for, enabled checkbox, blank extra row)', async () => {
    const res = await request(f.handler)
      .post('/tasks')
      .type(FORM)
      .send(
        form([
          ['task[name]', 'dash'],
          ['task[enabled]', '0'],
          ['task[schedule_method]', 'cron'],
          ['task[schedule_when]', '30 21 * * Mon-Fri'],
          ['task[timezone]', 'Europe/Paris'],
          ['task[overlap]', 'queue'],
          ['task[timeout]', '5m'],
          ['task[retries]', '2'],
          ['task[retry_backoff]', ''],
          ['task[actions][0][action_class_name]', 'Shell'],
          ['task[actions][0][params_for][Shell][command]', 'date'],
          ['task[actions][0][params_for][Shell][cwd]', ''],
          ['task[actions][0][params_for][Log][message]', 'ignored'],
          ['task[actions][1][action_class_name]', ''],
          ['task[actions][1][params_for][Log][message]', ''],
        ]),
      );
    expect(res.status).to.equal(303);
    const task = await f.store.tasks.getByName('dash');
    expect(task).to.include({ enabled: false, timezone: 'Europe/Paris', scheduleMethod: 'cron' });
    expect(task!.policies).to.include({
      overlap: 'queue',
      timeoutMs: 300_000,
      retries: 2,
      retryBackoffMs: null,
    });
    expect(task!.actions.map((a) => a.parameters)).to.deep.equal([{ command: 'date' }]);
  });

  it('shows the form again on 422, filled in, with the errors beside their fields', async () => {
    await f.createTask({ name: 'taken' });
    const before = await f.snapshot();
    const res = await request(f.handler)
      .post('/tasks')
      .type(FORM)
      .send(
        form([
          ['task[name]', 'taken'],
          ['task[schedule_method]', 'every'],
          ['task[schedule_when]', '5x'],
          ['task[actions][0][action_class_name]', 'Shell'],
          ['task[actions][0][params_for][Shell][command]', ''],
        ]),
      );
    expect(res.status).to.equal(422);
    expect(res.headers['content-type']).to.equal('text/html; charset=utf-8');
    expect(res.text).to.contain('value="5x"');
    expect(res.text).to.match(/id="task-schedule-when"[^>]*aria-invalid="true"/);
    expect(res.text).to.match(/<span class="field-error">&#39;5x&#39; for every: unknown unit/);
    expect(res.text).to.match(/<span class="field-error">can&#39;t be blank<\/span>/);
    expect(await f.snapshot()).to.deep.equal(before);
  });

  it('updates through POST + _method=PUT in the body and redirects 303', async () => {
    const t = await f.createTask();
    const res = await request(f.handler)
      .post(`/tasks/${t.id}`)
      .type(FORM)
      .send(
        form([
          ['_method', 'put'],
          ['task[name]', 'renamed'],
          ['task[memo]', 'note'],
        ]),
      );
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`/tasks/${t.id}`);
    const stored = await f.store.tasks.get(t.id);
    expect(stored).to.include({ name: 'renamed', memo: 'note' });
    expect(stored!.actions).to.have.length(1);
  });

  it('deletes through POST /tasks/:id?_method=DELETE (Taskr) and redirects to /tasks', async () => {
    const t = await f.createTask();
    const res = await request(f.handler).post(`/tasks/${t.id}?_method=DELETE`);
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/tasks');
    expect(await f.snapshot()).to.deep.equal([]);
  });

  it('patches through POST ?_method=patch with a JSON body', async () => {
    const t = await f.createTask();
    const res = await request(f.handler)
      .post(`/tasks/${t.id}.json?_method=patch`)
      .send({ memo: 'patched' });
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ memo: 'patched', name: 'backup' });
  });

  it('rejects _method=GET with a 400 and changes nothing', async () => {
    const t = await f.createTask();
    const before = await f.snapshot();
    const res = await request(f.handler).post(`/tasks/${t.id}.json?_method=GET`);
    expect(res.status).to.equal(400);
    expect(res.body.error).to.match(/_method 'GET' is not allowed/);
    expect(await f.snapshot()).to.deep.equal(before);
  });
});
