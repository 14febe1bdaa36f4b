import { expect } from 'chai';
import request from 'supertest';
import { appFixture, type AppFixture } from '../helpers/app.js';

describe('http /tasks in HTML', () => {
  let f: AppFixture;
  beforeEach(async () => {
    f = await appFixture();
  });
  afterEach(async () => {
    expect(f.serverErrors).to.deep.equal([]);
    await f.close();
  });

  describe('as HTML', () => {
    it('lists tasks, shows a task with its buttons, runs and log, and serves the forms', async () => {
      const t = await f.createTask({ name: 'html-task' });
      const list = await request(f.handler).get('/tasks');
      expect(list.status).to.equal(200);
      expect(list.headers['content-type']).to.equal('text/html; charset=utf-8');
      expect(list.text).to.contain(`<a href="/tasks/${t.id}">html-task</a>`);
      expect(list.text).to.contain('href="/assets/taskr.css"');

      const page = await request(f.handler).get(`/tasks/${t.id}`);
      expect(page.text).to.contain(`action="/tasks/${t.id}/run"`);
      expect(page.text).to.contain(`action="/tasks/${t.id}/pause"`);
      expect(page.text).to.contain('name="_method" value="DELETE"');
      expect(page.text).to.contain(`href="/tasks/${t.id}/edit"`);
      expect(page.text).to.contain('2026-03-01T13:00:00Z'); // next fire time
      expect(page.text).to.contain('Recent runs');

      const edit = await request(f.handler).get(`/tasks/${t.id}/edit`);
      expect(edit.text).to.contain('name="_method" value="PUT"');
      expect(edit.text).to.contain('value="html-task"');
      const blank = await request(f.handler).get('/tasks/new');
      expect(blank.text).to.contain('<form method="post" action="/tasks"');
      // Every control has a visible label.
      for (const html of [edit.text, blank.text]) {
        const ids = [...html.matchAll(/<(?:input|select|textarea)[^>]*\sid="([^"]+)"/g)].map(
          (m) => m[1],
        );
        expect(ids.length).to.be.greaterThan(10);
        for (const id of ids) expect(html, `label for ${id}`).to.contain(`<label for="${id}">`);
      }
    });

    it('HEAD answers every GET route without a body', async () => {
      const t = await f.createTask();
      for (const path of [
        '/tasks',
        `/tasks/${t.id}`,
        '/tasks/new',
        `/tasks/${t.id}/edit`,
        `/tasks/${t.id}.json`,
      ]) {
        const res = await request(f.handler).head(path);
        expect(res.status, path).to.equal(200);
        expect(res.text ?? '', path).to.equal('');
      }
    });

    it('redirects GET / to /tasks', async () => {
      const res = await request(f.handler).get('/');
      expect(res.status).to.equal(302);
      expect(res.headers.location).to.equal('/tasks');
    });
  });
});
