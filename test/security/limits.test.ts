// Rate limits (per client per second, and in flight), each a 429 with Retry-After; the
// X-Request-ID header; and the server's request timeouts over a real socket.
import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import request from 'supertest';
import { ManualClock } from '../../src/clock/manualClock.js';
import { TokenBuckets } from '../../src/http/security/rateLimit.js';
import { chooseRequestId } from '../../src/http/security/requestId.js';
import { serverOptions } from '../../src/http/security/serverTimeouts.js';
import type { AppFixture } from '../helpers/app.js';
import { CREDENTIALS, secureFixture } from './support.js';

describe('security: rate limits', function () {
  this.timeout(20_000);

  it('token buckets: a burst, then the per-second rate; per client; clocks that jump', () => {
    const clock = new ManualClock('2026-03-01T12:00:00Z');
    const buckets = new TokenBuckets(2, 3, clock);
    for (let i = 0; i < 3; i++) expect(buckets.take('a').ok, `burst ${i}`).to.equal(true);
    expect(buckets.take('a')).to.deep.equal({ ok: false, retryAfterSeconds: 1 });
    expect(buckets.take('b').ok, 'another client has its own bucket').to.equal(true);
    clock.jump(500); // half a second at 2/s: one token
    expect(buckets.take('a').ok).to.equal(true);
    expect(buckets.take('a').ok).to.equal(false);
    clock.set('2026-03-01T11:00:00Z'); // an hour backward: no refill, no negative time
    expect(buckets.take('a').ok).to.equal(false);
    clock.set('2026-03-01T13:00:00Z'); // two hours forward: full, but never beyond the burst
    for (let i = 0; i < 3; i++) expect(buckets.take('a').ok).to.equal(true);
    expect(buckets.take('a').ok).to.equal(false);
    const slow = new TokenBuckets(0.1, 1, clock);
    expect(slow.take('c').ok).to.equal(true);
    expect(slow.take('c')).to.deep.equal({ ok: false, retryAfterSeconds: 10 });
  });

  describe('over HTTP', () => {
    let f: AppFixture;
    afterEach(async () => {
      expect(f.serverErrors).to.deep.equal([]);
      await f.close();
    });

    it('answers 429 with Retry-After beyond the per-second rate, in the negotiated format', async () => {
      f = await secureFixture({ http: { rateLimit: { perSecond: 0.01, burst: 3 } } });
      for (let i = 0; i < 3; i++) {
        const ok = await request(f.handler)
          .get('/tasks.json')
          .set('Authorization', CREDENTIALS.viewer);
        expect(ok.status).to.equal(200);
      }
      const limited = await request(f.handler)
        .get('/tasks.json')
        .set('Authorization', CREDENTIALS.viewer);
      expect(limited.status).to.equal(429);
      expect(Number(limited.headers['retry-after'])).to.be.within(1, 100);
      expect(limited.body.error).to.match(
        /^Too many requests from .*127\.0\.0\.1: more than 0.01 per second/,
      );
      const xml = await request(f.handler).get('/tasks.xml');
      expect(xml.status).to.equal(429); // counted before authentication: guessing is limited too
      expect(xml.text).to.contain('<errors>');
    });

    it('answers 429 with Retry-After beyond the requests in flight', async () => {
      f = await secureFixture({ http: { rateLimit: { maxInFlight: 1 } } });
      const { port } = await f.listen();
      // A request whose body is still arriving stays in flight.
      const slow = connect(port, '127.0.0.1');
      await new Promise<void>((resolve) => slow.once('connect', resolve));
      const auth = CREDENTIALS.admin;
      const body = '{"name": "slow", "schedule_method": "every", "schedule_when": "1h"}';
      slow.write(
        `POST /tasks.json HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${auth}\r\nConnection: close\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 8)}`,
      );
      const busy = await waitForStatus(port, 429);
      expect(busy.headers['retry-after']).to.equal('1');
      expect(busy.body).to.contain('Too many requests in progress (limit 1)');
      const first = new Promise<string>((resolve) => {
        let text = '';
        slow.on('data', (c: Buffer) => (text += c.toString()));
        slow.on('close', () => resolve(text));
      });
      // write, not end: Node aborts a request whose client half-closes the socket.
      slow.write(body.slice(8));
      expect(await first).to.match(/^HTTP\/1\.1 422/); // the slow request itself was served (no actions)
      const after = await waitForStatus(port, 200);
      expect(after.status).to.equal(200);
    });
  });
});

/** GET /health until it answers the status wanted (the server sees the first request asynchronously). */
async function waitForStatus(
  port: number,
  status: number,
): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  for (let i = 0; i < 100; i++) {
    const res = await fetch(`http://127.0.0.1:${port}/health`);
    const out = {
      status: res.status,
      headers: Object.fromEntries(res.headers),
      body: await res.text(),
    };
    if (out.status === status) return out;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`never answered ${status}`);
}

describe('security: X-Request-ID', () => {
  let f: AppFixture;
  before(async () => {
    f = await secureFixture();
  });
  after(() => f.close());

  it('echoes a sane id, replaces an insane one, and makes one when none is sent', async () => {
    const given = await request(f.handler).get('/health').set('X-Request-ID', 'abc-123.def_4:5');
    expect(given.headers['x-request-id']).to.equal('abc-123.def_4:5');
    const made = await request(f.handler).get('/health');
    expect(made.headers['x-request-id']).to.match(/^[0-9a-f-]{36}$/);
    for (const bad of ['x'.repeat(129), 'a b', 'a\u00e9', '<script>']) {
      const res = await request(f.handler).get('/health').set('X-Request-ID', bad);
      expect(res.headers['x-request-id'], bad).to.match(/^[0-9a-f-]{36}$/);
    }
    const refused = await request(f.handler).get('/tasks.json').set('X-Request-ID', 'trace-1');
    expect(refused.status).to.equal(401);
    expect(refused.headers['x-request-id'], 'errors carry it too').to.equal('trace-1');
    expect(chooseRequestId(undefined)).to.not.equal(chooseRequestId(undefined));
  });
});

describe('security: request timeouts over a real socket', function () {
  this.timeout(10_000);
  let server: Server;
  afterEach(() => {
    server.closeAllConnections();
    server.close();
  });

  it('answers 408 and closes a connection whose headers never finish (slowloris)', async () => {
    const opts = serverOptions({ requestTimeoutMs: 400, headersTimeoutMs: 200 });
    expect(opts).to.include({ requestTimeout: 400, headersTimeout: 200 });
    server = createServer(opts, (_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    await new Promise<void>((resolve) => socket.once('close', () => resolve()));
    expect(Buffer.concat(chunks).toString()).to.match(/^HTTP\/1\.1 408/);
  });
});
