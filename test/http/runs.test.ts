import { expect } from 'chai';
import request from 'supertest';
import { appFixture, type AppFixture } from '../helpers/app.js';
import { xmlList, xmlValue } from './fixtures.js';

describe('http runs and stats', () => {
  let f: AppFixture;
  let taskId: number;
  let runIds: number[];
  beforeEach(async () => {
    f = await appFixture();
    const t = await f.createTask({
      name: 'mixed',
      actions: [
        {
          actionClassName: 'Shell',
          parameters: { command: 'echo out-$((1+1)); [ -e /nonexistent-taskr ]' },
        },
      ],
    });
    taskId = t.id;
    runIds = [];
    runIds.push((await f.tasks.runNow(t.id)).id);
    await f.scheduler.idle();
    await f.tasks.update(t.id, {
      name: 'mixed',
      scheduleMethod: 'every',
      scheduleWhen: '1h',
      actions: [{ actionClassName: 'Shell', parameters: { command: 'echo fine' } }],
    });
    runIds.push((await f.tasks.runNow(t.id)).id);
    await f.scheduler.idle();
  });
  afterEach(async () => {
    expect(f.serverErrors).to.deep.equal([]);
    await f.close();
  });

  it('lists a task runs newest first, paginated, in XML and JSON', async () => {
    const xml = await request(f.handler).get(`/tasks/${taskId}/runs.xml`);
    expect(xml.status).to.equal(200);
    expect(xml.text).to.match(/<runs type="array">/);
    expect(xmlList(xml.text).map((r) => r.id)).to.deep.equal([...runIds].reverse());
    const page = await request(f.handler).get(`/tasks/${taskId}/runs.json?per_page=1`);
    expect(page.body.map((r: { id: number }) => r.id)).to.deep.equal([runIds[1]]);
    expect(page.headers.link).to.contain('rel="next"');
    expect(page.headers['x-total-count']).to.equal('2');
  });

  it('shows one run with each action result and its output', async () => {
    const json = await request(f.handler).get(`/runs/${runIds[0]}.json`);
    expect(json.status).to.equal(200);
    expect(json.body).to.include({
      id: runIds[0],
      task_id: taskId,
      status: 'failed',
      trigger: 'manual',
    });
    expect(json.body.results).to.have.length(1);
    expect(json.body.results[0]).to.include({
      action_class_name: 'Shell',
      status: 'failed',
      exit_code: 1,
    });
    expect(json.body.results[0].output).to.contain('out-2');
    const xml = await request(f.handler).get(`/runs/${runIds[1]}.xml`);
    const run = xmlValue(xml.text);
    expect(run).to.include({ status: 'succeeded' });
    expect(xml.text).to.match(/<results type="array">\s*<result>/);
    expect(xml.text).to.contain('<exit-code type="integer">0</exit-code>');
    const html = await request(f.handler).get(`/runs/${runIds[0]}`);
    expect(html.status).to.equal(200);
    expect(html.text).to.contain('out-2');
    expect(html.text).to.contain(`<a href="/tasks/${taskId}">mixed</a>`);
    const list = await request(f.handler).get(`/tasks/${taskId}/runs`);
    expect(list.text).to.contain(`href="/runs/${runIds[1]}"`);
  });

  it('404s a missing run in every format', async () => {
    for (const path of ['/runs/999', '/runs/999.xml', '/runs/999.json', '/runs/x.json']) {
      expect((await request(f.handler).get(path)).status, path).to.equal(404);
    }
    const res = await request(f.handler).get('/runs/999.json');
    expect(res.body.error).to.equal('Run 999 not found');
  });

  it('computes stats: runs by status, success rate, durations, next fire times', async () => {
    const json = await request(f.handler).get(`/tasks/${taskId}/stats.json`);
    expect(json.status).to.equal(200);
    expect(json.body).to.include({ task_id: taskId, total_runs: 2, success_rate: 0.5 });
    expect(json.body.runs_by_status).to.include({ succeeded: 1, failed: 1, pending: 0 });
    expect(json.body.last_duration_ms).to.be.a('number');
    expect(json.body.p95_duration_ms).to.be.a('number');
    expect(json.body.next_fire_times).to.have.length(5);
    expect(json.body.next_fire_times[0]).to.equal('2026-03-01T13:00:00Z');
    const xml = await request(f.handler).get(`/tasks/${taskId}/stats.xml`);
    expect(xml.text).to.match(/<stats>/);
    expect(xml.text).to.contain('<success-rate type="float">0.5</success-rate>');
    expect(xml.text).to.match(
      /<next-fire-times type="array">\s*<next-fire-time type="datetime">2026-03-01T13:00:00Z/,
    );
    const html = await request(f.handler).get(`/tasks/${taskId}/stats`);
    expect(html.text).to.contain('50.0%');
  });
});
