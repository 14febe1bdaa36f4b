import { expect } from 'chai';
import { parseXmlDocument } from '../../src/http/body/xmlBody.js';
import { renderXml, renderXmlErrors, singular } from '../../src/http/xml/renderXml.js';

describe('http XML rendering', () => {
  it('dasherizes names and types values as ActiveResource reads them', () => {
    const xml = renderXml('task', {
      id: 7,
      schedule_when: '1h',
      enabled: true,
      ratio: 0.5,
      created_on: new Date('2026-01-02T03:04:05Z'),
      last_triggered: null,
      actions: [{ id: 1, action_class_name: 'Shell', order: 0, command: 'echo <hi> & bye' }],
    });
    expect(xml).to.match(/^<\?xml version="1.0" encoding="UTF-8"\?>/);
    expect(xml).to.contain('<id type="integer">7</id>');
    expect(xml).to.contain('<schedule-when>1h</schedule-when>');
    expect(xml).to.contain('<enabled type="boolean">true</enabled>');
    expect(xml).to.contain('<ratio type="float">0.5</ratio>');
    expect(xml).to.contain('<created-on type="datetime">2026-01-02T03:04:05Z</created-on>');
    expect(xml).to.contain('<last-triggered nil="true"/>');
    expect(xml).to.contain('<actions type="array">');
    expect(xml).to.contain('<action-class-name>Shell</action-class-name>');
    expect(xml).to.contain('<command>echo &lt;hi&gt; &amp; bye</command>');
    expect(xml).not.to.match(/type="(yaml|symbol|hash)"/);
  });

  it('renders collections with type="array", and an empty one self-closed', () => {
    expect(renderXml('tasks', [])).to.contain('<tasks type="array"/>');
    expect(renderXml('log_entries', [{ id: 1 }])).to.match(
      /<log-entries type="array">\s*<log-entry>/,
    );
  });

  it('round-trips through the request parser', () => {
    const value = {
      id: 7,
      name: 'x',
      enabled: false,
      created_on: new Date('2026-01-02T03:04:05Z'),
      memo: null,
      actions: [{ id: 1, action_class_name: 'Log', order: 0, message: 'hi' }],
    };
    expect(parseXmlDocument(renderXml('task', value))).to.deep.equal(value);
  });

  it('writes object values with odd keys as JSON text and strips characters XML cannot carry', () => {
    const xml = renderXml('action', { headers: { 'X-Source': 'taskr' }, output: 'a\u001b[31mb' });
    expect(xml).to.contain('<headers>{"X-Source":"taskr"}</headers>');
    expect(xml).to.contain('<output>a\uFFFD[31mb</output>');
  });

  it('renders 422 errors without a type attribute', () => {
    const xml = renderXmlErrors(['Name has already been taken']);
    expect(xml).to.match(/<errors>\s*<error>Name has already been taken<\/error>\s*<\/errors>/);
  });

  it('singularizes collection names', () => {
    expect(singular('tasks')).to.equal('task');
    expect(singular('log_entries')).to.equal('log_entry');
    expect(singular('statuses')).to.equal('status');
    expect(singular('aliases')).to.equal('alias');
  });
});
