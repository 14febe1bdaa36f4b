import { expect } from 'chai';
import { multipartFields } from '../../src/http/body/formBody.js';
import { parseXmlDocument } from '../../src/http/body/xmlBody.js';
import { HttpError } from '../../src/http/httpError.js';
import { parseBody } from '../../src/http/middleware/bodyParser.js';
import { overriddenMethod } from '../../src/http/middleware/methodOverride.js';

function statusOf(fn: () => unknown): { status: number; message: string } {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(HttpError);
    return { status: (err as HttpError).status, message: (err as HttpError).message };
  }
  throw new Error('expected an HttpError');
}

describe('http request bodies', () => {
  describe('XML as ActiveResource sends it', () => {
    it('types integers, booleans, dateTimes, nils and arrays, and snake_cases names', () => {
      const value = parseXmlDocument(`<?xml version="1.0" encoding="UTF-8"?>
<task>
  <id type="integer">7</id>
  <name>a &amp; b &lt;c&gt; &#233;</name>
  <enabled type="boolean">false</enabled>
  <created-on type="dateTime">2026-01-02T03:04:05Z</created-on>
  <last-triggered type="datetime" nil="true"/>
  <memo></memo>
  <actions type="array">
    <action>
      <action-class-name>Shell</action-class-name>
      <command>echo hi</command>
    </action>
  </actions>
</task>`);
      expect(value).to.deep.equal({
        id: 7,
        name: 'a & b <c> é',
        enabled: false,
        created_on: new Date('2026-01-02T03:04:05Z'),
        last_triggered: null,
        memo: null,
        actions: [{ action_class_name: 'Shell', command: 'echo hi' }],
      });
    });

    it('keeps several array items in order and an empty array as []', () => {
      const value = parseXmlDocument(
        '<task><actions type="array"><action><command>a</command></action><action><command>b</command></action></actions><tags type="array"/></task>',
      ) as Record<string, unknown>;
      expect(value.actions).to.deep.equal([{ command: 'a' }, { command: 'b' }]);
      expect(value.tags).to.deep.equal([]);
    });

    it('refuses DTDs and entity declarations (no entity expansion)', () => {
      const r = statusOf(() =>
        parseXmlDocument(
          '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x "boom">]><task><name>&x;</name></task>',
        ),
      );
      expect(r.status).to.equal(400);
      expect(r.message).to.match(/DOCTYPE/);
    });

    it('names the problem in malformed XML and in bad typed values', () => {
      expect(statusOf(() => parseXmlDocument('<task><name>x</task>')).message).to.match(
        /not well-formed.*line 1/,
      );
      expect(
        statusOf(() => parseXmlDocument('<task><retries type="integer">lots</retries></task>'))
          .message,
      ).to.match(/retries.*integer.*lots/);
      expect(
        statusOf(() => parseXmlDocument('<task><at type="datetime">soon</at></task>')).status,
      ).to.equal(400);
    });
  });

  describe('parseBody', () => {
    it('treats an empty or whitespace body as {} whatever the Content-Type', () => {
      expect(parseBody(Buffer.from(''), 'application/xml')).to.deep.equal({
        kind: 'none',
        body: {},
      });
      expect(parseBody(Buffer.from('  \n'), 'application/json')).to.deep.equal({
        kind: 'none',
        body: {},
      });
    });

    it('parses urlencoded bodies with Rails-style nesting', () => {
      const { body } = parseBody(
        Buffer.from('task[name]=a&action[0][action_class_name]=Shell&action[0][command]=ls+-l'),
        'application/x-www-form-urlencoded',
      );
      expect(body).to.deep.equal({
        task: { name: 'a' },
        action: [{ action_class_name: 'Shell', command: 'ls -l' }],
      });
    });

    it('sniffs a body sent without Content-Type', () => {
      expect(parseBody(Buffer.from('<task><name>x</name></task>'), '').body).to.deep.equal({
        name: 'x',
      });
      expect(parseBody(Buffer.from('{"name":"x"}'), '').body).to.deep.equal({ name: 'x' });
      expect(parseBody(Buffer.from('name=x'), '').body).to.deep.equal({ name: 'x' });
    });

    it('rejects malformed JSON (400), non-object JSON (400) and other media types (415)', () => {
      expect(
        statusOf(() => parseBody(Buffer.from('{"name":'), 'application/json')).status,
      ).to.equal(400);
      expect(statusOf(() => parseBody(Buffer.from('[1]'), 'application/json')).message).to.match(
        /object/,
      );
      expect(statusOf(() => parseBody(Buffer.from('hello'), 'text/plain')).status).to.equal(415);
    });

    it('reads multipart text fields and ignores files', () => {
      const b = 'XyZ';
      const raw = Buffer.from(
        [
          `--${b}`,
          'Content-Disposition: form-data; name="task[name]"',
          '',
          'multi',
          `--${b}`,
          'Content-Disposition: form-data; name="upload"; filename="a.txt"',
          'Content-Type: text/plain',
          '',
          'file body',
          `--${b}`,
          'Content-Disposition: form-data; name="action[0][command]"',
          '',
          'echo "a\r\nb"',
          `--${b}--`,
          '',
        ].join('\r\n'),
      );
      expect(multipartFields(raw, `multipart/form-data; boundary=${b}`)).to.deep.equal([
        ['task[name]', 'multi'],
        ['action[0][command]', 'echo "a\r\nb"'],
      ]);
      expect(parseBody(raw, `multipart/form-data; boundary="${b}"`).body).to.deep.equal({
        task: { name: 'multi' },
        action: [{ command: 'echo "a\r\nb"' }],
      });
      expect(statusOf(() => parseBody(raw, 'multipart/form-data')).message).to.match(/boundary/);
    });
  });

  describe('method override', () => {
    it('reads _method in any case from the query or the body', () => {
      expect(overriddenMethod({ _method: 'delete' }, {})).to.equal('DELETE');
      expect(overriddenMethod({}, { _method: 'Put' })).to.equal('PUT');
      expect(overriddenMethod({}, { _method: 'PATCH' })).to.equal('PATCH');
      expect(overriddenMethod({}, {})).to.equal(null);
      expect(overriddenMethod({ _method: 'post' }, {})).to.equal(null);
    });

    it('rejects other methods with a 400', () => {
      expect(statusOf(() => overriddenMethod({ _method: 'GET' }, {})).status).to.equal(400);
    });
  });
});
