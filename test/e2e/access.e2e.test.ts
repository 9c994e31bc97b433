// Browser test of the access-rights flow against a real demo server: anna (an orderer of the
// University Administration) is refused an order for herself (A2) and told why, is told which
// mandatory field is missing (A4), saves an order, changes it and sends it; erik (IT system manager
// of the records systems) takes and fulfils it from his queue (A5); anna sees it fulfilled, and the
// grant is on the person's page (G10). axe-core (WCAG 2.1 AA) on every page. Screenshots go to /tmp/steward-access-*.png.
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, expectNoAxeViolations, hasChromium } from './browser.ts';
import { ensureWebBuilt, type RunningServer, startServer } from './server.ts';

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `/tmp/steward-access-${name}.png`, fullPage: true });
}

describe.skipIf(!hasChromium)('access rights in the browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let orderId = '';
  let subject = { id: '', displayName: '', employeeId: '' };

  const signIn = async (username: string, password = 'steward-user') => {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByLabel(/^Username/).fill(username);
    await page.getByLabel(/^Password/).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    return page;
  };
  const pick = async (page: Page, label: RegExp, option: string | RegExp, type?: string) => {
    const input = page.getByRole('combobox', { name: label }).first();
    await input.click();
    if (type) await input.fill(type);
    await page.getByRole('option', { name: option }).first().click();
    await page.keyboard.press('Escape');
  };

  beforeAll(async () => {
    ensureWebBuilt();
    // ACCESS_E2E_URL reuses a running demo server while developing this test.
    const external = process.env.ACCESS_E2E_URL;
    server = external ? { url: external, stop: async () => {}, output: () => '' } : await startServer();
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

  it('A2/A4: anna is refused an order for herself with the rule and the way forward, is told the missing field, then saves an order, changes it and sends it', async () => {
    const page = await signIn('anna');
    // A colleague in the University Administration without the permission yet.
    const persons = await (await page.request.get(`${server.url}/api/v1/persons?q=E000010&limit=5`)).json();
    subject = persons.items[0];
    await page.goto(`${server.url}/access/order`);
    await page.getByRole('heading', { level: 1, name: 'Order a permission' }).waitFor();
    await pick(page, /^Person/, /Anna Lindqvist/, 'E000004');
    await pick(page, /^Units/, 'University Administration');
    await pick(page, /^System/, /DIARIUM/);
    await pick(page, /^Permission/, /^Registrar/);
    await page.getByRole('textbox', { name: /^Title/ }).fill('Registrar');
    await expectNoAxeViolations(page, 'order form');
    await page.getByRole('button', { name: 'Send order' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'You cannot order a permission for yourself' });
    await refusal.waitFor();
    // The way forward names the unit's other orderers.
    await expect(refusal.textContent()).resolves.toMatch(
      /Ask another orderer in your unit to order it for you: \p{L}/u,
    );
    await shot(page, 'refused-self');
    await expectNoAxeViolations(page, 'order form with the A2 refusal');

    // The right person, but the system's mandatory field left empty: the form says so before sending
    // (the API's own refusal, A4, is tested in access.routes.test.ts), next to the field.
    await pick(page, /^Person/, new RegExp(subject.employeeId), subject.employeeId);
    await page.getByRole('textbox', { name: /^Title/ }).fill('');
    await page.getByRole('button', { name: 'Send order' }).click();
    // Next to the field: the input is marked invalid and described by the message.
    await page.getByText('Fill in Title: this system asks for it.').first().waitFor();
    const title = page.getByRole('textbox', { name: /^Title/ });
    expect(await title.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await title.getAttribute('aria-describedby')) ?? '';
    const described = await Promise.all(
      describedBy.split(' ').map((id) => page.locator(`[id="${id}"]`).textContent()),
    );
    expect(described.join(' ')).toContain('Fill in Title: this system asks for it.');
    await shot(page, 'missing-field');
    await expectNoAxeViolations(page, 'order form with a field error');
    await page.getByRole('textbox', { name: /^Title/ }).fill('Registrar');
    // Saved for later, then changed and sent from the saved order (A4's checks hold for the change).
    await page.getByRole('button', { name: 'Save for later' }).click();
    await page.waitForURL((u) => /\/access\/orders\/[0-9a-f-]{36}$/.test(u.pathname));
    orderId = page.url().split('/').pop() ?? '';
    await page.getByRole('button', { name: 'Change' }).click();
    await page.getByRole('heading', { level: 1, name: /^Change order \d+$/ }).waitFor();
    const savedTitle = page.getByRole('textbox', { name: /^Title/ });
    expect(await savedTitle.inputValue()).toBe('Registrar');
    await savedTitle.fill('Senior registrar');
    await shot(page, 'change-saved');
    await expectNoAxeViolations(page, 'changing a saved order');
    await page.getByRole('button', { name: 'Send order' }).click();
    await page.waitForURL((u) => u.pathname === `/access/orders/${orderId}`);
    await page.getByText('Sent to IT').first().waitFor();
    await page.getByText('Senior registrar').first().waitFor();
    expect(await page.getByRole('button', { name: 'Change' }).count()).toBe(0);
    await shot(page, 'order-sent');
    await expectNoAxeViolations(page, 'order page');
    await page.context().close();
  }, 120_000);

  it('A5: erik takes and fulfils the order from his fulfilment queue', async () => {
    const page = await signIn('erik');
    await page.goto(`${server.url}/access/orders?scope=fulfilment`);
    await page.getByRole('heading', { level: 1, name: 'Fulfilment queue' }).waitFor();
    const link = page.getByRole('link', { name: /^Order \d+$/ }).last();
    await page.getByRole('cell', { name: subject.displayName }).first().waitFor();
    await shot(page, 'fulfilment-queue');
    await expectNoAxeViolations(page, 'fulfilment queue');
    void link;
    // Erik holds no ordering rights: the order form says why and cannot be sent.
    await page.goto(`${server.url}/access/order`);
    await page.getByText(/^You hold no ordering rights\./).waitFor();
    expect(await page.getByRole('button', { name: 'Send order' }).isDisabled()).toBe(true);
    await page.goto(`${server.url}/access/orders/${orderId}`);
    await page.getByRole('button', { name: 'Take' }).click();
    await page.getByText('In progress').first().waitFor();
    await page.getByRole('button', { name: 'Mark as fulfilled' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(`Confirm that ${subject.displayName} now has Registrar`).waitFor();
    await dialog.getByRole('button', { name: 'Mark as fulfilled' }).click();
    await page.getByText('Fulfilled', { exact: true }).first().waitFor();
    await shot(page, 'fulfilled');
    await expectNoAxeViolations(page, 'fulfilled order');
    await page.context().close();
  }, 120_000);

  it('L2: fulfilling an order the full Case pool cannot cover is refused with the way to the pool; the order stays open', async () => {
    const page = await signIn('erik');
    await page.goto(`${server.url}/access/orders?scope=fulfilment`);
    const row = page.getByRole('row').filter({ hasText: 'Archivist' }).first();
    await row.getByRole('link', { name: /^Order \d+$/ }).click();
    await page.getByRole('heading', { level: 1, name: /^Order \d+$/ }).waitFor();
    await page.getByRole('button', { name: 'Take' }).click();
    await page.getByRole('button', { name: 'Mark as fulfilled' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Mark as fulfilled' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'This cannot be done' });
    await refusal.getByText(/The Case module of E-Archive is full/).waitFor();
    await page.getByRole('dialog').waitFor({ state: 'hidden' }); // shown once, on the page
    expect(await page.getByText('In progress').count()).toBeGreaterThan(0);
    await expectNoAxeViolations(page, 'a refused fulfilment');
    await page.getByText('No free licence', { exact: true }).waitFor(); // in the order's history
    await page.getByRole('link', { name: 'Open the licence pool' }).click();
    await page.getByRole('heading', { level: 1, name: 'E-Archive: Case licences' }).waitFor();
    // The queue marks the order as waiting for licences.
    await page.goto(`${server.url}/access/orders?scope=fulfilment`);
    await page.getByRole('row').filter({ hasText: 'Archivist' }).getByText('Waiting for licences').waitFor();
    await page.context().close();
  }, 120_000);

  it('A5/G10: anna sees the order fulfilled and told in My work; the grant is on the person page', async () => {
    const page = await signIn('anna');
    await page.getByRole('heading', { level: 1, name: 'My work' }).waitFor();
    await page
      .getByRole('link', { name: new RegExp(`for ${subject.displayName}: fulfilled`) })
      .first()
      .waitFor();
    await shot(page, 'home');
    await expectNoAxeViolations(page, 'home with access inbox');
    await page.goto(`${server.url}/access/orders`);
    await page.getByRole('heading', { level: 1, name: 'My orders' }).waitFor();
    const row = page
      .getByRole('row')
      .filter({ hasText: subject.displayName })
      .filter({ hasText: 'Registrar' });
    await row.getByText('Fulfilled').first().waitFor();
    await shot(page, 'my-orders');
    await expectNoAxeViolations(page, 'my orders');
    await page.goto(`${server.url}/persons/${subject.id}?tab=grants`);
    const grants = page.getByRole('table', { name: "The person's grants" });
    await grants
      .getByRole('cell', { name: /Registrar/ })
      .first()
      .waitFor();
    await shot(page, 'person-grants');
    await expectNoAxeViolations(page, 'person page grants');
    await page.goto(`${server.url}/access/grants`);
    await page.getByRole('heading', { level: 1, name: 'Grants register' }).waitFor();
    await page.getByRole('cell', { name: subject.displayName }).first().waitFor();
    await shot(page, 'grants');
    await expectNoAxeViolations(page, 'grants register');
    await page.goto(`${server.url}/access/compliance`);
    await page.getByText('Department of Historical Studies').first().waitFor();
    await shot(page, 'compliance');
    await expectNoAxeViolations(page, 'compliance report');
    await page.goto(`${server.url}/access`);
    await page.getByRole('heading', { level: 1, name: 'Access rights' }).waitFor();
    await shot(page, 'overview');
    await expectNoAxeViolations(page, 'access overview');
    await page.context().close();
  }, 120_000);

  it("the person's page lists the orders about them and the licences they use", async () => {
    const page = await signIn('admin', 'steward-admin');
    await page.goto(`${server.url}/persons/${subject.id}?tab=orders`);
    const orders = page.getByRole('table', { name: 'Orders about this person' });
    const row = orders.getByRole('row').filter({ has: page.getByRole('link', { name: /^Order \d+$/ }) });
    await row.filter({ hasText: 'Registrar' }).getByText('Fulfilled').first().waitFor();
    await shot(page, 'person-orders');
    await expectNoAxeViolations(page, 'person page orders');
    await page.getByRole('tab', { name: 'Licences' }).click();
    // L1: the Registrar permission includes the Registry module, whose pool now counts the person.
    await page
      .getByRole('table', { name: 'Licensed modules' })
      .getByRole('row')
      .filter({ hasText: 'Registry' })
      .getByRole('link', { name: /^\d+ of \d+ used$/ })
      .waitFor();
    await page
      .getByRole('table', { name: 'Software' })
      .or(page.getByText('No software assigned'))
      .first()
      .waitFor();
    expect(new URL(page.url()).searchParams.get('tab')).toBe('licences');
    await shot(page, 'person-licences');
    await expectNoAxeViolations(page, 'person page licences');
    await page.context().close();
  }, 120_000);
});
