// Where the client connects and with which credentials (flags > env > config file > the
// generated admin password), and what it sends, checked against a real local HTTP server.
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ApiClient, errorMessage } from '../../src/cli/client/apiClient.js';
import { CliError } from '../../src/cli/client/cliError.js';
import { resolveConnection } from '../../src/cli/client/connection.js';
import { tmpDir } from '../ops/daemonHarness.js';
import { cli } from './cliHarness.js';

describe('CLI connection settings', () => {
  it('takes flags over TASKR_* env over the config file', () => {
    const dir = tmpDir('taskr-cli-');
    const file = join(dir, 'taskr.yaml');
    writeFileSync(
      file,
      'port: 9100\nbind: 0.0.0.0\nauth:\n  username: fromfile\n  password: file-password\n',
    );
    const fromFile = resolveConnection({ config: file }, {});
    expect(fromFile).to.deep.equal({
      url: 'http://127.0.0.1:9100',
      username: 'fromfile',
      password: 'file-password',
      token: null,
    });
    const env = {
      TASKR_URL: 'http://taskr.internal:7007/',
      TASKR_USERNAME: 'envuser',
      TASKR_PASSWORD: 'env-pw',
      TASKR_API_TOKEN: 'tok-from-env',
    };
    expect(resolveConnection({ config: file }, env)).to.deep.equal({
      url: 'http://taskr.internal:7007',
      username: 'envuser',
      password: 'env-pw',
      token: 'tok-from-env',
    });
    const flags = resolveConnection(
      { config: file, url: 'https://h:1', user: 'u', password: 'p' },
      env,
    );
    expect(flags).to.deep.equal({ url: 'https://h:1', username: 'u', password: 'p', token: null });
  });

  it("falls back to the daemon's generated admin password when it is readable", () => {
    const dir = tmpDir('taskr-cli-');
    writeFileSync(join(dir, 'admin-password'), 'generated-password-123\n', { mode: 0o600 });
    const c = resolveConnection({}, { TASKR_DATA_DIR: dir });
    expect(c).to.include({
      url: 'http://127.0.0.1:7007',
      username: 'admin',
      password: 'generated-password-123',
    });
  });

  it('rejects a URL that is not http(s) with exit code 2', () => {
    expect(() => resolveConnection({ url: 'ftp://x' }, {})).to.throw(
      CliError,
      /must start with http/,
    );
    let caught: unknown = null;
    try {
      resolveConnection({ url: 'not a url' }, {});
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(CliError);
    expect((caught as CliError).exitCode).to.equal(2);
  });

  it("renders the server's error body, with field errors it does not already name", () => {
    expect(
      errorMessage(
        422,
        JSON.stringify({
          error: "Name can't be blank",
          errors: { name: ["can't be blank"], retries: ['must be >= 0'] },
        }),
      ),
    ).to.equal("HTTP 422: Name can't be blank; retries must be >= 0");
    expect(errorMessage(502, '<html>Bad gateway</html>')).to.equal(
      'HTTP 502: <html>Bad gateway</html>',
    );
  });
});

describe('CLI HTTP client (real local server)', () => {
  let server: Server;
  let url: string;
  const seen: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];
  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
        res.setHeader('content-type', 'application/json');
        if (req.url!.startsWith('/tasks/7')) {
          res.statusCode = 404;
          res.end(JSON.stringify({ error: 'Task 7 not found' }));
        } else res.end('[]');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise((r) => server.close(r)));
  beforeEach(() => (seen.length = 0));

  it('uses the .json suffix and sends Basic credentials', async () => {
    const r = await cli([
      'tasks',
      'list',
      '--url',
      url,
      '--user',
      'ops',
      '--password',
      'pä:ss',
      '--search',
      'a b',
    ]);
    expect(r.code).to.equal(0);
    expect(r.out).to.equal('no tasks\n');
    expect(seen[0]!.url).to.equal('/tasks.json?q=a+b&page=1&per_page=1000');
    expect(seen[0]!.headers.authorization).to.equal(
      `Basic ${Buffer.from('ops:pä:ss').toString('base64')}`,
    );
    expect(seen[0]!.headers.accept).to.equal('application/json');
  });

  it('sends a bearer token, which wins over a password from the environment', async () => {
    const client = new ApiClient(
      resolveConnection({ url, token: 'secret-token' }, { TASKR_PASSWORD: 'pw' }),
    );
    await client.get('/tasks');
    expect(seen[0]!.headers.authorization).to.equal('Bearer secret-token');
  });

  it('sends JSON bodies and no Authorization when it has no credentials', async () => {
    const client = new ApiClient({ url, username: null, password: null, token: null });
    await client.post('/tasks', { name: 'x' });
    expect(seen[0]!.headers.authorization).to.equal(undefined);
    expect(seen[0]!.headers['content-type']).to.equal('application/json');
    expect(JSON.parse(seen[0]!.body)).to.deep.equal({ name: 'x' });
  });

  it("exits 1 with the server's message on an error status", async () => {
    const r = await cli(['tasks', 'show', '7', '--url', url, '--token', 't']);
    expect(r.code).to.equal(1);
    expect(r.err).to.equal('taskr: GET /tasks/7: HTTP 404: Task 7 not found\n');
  });
});
