// Browser test of management plans against a real demo server (each role reaches the plan from the task
// in its My work inbox): the system manager edits the draft being prepared (next year's from 1 November;
// activities with inline edit) and proposes it, the system owner approves it and signs, the IT
// system owner signs, and the approved plan downloads as PDF; plus the year dashboard, the checklist page
// and the version history. axe-core (WCAG 2.1 AA) on each page. Screenshots: /tmp/steward-plans-*.png.
import { readFileSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../../src/server/platform/clock.ts';
import { demoPlanYear } from '../../src/server/seed/demo-plans.ts';
import { CHROMIUM, expectNoAxeViolations, hasChromium } from './browser.ts';
import { ensureWebBuilt, type RunningServer, startServer } from './server.ts';

/** The year whose plans the demo is preparing today (next year's from 1 November). */
const Y = demoPlanYear(localDate(new Date()));

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `/tmp/steward-plans-${name}.png`, fullPage: true });

describe.skipIf(!hasChromium)('management plans in a browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let planUrl = '';

  async function signIn(username: string, password: string) {
    const context = await browser.newContext({
      locale: 'en-GB',
      viewport: { width: 1366, height: 900 },
      acceptDownloads: true,
    });
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByLabel(/^Username/).fill(username);
    await page.getByLabel(/^Password/).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    return page;
  }
  async function confirm(page: Page, button: string | RegExp, confirmLabel: string) {
    await page.getByRole('button', { name: button }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: confirmLabel }).click();
    await dialog.waitFor({ state: 'detached' });
  }

  beforeAll(async () => {
    ensureWebBuilt();
    server = await startServer();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
      ],
    });
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('G5, G7: the system manager sees what changed in the systems, edits the draft and proposes it; the year dashboard shows it', async () => {
    const page = await signIn('anna', 'steward-user');
    // My work lists this year's drafts she has to write, each linked to its plan.
    await page
      .getByRole('link', { name: new RegExp(`^Write the ${Y} plan of Records Management and propose it`) })
      .waitFor();
    await expectNoAxeViolations(page, 'my work (system manager)');
    await page.goto(`${server.url}/plans?year=${Y}`);
    await page.getByRole('heading', { level: 1, name: `Management plans ${Y}` }).waitFor();
    const table = page.getByRole('table', { name: `Management plans ${Y}` });
    await table.getByRole('link', { name: 'Records Management' }).waitFor();
    await shot(page, 'dashboard');
    await expectNoAxeViolations(page, 'year dashboard');

    await table.getByRole('link', { name: 'Records Management' }).click();
    await page.getByRole('heading', { level: 1, name: `Records Management – plan ${Y}` }).waitFor();
    planUrl = page.url().split('?')[0];
    await page.getByText('A draft: the system manager').waitFor();
    await expectNoAxeViolations(page, 'plan main part (draft)');

    // G7: the plan starts from what was changed in the object's systems (their change log).
    await page.getByRole('tab', { name: 'Changes' }).click();
    await page
      .getByRole('table', { name: 'Change log' })
      .getByText('Retention of closed case files set to ten years')
      .waitFor();
    await expectNoAxeViolations(page, 'plan changes');

    await page.getByRole('tab', { name: /Activities/ }).click();
    const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Add activity' }) });
    await form
      .getByLabel('Activity', { exact: false })
      .first()
      .fill('E2E migrate the archive to the new e-archive');
    await form.getByLabel('Side').selectOption('it');
    await form.getByLabel('Kind').selectOption('development');
    await form.getByLabel('Quarter').selectOption('3');
    await form.getByLabel('Hours').fill('80');
    await form.getByLabel('Cost (SEK)').fill('64000');
    await form.getByRole('button', { name: 'Add activity' }).click();
    await page.getByText('E2E migrate the archive to the new e-archive').waitFor();
    // Inline edit: the status of the new activity.
    await page.getByLabel('Status of E2E migrate the archive to the new e-archive').selectOption('ongoing');
    await expect
      .poll(() => page.getByLabel('Status of E2E migrate the archive to the new e-archive').inputValue())
      .toBe('ongoing');
    // Inline edit of the cost, written as the UI's language writes numbers; a negative one is marked
    // at the cell and not sent.
    const cost = page.getByLabel('Cost of E2E migrate the archive to the new e-archive');
    expect(await cost.inputValue()).toBe('64,000');
    await cost.fill('-1');
    await cost.press('Tab');
    await expect.poll(() => cost.getAttribute('aria-invalid')).toBe('true');
    await cost.fill('70,500.50');
    await cost.press('Tab');
    await expect.poll(async () => (await cost.getAttribute('aria-invalid')) ?? 'false').toBe('false');
    await page.reload();
    await page.getByRole('tab', { name: /Activities/ }).click();
    await expect
      .poll(() => page.getByLabel('Cost of E2E migrate the archive to the new e-archive').inputValue())
      .toBe('70,500.5');
    await shot(page, 'activities');
    await expectNoAxeViolations(page, 'plan activities (editable)');

    await page.getByRole('tab', { name: 'Budget' }).click();
    await page.getByText('Cost per quarter').waitFor();
    await shot(page, 'budget');
    await expectNoAxeViolations(page, 'plan budget');

    await confirm(page, 'Propose for approval', 'Propose for approval');
    await page.getByText('Proposed: waiting for the system owner').waitFor();
    await page.context().close();
  });

  it('G5: the system owner approves and signs, the IT system owner signs, and the PDF downloads', async () => {
    const owner = await signIn('owner', 'steward-user');
    // The proposal waits in the system owner's inbox; its link opens the plan.
    await owner
      .getByRole('link', { name: new RegExp(`^Approve the ${Y} plan of Records Management`) })
      .click();
    await owner.waitForURL((u) => u.toString().split('?')[0] === planUrl);
    await owner.getByText('Proposed: waiting for the system owner').waitFor();
    await expectNoAxeViolations(owner, 'plan (proposed, system owner)');
    await confirm(owner, 'Approve', 'Approve');
    await owner.getByText('Approved by the system owner').waitFor();
    await confirm(owner, 'Sign as system owner', 'Sign');
    await owner.getByText(/System owner:\s*\S+/).waitFor();
    await owner.context().close();

    const itowner = await signIn('itowner', 'steward-user');
    await itowner
      .getByRole('link', { name: new RegExp(`^Sign the ${Y} plan of Records Management`) })
      .click();
    await itowner.waitForURL((u) => u.toString().split('?')[0] === planUrl);
    await itowner.getByText('Approved by the system owner').waitFor();
    // The IT system owner reads but does not edit (G5): no inline editors on the activities.
    await itowner.getByRole('tab', { name: /Activities/ }).click();
    expect(await itowner.getByLabel(/^Status of /).count()).toBe(0);
    await confirm(itowner, 'Sign as IT system owner', 'Sign');
    await itowner.getByText('Approved and signed.').waitFor();
    await itowner.getByRole('tab', { name: 'Main part' }).click();
    await shot(itowner, 'signed');
    await expectNoAxeViolations(itowner, 'plan (signed)');

    const [download] = await Promise.all([
      itowner.waitForEvent('download'),
      itowner.getByRole('button', { name: 'Download PDF' }).click(),
    ]);
    const file = await download.path();
    const pdf = readFileSync(file);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(download.suggestedFilename()).toBe(`plan-${Y}-Records Management-v1.pdf`);

    await itowner.getByRole('tab', { name: 'Versions' }).click();
    const versions = itowner.getByRole('table', { name: 'Versions' });
    await versions.locator('.mantine-Badge-root', { hasText: 'Signed' }).waitFor();
    expect(await versions.getByRole('row').count()).toBe(2);
    await expectNoAxeViolations(itowner, 'plan versions');

    // The checklist page of one of the object's systems.
    await itowner.getByRole('tab', { name: 'Appendices' }).click();
    await itowner.getByRole('link', { name: 'Open the checklist' }).first().click();
    await itowner.getByRole('heading', { level: 1, name: /Security and continuity checklist/ }).waitFor();
    await shot(itowner, 'checklist');
    await expectNoAxeViolations(itowner, 'checklist');
    await itowner.context().close();
  });
});
