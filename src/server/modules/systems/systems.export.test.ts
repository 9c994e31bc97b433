// The catalogue as an Excel workbook: same columns and filters as the CSV, headers in English or Swedish.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, makeUnit, signedIn, type TestApp } from '../../testing/http.ts';
import { EXPORT_COLUMNS } from './systems.service.ts';

let t: TestApp;
let adm: Awaited<ReturnType<typeof signedIn>>;

beforeAll(async () => {
  t = await createTestApp();
  adm = await signedIn(t, ['administrator']);
  const unit = await makeUnit(t.ctx, { name: 'Central IT' });
  const obj = await adm.client.post('/api/v1/governance-objects', { name: 'Studier', owningUnitId: unit.id });
  for (const [name, shortName, lifecycle] of [
    ['Ladok studentregister', 'LADOK', 'in_production'],
    ['Åtkomstportal', 'PORTAL', 'planned'],
  ])
    expect(
      (
        await adm.client.post('/api/v1/systems', {
          name,
          shortName,
          lifecycle,
          orgModel: 2,
          hosting: 'vendor',
          vendor: 'Ladok',
          personalDataCategories: ['students', 'applicants'],
          environments: ['production', 'test'],
          governanceObjectId: obj.json().id,
        })
      ).statusCode,
    ).toBe(201);
});
afterAll(() => t.close());

async function sheetOf(url: string) {
  const res = await adm.client.get(url);
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toBe(
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  );
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  const values: unknown[][] = [];
  ws.eachRow((row) => values.push((row.values as unknown[]).slice(1)));
  return values;
}

describe('catalogue XLSX export', () => {
  it('has the CSV columns with English headers and the filtered rows', async () => {
    const [header, ...data] = await sheetOf('/api/v1/systems/export.xlsx?lifecycle=in_production');
    expect(header).toEqual(EXPORT_COLUMNS.map((c) => c[1]));
    expect(data).toHaveLength(1);
    const row = Object.fromEntries(EXPORT_COLUMNS.map((c, i) => [c[0], data[0][i]]));
    expect(row).toMatchObject({
      name: 'Ladok studentregister',
      short_name: 'LADOK',
      governance_object: 'Studier',
      org_model: 2,
      personal_data: 'yes',
      personal_data_categories: 'students; applicants',
      environments: 'production; test',
    });
    const csv = await adm.client.get('/api/v1/systems/export.csv?lifecycle=in_production');
    expect(csv.body.replace(/^\uFEFF/, '').split('\n')[0]).toBe(EXPORT_COLUMNS.map((c) => c[0]).join(','));
  });

  it('names the headers in Swedish with lang=sv; a bad lang is refused naming the field', async () => {
    const [header, ...data] = await sheetOf('/api/v1/systems/export.xlsx?lang=sv');
    expect(header.slice(0, 5)).toEqual(['Id', 'Namn', 'Kortnamn', 'Livscykel', 'Förvaltningsmodell']);
    expect(data.map((r) => r[1])).toEqual(['Ladok studentregister', 'Åtkomstportal']);
    const bad = await adm.client.get('/api/v1/systems/export.xlsx?lang=de');
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('lang');
  });
});
