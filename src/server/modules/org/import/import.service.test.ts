import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rows } from '../../../db/client.ts';
import { systemActor } from '../../../platform/context.ts';
import { inLanguage } from '../../../platform/text.ts';
import { createTestContext, type TestContext } from '../../../testing/db.ts';
import { Client, createTestApp, makeUser } from '../../../testing/http.ts';
import { sortKeySv } from '../person-keys.ts';
import { type ImportResult, importOrg } from './import.service.ts';

// Each test gets a fresh, migrated database (PGlite; PostgreSQL when TEST_DATABASE_URL is set) and a
// manual clock: createTestContext is openPglite + runMigrations + ManualClock.
const actor = systemActor('test', 'import');
let ctx: TestContext;
beforeEach(async () => {
  ctx = await createTestContext();
});
afterEach(() => ctx.close());

const csv = (s: string) => Buffer.from(s, 'utf8');
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const count = async (table: string) =>
  (await rows<{ n: number }>(ctx.db, sql`select count(*)::int as n from ${sql.raw(table)}`))[0].n;
const personsById = async () =>
  rows<Record<string, unknown>>(ctx.db, sql`select * from persons order by employee_id`);
const run = (data: string | Buffer, dryRun = false, filename = 'hr.csv') =>
  importOrg(ctx, { actor, data: typeof data === 'string' ? csv(data) : data, filename, dryRun });
/** The result with its row errors in English (they carry English and Swedish). */
const inEnglish = (res: ImportResult) =>
  res.ok ? res : { ...res, errors: res.errors.map((e) => ({ ...e, message: inLanguage(e.message, 'en') })) };

const BASE = `employee_id,given_name,family_name,email,unit_code,unit_name,parent_unit_code,unit_kind,title,head
E1,Anna,Andersson,anna@example.org,UNI,The University,,organisation,Rector,yes
E2,Bo,Berg,bo@example.org,FAC,Faculty of Things,UNI,faculty,Dean,yes
E3,Cecilia,Carlsson,cecilia@example.org,FAC,,,,Lecturer,
E3,Cecilia,Carlsson,cecilia@example.org,DEP,Department of Stuff,FAC,department,Researcher,
E4,David,Dahl,,DEP,,,,,
`;

describe('importOrg', () => {
  it('a file with one bad row imports nothing and names the line, column and reason', async () => {
    const res = await run(fixture('hr-bad-row.csv'));
    expect(inEnglish(res)).toEqual({
      ok: false,
      errors: [{ line: 4, column: 'email', field: 'email', message: 'Not an e-mail address: not-an-email' }],
    });
    expect(await count('persons')).toBe(0);
    expect(await count('org_units')).toBe(0);
    expect(await count('audit_events')).toBe(0);
  });

  it('lists every bad row at once, including what only the database can tell', async () => {
    await run(BASE);
    const bad = `${BASE}E5,,Eriksson,,DEP,,,,,
E6,Frida,Falk,,NEW,,,,,
,Gun,Gustafsson,,DEP,,,,,maybe
E7,Hans,Holm,,OTHER,Other unit,NOPE,,,
E8,Ines,Ide,,UNI,,DEP,,,
`;
    const events = await count('audit_events');
    const res = await run(bad);
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.errors.map((e) => [e.line, e.column, inLanguage(e.message, 'en')])).toEqual([
      [3, 'parent_unit_code', 'Unit FAC would be its own ancestor'],
      [5, 'parent_unit_code', 'Unit DEP would be its own ancestor'],
      [7, 'given_name', 'Given name is required'],
      [8, 'unit_name', 'Unit NEW has no name and does not exist yet'],
      [9, 'employee_id', 'Employee id is required'],
      [9, 'head', 'Not yes or no: maybe (use yes/no, ja/nej, 1/0 or x)'],
      [10, 'parent_unit_code', 'Parent unit NOPE is not in the file or in Steward'],
      // Every unit on the cycle UNI → DEP → FAC → UNI is named, at the row that gives its parent.
      [11, 'parent_unit_code', 'Unit UNI would be its own ancestor'],
    ]);
    expect(await count('audit_events')).toBe(events);
  });

  it('imports units as a tree with kinds and heads, persons with memberships, keys, and an audit event each', async () => {
    const res = await run(BASE);
    expect(res).toEqual({
      ok: true,
      dryRun: false,
      leftPersonIds: [],
      counts: {
        unitsCreated: 3,
        unitsUpdated: 0,
        personsCreated: 4,
        personsUpdated: 0,
        personsLeft: 0,
        personsUnchanged: 0,
      },
    });
    const tree = await rows(
      ctx.db,
      sql`select u.code, u.kind, p.code as parent, h.employee_id as head, u.version from org_units u
          left join org_units p on p.id = u.parent_id left join persons h on h.id = u.head_person_id order by u.code`,
    );
    expect(tree).toEqual([
      { code: 'DEP', kind: 'department', parent: 'FAC', head: null, version: 1 },
      { code: 'FAC', kind: 'faculty', parent: 'UNI', head: 'E2', version: 1 },
      { code: 'UNI', kind: 'organisation', parent: null, head: 'E1', version: 1 },
    ]);
    const ms = await rows(
      ctx.db,
      sql`select u.code, pu.title, pu.is_primary from person_units pu join persons p on p.id = pu.person_id
          join org_units u on u.id = pu.unit_id where p.employee_id = 'E3' order by u.code`,
    );
    expect(ms).toEqual([
      { code: 'DEP', title: 'Researcher', is_primary: false },
      { code: 'FAC', title: 'Lecturer', is_primary: true },
    ]);
    const [anna] = await personsById();
    expect(anna).toMatchObject({
      given_name: 'Anna',
      status: 'active',
      sort_sv: sortKeySv('Andersson\u0001Anna\u0001E1'),
      search_text: 'anna andersson e1 anna@example.org',
      version: 1,
    });
    expect(new Date(anna.created_at as string)).toEqual(ctx.clock.now());
    const actions = await rows(
      ctx.db,
      sql`select action, entity_type, count(*)::int as n from audit_events group by 1, 2 order by 1`,
    );
    expect(actions).toEqual([
      { action: 'import.org', entity_type: 'import', n: 1 },
      { action: 'org_unit.create', entity_type: 'org_unit', n: 3 },
      { action: 'person.create', entity_type: 'person', n: 4 },
    ]);
    const [summary] = await rows<{ after: any; actor_label: string; via: string }>(
      ctx.db,
      sql`select after, actor_label, via from audit_events where action = 'import.org'`,
    );
    expect(summary).toMatchObject({
      actor_label: 'test',
      via: 'import',
      after: { filename: 'hr.csv', counts: { personsCreated: 4 } },
    });
  });

  it('reads semicolons, a BOM, CRLF, Swedish headers and kinds, and names with å, ä, ö, é', async () => {
    const data = fixture('hr-export-sv.csv');
    expect([...data.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const res = await run(data, false, 'hr-export-sv.csv');
    expect(res).toMatchObject({ ok: true, counts: { unitsCreated: 2, personsCreated: 3 } });
    const people = await rows(
      ctx.db,
      sql`select p.given_name || ' ' || p.family_name as name, u.code as primary_unit from persons p
          join person_units pu on pu.person_id = p.id and pu.is_primary join org_units u on u.id = pu.unit_id
          order by p.sort_sv`,
    );
    // Swedish order: Ä and Ö after Z.
    expect(people).toEqual([
      { name: 'Renée Längström', primary_unit: 'SOC' },
      { name: 'Jörgen Älmhult', primary_unit: 'KOM' },
      { name: 'Åsa Öberg', primary_unit: 'KOM' },
    ]);
    const units = await rows(ctx.db, sql`select code, name, kind from org_units order by code`);
    expect(units).toEqual([
      { code: 'KOM', name: 'Kommunen', kind: 'organisation' },
      { code: 'SOC', name: 'Socialförvaltningen; stab', kind: 'administration' },
    ]);
  });

  it('reads an XLSX round trip with a numeric employee id', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Personal');
    ws.addRow(['Anställningsnummer', 'Förnamn', 'Efternamn', 'E-post', 'Enhetskod', 'Enhetsnamn', 'Chef']);
    ws.addRow([123456, 'Märta', 'Sjöberg', 'marta@example.se', 'HR', 'Personalavdelningen', 'ja']);
    ws.addRow([987654321012, { richText: [{ text: 'Zoë' }] }, 'Åkesson', null, 'HR', null, null]);
    const data = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await run(data, false, 'personal.xlsx');
    expect(res).toMatchObject({ ok: true, counts: { unitsCreated: 1, personsCreated: 2 } });
    expect(await rows(ctx.db, sql`select employee_id, given_name from persons order by given_name`)).toEqual([
      { employee_id: '123456', given_name: 'Märta' },
      { employee_id: '987654321012', given_name: 'Zoë' },
    ]);
    const [hr] = await rows(
      ctx.db,
      sql`select h.employee_id from org_units u join persons h on h.id = u.head_person_id`,
    );
    expect(hr).toEqual({ employee_id: '123456' });
    // The same workbook again: nothing changes.
    expect(await run(data, false, 'personal.xlsx')).toMatchObject({
      ok: true,
      counts: { personsUnchanged: 2 },
    });
  });

  it('re-importing the same file writes nothing and records no audit events', async () => {
    await run(BASE);
    ctx.clock.advance({ days: 1 });
    const events = await count('audit_events');
    const persons = await personsById();
    const units = await rows(ctx.db, sql`select * from org_units order by code`);
    const ms = await rows(ctx.db, sql`select * from person_units order by person_id, unit_id`);
    const res = await run(BASE);
    expect(res).toEqual({
      ok: true,
      dryRun: false,
      leftPersonIds: [],
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
    expect(await personsById()).toEqual(persons);
    expect(await rows(ctx.db, sql`select * from org_units order by code`)).toEqual(units);
    expect(await rows(ctx.db, sql`select * from person_units order by person_id, unit_id`)).toEqual(ms);
  });

  it('a changed file updates, adds and marks as left, and counts each', async () => {
    await run(BASE);
    ctx.clock.advance({ days: 1 });
    const [david] = await rows<{ id: string }>(ctx.db, sql`select id from persons where employee_id = 'E4'`);
    const changed = BASE.replace('E4,David,Dahl,,DEP,,,,,\n', '')
      .replace('Bo,Berg,bo@example.org', 'Bo,Bergström,bo@example.org')
      .replace(
        'DEP,Department of Stuff,FAC,department,Researcher',
        'DEP,Department of Other Stuff,FAC,department,Professor',
      )
      .concat('E7,Elin,Ek,elin@example.org,DEP,,,,,yes\n');
    const res = await run(changed);
    expect(res).toEqual({
      ok: true,
      dryRun: false,
      leftPersonIds: [david.id],
      counts: {
        unitsCreated: 0,
        unitsUpdated: 1,
        personsCreated: 1,
        personsUpdated: 2,
        personsLeft: 1,
        personsUnchanged: 1,
      },
    });
    const people = await rows(
      ctx.db,
      sql`select employee_id, family_name, status, version, updated_at from persons order by employee_id`,
    );
    const now = ctx.clock.now();
    expect(
      people.map((p) => [p.employee_id, p.status, p.version, new Date(p.updated_at as string) >= now]),
    ).toEqual([
      ['E1', 'active', 1, false],
      ['E2', 'active', 2, true],
      ['E3', 'active', 2, true],
      ['E4', 'left', 2, true],
      ['E7', 'active', 1, true],
    ]);
    expect(people[1].family_name).toBe('Bergström');
    const [dep] = await rows(
      ctx.db,
      sql`select u.name, u.version, h.employee_id as head from org_units u join persons h on h.id = u.head_person_id where u.code = 'DEP'`,
    );
    expect(dep).toEqual({ name: 'Department of Other Stuff', version: 2, head: 'E7' });
    const [e3] = await rows(
      ctx.db,
      sql`select pu.title from person_units pu join persons p on p.id = pu.person_id join org_units u on u.id = pu.unit_id
          where p.employee_id = 'E3' and u.code = 'DEP'`,
    );
    expect(e3).toEqual({ title: 'Professor' });
    const actions = await rows(
      ctx.db,
      sql`select action, count(*)::int as n from audit_events where occurred_at = ${now} group by 1 order by 1`,
    );
    expect(actions).toEqual([
      { action: 'import.org', n: 1 },
      { action: 'org_unit.update', n: 1 },
      { action: 'person.create', n: 1 },
      { action: 'person.leave', n: 1 },
      { action: 'person.update', n: 2 },
    ]);
    const [update] = await rows<{ before: any; after: any }>(
      ctx.db,
      sql`select before, after from audit_events where action = 'person.update' and after->>'employeeId' = 'E2'`,
    );
    expect(update.before).toMatchObject({ familyName: 'Berg' });
    expect(update.after).toMatchObject({ familyName: 'Bergström' });
  });

  it('ends the account sessions of people who left, in the same import', async () => {
    await run(BASE);
    const [david] = await rows<{ id: string }>(ctx.db, sql`select id from persons where employee_id = 'E4'`);
    const [anna] = await rows<{ id: string }>(ctx.db, sql`select id from persons where employee_id = 'E1'`);
    const now = ctx.clock.now();
    const later = new Date(now.getTime() + 3_600_000);
    for (const [person, username, session] of [
      [david.id, 'david', 's-david'],
      [anna.id, 'anna', 's-anna'],
    ]) {
      const accountId = randomUUID();
      await ctx.db.execute(sql`insert into accounts (id, person_id, username, created_at, updated_at)
        values (${accountId}, ${person}, ${username}, ${now}, ${now})`);
      await ctx.db.execute(sql`insert into sessions (id, account_id, csrf_token, created_at, last_seen_at, expires_at)
        values (${session}, ${accountId}, 'csrf', ${now}, ${now}, ${later})`);
    }
    ctx.clock.advance({ minutes: 5 });
    const res = await run(BASE.replace('E4,David,Dahl,,DEP,,,,,\n', ''));
    expect(res).toMatchObject({ ok: true, counts: { personsLeft: 1 }, leftPersonIds: [david.id] });
    const sessions = await rows(ctx.db, sql`select id, ended_at from sessions order by id`);
    expect(sessions.map((s) => [s.id, s.ended_at ? new Date(s.ended_at as string) : null])).toEqual([
      ['s-anna', null],
      ['s-david', ctx.clock.now()],
    ]);
  });

  it('E2: a person who left is not deleted, keeps name and memberships, and becomes active again when back', async () => {
    await run(BASE);
    ctx.clock.advance({ days: 1 });
    await run(BASE.replace('E4,David,Dahl,,DEP,,,,,\n', ''));
    const [d] = await rows(
      ctx.db,
      sql`select p.given_name, p.family_name, p.status, p.left_at, count(pu.unit_id)::int as memberships
          from persons p left join person_units pu on pu.person_id = p.id where p.employee_id = 'E4' group by p.id`,
    );
    expect(d).toEqual({
      given_name: 'David',
      family_name: 'Dahl',
      status: 'left',
      left_at: expect.anything(),
      memberships: 1,
    });
    expect(new Date(d.left_at as string)).toEqual(ctx.clock.now());
    expect(await count('persons')).toBe(4);
    // Still missing: already left, nothing more happens.
    expect(await run(BASE.replace('E4,David,Dahl,,DEP,,,,,\n', ''))).toMatchObject({
      ok: true,
      counts: { personsLeft: 0, personsUpdated: 0, personsUnchanged: 3 },
      leftPersonIds: [],
    });
    // Back in the file: active again.
    const back = await run(BASE);
    expect(back).toMatchObject({
      ok: true,
      counts: { personsUpdated: 1, personsLeft: 0, personsUnchanged: 3 },
    });
    const [again] = await rows(ctx.db, sql`select status, left_at from persons where employee_id = 'E4'`);
    expect(again).toEqual({ status: 'active', left_at: null });
  });

  it('rows without a person create units; units missing from the file are left alone', async () => {
    await run(fixture('hr-export-en.csv'));
    expect(await rows(ctx.db, sql`select code, name from org_units order by code`)).toEqual([
      { code: 'DEP', name: 'Department of Physics' },
      { code: 'FAC', name: 'Faculty of Science' },
      { code: 'UNI', name: 'The University' },
    ]);
    const res = await run('employee_id,given_name,family_name,unit_code\nE1,Anna,Andersson,FAC\n');
    expect(res).toMatchObject({ ok: true, counts: { unitsUpdated: 0, personsLeft: 3, personsUpdated: 1 } });
    // Anna's membership lost its title (Dean): that is a change.
    expect(await count('org_units')).toBe(3);
  });

  it('refuses a parent change that would make a cycle with units already in Steward', async () => {
    await run(BASE);
    const res = await run(
      'employee_id,given_name,family_name,unit_code,parent_unit_code\nE1,Anna,Andersson,UNI,DEP\n',
    );
    expect(inEnglish(res)).toEqual({
      ok: false,
      errors: [
        {
          line: 2,
          column: 'parent_unit_code',
          field: 'parentCode',
          message: 'Unit UNI would be its own ancestor',
        },
      ],
    });
  });

  it('a dry run validates and counts without writing', async () => {
    const res = await run(BASE, true);
    expect(res).toMatchObject({ ok: true, dryRun: true, counts: { personsCreated: 4, unitsCreated: 3 } });
    expect(await count('persons')).toBe(0);
    expect(await count('org_units')).toBe(0);
    expect(await count('audit_events')).toBe(0);
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
      expect.arrayContaining(['persons_search_trgm_idx', 'person_units_person_id_unit_id_pk']),
    );
    const lines = ['employee_id,given_name,family_name,unit_code,unit_name'];
    for (let i = 0; i < 5000; i++) lines.push(`B${i},Bulk,Person${i},U${i % 7},Unit ${i % 7}`);
    const res = await run(lines.join('\n'), false, 'bulk.csv');
    expect(res).toMatchObject({ ok: true, counts: { personsCreated: 5000, unitsCreated: 7 } });
    expect(await indexes()).toEqual(before);
    expect(await count('person_units')).toBe(5000);
  });

  it('the upload endpoint answers a bad file with every bad row', async () => {
    const t = await createTestApp();
    try {
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
        { line: 3, column: 'employee_id', field: 'employeeId', message: 'Employee id is required' },
      ]);
      const real = await t.app.inject({ method: 'POST', url: '/api/v1/imports/org', ...form(BASE) });
      expect(real.statusCode).toBe(200);
      expect(real.json()).toMatchObject({ dryRun: false, counts: { personsCreated: 4 } });
    } finally {
      await t.close();
    }
  });
});
