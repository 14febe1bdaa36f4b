import { expect } from 'chai';
import { HttpError } from '../../src/http/httpError.js';
import { formatFromAccept, negotiateFormat } from '../../src/http/middleware/format.js';

const get = (path: string, extra: Partial<Parameters<typeof negotiateFormat>[0]> = {}) =>
  negotiateFormat({ path, method: 'GET', ...extra });

describe('http format negotiation', () => {
  it('takes the suffix on every route and strips it from the path', () => {
    expect(get('/tasks.xml')).to.include({ format: 'xml', path: '/tasks', explicit: true });
    expect(get('/tasks/7/run.json')).to.include({ format: 'json', path: '/tasks/7/run' });
    expect(get('/tasks/7.HTML')).to.include({ format: 'html', path: '/tasks/7' });
  });

  it('lets ?format= (any case) win over the suffix', () => {
    expect(get('/tasks.xml', { formatParam: 'JSON' })).to.include({
      format: 'json',
      path: '/tasks',
    });
    expect(get('/tasks', { formatParam: 'Xml' })).to.include({ format: 'xml', explicit: true });
  });

  it('answers 406 listing the formats for an unknown explicit format', () => {
    for (const req of [
      get.bind(null, '/tasks.yaml'),
      get.bind(null, '/tasks', { formatParam: 'csv' }),
    ]) {
      try {
        req();
        expect.fail('should throw');
      } catch (err) {
        expect(err).to.be.instanceOf(HttpError);
        expect((err as HttpError).status).to.equal(406);
        expect((err as HttpError).message).to.match(/use html, xml or json/);
      }
    }
  });

  it('uses the request Content-Type for bodies, then Accept, then HTML', () => {
    expect(
      negotiateFormat({
        path: '/tasks',
        method: 'POST',
        contentType: 'application/xml',
        accept: '*/*',
      }).format,
    ).to.equal('xml');
    expect(
      negotiateFormat({
        path: '/tasks',
        method: 'PUT',
        contentType: 'application/json; charset=utf-8',
      }).format,
    ).to.equal('json');
    // A form body says nothing about the answer: Accept decides.
    expect(
      negotiateFormat({
        path: '/tasks',
        method: 'POST',
        contentType: 'application/x-www-form-urlencoded',
        accept: 'application/json',
      }).format,
    ).to.equal('json');
    expect(get('/tasks', { accept: 'application/xml' }).format).to.equal('xml');
    expect(get('/tasks', { contentType: 'application/xml' }).format).to.equal('html');
    expect(get('/tasks').format).to.equal('html');
    expect(get('/tasks', { accept: 'image/png' }).format).to.equal('html');
  });

  it('does not take a numeric extension or an asset file name as a format', () => {
    expect(get('/tasks/1.5')).to.include({ path: '/tasks/1.5', explicit: false });
    expect(get('/assets/taskr.css')).to.include({ path: '/assets/taskr.css', format: 'html' });
  });

  it('honours Accept q-values and wildcards', () => {
    expect(formatFromAccept('text/html;q=0.5, application/json')).to.equal('json');
    expect(formatFromAccept('text/xml')).to.equal('xml');
    expect(formatFromAccept('application/json;q=0, */*')).to.equal('html');
    expect(
      formatFromAccept('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'),
    ).to.equal('html');
    expect(formatFromAccept(undefined)).to.equal(null);
  });
});
