// Hostile bodies: XXE, billion laughs, oversized, deeply nested and over-long fields are each a
// 4xx naming the problem, the store stays unchanged and the server keeps answering; JSON and
// form keys cannot pollute prototypes.
import { expect } from 'chai';
import request from 'supertest';
import { parseBody } from '../../src/http/middleware/bodyParser.js';
import { assertJsonDepth, assertXmlDepth } from '../../src/http/security/bodyShape.js';
import type { AppFixture } from '../helpers/app.js';
import { CREDENTIALS, secureFixture, TASK_JSON } from './support.js';

const XML = 'application/xml';
const XXE = `<?xml version="1.0"?>
<!DOCTYPE task [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<task><name>&xxe;</name><schedule-method>every</schedule-method><schedule-when>1h</schedule-when></task>`;
const LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<task><name>&lol9;</name></task>`;
const LIMIT = 64 * 1024;

describe('security: hostile input', function () {
  this.timeout(20_000);
  let f: AppFixture;
  beforeEach(async () => {
    f = await secureFixture({ http: { bodyLimitBytes: LIMIT } });
    await f.createTask({ name: 'existing' });
  });
  afterEach(async () => {
    expect(f.serverErrors).to.deep.equal([]);
    await f.close();
  });

  const post = (path: string, type: string, body: string | Buffer) =>
    request(f.handler)
      .post(path)
      .set('Authorization', CREDENTIALS.admin)
      .set('Content-Type', type)
      .send(body);

  it('answers each hostile body with the right 4xx, keeps the store unchanged and stays up', async () => {
    const before = await f.snapshot();
    const deepJson = `{"task":${'{"a":'.repeat(40)}1${'}'.repeat(40)}}`;
    const deepArray = '['.repeat(200_000); // would recurse in a naive parser
    const deepXml = `<task>${'<a>'.repeat(100)}x${'</a>'.repeat(100)}</task>`;
    const veryDeepXml = `<task>${'<a>'.repeat(20_000)}`;
    const deepForm = `task[name]=x&${'a'}${'[b]'.repeat(100)}=1`;
    const cases: [string, string, string, string | Buffer, number, RegExp][] = [
      ['XXE', '/tasks.xml', XML, XXE, 400, /DOCTYPE and ENTITY declarations are not accepted/],
      ['billion laughs', '/tasks.xml', XML, LAUGHS, 400, /DOCTYPE/],
      [
        'oversized',
        '/tasks.json',
        'application/json',
        `{"name":"${'x'.repeat(LIMIT)}"}`,
        413,
        /larger than the limit/,
      ],
      [
        'oversized form',
        '/tasks',
        'application/x-www-form-urlencoded',
        `a=${'x'.repeat(LIMIT)}`,
        413,
        /larger than the limit/,
      ],
      [
        'deep JSON',
        '/tasks.json',
        'application/json',
        deepJson,
        400,
        /JSON body is nested deeper than 32 levels/,
      ],
      [
        'deep JSON array',
        '/tasks.json',
        'application/json',
        deepArray.slice(0, LIMIT - 10),
        400,
        /nested deeper/,
      ],
      ['deep XML', '/tasks.xml', XML, deepXml, 400, /XML body is nested deeper than 32 levels/],
      ['very deep XML', '/tasks.xml', XML, veryDeepXml.slice(0, LIMIT - 10), 400, /nested deeper/],
    ];
    for (const [what, path, type, body, status, message] of cases) {
      const res = await post(path, type, body);
      expect(res.status, `${what}: ${res.text.slice(0, 200)}`).to.equal(status);
      expect(res.text, what).to.match(message);
      const alive = await request(f.handler).get('/health');
      expect(alive.status, `up after ${what}`).to.equal(200);
    }
    // A form nested deeper than qs's depth keeps the rest as a literal key: harmless, but the
    // task is incomplete, so nothing is stored.
    const form = await post('/tasks.json', 'application/x-www-form-urlencoded', deepForm);
    expect(form.status).to.be.within(400, 499);
    expect(await f.snapshot()).to.deep.equal(before);
  });

  it('limits string length per field (64 KiB by default), naming the field', async () => {
    const g = await secureFixture();
    try {
      const body = {
        ...TASK_JSON,
        action: { action_class_name: 'Log', message: 'm'.repeat(65_537) },
      };
      const res = await request(g.handler)
        .post('/tasks.json')
        .set('Authorization', CREDENTIALS.admin)
        .send(body);
      expect(res.status).to.equal(413);
      expect(res.body.error).to.equal(
        "JSON body: field 'action[message]' is longer than 65536 characters",
      );
      const ok = await request(g.handler)
        .post('/tasks.json')
        .set('Authorization', CREDENTIALS.admin)
        .send({ ...body, action: { action_class_name: 'Log', message: 'm'.repeat(65_536) } });
      expect(ok.status).to.equal(201);
    } finally {
      await g.close();
    }
  });

  it('drops __proto__, constructor and prototype keys: no prototype is polluted', async () => {
    const attempts: [string, string][] = [
      [
        'application/json',
        '{"__proto__":{"polluted":"yes"},"name":"p1","schedule_method":"every","schedule_when":"1h","action":{"action_class_name":"Log","message":"x","__proto__":{"polluted":"yes"}}}',
      ],
      [
        'application/json',
        '{"constructor":{"prototype":{"polluted":"yes"}},"name":"p2","schedule_method":"every","schedule_when":"1h","action":{"action_class_name":"Log","message":"x"}}',
      ],
      [
        'application/x-www-form-urlencoded',
        'task[__proto__][polluted]=yes&__proto__[polluted]=yes&constructor[prototype][polluted]=yes&task[name]=p3&task[schedule_method]=every&task[schedule_when]=1h&action[0][action_class_name]=Log&action[0][message]=x',
      ],
    ];
    for (const [type, body] of attempts) {
      const res = await request(f.handler)
        .post('/tasks.json')
        .set('Authorization', CREDENTIALS['admin token'])
        .set('Content-Type', type)
        .send(body);
      expect(res.status, `${type}: ${res.text}`).to.equal(201);
      expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
      expect(Object.prototype).to.not.have.property('polluted');
      expect(JSON.stringify(res.body)).to.not.contain('polluted');
    }
    // The XML parser refuses such element names outright.
    for (const name of ['__proto__', 'constructor', 'prototype']) {
      const xml = await request(f.handler)
        .post('/tasks.xml')
        .set('Authorization', CREDENTIALS.admin)
        .set('Content-Type', XML)
        .send(`<task><${name}><polluted>yes</polluted></${name}><name>p5</name></task>`);
      expect(xml.status, name).to.equal(400);
    }
    expect((await f.snapshot()).map((t) => t.name).sort()).to.deep.equal([
      'existing',
      'p1',
      'p2',
      'p3',
    ]);
    expect(Object.prototype).to.not.have.property('polluted');
    const parsed = parseBody(
      Buffer.from('{"__proto__":{"x":1},"a":{"constructor":{"y":2},"b":1}}'),
      'application/json',
    );
    expect(Object.keys(parsed.body)).to.deep.equal(['a']);
    expect(parsed.body.a).to.deep.equal({ b: 1 });
    expect(Object.getPrototypeOf(parsed.body)).to.equal(Object.prototype);
  });

  it('scans depth without being fooled by strings, comments or CDATA', () => {
    expect(() => assertJsonDepth(`{"a":"${'['.repeat(100)}"}`, 32)).to.not.throw();
    expect(() => assertJsonDepth(`{"a":"\\"${'{'.repeat(100)}"}`, 32)).to.not.throw();
    expect(() => assertJsonDepth(`${'['.repeat(32)}${']'.repeat(32)}`, 32)).to.not.throw();
    expect(() => assertJsonDepth(`${'['.repeat(33)}${']'.repeat(33)}`, 32)).to.throw(
      /deeper than 32/,
    );
    expect(() =>
      assertXmlDepth(
        `<t><![CDATA[${'<a>'.repeat(100)}]]><!-- ${'<b>'.repeat(50)} --><c/><d attr="1"/></t>`,
        32,
      ),
    ).to.not.throw();
    expect(() => assertXmlDepth(`${'<a>'.repeat(32)}${'</a>'.repeat(32)}`, 32)).to.not.throw();
    expect(() => assertXmlDepth(`${'<a>'.repeat(33)}${'</a>'.repeat(33)}`, 32)).to.throw(
      /XML body is nested deeper than 32/,
    );
    // Siblings do not add up: depth is nesting, not count.
    expect(() => assertXmlDepth(`<t>${'<a>x</a>'.repeat(1000)}</t>`, 32)).to.not.throw();
  });

  it('refuses hostile bodies before reading them when the client is not authenticated', async () => {
    const res = await request(f.handler).post('/tasks.xml').set('Content-Type', XML).send(LAUGHS);
    expect(res.status).to.equal(401);
  });
});
