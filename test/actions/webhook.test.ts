import { expect } from 'chai';
import webhook from '../../actions/webhook.js';
import { actionContext, runType, testConfig } from '../helpers/actionContext.js';
import { startServer, type TestServer } from './httpServer.js';

describe('Webhook action', () => {
  let srv: TestServer;
  beforeEach(async () => (srv = await startServer()));
  afterEach(async () => srv.close());

  it('GETs a URL, records httpStatus and sends the body to the output', async () => {
    srv.handle((_req, res) => res.end('line1\nline2'));
    const ctx = actionContext();
    const out = await runType(webhook, { url: `${srv.base}/ping?x=1`, method: 'get' }, ctx);
    expect(out).to.deep.equal({ ok: true, httpStatus: 200 });
    expect(srv.requests[0]).to.deep.include({ method: 'GET', url: '/ping?x=1', body: '' });
    expect(ctx.stdout).to.deep.equal([`GET ${srv.base}/ping?x=1 -> 200`, 'line1', 'line2']);
  });

  it('POSTs a JSON body (given as JSON text) with custom headers', async () => {
    const ctx = actionContext();
    const out = await runType(
      webhook,
      { url: `${srv.base}/hook`, body: '{"a": 1}', headers: { 'X-Source': 'taskr' } },
      ctx,
    );
    expect(out.ok).to.equal(true);
    const req = srv.requests[0]!;
    expect(req.method).to.equal('POST');
    expect(JSON.parse(req.body)).to.deep.equal({ a: 1 });
    expect(req.headers['content-type']).to.equal('application/json');
    expect(req.headers['x-source']).to.equal('taskr');
  });

  it('sends a CGI string body as a form', async () => {
    await runType(
      webhook,
      { url: `${srv.base}/form`, method: 'PUT', body: 'a=1&b=two' },
      actionContext(),
    );
    expect(srv.requests[0]).to.deep.include({ method: 'PUT', body: 'a=1&b=two' });
    expect(srv.requests[0]!.headers['content-type']).to.equal('application/x-www-form-urlencoded');
  });

  it('uses basic auth and bearer tokens (resolving ${env:NAME})', async () => {
    const ctx = actionContext({ env: { HOOK_TOKEN: 't0k3n' } });
    await runType(webhook, { url: srv.base, username: 'alice', password: 's3cret' }, ctx);
    await runType(webhook, { url: srv.base, token: '${env:HOOK_TOKEN}' }, ctx);
    const basic = Buffer.from('alice:s3cret').toString('base64');
    expect(srv.requests.map((r) => r.headers.authorization)).to.deep.equal([
      `Basic ${basic}`,
      'Bearer t0k3n',
    ]);
  });

  it('fails on an unexpected status and honours expect_status', async () => {
    srv.handle((_req, res) => {
      res.statusCode = 204;
      res.end();
    });
    expect(await runType(webhook, { url: srv.base }, actionContext())).to.deep.equal({
      ok: true,
      httpStatus: 204,
    });
    expect(
      await runType(webhook, { url: srv.base, expect_status: '200' }, actionContext()),
    ).to.deep.equal({
      ok: false,
      httpStatus: 204,
      error: 'HTTP 204, expected 200',
    });
    const ok = await runType(
      webhook,
      { url: srv.base, expect_status: '200, 204' },
      actionContext(),
    );
    expect(ok.ok).to.equal(true);
    srv.handle((_req, res) => {
      res.statusCode = 500;
      res.end('boom');
    });
    const failed = await runType(webhook, { url: srv.base }, actionContext());
    expect(failed).to.deep.equal({ ok: false, httpStatus: 500, error: 'HTTP 500, expected 2xx' });
  });

  it('fails on its own timeout without hanging', async () => {
    srv.handle(() => {}); // never answers
    const out = await runType(webhook, { url: srv.base, timeout: '100ms' }, actionContext());
    expect(out.ok).to.equal(false);
    expect(out.error).to.equal(`POST ${srv.base}/: no answer within 100 ms (timeout)`);
  });

  it('stops when the run is cancelled', async () => {
    srv.handle(() => {});
    const ctx = actionContext();
    const running = runType(webhook, { url: srv.base }, ctx);
    setTimeout(() => ctx.controller.abort('cancel'), 50);
    const out = await running;
    expect(out.error).to.match(/^cancelled: POST/);
  });

  it('task_api: calls again on 206 with the previous response body as payload, until 200', async () => {
    srv.handle((req, res) => {
      const step = (JSON.parse(req.body) as { step: number }).step;
      res.setHeader('Content-Type', 'application/json');
      res.statusCode = step < 3 ? 206 : 200;
      res.end(JSON.stringify({ step: step + 1 }));
    });
    const ctx = actionContext();
    const out = await runType(
      webhook,
      { url: `${srv.base}/work`, protocol: 'task_api', payload: { step: 0 }, poll_interval: '0' },
      ctx,
    );
    expect(out).to.deep.equal({ ok: true, httpStatus: 200 });
    expect(srv.requests.map((r) => r.body)).to.deep.equal([
      '{"step":0}',
      '{"step":1}',
      '{"step":2}',
      '{"step":3}',
    ]);
    expect(ctx.stdout.at(-1)).to.equal('{"step":4}');
  });

  it('task_api: gives up after max_calls, and fails on another status', async () => {
    srv.handle((_req, res) => {
      res.statusCode = 206;
      res.end('{}');
    });
    const capped = await runType(
      webhook,
      { url: srv.base, protocol: 'task_api', max_calls: '3', poll_interval: '1ms' },
      actionContext(),
    );
    expect(capped).to.deep.equal({
      ok: false,
      httpStatus: 206,
      error: 'task_api: still running (206) after max_calls 3 calls',
    });
    expect(srv.requests).to.have.length(3);
    srv.handle((_req, res) => {
      res.statusCode = 500;
      res.end('bad');
    });
    const failed = await runType(webhook, { url: srv.base, protocol: 'task_api' }, actionContext());
    expect(failed).to.deep.equal({
      ok: false,
      httpStatus: 500,
      error: 'task_api: HTTP 500 on call 1 (task failed)',
    });
  });

  it('named service: POSTs <baseUrl>/<action> with the payload and the service credentials', async () => {
    srv.handle((req, res) => {
      res.statusCode = req.body.includes('"more":true') ? 206 : 200;
      res.end(JSON.stringify({ more: false }));
    });
    const config = {
      actions: {
        services: {
          billing: { baseUrl: `${srv.base}/api/`, token: 'svc-token', headers: { 'X-Svc': 'b' } },
        },
      },
    };
    const ctx = actionContext({ config });
    const out = await runType(
      webhook,
      {
        service: 'billing',
        action: 'invoices/close',
        payload: '{"more": true}',
        poll_interval: '0',
      },
      ctx,
    );
    expect(out).to.deep.equal({ ok: true, httpStatus: 200 });
    expect(srv.requests.map((r) => [r.method, r.url, r.body])).to.deep.equal([
      ['POST', '/api/invoices/close', '{"more":true}'],
      ['POST', '/api/invoices/close', '{"more":false}'],
    ]);
    expect(srv.requests[0]!.headers.authorization).to.equal('Bearer svc-token');
    expect(srv.requests[0]!.headers['x-svc']).to.equal('b');
  });

  it('validation names each bad parameter', () => {
    const config = testConfig();
    const r = webhook.validate(
      { url: 'ftp://x', method: 'FETCH', timeout: 'soon', expect_status: '2x', password: 'p' },
      config,
    );
    expect(r.ok).to.equal(false);
    if (r.ok) return;
    expect(r.errors).to.deep.include({
      param: 'method',
      message: "must be one of GET, POST, PUT, PATCH, DELETE, HEAD, got 'FETCH'",
    });
    const r2 = webhook.validate(
      { url: 'ftp://x', timeout: 'soon', expect_status: '2x', password: 'p' },
      config,
    );
    if (r2.ok) throw new Error('expected errors');
    expect(r2.errors.map((e) => e.param)).to.deep.equal([
      'url',
      'password',
      'timeout',
      'expect_status',
    ]);
    const r3 = webhook.validate({ service: 'nope', method: 'GET', body: 'x=1' }, config);
    if (r3.ok) throw new Error('expected errors');
    expect(r3.errors).to.deep.include({
      param: 'service',
      message:
        "'nope' is not a configured service; known: none configured (config actions.services)",
    });
    expect(r3.errors).to.deep.include({
      param: 'action',
      message: "can't be blank when service is given",
    });
    expect(r3.errors.map((e) => e.param)).to.include('body');
  });
});
