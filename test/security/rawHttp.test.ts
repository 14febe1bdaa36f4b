// Byte-for-byte requests over a real socket, as a browser or curl would send them: the CSRF
// token round trip of a dashboard form, and the Host allow-list.
import { expect } from 'chai';
import { connect } from 'node:net';
import type { AppFixture } from '../helpers/app.js';
import { CREDENTIALS, secureFixture } from './support.js';

interface Raw {
  status: number;
  head: string;
  body: string;
}

function raw(port: number, text: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const all = Buffer.concat(chunks).toString('utf8');
      const split = all.indexOf('\r\n\r\n');
      resolve({
        status: Number(all.split(' ')[1]),
        head: all.slice(0, split),
        body: all.slice(split + 4),
      });
    });
    // write, not end: a half-closed socket makes Node abort a request still being answered
    // (real clients keep their side open until the response with Connection: close ends).
    socket.write(text);
  });
}

function req(method: string, path: string, headers: Record<string, string>, body = ''): string {
  const all: Record<string, string> = {
    Host: '127.0.0.1',
    Connection: 'close',
    Authorization: CREDENTIALS.admin,
    ...headers,
  };
  if (body !== '') all['Content-Length'] = String(Buffer.byteLength(body));
  const head = Object.entries(all)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n');
  return `${method} ${path} HTTP/1.1\r\n${head}\r\n\r\n${body}`;
}

const FORM_FIELDS =
  'task%5Bname%5D=raw-form&task%5Bschedule_method%5D=every&task%5Bschedule_when%5D=1h' +
  '&action%5B0%5D%5Baction_class_name%5D=Log&action%5B0%5D%5Bmessage%5D=hi';

describe('security: raw HTTP', function () {
  this.timeout(20_000);
  let f: AppFixture;
  let port: number;
  beforeEach(async () => {
    f = await secureFixture();
    ({ port } = await f.listen());
  });
  afterEach(async () => {
    expect(f.serverErrors).to.deep.equal([]);
    await f.close();
  });

  it('refuses a form post without the CSRF token and accepts it with the token from the page', async () => {
    // What a browser's form post carries (Sec-Fetch-Site, Referer), without the token.
    const browser = {
      'Sec-Fetch-Site': 'same-origin',
      Referer: `http://127.0.0.1:${port}/tasks/new`,
    };
    const urlencoded = { 'Content-Type': 'application/x-www-form-urlencoded' };
    const bare = await raw(port, req('POST', '/tasks', { ...urlencoded, ...browser }, FORM_FIELDS));
    expect(bare.status).to.equal(403);
    expect(bare.body).to.contain('CSRF check failed');
    // No Content-Type at all, body sniffed as a form: still a browser-sendable write.
    const untyped = await raw(port, req('POST', '/tasks', browser, FORM_FIELDS));
    expect(untyped.status).to.equal(403);
    expect(await f.snapshot()).to.deep.equal([]);

    const page = await raw(port, req('GET', '/tasks/new', {}));
    expect(page.status).to.equal(200);
    const cookie = /^set-cookie: (taskr_csrf=[^;\r\n]+)/im.exec(page.head)?.[1];
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
    expect(cookie).to.be.a('string');
    expect(token).to.be.a('string');
    const posted = await raw(
      port,
      req(
        'POST',
        '/tasks',
        { ...urlencoded, ...browser, Cookie: cookie! },
        `${FORM_FIELDS}&_csrf=${encodeURIComponent(token!)}`,
      ),
    );
    expect(posted.status, posted.body).to.equal(303);
    expect((await f.snapshot()).map((t) => t.name)).to.deep.equal(['raw-form']);
  });

  it('accepts a form post from a script (no cookie, Origin, Referer or Sec-Fetch-Site): Taskr-era PHP clients', async () => {
    const posted = await raw(
      port,
      req('POST', '/tasks', { 'Content-Type': 'application/x-www-form-urlencoded' }, FORM_FIELDS),
    );
    expect(posted.status, posted.body).to.be.oneOf([201, 303]);
    expect((await f.snapshot()).map((t) => t.name)).to.deep.equal(['raw-form']);
  });

  it('refuses an unknown Host (DNS rebinding) and serves its own', async () => {
    const evil = await raw(
      port,
      req('GET', '/tasks.json', { Host: `rebind.evil.example:${port}` }),
    );
    expect(evil.status).to.equal(421);
    const own = await raw(port, req('GET', '/tasks.json', { Host: `localhost:${port}` }));
    expect(own.status).to.equal(200);
  });
});
