// Browser tests of the web UI against a real server: sign-in, people, person page, audit log,
// language switch, and axe-core (WCAG 2.1 AA) on every page. Screenshots go to /tmp/steward-*.png.
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, expectNoAxeViolations, hasChromium } from './browser.ts';
import { ensureWebBuilt, type RunningServer, startServer } from './server.ts';

if (!hasChromium)
  console.warn(
    `Browser tests skipped: ${CHROMIUM} not found. Install Debian's Chromium (apt-get install chromium) to run them.`,
  );

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `/tmp/steward-${name}.png`, fullPage: true });
}

describe.skipIf(!hasChromium)('web UI in a browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    ensureWebBuilt();
    server = await startServer();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1366, height: 900 } });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('asks for sign-in, explains a wrong password, then returns to the page asked for', async () => {
    await page.goto(`${server.url}/persons`);
    await page.waitForURL(/\/login\?redirect=/);
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByLabel(/^Username/).waitFor();
    await expectNoAxeViolations(page, 'sign-in');
    await shot(page, 'login');

    await page.getByLabel(/^Username/).fill('admin');
    await page.getByLabel(/^Password/).fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    await shot(page, 'login-error');
    await expectNoAxeViolations(page, 'sign-in with error');

    await page.getByLabel(/^Password/).fill('steward-admin');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/persons$/);
    await page.getByRole('heading', { level: 1, name: 'People' }).waitFor();
  });

  it('has landmarks, a skip link and a home page without axe violations', async () => {
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { level: 1, name: 'My work' }).waitFor();
    // The administrator's inbox: the demo's unstaffed role (G2) is a warning with a link to its object.
    await page.getByRole('link', { name: 'Research Support has no IT system owner' }).waitFor();
    expect(await page.getByRole('banner').count()).toBe(1);
    expect(await page.getByRole('main').count()).toBe(1);
    expect(await page.getByRole('navigation', { name: 'Main navigation' }).count()).toBe(1);
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to main content' });
    await expect.poll(() => skip.evaluate((el) => el === document.activeElement)).toBe(true);
    await expectNoAxeViolations(page, 'my work');
    await shot(page, 'home');
  });

  it('searches people on the server and opens a person page', async () => {
    const res = await page.request.get(`${server.url}/api/v1/persons?limit=5&sort=-name`);
    expect(res.ok()).toBe(true);
    const { items } = (await res.json()) as {
      items: { familyName: string; givenName: string; displayName: string }[];
    };
    const target = items[0];

    await page.goto(`${server.url}/persons`);
    await page.getByRole('table').getByRole('row').nth(1).waitFor();
    await expectNoAxeViolations(page, 'people');
    await shot(page, 'persons');

    await page.getByLabel('Search', { exact: true }).fill(target.familyName);
    await page.waitForURL((u) => u.searchParams.get('q') === target.familyName);
    const link = page.getByRole('link', { name: `${target.familyName}, ${target.givenName}` });
    await link.first().waitFor();
    await shot(page, 'persons-search');
    await link.first().click();
    await page.getByRole('heading', { level: 1, name: target.displayName }).waitFor();
    await page.getByRole('tab', { name: 'Overview' }).waitFor();
    await expectNoAxeViolations(page, 'person page');
    await shot(page, 'person');

    await page.getByRole('button', { name: 'Mark as left' }).click();
    await page.getByRole('dialog').getByText('Nothing is deleted').waitFor();
    await expectNoAxeViolations(page, 'mark as left dialog');
    await shot(page, 'person-leave-dialog');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByRole('dialog').getByLabel('Given name').waitFor();
    await expectNoAxeViolations(page, 'edit person dialog');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  });

  it('hides a column of the people table and remembers it on the account, across a reload', async () => {
    await page.goto(`${server.url}/persons`);
    const table = page.getByRole('table', { name: 'People' });
    await table.getByRole('row').nth(1).waitFor();
    await expect.poll(() => table.getByRole('columnheader', { name: 'E-mail' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Columns: People' }).click();
    const chooser = page.getByRole('group', { name: 'Columns shown' });
    // The first column names the row: it cannot be hidden, so it is not offered.
    await chooser.getByRole('checkbox').first().waitFor();
    expect(await chooser.locator('label').allTextContents()).toEqual([
      'Employee id',
      'E-mail',
      'Units',
      'Status',
    ]);
    await expectNoAxeViolations(page, 'column chooser');
    await chooser.getByRole('checkbox', { name: 'E-mail' }).uncheck();
    await expect.poll(() => table.getByRole('columnheader', { name: 'E-mail' }).count()).toBe(0);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Columns: People' }).filter({ hasText: '1 hidden' }).waitFor();
    await shot(page, 'persons-columns');
    await expect
      .poll(
        async () => (await (await page.request.get(`${server.url}/api/v1/me/table-columns`)).json()).tables,
      )
      .toEqual({ persons: ['email'] });

    await page.reload();
    await table.getByRole('row').nth(1).waitFor();
    expect(await table.getByRole('columnheader', { name: 'E-mail' }).count()).toBe(0);
    expect(await table.getByRole('columnheader', { name: /^Employee id/ }).count()).toBe(1);
    await page.getByRole('button', { name: 'Columns: People' }).click();
    await page.getByRole('button', { name: 'Show all columns' }).click();
    await expect.poll(() => table.getByRole('columnheader', { name: 'E-mail' }).count()).toBe(1);
    await page.keyboard.press('Escape');
  });

  it('returns to the page of the list a person was opened from, and starts a new visit on page one', async () => {
    await page.goto(`${server.url}/persons`);
    const table = page.getByRole('table', { name: 'People' });
    const row = table.getByRole('row').nth(1).getByRole('link').first();
    await row.waitFor();
    const firstOnPageOne = await row.textContent();
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Next' }).click();
    await page
      .getByText(/^Page 2/)
      .first()
      .waitFor();
    await expect.poll(() => row.textContent()).not.toBe(firstOnPageOne);
    const name = (await row.textContent()) ?? '';
    await row.click();
    await page.getByRole('tab', { name: 'Overview' }).waitFor();
    await page.goBack();
    await page
      .getByText(/^Page 2/)
      .first()
      .waitFor();
    await table.getByRole('row').nth(1).getByRole('link', { name }).first().waitFor();
    // Following the menu to the list again is a new visit.
    await page.goto(`${server.url}/account`);
    await page.getByRole('button', { name: 'People & units' }).click();
    await page.getByRole('link', { name: 'People', exact: true }).click();
    await page
      .getByText(/^Page 1/)
      .first()
      .waitFor();
  });

  it('shows the org unit tree and a unit page', async () => {
    await page.goto(`${server.url}/units`);
    await page.getByRole('heading', { level: 1, name: 'Org units' }).waitFor();
    const expand = page.getByRole('button', { name: /^Expand / }).first();
    await expand.waitFor();
    await expand.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('button', { name: /^Collapse / }).count()).toBeGreaterThan(0);
    await expectNoAxeViolations(page, 'org units');
    await shot(page, 'units');
    await page.getByRole('navigation', { name: 'Org unit tree' }).getByRole('link').nth(1).click();
    await page.getByRole('tab', { name: /Members/ }).waitFor();
    await page.getByText('Head of unit').waitFor();
    await expectNoAxeViolations(page, 'unit page');
    await shot(page, 'unit');
  });

  it('lists the audit log newest first and expands an event', async () => {
    await page.goto(`${server.url}/admin/audit`);
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    const toggle = page.getByRole('button', { name: /changes of / }).first();
    await toggle.waitFor();
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-expanded')).toBe('true');
    await expectNoAxeViolations(page, 'audit log');
    await shot(page, 'audit');
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await page.getByText('The audit log is intact').waitFor();
    // A period that ends before it starts is named at the "To date" field, not answered with nothing.
    await page.getByLabel('From date').fill('2027-01-01');
    await page.getByLabel('To date').fill('2026-01-01');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('The end of the period comes before its start.').waitFor();
    await expectNoAxeViolations(page, 'audit log with a backwards period');
  });

  it('shows account, admin and coming-soon pages without axe violations', async () => {
    for (const [path, heading] of [
      ['/account', 'My account'],
      ['/admin/accounts', 'Accounts'],
      ['/admin/import', 'HR import'],
      ['/admin/outbox', 'Outbox'],
      ['/systems', 'Systems'],
      ['/absences', 'Absences and cover'],
      ['/maintenance', 'Maintenance calendar'],
      ['/change-log', 'Change log'],
      // An unknown address: "not found" inside the app's frame, with its menu.
      ['/no/such/page', 'Page not found'],
    ] as const) {
      await page.goto(`${server.url}${path}`);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await page.getByRole('navigation').first().waitFor();
      await page.waitForLoadState('networkidle');
      await expectNoAxeViolations(page, path);
      await shot(page, path.replace(/\//g, '_').slice(1));
    }
  });

  it('V3: the administrator appoints an identity editor, who adds a person to their unit', async () => {
    const tree = await (await page.request.get(`${server.url}/api/v1/org-units/tree`)).json();
    const nursing = tree.items.find((u: { name: string }) => u.name === 'Department of Nursing');
    const unitUrl = `${server.url}/units/${nursing.id}`;
    await page.goto(unitUrl);
    await page.getByRole('heading', { level: 1, name: 'Department of Nursing' }).waitFor();
    await page.getByRole('tab', { name: 'Identity editors' }).click();
    await page.getByText('No identity editors').waitFor();
    const pick = page.getByRole('combobox', { name: 'Appoint an identity editor' });
    await pick.click();
    await pick.fill('Anna Lindq');
    await page.getByRole('option', { name: /Anna Lindqvist/ }).click();
    await page.getByRole('button', { name: 'Appoint', exact: true }).click();
    await page
      .getByRole('table', { name: /Identity editors of/ })
      .getByRole('link', { name: 'Anna Lindqvist' })
      .waitFor();
    await expectNoAxeViolations(page, 'identity editors');

    const annas = await browser.newContext({ locale: 'en-GB', viewport: { width: 1366, height: 900 } });
    const p2 = await annas.newPage();
    await p2.goto(`${server.url}/login`);
    await p2.getByLabel(/^Username/).fill('anna');
    await p2.getByLabel(/^Password/).fill('steward-user');
    await p2.getByRole('button', { name: 'Sign in' }).click();
    await p2.getByRole('heading', { level: 1, name: 'My work' }).waitFor();
    await p2.goto(unitUrl);
    await p2.getByRole('button', { name: 'New person' }).click();
    const dialog = p2.getByRole('dialog', { name: /New person in Department of Nursing/ });
    await dialog.getByLabel(/^Employee id/).fill('E-V3-1');
    await dialog.getByLabel(/^Given name/).fill('Vera');
    await dialog.getByLabel(/^Family name/).fill('Tredje');
    await expectNoAxeViolations(p2, 'new person');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await p2.getByRole('heading', { level: 1, name: 'Vera Tredje' }).waitFor();
    // Their own new colleague: they may edit; she belongs to the Department of Nursing.
    await p2.getByRole('button', { name: 'Edit' }).waitFor();
    await p2.getByRole('link', { name: 'Department of Nursing' }).first().waitFor();
    await shot(p2, 'identity-editor-new-person');
    // The audit log is not hers to read: the page says so, without filters or a table to work.
    await p2.goto(`${server.url}/admin/audit`);
    await p2
      .getByText('Your roles do not include this. If your work needs it, ask an administrator.')
      .waitFor();
    expect(await p2.getByRole('button', { name: 'Verify chain' }).count()).toBe(0);
    expect(await p2.getByRole('table').count()).toBe(0);
    await expectNoAxeViolations(p2, 'audit log refused');
    await annas.close();
  });

  it('V1, V2: Anna sees the gap her absence leaves, names a cover, and the gap is gone', async () => {
    const annas = await browser.newContext({ locale: 'en-GB', viewport: { width: 1366, height: 900 } });
    const p2 = await annas.newPage();
    await p2.goto(`${server.url}/login`);
    await p2.getByLabel(/^Username/).fill('anna');
    await p2.getByLabel(/^Password/).fill('steward-user');
    await p2.getByRole('button', { name: 'Sign in' }).click();
    // The demo's absence leaves Research Support without a system manager: My work says so.
    const warning = p2.getByRole('link', { name: /Research Support: nobody present as system manager/ });
    await warning.waitFor();
    await warning.click();
    const gaps = p2.getByRole('table', { name: 'Coverage gaps' });
    const gapRow = gaps.getByRole('row', { name: /Research Support/ });
    await gapRow.waitFor();
    await expectNoAxeViolations(p2, 'coverage gaps');
    await shot(p2, 'coverage-gaps');

    // Anna cancels that absence and registers it again, now with a cover for both of her roles.
    await p2.getByRole('tab', { name: 'Absences' }).click();
    const mine = p2.getByRole('table', { name: 'Absences' });
    const row = mine.getByRole('row', { name: /Anna Lindqvist/ });
    const [startsOn, endsOn] = ((await row.getByRole('cell').nth(1).textContent()) ?? '').split(' – ');
    await row.getByRole('button', { name: 'Cancel' }).click();
    await p2.getByRole('dialog').getByRole('button', { name: 'Cancel absence' }).click();
    await p2.getByText('No absences ahead').waitFor();
    await p2.getByRole('button', { name: 'Register absence' }).click();
    const dialog = p2.getByRole('dialog', { name: 'Register an absence' });
    await dialog.getByLabel(/^First day away/).fill(startsOn);
    await dialog.getByLabel(/^Last day away/).fill(endsOn);
    await dialog.getByLabel('Note').fill('Vacation');
    for (const object of ['Records Management', 'Research Support']) {
      const pick = dialog.getByRole('combobox', { name: `System manager of ${object}` });
      await pick.click();
      await pick.fill('Leo Hå');
      await p2.getByRole('option', { name: /Leo Håkansson/ }).click();
    }
    await expectNoAxeViolations(p2, 'register absence');
    await shot(p2, 'register-absence');
    await dialog.getByRole('button', { name: 'Register', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await mine.getByText('System manager of Research Support: Leo Håkansson').waitFor();

    // The role now has someone present: the gap is gone from the report.
    await p2.getByRole('tab', { name: 'Coverage gaps' }).click();
    await gaps.waitFor();
    await p2.waitForLoadState('networkidle');
    await expect.poll(() => gaps.getByRole('row', { name: /Research Support/ }).count()).toBe(0);

    // Back early (V1): the absence, and the covers' roles with it, now end six days after it begins.
    await p2.getByRole('tab', { name: 'Absences' }).click();
    const again = mine.getByRole('row', { name: /Anna Lindqvist/ });
    await again.getByRole('button', { name: 'End early' }).click();
    const early = p2.getByRole('dialog', { name: 'Back early' });
    const lastDay = new Date(Date.parse(`${startsOn}T00:00:00Z`) + 6 * 86_400_000).toISOString().slice(0, 10);
    await early.getByLabel(/^New last day away/).fill(lastDay);
    await expectNoAxeViolations(p2, 'end absence early');
    await early.getByRole('button', { name: 'End the absence early' }).click();
    await early.waitFor({ state: 'detached' });
    await again.getByRole('cell', { name: `${startsOn} – ${lastDay}` }).waitFor();
    await annas.close();
  });

  it('V1: a head of unit names an acting head for the days of the absence', async () => {
    // The HR import makes heads of units; here the administrator makes Erik head of Nursing through the API.
    const api = (p: string) => `${server.url}/api/v1${p}`;
    const { csrfToken } = await (await page.request.get(api('/auth/session'))).json();
    const tree = await (await page.request.get(api('/org-units/tree'))).json();
    const nursing = tree.items.find((u: { name: string }) => u.name === 'Department of Nursing');
    const erik = (await (await page.request.get(api('/persons?q=Erik%20Sj%C3%B6berg'))).json()).items[0];
    const unit = await page.request.get(api(`/org-units/${nursing.id}`));
    const made = await page.request.patch(api(`/org-units/${nursing.id}`), {
      headers: { 'if-match': unit.headers().etag, 'x-csrf-token': csrfToken },
      data: { headPersonId: erik.id },
    });
    expect(made.status(), await made.text()).toBe(200);

    const eriks = await browser.newContext({ locale: 'en-GB', viewport: { width: 1366, height: 900 } });
    const p2 = await eriks.newPage();
    await p2.goto(`${server.url}/login`);
    await p2.getByLabel(/^Username/).fill('erik');
    await p2.getByLabel(/^Password/).fill('steward-user');
    await p2.getByRole('button', { name: 'Sign in' }).click();
    await p2.getByRole('heading', { level: 1, name: 'My work' }).waitFor();
    await p2.goto(`${server.url}/absences`);
    await p2.getByRole('button', { name: 'Register absence' }).click();
    const dialog = p2.getByRole('dialog', { name: 'Register an absence' });
    const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
    await dialog.getByLabel(/^First day away/).fill(day(40));
    await dialog.getByLabel(/^Last day away/).fill(day(45));
    const acting = dialog.getByRole('combobox', { name: 'Acting head of Department of Nursing' });
    await acting.click();
    await acting.fill('Anna Lindq');
    await p2.getByRole('option', { name: /Anna Lindqvist/ }).click();
    await expectNoAxeViolations(p2, 'register absence (head of unit)');
    await dialog.getByRole('button', { name: 'Register', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await p2
      .getByRole('table', { name: 'Absences' })
      .getByText('Acting head of Department of Nursing: Anna Lindqvist')
      .waitFor();
    await eriks.close();
  });

  it('switches to Swedish, remembers it, and sets the html lang', async () => {
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { level: 1, name: 'My work' }).waitFor();
    await page.getByText('Svenska', { exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Mitt arbete' }).waitFor();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('sv');
    await page.goto(`${server.url}/persons`);
    await page.getByRole('heading', { level: 1, name: 'Personer' }).waitFor();
    await page.getByRole('table').getByRole('row').nth(1).waitFor();
    await expectNoAxeViolations(page, 'personer (sv)');
    await shot(page, 'persons-sv');

    // Remembered on the account: a new browser context (no localStorage) signs in and gets Swedish.
    const fresh = await browser.newContext({ locale: 'en-GB' });
    const p2 = await fresh.newPage();
    await p2.goto(`${server.url}/login`);
    await p2.getByLabel(/^Username/).fill('admin');
    await p2.getByLabel(/^Password/).fill('steward-admin');
    await p2.getByRole('button', { name: 'Sign in' }).click();
    await p2.getByRole('heading', { level: 1, name: 'Mitt arbete' }).waitFor();
    await fresh.close();

    // A language picked on the sign-in page wins over the account's, and becomes the account's.
    const picky = await browser.newContext({ locale: 'sv-SE' });
    const p3 = await picky.newPage();
    await p3.goto(`${server.url}/login`);
    await p3.getByRole('button', { name: 'Logga in' }).waitFor();
    await p3.getByText('English', { exact: true }).click();
    await p3.getByLabel(/^Username/).fill('admin');
    await p3.getByLabel(/^Password/).fill('steward-admin');
    await p3.getByRole('button', { name: 'Sign in' }).click();
    await p3.getByRole('heading', { level: 1, name: 'My work' }).waitFor();
    const account = await (await p3.request.get(`${server.url}/api/v1/auth/session`)).json();
    expect(account.account.locale).toBe('en');
    await picky.close();

    await page.getByText('English', { exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'People' }).waitFor();
  });
});
