// A real browser (Debian's Chromium via playwright-core, JavaScript off) against a daemon with
// authentication on: the dashboard's buttons work (their forms carry the CSRF token), and a
// page on another origin cannot make the logged-in browser change anything.
import { expect } from 'chai';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { loadConfig } from '../../src/config/config.js';
import { startDaemon, type Daemon } from '../../src/daemon.js';
import { silentLogger } from '../../src/log/logger.js';
import { ADMIN } from './support.js';

const CHROMIUM = process.env.TASKR_CHROMIUM ?? '/usr/bin/chromium';

describe('security: CSRF in a real browser', function () {
  this.timeout(60_000);
  let daemon: Daemon;
  let browser: Browser;
  let evil: Server;
  let evilPage = '';

  before(async function () {
    if (!existsSync(CHROMIUM))
      throw new Error(`Chromium not found at ${CHROMIUM} (set TASKR_CHROMIUM)`);
    const dir = mkdtempSync(join(tmpdir(), 'taskr-csrf-'));
    const config = loadConfig({
      env: {},
      file: null,
      overrides: {
        port: 0,
        dataDir: dir,
        databaseUrl: `sqlite:${join(dir, 'taskr.sqlite')}`,
        auth: { username: ADMIN.username, password: ADMIN.password },
      },
    });
    daemon = await startDaemon({ config, logger: silentLogger() });
    evil = createServer((_req, res) => {
      res.setHeader('Content-Type', 'text/html');
      res.end(evilPage);
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
  });
  after(async () => {
    await browser?.close();
    evil?.close();
    await daemon?.stop(0);
  });

  it('pauses a task with the dashboard button, and refuses the same post from another site', async () => {
    const task = await daemon.tasks.create({
      name: 'target',
      scheduleMethod: 'every',
      scheduleWhen: '1h',
      actions: [{ actionClassName: 'Log', parameters: { message: 'x' } }],
    });
    const context = await browser.newContext({
      javaScriptEnabled: false,
      httpCredentials: { username: ADMIN.username, password: ADMIN.password },
    });
    try {
      const page = await context.newPage();
      const shown = await page.goto(`${daemon.url}/tasks/${task.id}`);
      expect(shown!.status()).to.equal(200);

      // Another origin (another port) auto-submits a form to the daemon, as a CSRF attack does.
      const evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}/`;
      evilPage = `<!doctype html><form id="f" method="post" action="${daemon.url}/tasks/${task.id}/pause">
        <input type="hidden" name="x" value="1"></form><script>document.getElementById('f').submit()</script>`;
      const attack = await browser.newContext({
        httpCredentials: { username: ADMIN.username, password: ADMIN.password },
      });
      try {
        const attacker = await attack.newPage();
        // The same logged-in browser state: the daemon's page first, then the attacker's.
        await attacker.goto(`${daemon.url}/tasks/${task.id}`);
        const refused = attacker.waitForResponse((r) =>
          r.url().endsWith(`/tasks/${task.id}/pause`),
        );
        await attacker.goto(evilUrl);
        expect((await refused).status()).to.equal(403);
      } finally {
        await attack.close();
      }
      expect((await daemon.tasks.get(task.id)).enabled, 'the attack changed nothing').to.equal(
        true,
      );

      // The dashboard's own button (JavaScript off) carries the token and works.
      await page.goto(`${daemon.url}/tasks/${task.id}`);
      await page.getByRole('button', { name: 'Pause' }).click();
      await page.waitForURL(`${daemon.url}/tasks/${task.id}`);
      expect((await daemon.tasks.get(task.id)).enabled).to.equal(false);
    } finally {
      await context.close();
    }
  });
});
