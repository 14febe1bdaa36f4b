import { expect } from 'chai';
import request from 'supertest';
import type { LogLevel } from '../../src/domain/types.js';
import { appFixture, type AppFixture } from '../helpers/app.js';
import { xmlList } from './fixtures.js';

describe('http /log_entries', () => {
  let f: AppFixture;
  let taskId: number;
  let otherId: number;
  beforeEach(async () => {
    f = await appFixture();
    taskId = (await f.createTask()).id;
    otherId = (await f.createTask({ name: 'other' })).id;
    const entry = (
      level: LogLevel,
      minute: number,
      task: number,
      runId: number | null,
      data: string,
    ) => ({
      timestamp: new Date(Date.UTC(2026, 2, 1, 12, minute)),
      level,
      taskId: task,
      actionId: null,
      runId,
      data,
    });
    await f.store.logs.append([
      entry('DEBUG', 0, taskId, null, 'debug line'),
      entry('INFO', 1, taskId, null, 'info line'),
      entry('WARN', 2, taskId, null, 'warn <line> & more'),
      entry('ERROR', 3, otherId, null, 'other error'),
    ]);
  });
  afterEach(async () => {
    expect(f.serverErrors).to.deep.equal([]);
    await f.close();
  });

  it('lists newest first in JSON and XML', async () => {
    const json = await request(f.handler).get('/log_entries.json');
    expect(json.status).to.equal(200);
    expect(json.body.map((e: { data: string }) => e.data)).to.deep.equal([
      'other error',
      'warn <line> & more',
      'info line',
      'debug line',
    ]);
    expect(json.body[0]).to.include({
      level: 'ERROR',
      task_id: otherId,
      timestamp: '2026-03-01T12:03:00Z',
    });
    const xml = await request(f.handler).get('/log_entries.xml');
    expect(xml.text).to.match(/<log-entries type="array">\s*<log-entry>/);
    expect(xml.text).to.contain('<data>warn &lt;line&gt; &amp; more</data>');
    expect(xmlList(xml.text)).to.have.length(4);
  });

  it('filters by task_id, since and level (that level and more severe), order=asc', async () => {
    const byTask = await request(f.handler).get(`/log_entries.json?task_id=${taskId}`);
    expect(byTask.body).to.have.length(3);
    const level = await request(f.handler).get(`/log_entries.json?task_id=${taskId}&level=info`);
    expect(level.body.map((e: { level: string }) => e.level)).to.deep.equal(['WARN', 'INFO']);
    const since = await request(f.handler).get(
      '/log_entries.json?since=2026-03-01T12:02:00Z&order=asc',
    );
    expect(since.body.map((e: { data: string }) => e.data)).to.deep.equal([
      'warn <line> & more',
      'other error',
    ]);
    const run = await request(f.handler).get('/log_entries.json?run_id=12345');
    expect(run.body).to.deep.equal([]);
  });

  it('renders the log page with its filters', async () => {
    const html = await request(f.handler).get(`/log_entries?task_id=${taskId}&level=WARN`);
    expect(html.status).to.equal(200);
    expect(html.text).to.contain('warn &lt;line&gt; &amp; more');
    expect(html.text).not.to.contain('info line');
    expect(html.text).to.contain('<label for="log-level">');
  });

  it('400s bad filters, naming the parameter', async () => {
    const cases: [string, RegExp][] = [
      ['task_id=abc', /task_id must be a whole number/],
      ['level=LOUD', /level 'LOUD' is not allowed; use DEBUG, INFO, WARN, ERROR/],
      ['since=yesterday-ish', /since must be an ISO 8601 date/],
      ['limit=0', /limit must be a whole number from 1/],
    ];
    for (const [query, message] of cases) {
      const res = await request(f.handler).get(`/log_entries.json?${query}`);
      expect(res.status, query).to.equal(400);
      expect(res.body.error, query).to.match(new RegExp(message.source, 'i'));
    }
  });
});
