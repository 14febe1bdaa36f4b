// A new operator's path through the dashboard in a real Chromium: create a task with two
// actions (watching the schedule preview), find it, run it and watch the output arrive
// live, pause and resume, edit the schedule, meet a validation error, delete. Controls are
// found by their visible labels. Screenshots of every page go to test-artifacts/screenshots.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { BrowserContext, Page } from 'playwright-core';
import {
  horizontalOverflow,
  screenshot,
  startBrowserFixture,
  type BrowserFixture,
} from './browserFixture.js';

// The run writes line 1, then waits for the test's go-ahead (a file) before each further
// line: the page must show every line while the run is still running, however slow the
// machine is.
const slowShell = (go: string) =>
  `for i in 1 2 3; do echo line $i; while [ $i -lt 3 ] && [ ! -e ${go}$i ]; do sleep 0.1; done; done`;
const exact = { exact: true } as const;

async function text(page: Page, selector: string): Promise<string> {
  return (await page.locator(selector).first().textContent()) ?? '';
}

describe('dashboard in a real browser', function () {
  this.timeout(60_000);
  let f: BrowserFixture;
  let context: BrowserContext;
  let page: Page;

  before(async () => {
    f = await startBrowserFixture();
  });
  after(async () => {
    await f?.close();
  });
  beforeEach(async () => {
    context = await f.browser.newContext({
      baseURL: f.base,
      viewport: { width: 1280, height: 900 },
    });
    page = await context.newPage();
  });
  afterEach(async () => {
    await context.close();
  });

  it("walks a new operator's path: create, find, run live, pause, resume, edit, invalid, delete", async () => {
    const goFile = join(f.dataDir, 'go');
    await page.goto('/');
    expect(new URL(page.url()).pathname).to.equal('/tasks');
    expect(await page.getByText('No tasks yet.').isVisible()).to.equal(true);
    expect(await text(page, 'footer')).to.match(/Scheduler\s*running/);
    await screenshot(page, 'tasks-empty');

    // New task, with the preview following what is typed.
    await page.getByRole('link', { name: 'Create a task' }).click();
    await page.getByLabel('Name', exact).fill('nightly-report');
    await page.getByLabel('Memo', exact).fill('Builds the nightly report; call ops if it fails.');
    await page.getByLabel('Schedule method', exact).selectOption('cron');
    await page.getByLabel('When', exact).fill('30 21 * * Mon-Fri');
    const preview = page.locator('#schedule-preview');
    await preview.getByText('Monday through Friday').waitFor();
    expect(await preview.locator('li').count()).to.equal(5);
    await page.getByLabel('Schedule method', exact).selectOption('every');
    await page.getByLabel('When', exact).fill('1h');
    await preview.getByText('every hour').waitFor();
    expect(await preview.locator('li').count()).to.equal(5);

    // Two actions; reorder and remove work on the rows.
    await page.getByLabel('Action 1 type', exact).selectOption('Shell');
    const row1 = page.locator('.action-row').nth(0);
    expect(await row1.getByText('Runs a shell command').isVisible()).to.equal(true);
    await row1.getByLabel('command (required)').fill(slowShell(goFile));
    await page.getByRole('button', { name: 'Add an action' }).click();
    await page.getByLabel('Action 2 type', exact).selectOption('Log');
    await page.locator('.action-row').nth(1).getByLabel('message').fill('report done');
    await page.getByRole('button', { name: 'Move action 2 up' }).click();
    expect(await page.getByLabel('Action 1 type', exact).inputValue()).to.equal('Log');
    await page.getByRole('button', { name: 'Move action 1 down' }).click();
    expect(await page.getByLabel('Action 1 type', exact).inputValue()).to.equal('Shell');
    await page.getByRole('button', { name: 'Add an action' }).click();
    await page.getByLabel('Action 3 type', exact).selectOption('FileRead');
    await page.getByRole('button', { name: 'Remove action 3' }).click();
    expect(await page.locator('.action-row').count()).to.equal(2);
    await page.getByLabel('Timeout', exact).fill('2m');
    await screenshot(page, 'task-new');
    await page.getByRole('button', { name: 'Create task' }).click();

    await page.getByRole('heading', { name: /nightly-report/ }).waitFor();
    const taskPath = new URL(page.url()).pathname;
    expect(taskPath).to.match(/^\/tasks\/\d+$/);
    expect(await text(page, '.schedule-words')).to.equal('every hour');
    expect(await page.locator('ol.fires li').count()).to.equal(5);
    expect(await text(page, 'ol.actions')).to.contain('report done');

    // Found in the list, with its schedule in words.
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Tasks' })
      .click();
    const row = page.locator('table.tasks tbody tr', { hasText: 'nightly-report' });
    expect(await row.textContent()).to.contain('every hour');
    expect(await row.textContent()).to.contain('never run');
    await page.getByLabel('Search by name', exact).fill('nightly');
    await page.getByRole('button', { name: 'Filter' }).click();
    expect(await page.locator('table.tasks tbody tr').count()).to.equal(1);
    await row.getByRole('link', { name: 'nightly-report' }).click();

    // Run now: the run page shows the output line by line while the run is in progress.
    await page.getByRole('button', { name: 'Run now' }).click();
    await page.waitForURL(/\/runs\/\d+$/);
    // Each line shows while the run is still running: live, without reloading (the marker
    // set on this document survives).
    await page.evaluate('window.sameDocument = true');
    const liveLine = (line: string) =>
      page.waitForFunction(`(() => {
        const out = document.querySelector('section[data-order="0"] pre.output')?.textContent ?? '';
        const status = document.getElementById('run-status')?.textContent;
        return out.includes(${JSON.stringify(line)}) && status === 'running' && window.sameDocument;
      })()`);
    for (const i of [1, 2]) {
      await liveLine(`line ${i}`);
      if (i === 1) await screenshot(page, 'run-live');
      writeFileSync(`${goFile}${i}`, '');
    }
    await page.locator('#run-status', { hasText: 'succeeded' }).waitFor();
    const output = await text(page, 'section[data-order="0"] pre.output');
    expect(output.match(/line \d/g)).to.deep.equal(['line 1', 'line 2', 'line 3']);
    expect(await text(page, 'section[data-order="1"] pre.output')).to.contain('report done');
    expect(await text(page, '#run-live-note')).to.contain('Finished: succeeded');
    await screenshot(page, 'run');

    // Back on the task: history and chart show the run; pause and resume (by keyboard).
    await page.locator('.crumbs').getByRole('link', { name: 'nightly-report' }).click();
    expect(await page.locator('svg.chart rect.bar').count()).to.equal(1);
    expect(await text(page, 'table.runs')).to.contain('2/2 actions succeeded');
    await screenshot(page, 'task');
    await page.getByRole('button', { name: 'Pause' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Resume' }).waitFor();
    expect(await text(page, 'h1 .badge')).to.equal('paused');
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByRole('button', { name: 'Pause' }).waitFor();
    expect(await text(page, 'h1 .badge')).to.equal('enabled');

    // Edit: a bad schedule shows in place of the preview, and beside its field after saving.
    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    await page.getByLabel('When', exact).fill('5x');
    await preview.locator('.field-error', { hasText: 'unknown unit' }).waitFor();
    await page.getByLabel('Timeout', exact).fill('soon');
    await page.getByRole('button', { name: 'Save task' }).click();
    await page.getByRole('alert').waitFor();
    const whenError = page.locator('#err-schedule_when');
    expect(await whenError.isVisible()).to.equal(true);
    expect(await whenError.textContent()).to.contain('unknown unit');
    expect(await page.getByLabel('When', exact).inputValue()).to.equal('5x');
    expect(await page.getByLabel('Timeout', exact).inputValue()).to.equal('soon');
    expect(await text(page, '#err-timeout')).to.contain('is not a duration');
    expect(await page.getByLabel('Action 2 type', exact).inputValue()).to.equal('Log');
    await screenshot(page, 'task-edit-errors');
    await page.getByLabel('When', exact).fill('30m');
    await preview.getByText('every 30 minutes').waitFor();
    await page.getByLabel('Timeout', exact).fill('2m');
    await page.getByRole('button', { name: 'Save task' }).click();
    await page.locator('.schedule-words', { hasText: 'every 30 minutes' }).waitFor();

    // Delete asks first; dismissing keeps the task.
    let asked = '';
    page.once('dialog', (d) => {
      asked = d.message();
      void d.dismiss();
    });
    await page.getByRole('button', { name: 'Delete' }).click();
    expect(asked).to.contain('nightly-report');
    expect(new URL(page.url()).pathname).to.equal(taskPath);
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL(/\/tasks$/);
    expect(await page.getByText('No tasks yet.').isVisible()).to.equal(true);
  });

  it('renders the other pages, and reads well at phone width', async () => {
    const task = await f.daemon.tasks.create({
      name: 'disk-check',
      memo: 'Alerts when /var is nearly full',
      scheduleMethod: 'cron',
      scheduleWhen: '0 9 * * Mon-Fri',
      timezone: 'America/New_York',
      actions: [
        { actionClassName: 'Shell', parameters: { command: 'echo checking; exit 3' } },
        { actionClassName: 'Log', parameters: { message: 'after' } },
      ],
    });
    const run = await f.daemon.tasks.runNow(task.id);
    await page.goto('/action_types');
    expect(await page.getByRole('link', { name: 'Shell' }).count()).to.be.greaterThan(0);
    await screenshot(page, 'action-types');
    await page.goto('/log_entries');
    await screenshot(page, 'log');

    await page.goto(`/runs/${run.id}`);
    await page.locator('#run-status', { hasText: 'failed' }).waitFor();
    await page.goto('/tasks');
    const row = page.locator('table.tasks tbody tr', { hasText: 'disk-check' });
    expect(await row.getAttribute('class')).to.contain('row-failed');
    expect(await row.textContent()).to.contain('At 09:00 AM, Monday through Friday');
    expect(await row.locator('time').first().getAttribute('title')).to.match(/\d{4}-\d\d-\d\dT/);
    await screenshot(page, 'tasks');

    const phone = await f.browser.newContext({
      baseURL: f.base,
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const p = await phone.newPage();
    for (const [path, name] of [
      ['/tasks', 'phone-tasks'],
      [`/tasks/${task.id}`, 'phone-task'],
      [`/runs/${run.id}`, 'phone-run'],
      [`/tasks/${task.id}/edit`, 'phone-task-edit'],
      ['/action_types', 'phone-action-types'],
    ] as const) {
      await p.goto(path);
      expect(await horizontalOverflow(p), `${path} scrolls sideways`).to.be.at.most(0);
      await screenshot(p, name);
    }
    await phone.close();
    await f.daemon.tasks.delete(task.id);
  });

  it('creates, edits, runs, pauses, resumes and deletes with JavaScript off', async () => {
    const noJs = await f.browser.newContext({ baseURL: f.base, javaScriptEnabled: false });
    const p = await noJs.newPage();
    await p.goto('/tasks/new');
    await p.getByLabel('Name', exact).fill('plain-forms');
    await p.getByLabel('Schedule method', exact).selectOption('every');
    await p.getByLabel('When', exact).fill('2h');
    await p.getByLabel('Action 1 type', exact).selectOption('Shell');
    // Without JavaScript every type's parameters are a disclosure: open the chosen type's.
    const shell = p.locator('.action-row').nth(0).locator('details[data-type="Shell"]');
    await shell.locator('summary').click();
    await shell.getByLabel('command (required)').fill('echo plain');
    await screenshot(p, 'nojs-task-new');
    await p.getByRole('button', { name: 'Create task' }).click();
    await p.getByRole('heading', { name: /plain-forms/ }).waitFor();
    expect(await text(p, '.schedule-words')).to.equal('every 2 hours');

    await p.getByRole('link', { name: 'Edit', exact: true }).click();
    await p.getByLabel('When', exact).fill('3h');
    await p.getByRole('button', { name: 'Save task' }).click();
    await p.locator('.schedule-words', { hasText: 'every 3 hours' }).waitFor();

    await p.getByRole('button', { name: 'Run now' }).click();
    // Back on the task page: the new run is listed; its page refreshes itself until done.
    await p.locator('table.runs a').first().click();
    await p.locator('#run-status', { hasText: 'succeeded' }).waitFor({ timeout: 15_000 });
    expect(await text(p, 'section[data-order="0"] pre.output')).to.contain('plain');
    await p.locator('.crumbs').getByRole('link', { name: 'plain-forms' }).click();

    await p.getByRole('button', { name: 'Pause' }).click();
    expect(await text(p, 'h1 .badge')).to.equal('paused');
    await p.getByRole('button', { name: 'Resume' }).click();
    expect(await text(p, 'h1 .badge')).to.equal('enabled');
    await p.getByRole('button', { name: 'Delete' }).click();
    await p.waitForURL(/\/tasks$/);
    expect(await p.getByRole('link', { name: 'plain-forms' }).count()).to.equal(0);
    await noJs.close();
  });
});
