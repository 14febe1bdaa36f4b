// Credentials: only salted scrypt hashes are kept; the first start generates an admin password
// in a 0600 file and reuses it; env credentials replace it; authentication may be off only on a
// loopback bind, otherwise the daemon refuses to start and says why.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { CredentialStore } from '../../src/auth/credentialStore.js';
import { isLoopbackBind } from '../../src/auth/loopback.js';
import { hashSecret, isSecretHash, verifySecret } from '../../src/auth/secretHash.js';
import { loadConfig, maskedConfig, type ConfigInput } from '../../src/config/config.js';
import { startDaemon, type Daemon } from '../../src/daemon.js';
import { basic } from './support.js';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'taskr-sec-'));
}

function configIn(dir: string, overrides: ConfigInput = {}, env: NodeJS.ProcessEnv = {}) {
  return loadConfig({
    env,
    file: null,
    overrides: {
      port: 0,
      dataDir: dir,
      databaseUrl: `sqlite:${join(dir, 'taskr.sqlite')}`,
      nodeName: 'sec',
      ...overrides,
    },
  });
}

/** A pino logger whose lines the test can read. */
function capturingLogger() {
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString()));
  return { logger: pino({ level: 'info' }, out), text: () => text };
}

describe('security: credential hashes', () => {
  it('hashes with a fresh salt, verifies in constant time, and rejects malformed hashes', async () => {
    const a = await hashSecret('s3cret-password');
    const b = await hashSecret('s3cret-password');
    expect(a).to.match(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).to.not.equal(b);
    expect(a).to.not.contain('s3cret');
    expect(isSecretHash(a)).to.equal(true);
    expect(await verifySecret('s3cret-password', a)).to.equal(true);
    expect(await verifySecret('s3cret-passwore', a)).to.equal(false);
    for (const bad of [
      '',
      'scrypt$',
      'scrypt$3$8$1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==',
      'scrypt$1073741824$8$1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==',
    ]) {
      expect(isSecretHash(bad), bad).to.equal(false);
      expect(await verifySecret('x', bad), bad).to.equal(false);
    }
  });

  it('builds users and tokens from the config: plaintexts hashed, hashes checked, mistakes named', async () => {
    const passwordHash = await hashSecret('carol-password');
    const store = await CredentialStore.fromConfig({
      dataDir: tmp(),
      auth: configIn(tmp(), {
        auth: {
          users: [
            { username: 'carol', passwordHash, role: 'admin' },
            { username: 'dave', password: 'dave-password' },
          ],
          tokens: [{ name: 'ci', token: 'ci-token-0123456789' }],
        },
      }).auth,
    });
    expect(await store.verifyBasic('carol', 'carol-password')).to.deep.equal({
      name: 'carol',
      role: 'admin',
      via: 'basic',
    });
    expect(await store.verifyBasic('dave', 'dave-password')).to.deep.include({ role: 'viewer' }); // the default role
    expect(await store.verifyToken('ci-token-0123456789')).to.deep.equal({
      name: 'ci',
      role: 'viewer',
      via: 'bearer',
    });
    expect(await store.verifyBasic('carol', 'dave-password')).to.equal(null);
    expect(await store.verifyToken('carol-password')).to.equal(null);
    expect(store.describe()).to.deep.equal({ users: ['carol', 'dave'], tokens: ['ci'] });
    const bad = async (auth: ConfigInput['auth']) =>
      CredentialStore.fromConfig({ dataDir: tmp(), auth: configIn(tmp(), { auth }).auth }).then(
        () => '',
        (err: Error) => err.message,
      );
    expect(await bad({ users: [{ username: 'e', passwordHash: 'scrypt$nope' }] })).to.contain(
      'auth.users.0.passwordHash: not a valid scrypt hash',
    );
    expect(await bad({ username: 'root' })).to.contain('auth.username is set but auth.password');
    expect(
      await bad({ password: 'pw-one', users: [{ username: 'admin', password: 'pw-two' }] }),
    ).to.contain("user 'admin' is defined twice");
    expect(() => configIn(tmp(), { auth: { tokens: [{ name: 't', token: 'short' }] } })).to.throw(
      /at least 16 characters/,
    );
    expect(() =>
      configIn(tmp(), { auth: { users: [{ username: 'a:b', password: 'x' }] } }),
    ).to.throw(/without ":"/);
  });

  it('masks every plaintext secret when the config is printed', () => {
    const masked = JSON.stringify(
      maskedConfig(
        configIn(tmp(), {
          auth: {
            password: 'pw-plain',
            apiToken: 'token-plain',
            users: [{ username: 'u', password: 'user-plain' }],
            tokens: [{ name: 't', token: 'token-plain-0123456789' }],
          },
        }),
      ),
    );
    for (const secret of ['pw-plain', 'token-plain', 'user-plain'])
      expect(masked).to.not.contain(secret);
  });
});

describe('security: daemon start-up', function () {
  this.timeout(30_000);
  let daemon: Daemon | null = null;
  afterEach(async () => {
    await daemon?.stop(0);
    daemon = null;
  });

  it('generates an admin password on first start (file mode 0600), logs where it is, and reuses it', async () => {
    const dir = tmp();
    const log = capturingLogger();
    daemon = await startDaemon({ config: configIn(dir), logger: log.logger });
    const file = join(dir, 'admin-password');
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    const password = readFileSync(file, 'utf8').trim();
    expect(password).to.match(/^[A-Za-z0-9_-]{24}$/);
    expect(log.text())
      .to.contain(`password in ${file}`)
      .and.to.contain('generated an admin password');
    expect(log.text()).to.not.contain(password);
    expect((await fetch(`${daemon.url}/tasks.json`)).status).to.equal(401);
    const ok = await fetch(`${daemon.url}/tasks.json`, {
      headers: { authorization: basic('admin', password) },
    });
    expect(ok.status).to.equal(200);
    expect((await fetch(`${daemon.url}/health`)).status).to.equal(200);
    await daemon.stop(0);

    const again = capturingLogger();
    daemon = await startDaemon({ config: configIn(dir), logger: again.logger });
    expect(readFileSync(file, 'utf8').trim()).to.equal(password);
    expect(again.text()).to.contain('using the generated admin password');
    const reused = await fetch(`${daemon.url}/tasks.json`, {
      headers: { authorization: basic('admin', password) },
    });
    expect(reused.status).to.equal(200);
  });

  it('tightens a password file others can read to 0600', async () => {
    const dir = tmp();
    const file = join(dir, 'admin-password');
    writeFileSync(file, 'a-password-written-by-hand\n', { mode: 0o644 });
    chmodSync(file, 0o644);
    const log = capturingLogger();
    daemon = await startDaemon({ config: configIn(dir), logger: log.logger });
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    expect(log.text()).to.contain('its mode is now 0600');
    const ok = await fetch(`${daemon.url}/tasks.json`, {
      headers: { authorization: basic('admin', 'a-password-written-by-hand') },
    });
    expect(ok.status).to.equal(200);
  });

  it('uses TASKR_USERNAME/TASKR_PASSWORD and TASKR_API_TOKEN instead of a generated password', async () => {
    const dir = tmp();
    const env = {
      TASKR_USERNAME: 'ops',
      TASKR_PASSWORD: 'ops-password-1',
      TASKR_API_TOKEN: 'env-token-0123456789',
    };
    daemon = await startDaemon({
      config: configIn(dir, {}, env),
      logger: pino({ level: 'silent' }),
    });
    expect(existsSync(join(dir, 'admin-password'))).to.equal(false);
    const byPassword = await fetch(`${daemon.url}/tasks.json`, {
      headers: { authorization: basic('ops', 'ops-password-1') },
    });
    expect(byPassword.status).to.equal(200);
    const byToken = await fetch(`${daemon.url}/tasks.json`, {
      method: 'POST',
      headers: { authorization: 'Bearer env-token-0123456789', 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 't',
        schedule_method: 'every',
        schedule_when: '1h',
        action: { action_class_name: 'Log', message: 'x' },
      }),
    });
    expect(byToken.status).to.equal(201);
  });

  it('refuses to start with authentication off on a non-loopback bind, and says why', async () => {
    const dir = join(tmp(), 'never-created');
    const config = configIn(dir, { bind: '0.0.0.0', auth: { enabled: false } });
    let message = '';
    await startDaemon({ config, logger: pino({ level: 'silent' }) }).catch(
      (err: Error) => (message = err.message),
    );
    expect(message).to.equal(
      "auth.enabled is false but bind is '0.0.0.0', not a loopback address; authentication may be turned off only on 127.0.0.1, ::1 or localhost",
    );
    expect(existsSync(dir), 'nothing was created').to.equal(false);
    // Off on loopback is allowed: every request acts as admin.
    daemon = await startDaemon({
      config: configIn(tmp(), { auth: { enabled: false } }),
      logger: pino({ level: 'silent' }),
    });
    expect((await fetch(`${daemon.url}/tasks.json`)).status).to.equal(200);
  });

  it('the CLI exits non-zero with the reason when auth is off on 0.0.0.0', async () => {
    const dir = tmp();
    const child = spawn(process.execPath, ['bin/taskr.js', 'serve'], {
      env: {
        ...process.env,
        TASKR_BIND: '0.0.0.0',
        TASKR_PORT: '0',
        TASKR_AUTH_ENABLED: 'false',
        TASKR_DATA_DIR: dir,
        TASKR_DATABASE_URL: `sqlite:${join(dir, 't.sqlite')}`,
        TASKR_CONFIG: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).to.not.equal(0);
    expect(output).to.contain(
      "auth.enabled is false but bind is '0.0.0.0', not a loopback address",
    );
  });

  it('knows which binds are loopback', () => {
    for (const b of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1'])
      expect(isLoopbackBind(b), b).to.equal(true);
    for (const b of ['0.0.0.0', '::', '192.168.1.10', 'example.com', '128.0.0.1', ''])
      expect(isLoopbackBind(b), b).to.equal(false);
  });
});
