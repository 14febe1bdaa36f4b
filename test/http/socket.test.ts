// Raw requests over a real socket, byte for byte as curl and ActiveResource send them.
import { connect } from 'node:net';
import { expect } from 'chai';
import { appFixture, type AppFixture } from '../helpers/app.js';
import { AR_CREATE } from './fixtures.js';

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function raw(port: number, request: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const [statusLine, ...lines] = text.slice(0, split).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const i = line.indexOf(':');
        headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
      }
      resolve({ status: Number(statusLine!.split(' ')[1]), headers, body: text.slice(split + 4) });
    });
    socket.end(request);
  });
}

function http(method: string, path: string, headers: Record<string, string>, body = ''): string {
  const all: Record<string, string> = { Host: '127.0.0.1', Connection: 'close', ...headers };
  if (body !== '' || method === 'POST' || method === 'PUT')
    all['Content-Length'] ??= String(Buffer.byteLength(body));
  const head = Object.entries(all)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n');
  return `${method} ${path} HTTP/1.1\r\n${head}\r\n\r\n${body}`;
}

describe('http over a real socket', () => {
  let f: AppFixture;
  let port: number;
  beforeEach(async () => {
    f = await appFixture({ bodyLimit: 8192 });
    ({ port } = await f.listen());
  });
  afterEach(async () => {
    expect(f.serverErrors).to.deep.equal([]);
    await f.close();
  });

  it('an ActiveResource session: create, exists?, pause with an empty body, destroy', async () => {
    // Newer ActiveResource sends no User-Agent and no Accept on POST, plus credentials.
    const created = await raw(
      port,
      http(
        'POST',
        '/tasks.xml',
        { 'Content-Type': 'application/xml', Authorization: 'Basic dTpw' },
        AR_CREATE,
      ),
    );
    expect(created.status).to.equal(201);
    expect(created.headers['content-type']).to.equal('application/xml; charset=utf-8');
    const id = /\/tasks\/(\d+)\.xml$/.exec(created.headers.location!)![1];
    expect(created.body).to.contain(`<id type="integer">${id}</id>`);

    const exists = await raw(port, http('HEAD', `/tasks/${id}.xml`, { Accept: 'application/xml' }));
    expect(exists.status).to.equal(200);
    expect(exists.body).to.equal('');

    const paused = await raw(
      port,
      http('PUT', `/tasks/${id}/pause.xml`, {
        'Content-Type': 'application/xml',
        'Content-Length': '0',
      }),
    );
    expect(paused.status).to.equal(200);
    expect(paused.body).to.contain('<enabled type="boolean">false</enabled>');

    const gone = await raw(port, http('DELETE', `/tasks/${id}.xml`, { Accept: 'application/xml' }));
    expect(gone.status).to.equal(200);
    expect((await raw(port, http('HEAD', `/tasks/${id}.xml`, {}))).status).to.equal(404);
  });

  it('curl: a form POST creates (303), POST ?_method=DELETE deletes', async () => {
    const body =
      'name=curl&schedule_method=every&schedule_when=15m&action[action_class_name]=Log&action[message]=hi';
    const created = await raw(
      port,
      http(
        'POST',
        '/tasks',
        {
          'Content-Type': 'application/x-www-form-urlencoded',
          'User-Agent': 'curl/8.5.0',
          Accept: '*/*',
        },
        body,
      ),
    );
    expect(created.status).to.equal(303);
    const location = created.headers.location!;
    expect(location).to.match(/^\/tasks\/\d+$/);
    const json = await raw(port, http('GET', `${location}.json`, {}));
    expect(JSON.parse(json.body)).to.include({ name: 'curl', schedule_when: '15m' });
    const deleted = await raw(
      port,
      http('POST', `${location}?_method=DELETE`, { 'Content-Length': '0' }),
    );
    expect(deleted.status).to.equal(303);
    expect(deleted.headers.location).to.equal('/tasks');
    expect(await f.snapshot()).to.deep.equal([]);
  });

  it('refuses an oversized body with 413 before reading it, and stores nothing', async () => {
    const res = await raw(
      port,
      http(
        'POST',
        '/tasks.json',
        { 'Content-Type': 'application/json', 'Content-Length': '999999' },
        '{"name":"x"}',
      ),
    );
    expect(res.status).to.equal(413);
    expect(JSON.parse(res.body).error).to.match(/larger than the limit/);
    expect(await f.snapshot()).to.deep.equal([]);
  });

  it('answers a 405 with Allow to a GET on a custom method', async () => {
    const t = await f.createTask();
    const res = await raw(
      port,
      http('GET', `/tasks/${t.id}/run.xml`, { Accept: 'application/xml' }),
    );
    expect(res.status).to.equal(405);
    expect(res.headers.allow).to.equal('POST, PUT');
  });
});
