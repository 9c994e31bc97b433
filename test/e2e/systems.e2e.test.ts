// Browser tests of the systems UI against a real server: the catalogue (search, filter, CSV link),
// a system page and its tabs, the governance object page, the dependency map with its table
// alternative, and the reports; axe-core (WCAG 2.1 AA) on each. Screenshots go to /tmp/steward-systems-*.png.
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, expectNoAxeViolations, hasChromium } from './browser.ts';
import { ensureWebBuilt, type RunningServer, startServer } from './server.ts';

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `/tmp/steward-systems-${name}.png`, fullPage: true });
}

interface Created {
  objectId: string;
  ladok: string;
  canvas: string;
  idp: string;
}

/** A small registry of our own (independent of the demo data): one object, three systems, edges. */
async function createRegistry(page: Page, url: string): Promise<Created> {
  const api = `${url}/api/v1`;
  const session = await (await page.request.get(`${api}/auth/session`)).json();
  const headers = { 'x-csrf-token': session.csrfToken as string };
  const post = async (path: string, data: unknown) => {
    const res = await page.request.post(`${api}${path}`, { data, headers });
    expect(res.status(), `${path}: ${await res.text()}`).toBe(201);
    return res.json();
  };
  const tree = await (await page.request.get(`${api}/org-units/tree`)).json();
  const unitId = tree.items[0].id as string;
  const object = await post('/governance-objects', {
    name: 'E2E Student administration',
    owningUnitId: unitId,
  });
  const system = (name: string, shortName: string, extra: Record<string, unknown>) =>
    post('/systems', {
      name,
      shortName,
      governanceObjectId: object.id,
      orgModel: 2,
      hosting: 'central_it',
      ...extra,
    });
  const ladok = await system('E2E Ladok student records', 'E2ELADOK', {
    lifecycle: 'in_production',
    criticality: 'critical',
    storesPersonalData: true,
    personalDataCategories: ['students'],
    resolverGroup: 'Ladok resolvers',
    resolverMembersReviewedOn: '2020-01-01',
  });
  const canvas = await system('E2E Canvas learning platform', 'E2ECANVAS', { lifecycle: 'planned' });
  const idp = await system('E2E Identity provider', 'E2EIDP', { lifecycle: 'in_production' });
  await post('/dependencies', { fromSystemId: canvas.id, toSystemId: ladok.id, kind: 'data' });
  await post('/dependencies', { fromSystemId: ladok.id, toSystemId: idp.id, kind: 'authentication' });
  await post('/integrations', {
    name: 'E2E Ladok to Canvas',
    sourceSystemId: ladok.id,
    targetSystemId: canvas.id,
    contract: {
      dataItems: ['student name', 'course code'],
      purpose: 'Course rosters',
      includesPersonalData: true,
      personalDataCategories: ['students'],
      legalBasis: 'public_task',
    },
  });
  return { objectId: object.id, ladok: ladok.id, canvas: canvas.id, idp: idp.id };
}

describe.skipIf(!hasChromium)('systems UI in a browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let created: Created;

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
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1366, height: 900 } });
    page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByLabel(/^Username/).fill('admin');
    await page.getByLabel(/^Password/).fill('steward-admin');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    created = await createRegistry(page, server.url);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('searches and filters the catalogue, with the filters in the URL and the CSV link', async () => {
    await page.goto(`${server.url}/systems`);
    await page.getByRole('heading', { level: 1, name: 'Systems' }).waitFor();
    await page.getByRole('searchbox', { name: /Search/ }).fill('E2E');
    await page.waitForURL(/q=E2E/);
    const table = page.getByRole('table', { name: 'Systems' });
    await table.getByRole('link', { name: 'E2E Canvas learning platform' }).waitFor();
    await expect.poll(() => table.getByRole('link', { name: /^E2E / }).count()).toBe(3 + 3);

    // Most critical first, from the column's header; the order is in the URL and in the CSV link.
    await table.getByRole('button', { name: /^Criticality/ }).click();
    await page.waitForURL(/sort=-criticality/);
    const rank = ['Critical', 'High', 'Medium', 'Low'];
    const ranks = async () =>
      (
        await table
          .locator('tbody tr')
          .evaluateAll((trs) => trs.map((tr) => tr.children[3]?.textContent ?? ''))
      ).map((c) => rank.indexOf(c.trim()));
    const ascending = (r: number[]) => r.length === 3 && r.every((v, i) => i === 0 || r[i - 1] <= v);
    await expect.poll(async () => ascending(await ranks())).toBe(true);
    expect(new Set(await ranks()).size).toBeGreaterThan(1);
    expect(await table.getByRole('columnheader', { name: /^Criticality/ }).getAttribute('aria-sort')).toBe(
      'descending',
    );
    expect(
      await page.getByRole('link', { name: 'Export these systems as CSV' }).getAttribute('href'),
    ).toMatch(/sort=-criticality/);
    await table.getByRole('button', { name: /^System/ }).click();
    await page.waitForURL((url) => !url.search.includes('sort='));

    await page.getByRole('search').getByLabel('Lifecycle').click();
    await page.getByRole('option', { name: 'Planned' }).click();
    await page.waitForURL(/lifecycle=planned/);
    await expect.poll(() => table.getByRole('row').count()).toBe(2);
    await table.getByRole('link', { name: 'E2E Canvas learning platform' }).waitFor();
    const csv = page.getByRole('link', { name: 'Export these systems as CSV' });
    expect(await csv.getAttribute('href')).toMatch(
      /\/api\/v1\/systems\/export\.csv\?.*q=E2E.*lifecycle=planned/,
    );
    await shot(page, 'catalogue');
    await expectNoAxeViolations(page, 'catalogue (filtered)');

    await page.getByRole('search').getByLabel('Lifecycle').click();
    await page.getByRole('option', { name: 'Retired' }).click();
    await page.getByText('No system matches').waitFor();
    await expectNoAxeViolations(page, 'catalogue (no match)');

    // On a phone the filters wait behind one button that counts them, so the list is on the first screen.
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.goto(`${server.url}/systems?q=E2E&lifecycle=planned`);
      await table.getByRole('link', { name: 'E2E Canvas learning platform' }).waitFor();
      const lifecycle = page.getByRole('search').getByLabel('Lifecycle');
      expect(await lifecycle.isVisible()).toBe(false);
      const more = page.getByRole('button', { name: 'Filters (1 set)' });
      expect(await more.getAttribute('aria-expanded')).toBe('false');
      await shot(page, 'catalogue-phone');
      await more.click();
      await lifecycle.waitFor({ state: 'visible' });
      expect(await more.getAttribute('aria-expanded')).toBe('true');
      await expectNoAxeViolations(page, 'catalogue on a phone, filters open');
    } finally {
      await page.setViewportSize({ width: 1366, height: 900 });
    }
  });

  it('opens a system page and each of its tabs', async () => {
    await page.goto(`${server.url}/systems?q=E2E%20Ladok`);
    await page.getByRole('link', { name: 'E2E Ladok student records' }).click();
    await page.getByRole('heading', { level: 1, name: 'E2E Ladok student records' }).waitFor();
    await page.getByText('Review overdue (due every year)').waitFor();
    await shot(page, 'system-overview');
    await expectNoAxeViolations(page, 'system overview');

    await page.getByRole('tab', { name: 'Roles' }).click();
    await page.getByRole('heading', { name: 'Role assignments' }).waitFor();
    await expectNoAxeViolations(page, 'system roles');

    await page.getByRole('tab', { name: 'Dependencies' }).click();
    await page.getByRole('heading', { name: 'Impact if down' }).waitFor();
    await page.getByText('Path: E2E Ladok student records → E2E Canvas learning platform').waitFor();
    await page.locator('.react-flow__node').first().waitFor({ timeout: 20_000 });
    await shot(page, 'system-dependencies');
    await expectNoAxeViolations(page, 'system dependencies');

    await page.getByRole('tab', { name: 'Integrations' }).click();
    await page.getByRole('heading', { name: 'E2E Ladok to Canvas' }).waitFor();
    // The administrator is not the source system's owner: no consent button (G9).
    expect(await page.getByRole('button', { name: 'Consent' }).count()).toBe(0);
    await expectNoAxeViolations(page, 'system integrations');

    await page.getByRole('tab', { name: 'Documents' }).click();
    await page.getByRole('table', { name: 'Documents' }).getByText('Configuration').waitFor();
    await expectNoAxeViolations(page, 'system documents');

    await page.getByRole('tab', { name: 'Security' }).click();
    await page.getByRole('heading', { name: 'Firewall rules' }).waitFor();
    await shot(page, 'system-security');
    await expectNoAxeViolations(page, 'system security');
  });

  it('G13: plans an upgrade in a service window, records the CAB approval, and is told to rehearse first', async () => {
    await page.goto(`${server.url}/systems?q=Student%20Records`);
    await page.getByRole('link', { name: 'Student Records', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Student Records' }).waitFor();
    await page.getByRole('tab', { name: 'Maintenance' }).click();
    // The demo's upgrade, approved by the CAB, with its checklist.
    const demo = page.getByRole('region', { name: 'Student Records 2.14' });
    await demo.getByText('Approved by the CAB', { exact: true }).waitFor();
    await demo.getByRole('checkbox', { name: /Agree the time/ }).waitFor();

    // A Saturday at least ten days ahead, 10:00 to 14:00 in the browser's time.
    const d = new Date(Date.now() + 10 * 86_400_000);
    d.setDate(d.getDate() + ((6 - d.getDay() + 7) % 7));
    const day = (x: Date) =>
      `${x.getFullYear()}-${String(x.getMonth() + 1).padStart(2, '0')}-${String(x.getDate()).padStart(2, '0')}`;
    const tuesday = new Date(d.getTime() + 3 * 86_400_000);
    await page.getByRole('button', { name: 'Plan work' }).click();
    const dialog = page.getByRole('dialog', { name: 'Plan an upgrade or maintenance' });
    await dialog.getByLabel(/^Title/).fill('E2E upgrade');
    await dialog.getByLabel(/^Starts/).fill(`${day(tuesday)}T10:00`);
    await dialog.getByLabel(/^Ends/).fill(`${day(tuesday)}T14:00`);
    await dialog.getByRole('button', { name: 'Plan', exact: true }).click();
    await dialog.getByText('Start and end within one weekend (Saturday and Sunday).').waitFor();
    await expectNoAxeViolations(page, 'plan maintenance (refused)');
    await dialog.getByLabel(/^Starts/).fill(`${day(d)}T10:00`);
    await dialog.getByLabel(/^Ends/).fill(`${day(d)}T14:00`);
    await dialog.getByRole('button', { name: 'Plan', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });

    const card = page.getByRole('region', { name: 'E2E upgrade' });
    await card.getByText('Waiting for the CAB', { exact: true }).waitFor();
    await card.getByLabel('CAB decision (reference)').fill('CAB E2E §1');
    await card.getByRole('button', { name: 'Record CAB approval' }).click();
    await card.getByText('Approved by the CAB', { exact: true }).waitFor();
    await card.getByRole('checkbox', { name: /Post a system message/ }).click();
    await expect
      .poll(() => card.getByRole('checkbox', { name: /Post a system message/ }).isChecked())
      .toBe(true);
    // Student Records has a test environment: the work is rehearsed there before it is done.
    await card.getByRole('button', { name: 'Mark as done' }).click();
    await card.getByText('The system has a test environment: rehearse the work there first.').waitFor();
    await shot(page, 'system-maintenance');
    await expectNoAxeViolations(page, 'system maintenance');
  });

  it('G13: posts a system message that shows on the system and on My work, then takes it down', async () => {
    await page.goto(`${server.url}/systems?q=Student%20Records`);
    await page.getByRole('link', { name: 'Student Records', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Student Records' }).waitFor();
    await page.getByRole('tab', { name: 'Maintenance' }).click();
    const section = page.getByRole('region', { name: 'System messages' });
    // The demo's message for the upgrade is scheduled a week before it.
    await section.getByText('Scheduled', { exact: true }).waitFor();

    await section.getByRole('button', { name: 'Post a system message' }).click();
    const dialog = page.getByRole('dialog', { name: 'Post a system message' });
    await dialog.getByRole('textbox', { name: 'Message in English' }).fill('E2E: exports are slow today.');
    // A disruption: on everyone's My work (other kinds, on the My work of those who use the system).
    await dialog.getByLabel(/^Kind/).click();
    await page.getByRole('option', { name: 'Disruption' }).click();
    await dialog.getByRole('button', { name: 'Post', exact: true }).click();
    // No end time: refused with the field named.
    await dialog.getByText('A time like', { exact: false }).waitFor();
    await expectNoAxeViolations(page, 'post a system message (refused)');
    const tomorrow = new Date(Date.now() + 86_400_000);
    const p = (n: number) => String(n).padStart(2, '0');
    await dialog
      .getByLabel(/^Shown until/)
      .fill(`${tomorrow.getFullYear()}-${p(tomorrow.getMonth() + 1)}-${p(tomorrow.getDate())}T12:00`);
    await dialog.getByRole('button', { name: 'Post', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    // Shown now: as a banner on the system's page, on everyone's My work and on the maintenance calendar.
    const banner = page.getByRole('region', { name: 'System messages now' });
    await banner.getByText('E2E: exports are slow today.').waitFor();
    await expectNoAxeViolations(page, 'system messages');
    for (const path of ['/', '/maintenance']) {
      await page.goto(`${server.url}${path}`);
      await page
        .getByRole('region', { name: 'System messages now' })
        .getByText('E2E: exports are slow today.')
        .waitFor();
    }
    await page.goBack();
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'Student Records' }).waitFor();

    // Taken down: gone from the banner.
    await page
      .getByRole('region', { name: 'System messages' })
      .getByRole('article', { name: 'E2E: exports are slow today.' })
      .getByRole('button', { name: 'Take down' })
      .click();
    await page.getByRole('dialog').getByRole('button', { name: 'Take down' }).click();
    await expect
      .poll(() =>
        page
          .getByRole('region', { name: 'System messages now' })
          .getByText('E2E: exports are slow today.')
          .count(),
      )
      .toBe(0);
  });

  it('G11: records a change in the system’s change log, which lists it newest first and refuses a future day', async () => {
    await page.goto(`${server.url}/systems?q=Student%20Records`);
    await page.getByRole('link', { name: 'Student Records', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Student Records' }).waitFor();
    await page.getByRole('tab', { name: 'Change log' }).click();
    const log = page.getByRole('table', { name: 'Change log' });
    await log.getByText('Session timeout from 30 to 60 minutes').waitFor();
    await expectNoAxeViolations(page, 'system change log');

    await page.getByRole('button', { name: 'Record a change' }).click();
    const dialog = page.getByRole('dialog', { name: 'Record a change' });
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    await dialog.getByLabel(/^Changed on/).fill(tomorrow);
    await dialog.getByLabel(/^What changed/).fill('E2E: export format changed to UTF-8');
    await dialog.getByRole('button', { name: 'Record', exact: true }).click();
    await dialog.getByText(/records changes that have been made/).waitFor();
    await expectNoAxeViolations(page, 'record a change (refused)');
    const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date());
    await dialog.getByLabel(/^Changed on/).fill(today);
    await dialog.getByRole('button', { name: 'Record', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    // Newest first: the new entry heads the log.
    await expect
      .poll(async () => (await log.getByRole('row').nth(1).textContent()) ?? '')
      .toContain('E2E: export format changed to UTF-8');
    await shot(page, 'system-change-log');
  });

  it('edits a system and explains a stale edit (412)', async () => {
    await page.goto(`${server.url}/systems/${created.idp}`);
    await page.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Vendor').fill('Example AB');
    // Someone else changes the system meanwhile.
    const session = await (await page.request.get(`${server.url}/api/v1/auth/session`)).json();
    const current = await page.request.get(`${server.url}/api/v1/systems/${created.idp}`);
    const res = await page.request.patch(`${server.url}/api/v1/systems/${created.idp}`, {
      data: { description: 'Changed elsewhere' },
      headers: { 'x-csrf-token': session.csrfToken, 'if-match': current.headers().etag ?? '' },
    });
    expect(res.status()).toBe(200);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('Someone else changed this in the meantime').waitFor();
    await expectNoAxeViolations(page, 'system edit (stale)');
    await dialog.getByRole('button', { name: 'Reload' }).click();
    // The notice goes once the latest version is in the form; what is typed after that is kept.
    await dialog.getByText('Someone else changed this in the meantime').waitFor({ state: 'detached' });
    await dialog.getByLabel('Vendor').fill('Example AB');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('Example AB').first().waitFor();
  });

  it('shows the governance object with its systems, roles and the gap', async () => {
    await page.goto(`${server.url}/governance-objects/${created.objectId}`);
    await page.getByRole('heading', { level: 1, name: 'E2E Student administration' }).waitFor();
    await page.getByText('A required role is missing').waitFor();
    await page
      .getByRole('table', { name: 'Systems' })
      .getByRole('link', { name: 'E2E Identity provider' })
      .waitFor();
    await expectNoAxeViolations(page, 'governance object');
  });

  it('draws the dependency map and offers it as a table', async () => {
    await page.goto(`${server.url}/systems/graph?governanceObjectId=${created.objectId}`);
    await page.getByRole('heading', { level: 1, name: 'Dependency map' }).waitFor();
    const nodes = page.locator('.react-flow__node');
    await nodes.first().waitFor({ timeout: 20_000 });
    await expect.poll(() => nodes.count()).toBe(3);
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(3);
    await page.locator('.react-flow__node').getByText('In production').first().waitFor();
    await shot(page, 'graph');
    await expectNoAxeViolations(page, 'dependency map');

    await page.getByText('Table', { exact: true }).click();
    const table = page.getByRole('table', { name: 'Connections between systems' });
    await table.waitFor();
    const row = table
      .getByRole('row')
      .filter({ hasText: 'E2E Canvas learning platform' })
      .filter({ hasText: 'data' });
    await expect.poll(() => row.count()).toBeGreaterThan(0);
    await table
      .getByRole('row', { name: /E2E Ladok student records authentication E2E Identity provider/ })
      .waitFor();
    await expectNoAxeViolations(page, 'dependency map as a table');

    await page.getByText('Map', { exact: true }).click();
    await nodes.first().waitFor({ timeout: 20_000 });
    await page.locator('.react-flow__node').filter({ hasText: 'E2E Identity provider' }).click();
    await page.getByRole('heading', { level: 1, name: 'E2E Identity provider' }).waitFor();
  });

  it('shows the reports: role gaps, overdue documents, lineage', async () => {
    await page.goto(`${server.url}/reports/role-gaps`);
    await page.getByRole('heading', { level: 1, name: 'Role gap report' }).waitFor();
    await page.getByRole('link', { name: 'E2E Student administration' }).first().waitFor();
    await expectNoAxeViolations(page, 'role gaps');

    await page.goto(`${server.url}/reports/overdue-documents`);
    await page.getByRole('link', { name: 'E2E Ladok student records' }).first().waitFor();
    await expectNoAxeViolations(page, 'overdue documents');

    // G9: a category typed in Swedish finds the one recorded in English (one key, labels per language).
    await page.goto(`${server.url}/reports/lineage`);
    await page.getByRole('combobox', { name: 'Category of persons' }).fill('Studenter');
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await page.waitForURL(/category=students/);
    await page.getByRole('link', { name: 'E2E Ladok student records' }).first().waitFor();
    await shot(page, 'lineage');
    await expectNoAxeViolations(page, 'lineage');
  });
});
