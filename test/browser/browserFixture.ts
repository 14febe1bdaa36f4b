// The dashboard's browser tests: a real daemon (real store, registry, scheduler, system
// clock) listening on 127.0.0.1 port 0, driven by Debian's Chromium through playwright-core.
// Never downloads a browser: without /usr/bin/chromium (CI installs the package) the suite
// fails with a message saying so.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadConfig } from '../../src/config/config.js';
import { startDaemon, type Daemon } from '../../src/daemon.js';
import { silentLogger } from '../../src/log/logger.js';

export const CHROMIUM = process.env.TASKR_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(process.cwd(), 'test-artifacts', 'screenshots');

export interface BrowserFixture {
  daemon: Daemon;
  browser: Browser;
  /** http://127.0.0.1:<port> */
  base: string;
  /** The daemon's tmp data folder (removed on close). */
  dataDir: string;
  close(): Promise<void>;
}

export async function startBrowserFixture(): Promise<BrowserFixture> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: install Debian's package (apt-get install chromium, ` +
        'as .ci/run does) or set TASKR_CHROMIUM. The browser tests never download a browser.',
    );
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'taskr-browser-'));
  const config = loadConfig({
    env: {},
    file: null,
    overrides: {
      port: 0,
      bind: '127.0.0.1',
      dataDir,
      databaseUrl: `sqlite:${join(dataDir, 'taskr.sqlite')}`,
      timezone: 'UTC',
      nodeName: 'browser-test',
      // Loopback only; authentication has its own tests.
      auth: { enabled: false },
    },
  });
  const daemon = await startDaemon({ config, listen: true, logger: silentLogger() });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    daemon,
    browser,
    base: daemon.url!,
    dataDir,
    async close() {
      await browser.close();
      await daemon.stop(0);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Saves test-artifacts/screenshots/<name>.png (the whole page). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Fails when the page scrolls sideways (it must read well at phone width). */
export async function horizontalOverflow(page: Page): Promise<number> {
  // A string: it runs in the page (the tests are compiled without the DOM library).
  return page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
}
