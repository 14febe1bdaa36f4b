import { expect } from 'chai';
import type { ParamSpec } from '../../src/actions/contract.js';
import { hasEnvRefs, resolveEnvRefs, resolveParamsEnv } from '../../src/actions/envRefs.js';
import { parseDurationMs, validateParams } from '../../src/actions/params.js';

const specs: ParamSpec[] = [
  { name: 'command', type: 'text', required: true, description: 'c' },
  { name: 'count', type: 'integer', required: false, default: 3, description: 'n' },
  { name: 'ratio', type: 'number', required: false, description: 'r' },
  { name: 'force', type: 'boolean', required: false, default: false, description: 'f' },
  { name: 'env', type: 'object', required: false, description: 'e' },
  { name: 'body', type: 'json', required: false, description: 'b' },
  { name: 'mode', type: 'string', required: false, enum: ['fast', 'slow'], description: 'm' },
];

describe('action params validation', () => {
  it('coerces strings from HTML forms and applies defaults', () => {
    const r = validateParams('T', specs, {
      command: 'ls',
      count: '12',
      ratio: '0.5',
      force: 'on',
      env: '{"A":"1"}',
      body: '[1,2]',
      mode: 'FAST',
    });
    expect(r).to.deep.equal({
      ok: true,
      params: {
        command: 'ls',
        count: 12,
        ratio: 0.5,
        force: true,
        env: { A: '1' },
        body: [1, 2],
        mode: 'fast',
      },
    });
    const d = validateParams('T', specs, {
      command: 'ls',
      count: '',
      ratio: null,
      body: 'a=1&b=2',
    });
    expect(d).to.deep.equal({
      ok: true,
      params: { command: 'ls', count: 3, force: false, body: 'a=1&b=2' },
    });
  });

  it('names each bad parameter with a message that reads after its name', () => {
    const r = validateParams('T', specs, {
      command: '  ',
      count: '1.5',
      ratio: 'abc',
      force: 'maybe',
      env: '[1]',
      body: '{oops',
      mode: 'medium',
      colour: 'red',
    });
    expect(r.ok).to.equal(false);
    if (r.ok) return;
    expect(r.errors).to.deep.equal([
      {
        param: 'colour',
        message: 'is not a parameter of T; declared: command, count, ratio, force, env, body, mode',
      },
      { param: 'command', message: "can't be blank" },
      { param: 'count', message: "must be an integer, got '1.5'" },
      { param: 'ratio', message: "must be a number, got 'abc'" },
      { param: 'force', message: "must be true or false, got 'maybe'" },
      { param: 'env', message: `must be an object (e.g. {"KEY": "value"}), got '[1]'` },
      { param: 'body', message: r.errors[6]!.message },
      { param: 'mode', message: "must be one of fast, slow, got 'medium'" },
    ]);
    expect(r.errors[6]!.message).to.match(/^is not valid JSON: /);
  });

  it('parses durations', () => {
    expect([
      parseDurationMs('30s'),
      parseDurationMs('500ms'),
      parseDurationMs(250),
      parseDurationMs('2m'),
      parseDurationMs('soon'),
    ]).to.deep.equal([30_000, 500, 250, 120_000, null]);
  });
});

describe('${env:NAME} references', () => {
  it('resolves every reference and throws naming a missing variable', () => {
    expect(resolveEnvRefs('a ${env:X}-${env:Y} $HOME ${X}', { X: '1', Y: 'two' })).to.equal(
      'a 1-two $HOME ${X}',
    );
    expect(() => resolveEnvRefs('${env:MISSING_ONE}', {})).to.throw(
      'environment variable MISSING_ONE is not set',
    );
    expect(hasEnvRefs('x ${env:A}')).to.equal(true);
    expect(hasEnvRefs('x ${A}')).to.equal(false);
  });

  it('resolves string and object params only, leaving the stored params untouched', () => {
    const stored = { command: 'echo ${env:X}', count: 2, env: { K: '${env:X}' } };
    const resolved = resolveParamsEnv(stored, specs, (s) => resolveEnvRefs(s, { X: 'v' }));
    expect(resolved).to.deep.equal({ command: 'echo v', count: 2, env: { K: 'v' } });
    expect(stored.command).to.equal('echo ${env:X}');
  });
});
