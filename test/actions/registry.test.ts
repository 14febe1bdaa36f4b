import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActionRegistry, SECRET_MASK } from '../../src/actions/registry.js';
import { TaskrError } from '../../src/errors.js';
import { actionContext } from '../helpers/actionContext.js';

const BUILT_INS = [
  'FileCopy',
  'FileRead',
  'Log',
  'PruneLogs',
  'Ruby',
  'Script',
  'Shell',
  'SystemCheck',
  'Webhook',
];

function tmpDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'taskr-plugins-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const GOOD = `export default {
  name: 'Greet', aliases: ['Hello'], description: 'Says hello',
  params: [{ name: 'who', type: 'string', required: true, description: 'Who to greet' }],
  async run(p, ctx) { ctx.output('hello ' + p.who); return { ok: true }; },
};`;

describe('ActionRegistry', () => {
  let registry: ActionRegistry;
  const dirs: string[] = [];
  before(async () => (registry = await ActionRegistry.load({})));
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('loads every built-in type', () => {
    expect(
      registry
        .list()
        .map((t) => t.name)
        .sort(),
    ).to.deep.equal(BUILT_INS);
  });

  it('resolves names case-insensitively, aliases and Taskr::Actions:: class names', () => {
    const names = [
      'shell',
      'SHELL',
      'Taskr::Actions::Shell',
      '::Taskr::Actions::Ruby',
      'rest',
      'Noop',
      'RotateTaskLog',
      'nope',
    ];
    expect(names.map((n) => registry.resolve(n)?.name)).to.deep.equal([
      'Shell',
      'Shell',
      'Shell',
      'Ruby',
      'Webhook',
      'Log',
      'PruneLogs',
      undefined,
    ]);
  });

  it('validateAction returns the canonical name and typed params, or field errors', () => {
    expect(
      registry.validateAction(0, {
        actionClassName: 'Taskr::Actions::Shell',
        parameters: { command: 'ls' },
      }),
    ).to.deep.equal({
      ok: true,
      actionClassName: 'Shell',
      parameters: { command: 'ls' },
    });
    expect(
      registry.validateAction(2, {
        actionClassName: 'Shell',
        parameters: { command: '', colour: 1 },
      }),
    ).to.deep.equal({
      ok: false,
      errors: [
        {
          field: 'actions[2].colour',
          message: 'is not a parameter of Shell; declared: command, cwd, env, as_user',
        },
        { field: 'actions[2].command', message: "can't be blank" },
      ],
    });
  });

  it('ignores row fields clients echo back and unnests an ActiveResource params hash', () => {
    const r = registry.validateAction(0, {
      actionClassName: 'Shell',
      parameters: { id: 4, order: 0, action_class_name: 'Shell', params: { command: 'echo hi' } },
    });
    expect(r).to.deep.equal({
      ok: true,
      actionClassName: 'Shell',
      parameters: { command: 'echo hi' },
    });
  });

  it('an unknown type lists the known ones', () => {
    const r = registry.validateAction(1, { actionClassName: 'Teleport', parameters: {} });
    expect(r).to.deep.equal({
      ok: false,
      errors: [
        {
          field: 'actions[1].action_class_name',
          message: `'Teleport' is not a known action type; known: ${BUILT_INS.join(', ')}`,
        },
      ],
    });
  });

  it('an allow-list rejects other types as disallowed by config', async () => {
    const limited = await ActionRegistry.load({ allow: ['Webhook', 'noop'] });
    const r = limited.validateAction(0, {
      actionClassName: 'Shell',
      parameters: { command: 'ls' },
    });
    expect(r).to.deep.equal({
      ok: false,
      errors: [
        {
          field: 'actions[0].action_class_name',
          message: "'Shell' is not allowed by this daemon's config (actions.allow: Log, Webhook)",
        },
      ],
    });
    expect(limited.validateAction(0, { actionClassName: 'Log', parameters: {} }).ok).to.equal(true);
    expect(limited.describe().map((d) => d.name)).to.deep.equal(['Log', 'Webhook']);
  });

  it('masks secret parameters for display and restores them when echoed back', () => {
    const stored = { url: 'http://x', username: 'u', password: 'p4ss', token: undefined };
    const shown = registry.publicParameters('Webhook', stored);
    expect(shown).to.deep.equal({
      url: 'http://x',
      username: 'u',
      password: SECRET_MASK,
      token: undefined,
    });
    expect(stored.password).to.equal('p4ss');
    expect(registry.restoreSecrets('Webhook', shown, stored).password).to.equal('p4ss');
    expect(
      registry.restoreSecrets('Webhook', { ...shown, password: 'new' }, stored).password,
    ).to.equal('new');
  });

  it('describe() gives each type with aliases, description and params for forms', () => {
    const webhook = registry.describe().find((d) => d.name === 'Webhook')!;
    expect(webhook.aliases).to.deep.equal(['Rest']);
    expect(webhook.description).to.match(/HTTP/);
    const password = webhook.params.find((p) => p.name === 'password')!;
    expect(password).to.include({ type: 'string', secret: true, required: false });
    for (const d of registry.describe()) {
      for (const p of d.params)
        expect(p.description.length, `${d.name}.${p.name}`).to.be.greaterThan(5);
    }
  });

  it('loads a good external plugin and reports broken ones by file name without stopping', async () => {
    const dir = tmpDir({
      'good.mjs': GOOD,
      'norun.mjs': `export default { name: 'NoRun', description: 'x', params: [] };`,
      'syntax.mjs': 'export default {',
      'reserved.mjs': `export default { name: 'Res', description: 'x', params: [{ name: 'id', type: 'string', required: false, description: 'x' }], async run() { return { ok: true }; } };`,
      'clash.mjs': `export default { name: 'Bash', aliases: ['shell'], description: 'x', params: [], async run() { return { ok: true }; } };`,
      'README.md': 'not code',
    });
    dirs.push(dir);
    const problems: [string, string][] = [];
    const r = await ActionRegistry.load({
      externalDirs: [dir, join(dir, 'missing')],
      onProblem: (f, m) => problems.push([f, m]),
    });
    expect(r.resolve('hello')?.name).to.equal('Greet');
    const files = problems.map(([f]) => f);
    expect(files).to.deep.equal([
      join(dir, 'clash.mjs'),
      join(dir, 'norun.mjs'),
      join(dir, 'reserved.mjs'),
      join(dir, 'syntax.mjs'),
      join(dir, 'missing'),
    ]);
    expect(problems[0]![1]).to.equal("name or alias 'shell' of Bash is already used by Shell");
    expect(problems[1]![1]).to.equal('type NoRun has no run function');
    expect(problems[2]![1]).to.match(/param 'id' uses a reserved name/);
    expect(problems[3]![1]).to.match(/^cannot be loaded: /);
    expect(r.resolve('Bash')).to.equal(undefined);
    // The plugin without its own validate gets the generic one, and runs.
    const v = r.validateAction(0, { actionClassName: 'hello', parameters: { who: 'bob' } });
    expect(v).to.deep.equal({ ok: true, actionClassName: 'Greet', parameters: { who: 'bob' } });
    const ctx = actionContext();
    await r.resolve('Greet')!.run({ who: 'bob' }, ctx);
    expect(ctx.stdout).to.deep.equal(['hello bob']);
  });

  it('a broken built-in type stops start-up with action.type_broken', async () => {
    const dir = tmpDir({ 'a.mjs': GOOD, 'b.mjs': GOOD.replace("'Greet'", "'Other'") });
    dirs.push(dir);
    let err: unknown;
    await ActionRegistry.load({ builtinDir: dir }).catch((e: unknown) => (err = e));
    expect(err).to.be.instanceOf(TaskrError);
    expect((err as TaskrError).code).to.equal('action.type_broken');
    expect((err as TaskrError).message).to.equal(
      `action type in ${join(dir, 'b.mjs')}: name or alias 'hello' of Other is already used by Greet`,
    );
  });
});
