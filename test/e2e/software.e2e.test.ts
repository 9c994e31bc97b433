// Browser tests of software distribution against a real server with the demo data: the catalogue, a
// person revealing their own licence key (S2), and a coordinator's unit register; axe-core on each.
// Screenshots go to /tmp/steward-software-*.png.
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, expectNoAxeViolations, hasChromium } from './browser.ts';
import { ensureWebBuilt, type RunningServer, startServer } from './server.ts';

describe.skipIf(!hasChromium)('software UI in a browser', () => {
  let server: RunningServer;
  let browser: Browser;

  async function signIn(username: string, password: string) {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByLabel(/^Username/).fill(username);
    await page.getByLabel(/^Password/).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    return page;
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

  it('S2: a person sees the catalogue and reveals the licence key assigned to them', async () => {
    const page = await signIn('anna', 'steward-user');
    await page.goto(`${server.url}/licences`);
    await page.getByRole('heading', { level: 1, name: 'Software and licences' }).waitFor();
    const catalogue = page.getByRole('table', { name: 'Catalogue' });
    await catalogue.getByText('MATLAB R2026b').waitFor();
    await expectNoAxeViolations(page, 'the software catalogue');

    await page.getByRole('tab', { name: 'My software' }).click();
    const mine = page.getByRole('table', { name: 'My software' });
    await mine.getByText('MATLAB').waitFor();
    await mine.getByRole('button', { name: /Show licence key ending/ }).click();
    const key = page.getByTestId('revealed-key');
    await key.waitFor();
    expect(await key.textContent()).toMatch(/^MATL-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    await expectNoAxeViolations(page, 'my software with a revealed key');
    await page.screenshot({ path: '/tmp/steward-software-mine.png', fullPage: true });
    await page.context().close();
  });

  it('L5: an administrator checks out an upgrade of a module pool; the history records it', async () => {
    const page = await signIn('admin', 'steward-admin');
    await page.goto(`${server.url}/licences`);
    // Above the tabs: pools above 90 % and agreements due within 90 days (the alert job's subjects).
    await page.getByRole('region', { name: 'Module pools above 90 %' }).waitFor();
    await page.getByRole('region', { name: 'Software agreements due within 90 days' }).waitFor();
    await page.getByRole('tab', { name: 'Module pools' }).click();
    await page
      .getByRole('table', { name: 'Module pools' })
      .getByRole('link', { name: 'E-Archive: Case' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'E-Archive: Case licences' }).waitFor();
    await page.getByRole('region', { name: 'Use over the last 12 months' }).waitFor();
    const before = Number(
      /of (\d+) licences in use/.exec(
        (await page
          .getByText(/licences in use/)
          .first()
          .textContent()) ?? '',
      )![1],
    );
    await expectNoAxeViolations(page, 'a licence pool');
    await page.getByRole('button', { name: 'Upgrade or downgrade' }).click();
    const dialog = page.getByRole('dialog', { name: 'Upgrade or downgrade' });
    await dialog.getByLabel('New number of licences').fill(String(before + 2));
    await dialog.getByRole('button', { name: 'Prepare' }).click();
    await dialog.getByText(`From ${before} to ${before + 2} licences`).waitFor();
    await expectNoAxeViolations(page, 'the checkout review');
    await dialog.getByRole('button', { name: 'Confirm (check out)' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText(`of ${before + 2} licences in use`).waitFor();
    const history = page.getByRole('table', { name: 'Size history' });
    // The newest change is the first row (the demo's history may hold the same sizes earlier).
    await history
      .getByRole('row')
      .nth(1)
      .getByText(`${before} → ${before + 2}`)
      .waitFor();
    await page.screenshot({ path: '/tmp/steward-software-pool.png', fullPage: true });
    await page.context().close();
  });

  it("S1, S2: the coordinator sees the unit's register with the commitment; only the head may appoint", async () => {
    const page = await signIn('erik', 'steward-user');
    await page.goto(`${server.url}/licences`);
    await page.getByRole('tab', { name: 'Licence coordinators' }).click();
    await page.getByRole('link', { name: 'University Administration' }).click();
    await page.getByRole('heading', { level: 1, name: 'Licences: University Administration' }).waitFor();
    const history = page.getByRole('table', { name: 'Licence coordinator and commitment' });
    await history.getByText('Erik Sjöberg').waitFor();
    expect(await history.getByText(/NU 2025\/100/).count()).toBe(1);
    // Erik coordinates but is not the head of the unit: no appointment button.
    expect(await page.getByRole('button', { name: 'Appoint a coordinator' }).count()).toBe(0);
    await page
      .getByRole('table', { name: 'Software handed out' })
      .getByText('Anna Lindqvist')
      .first()
      .waitFor();
    await expectNoAxeViolations(page, "the unit's licence register");
    // S3: an owed report is filled in from its row, and leaves the list once sent.
    const owed = page.getByRole('table', { name: 'Reports owed' });
    const matlab = owed.getByRole('button', { name: /^Report MATLAB for \d{4}$/ });
    const year = /(\d{4})$/.exec((await matlab.getAttribute('aria-label')) ?? '')![1];
    await matlab.click();
    await page.getByLabel(`Users in ${year}`).fill('3');
    await page.getByRole('button', { name: `Report use for ${year}` }).click();
    await owed.getByRole('button', { name: `Report MATLAB for ${year}` }).waitFor({ state: 'detached' });
    await page.getByRole('table', { name: 'Submitted reports' }).getByText('MATLAB').waitFor();
    await page.screenshot({ path: '/tmp/steward-software-unit.png', fullPage: true });
    await page.context().close();
  });
});
