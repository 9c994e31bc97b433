import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rows } from '../../../db/client.ts';
import { systemActor } from '../../../platform/context.ts';
import { createTestContext, type TestContext } from '../../../testing/db.ts';
import { Client, createTestApp } from '../../../testing/http.ts';
import { createAccount } from '../../accounts/accounts.service.ts';
import { importOrg } from './import.service.ts';

const actor = systemActor('test import', 'import');
let ctx: TestContext;
beforeEach(async () => {
  ctx = await createTestContext();
});
afterEach(() => ctx.close());

const csv = (s: string) => Buffer.from(s, 'utf8');
const count = async (table: string) =>
  (await rows<{ n: number }>(ctx.db, sql`select count(*)::int as n from ${sql.raw(table)}`))[0].n;

const BASE = `employee_id,given_name,family_name,email,unit_code,unit_name,parent_unit_code,unit_kind,head
E1,Anna,Andersson,anna@example.org,UNI,The University,,organisation,yes
E2,Bo,Berg,bo@example.org,FAC,Faculty of Things,UNI,faculty,yes
E3,Cecilia,Carlsson,cecilia@example.org,FAC,,,,
E3,Cecilia,Carlsson,cecilia@example.org,DEP,Department of Stuff,FAC,department,
E4,David,Dahl,,DEP,,,,
`;

describe('HR import', () => {
  it('a file with one bad row imports nothing and names the row, column and reason', async () => {
    const bad = BASE.replace('E4,David,Dahl,,DEP', 'E4,David,Dahl,not-an-email,DEP');
    const res = await importOrg(ctx, { actor, data: csv(bad), filename: 'hr.csv' });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.errors).toEqual([
      { line: 6, column: 'email', field: 'email', message: '"not-an-email" is not an e-mail address.' },
    ]);
    expect(await count('persons')).toBe(0);
    expect(await count('org_units')).toBe(0);
    expect(await count('audit_events')).toBe(0);
  });

  it('lists every bad row at once', async () => {
    const bad = `${BASE}E5,,Eriksson,,DEP,,,,\nE6,Frida,Falk,,NEW,,,,\n,Gun,Gustafsson,,DEP,,,,maybe\n`;
    const res = await importOrg(ctx, { actor, data: csv(bad), filename: 'hr.csv' });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.errors.map((e) => [e.line, e.field])).toEqual([
      [7, 'givenName'],
      [8, 'unitName'],
      [9, 'employeeId'],
      [9, 'head'],
    ]);
  });

  it('imports units as a tree with heads, persons with memberships, and audits each', async () => {
    const res = await importOrg(ctx, { actor, data: csv(BASE), filename: 'hr.csv' });
    expect(res).toMatchObject({
      ok: true,
      counts: { unitsCreated: 3, personsCreated: 4, personsUpdated: 0, personsLeft: 0 },
    });
    const tree = await rows<{ code: string; parent: string | null; head: string | null }>(
      ctx.db,
      sql`select u.code, p.code as parent, h.employee_id as head from org_units u
          left join org_units p on p.id = u.parent_id left join persons h on h.id = u.head_person_id order by u.code`,
    );
    expect(tree).toEqual([
      { code: 'DEP', parent: 'FAC', head: null },
      { code: 'FAC', parent: 'UNI', head: 'E2' },
      { code: 'UNI', parent: null, head: 'E1' },
    ]);
    const ms = await rows<{ code: string; is_primary: boolean }>(
      ctx.db,
      sql`select u.code, pu.is_primary from person_units pu join persons p on p.id = pu.person_id
          join org_units u on u.id = pu.unit_id where p.employee_id = 'E3' order by u.code`,
    );
    expect(ms).toEqual([
      { code: 'DEP', is_primary: false },
      { code: 'FAC', is_primary: true },
    ]);
    const actions = await rows<{ action: string; n: number }>(
      ctx.db,
      sql`select action, count(*)::int as n from audit_events group by action order by action`,
    );
    expect(actions).toEqual([
      { action: 'import.org', n: 1 },
      { action: 'org_unit.create', n: 3 },
      { action: 'person.create', n: 4 },
    ]);
  });

  it('re-importing the same file changes nothing and writes no audit events', async () => {
    await importOrg(ctx, { actor, data: csv(BASE), filename: 'hr.csv' });
    const events = await count('audit_events');
    const versions = await rows(ctx.db, sql`select id, version, updated_at from persons order by id`);
    const res = await importOrg(ctx, { actor, data: csv(BASE), filename: 'hr.csv' });
    expect(res).toMatchObject({
      ok: true,
      counts: {
        unitsCreated: 0,
        unitsUpdated: 0,
        personsCreated: 0,
        personsUpdated: 0,
        personsLeft: 0,
        personsUnchanged: 4,
      },
    });
    expect(await count('audit_events')).toBe(events);
    expect(await rows(ctx.db, sql`select id, version, updated_at from persons order by id`)).toEqual(
      versions,
    );
  });

  it('E2: a changed file updates, adds and marks as left (never deletes); leavers’ sessions end', async () => {
    await importOrg(ctx, { actor, data: csv(BASE), filename: 'hr.csv' });
    const [david] = await rows<{ id: string }>(ctx.db, sql`select id from persons where employee_id = 'E4'`);
    const account = await createAccount(ctx, {
      actor,
      personId: david.id,
      username: 'david',
      password: 'long enough pw',
    });
    await ctx.db.execute(sql`insert into sessions (id, account_id, csrf_token, created_at, last_seen_at, expires_at)
      values ('s1', ${account.id}, 'c', ${ctx.clock.now()}, ${ctx.clock.now()}, ${new Date(ctx.clock.now().getTime() + 3_600_000)})`);
    const changed = BASE.replace('E4,David,Dahl,,DEP,,,,\n', '')
      .replace('Bo,Berg,bo@example.org', 'Bo,Bergström,bo@example.org')
      .concat('E7,Elin,Ek,elin@example.org,DEP,,,,\n');
    const res = await importOrg(ctx, { actor, data: csv(changed), filename: 'hr.csv' });
    expect(res).toMatchObject({
      ok: true,
      counts: { personsCreated: 1, personsUpdated: 1, personsLeft: 1, personsUnchanged: 2 },
    });
    if (!res.ok) return;
    expect(res.leftPersonIds).toEqual([david.id]);
    const [d] = await rows<{ status: string; given_name: string; left_at: Date | null }>(
      ctx.db,
      sql`select status, given_name, left_at from persons where id = ${david.id}`,
    );
    expect(d.status).toBe('left');
    expect(d.given_name).toBe('David');
    expect(d.left_at).not.toBeNull();
    const [s] = await rows<{ ended_at: Date | null }>(
      ctx.db,
      sql`select ended_at from sessions where id = 's1'`,
    );
    expect(s.ended_at).not.toBeNull();
    // Back in the file: active again.
    const back = await importOrg(ctx, { actor, data: csv(BASE), filename: 'hr.csv' });
    expect(back).toMatchObject({ ok: true, counts: { personsUpdated: 2, personsLeft: 1 } });
    const [again] = await rows<{ status: string }>(
      ctx.db,
      sql`select status from persons where id = ${david.id}`,
    );
    expect(again.status).toBe('active');
  });

  it('reads Swedish headers, semicolons, a BOM, CRLF and å, ä, ö, é', async () => {
    const data = readFileSync(new URL('./fixtures/hr-export-sv.csv', import.meta.url));
    expect(data[0]).toBe(0xef);
    const res = await importOrg(ctx, { actor, data, filename: 'hr-export-sv.csv' });
    expect(res).toMatchObject({ ok: true, counts: { unitsCreated: 2, personsCreated: 3 } });
    const names = await rows<{ n: string }>(
      ctx.db,
      sql`select given_name || ' ' || family_name as n from persons order by employee_id`,
    );
    expect(names.map((r) => r.n)).toEqual(['Åsa Öberg', 'Renée Längström', 'Jörgen Älmhult']);
  });

  it('reads XLSX with numeric employee ids and rich text', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Personal');
    ws.addRow(['Anställningsnummer', 'Förnamn', 'Efternamn', 'E-post', 'Enhetskod', 'Enhetsnamn']);
    ws.addRow([123456, 'Märta', 'Sjöberg', 'marta@example.se', 'HR', 'Personalavdelningen']);
    ws.addRow([987654321012, { richText: [{ text: 'Zoë' }] }, 'Åkesson', null, 'HR', null]);
    const data = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await importOrg(ctx, { actor, data, filename: 'personal.xlsx' });
    expect(res).toMatchObject({ ok: true, counts: { personsCreated: 2 } });
    const ids = await rows<{ employee_id: string; given_name: string }>(
      ctx.db,
      sql`select employee_id, given_name from persons order by given_name`,
    );
    expect(ids).toEqual([
      { employee_id: '123456', given_name: 'Märta' },
      { employee_id: '987654321012', given_name: 'Zoë' },
    ]);
  });

  it('a dry run counts without writing', async () => {
    const res = await importOrg(ctx, { actor, data: csv(BASE), filename: 'hr.csv', dryRun: true });
    expect(res).toMatchObject({ ok: true, dryRun: true, counts: { personsCreated: 4 } });
    expect(await count('persons')).toBe(0);
  });

  it('a bulk first import rebuilds exactly the indexes and constraints the migrations made', async () => {
    const indexes = async () => [
      ...(await rows<{ name: string; def: string }>(
        ctx.db,
        sql`select indexname as name, indexdef as def from pg_indexes where tablename in ('persons', 'person_units') order by indexname`,
      )),
      ...(await rows<{ name: string; def: string }>(
        ctx.db,
        sql`select conname as name, pg_get_constraintdef(oid) as def from pg_constraint
            where conrelid in ('persons'::regclass, 'person_units'::regclass) order by conname`,
      )),
    ];
    const before = await indexes();
    expect(before.map((i) => i.name)).toEqual(
      expect.arrayContaining([
        'persons_search_trgm_idx',
        'person_units_person_id_unit_id_pk',
        'person_units_unit_id_org_units_id_fk',
      ]),
    );
    const lines = ['employee_id,given_name,family_name,unit_code,unit_name'];
    for (let i = 0; i < 5000; i++) lines.push(`B${i},Bulk,Person${i},U${i % 7},Unit ${i % 7}`);
    const res = await importOrg(ctx, { actor, data: csv(lines.join('\n')), filename: 'bulk.csv' });
    expect(res).toMatchObject({ ok: true, counts: { personsCreated: 5000 } });
    expect(await indexes()).toEqual(before);
  });

  it('the upload endpoint answers bad files with problem+json listing the rows', async () => {
    const t = await createTestApp();
    try {
      const { makeUser } = await import('../../../testing/http.ts');
      const u = await makeUser(t.ctx, ['administrator']);
      const c = new Client(t.app);
      await c.login(u.username, u.password);
      const form = (content: string) => {
        const boundary = 'steward-test-boundary';
        return {
          payload: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="hr.csv"\r\nContent-Type: text/csv\r\n\r\n${content}\r\n--${boundary}--\r\n`,
          headers: {
            'content-type': `multipart/form-data; boundary=${boundary}`,
            cookie: c.cookie,
            'x-csrf-token': c.csrf,
          },
        };
      };
      const bad = await t.app.inject({
        method: 'POST',
        url: '/api/v1/imports/org',
        ...form(BASE.replace('E2,Bo', ',Bo')),
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors).toEqual([
        { line: 3, column: 'employee_id', field: 'employeeId', message: 'Employee id is required.' },
      ]);
      const dry = await t.app.inject({
        method: 'POST',
        url: '/api/v1/imports/org?dryRun=true',
        ...form(BASE),
      });
      expect(dry.json()).toMatchObject({ dryRun: true, counts: { personsCreated: 4 } });
      const real = await t.app.inject({ method: 'POST', url: '/api/v1/imports/org', ...form(BASE) });
      expect(real.statusCode).toBe(200);
      expect(real.json()).toMatchObject({ dryRun: false, counts: { personsCreated: 4 } });
    } finally {
      await t.close();
    }
  });
});
