import { expect } from 'chai';
import request from 'supertest';
import { appFixture, type AppFixture } from '../helpers/app.js';
import { xmlValue } from './fixtures.js';

describe('http /schedule/preview', () => {
  let f: AppFixture;
  beforeEach(async () => {
    f = await appFixture();
  });
  afterEach(async () => {
    expect(f.serverErrors).to.deep.equal([]);
    await f.close();
  });

  it('gives the next fire times and a description (JSON, XML, HTML)', async () => {
    const json = await request(f.handler).get(
      '/schedule/preview.json?schedule_method=every&schedule_when=90m&count=3',
    );
    expect(json.status).to.equal(200);
    expect(json.body).to.include({
      schedule_method: 'every',
      schedule_when: '90m',
      timezone: 'UTC',
    });
    expect(json.body.description).to.be.a('string').and.not.equal('');
    expect(json.body.next_fire_times).to.deep.equal([
      '2026-03-01T13:30:00Z',
      '2026-03-01T15:00:00Z',
      '2026-03-01T16:30:00Z',
    ]);
    const xml = await request(f.handler).get(
      '/schedule/preview.xml?schedule_method=cron&schedule_when=0+9+*+*+Mon-Fri&timezone=Europe/Paris&count=2',
    );
    const value = xmlValue(xml.text);
    expect(value.next_fire_times).to.deep.equal([
      new Date('2026-03-02T08:00:00Z'),
      new Date('2026-03-03T08:00:00Z'),
    ]);
    const html = await request(f.handler).get(
      '/schedule/preview?schedule_method=in&schedule_when=5m',
    );
    expect(html.text).to.contain('2026-03-01T12:05:00Z');
  });

  it('answers the validation error as a 422 naming the field', async () => {
    const json = await request(f.handler).get(
      '/schedule/preview.json?schedule_method=every&schedule_when=5x',
    );
    expect(json.status).to.equal(422);
    expect(json.body.errors.schedule_when[0]).to.match(/unknown unit 'x'/);
    const xml = await request(f.handler).get(
      '/schedule/preview.xml?schedule_method=cron&schedule_when=1+2',
    );
    expect(xml.status).to.equal(422);
    expect(xml.text).to.match(/<error>Schedule when '1 2' for cron/);
    const missing = await request(f.handler).get('/schedule/preview.json');
    expect(missing.status).to.equal(422);
    expect(Object.keys(missing.body.errors)).to.include.members([
      'schedule_method',
      'schedule_when',
    ]);
    expect(
      (
        await request(f.handler).get(
          '/schedule/preview.json?schedule_method=every&schedule_when=1h&count=0',
        )
      ).status,
    ).to.equal(400);
  });
});
