// Rule tests of the systems module (G1–G4, G8, G9, G11, G12, G14), through HTTP on a real database.
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import type { Db } from '../../db/client.ts';
import { openPostgres, rows } from '../../db/client.ts';
import { migrationsFolder } from '../../db/migrate.ts';
import * as schema from '../../db/schema.ts';
import { onPostgres } from '../../testing/db.ts';
import { Client, createTestApp, makePerson, makeUnit, signedIn, type TestApp } from '../../testing/http.ts';

let t: TestApp;
let adm: Awaited<ReturnType<typeof signedIn>>;
let unitId: string;
const START = '2026-11-22T09:00:00.000Z'; // today is 2026-11-22 in Stockholm

beforeAll(async () => {
  t = await createTestApp();
  adm = await signedIn(t, ['administrator'], { givenName: 'Ada', familyName: 'Admin' });
  unitId = (await makeUnit(t.ctx, { name: 'Central IT' })).id;
});
afterAll(() => t.close());

let n = 0;
async function makeObject(name = 'Object') {
  n += 1;
  const res = await adm.client.post('/api/v1/governance-objects', {
    name: `${name} ${n}`,
    owningUnitId: unitId,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; version: number };
}
async function makeSystem(objectId: string, over: Record<string, unknown> = {}) {
  n += 1;
  const res = await adm.client.post('/api/v1/systems', {
    name: `System ${n}`,
    shortName: `S${n}`,
    orgModel: 2,
    hosting: 'own',
    lifecycle: 'in_production',
    governanceObjectId: objectId,
    ...over,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; name: string; version: number; personalDataCategories: string[] };
}
async function appoint(objectId: string, body: Record<string, unknown>, client = adm.client) {
  return client.post(`/api/v1/governance-objects/${objectId}/roles`, body);
}
async function gaps(from: string, to: string, objectId: string) {
  const res = await adm.client.get(`/api/v1/reports/role-gaps?from=${from}&to=${to}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items.filter((g: any) => g.objectId === objectId);
}

describe('system registry', () => {
  it('G1: a system without a governance object is refused, naming the field; the database refuses it too', async () => {
    const none = await adm.client.post('/api/v1/systems', {
      name: 'Orphan',
      shortName: 'ORPH',
      orgModel: 1,
      hosting: 'vendor',
    });
    expect(none.statusCode).toBe(400);
    expect(none.json().errors.map((e: any) => e.field)).toContain('governanceObjectId');
    const unknown = await adm.client.post('/api/v1/systems', {
      name: 'Orphan',
      shortName: 'ORPH',
      orgModel: 1,
      hosting: 'vendor',
      governanceObjectId: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0].field).toBe('governanceObjectId');
    await expect(
      t.ctx.db.execute(sql`insert into systems (id, name, short_name, org_model, hosting, sort_key, search_text,
        created_at, updated_at) values (gen_random_uuid(), 'x', 'x', 1, 'own', 'x', 'x', now(), now())`),
    ).rejects.toThrow();
  });

  it('sorts the catalogue by name either way or most critical first, paging each order exactly; the export follows it', async () => {
    const obj = await makeObject('Sorted');
    for (const [name, criticality] of [
      ['Alfa', 'low'],
      ['Beta', 'critical'],
      ['Gamma', 'high'],
      ['Delta', 'critical'],
      ['Epsilon', 'medium'],
    ])
      await makeSystem(obj.id, { name, shortName: name.toUpperCase(), criticality });
    const pages = async (sort: string) => {
      const names: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await adm.client.get(
          `/api/v1/systems?governanceObjectId=${obj.id}&sort=${sort}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(res.statusCode, res.body).toBe(200);
        names.push(...res.json().items.map((s: any) => s.name));
        cursor = res.json().nextCursor;
      } while (cursor);
      return names;
    };
    expect(await pages('name')).toEqual(['Alfa', 'Beta', 'Delta', 'Epsilon', 'Gamma']);
    expect(await pages('-name')).toEqual(['Gamma', 'Epsilon', 'Delta', 'Beta', 'Alfa']);
    expect(await pages('-criticality')).toEqual(['Beta', 'Delta', 'Gamma', 'Epsilon', 'Alfa']);
    // A cursor belongs to its order: another order's cursor is refused, not misread.
    const first = (await adm.client.get(`/api/v1/systems?governanceObjectId=${obj.id}&limit=2`)).json();
    const mixed = await adm.client.get(`/api/v1/systems?sort=-name&cursor=${first.nextCursor}`);
    expect(mixed.statusCode).toBe(400);
    expect(mixed.json().errors[0].field).toBe('cursor');
    const unknown = await adm.client.get('/api/v1/systems?sort=vendor');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0].field).toBe('sort');
    const csv = (
      await adm.client.get(`/api/v1/systems/export.csv?governanceObjectId=${obj.id}&sort=-criticality`)
    ).body;
    const exported = csv
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',')[1]);
    expect(exported).toEqual(['Beta', 'Delta', 'Gamma', 'Epsilon', 'Alfa']);
  });

  it('searches, filters and pages by cursor; edits need a fresh If-Match; exports CSV', async () => {
    const obj = await makeObject('Registry');
    await makeSystem(obj.id, {
      name: 'Ladok studentregister',
      shortName: 'LADOK',
      vendor: 'Ladokkonsortiet',
      orgModel: 3,
    });
    await makeSystem(obj.id, {
      name: 'Canvas LMS',
      shortName: 'CANVAS',
      vendor: 'Instructure',
      orgModel: 1,
      hosting: 'vendor',
    });
    const p = await makeSystem(obj.id, {
      name: 'Primula lön',
      shortName: 'PRIMULA',
      vendor: 'CGI',
      orgModel: 1,
    });
    const found = (await adm.client.get('/api/v1/systems?q=instruct')).json().items;
    expect(found.map((s: any) => s.shortName)).toEqual(['CANVAS']);
    const vendorHosted = (
      await adm.client.get(`/api/v1/systems?governanceObjectId=${obj.id}&hosting=vendor`)
    ).json();
    expect(vendorHosted.items.map((s: any) => s.shortName)).toEqual(['CANVAS']);
    const byUnit = (await adm.client.get(`/api/v1/systems?unitId=${unitId}&orgModel=1&limit=200`)).json()
      .items;
    expect(byUnit.map((s: any) => s.shortName)).toEqual(expect.arrayContaining(['CANVAS', 'PRIMULA']));
    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await adm.client.get(
        `/api/v1/systems?governanceObjectId=${obj.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.statusCode).toBe(200);
      names.push(...res.json().items.map((s: any) => s.shortName));
      cursor = res.json().nextCursor;
    } while (cursor);
    expect(names).toEqual(['CANVAS', 'LADOK', 'PRIMULA']);
    expect((await adm.client.get('/api/v1/systems?cursor=garbage')).statusCode).toBe(400);

    const etag = String((await adm.client.get(`/api/v1/systems/${p.id}`)).headers.etag);
    const ok = await adm.client.patch(
      `/api/v1/systems/${p.id}`,
      { criticality: 'high' },
      { 'if-match': etag },
    );
    expect(ok.statusCode, ok.body).toBe(200);
    const stale = await adm.client.patch(
      `/api/v1/systems/${p.id}`,
      { criticality: 'low' },
      { 'if-match': etag },
    );
    expect(stale.statusCode).toBe(412);
    const dup = await adm.client.post('/api/v1/systems', {
      name: 'Another',
      shortName: 'LADOK',
      orgModel: 1,
      hosting: 'own',
      governanceObjectId: obj.id,
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().errors[0].field).toBe('shortName');
    const bad = await adm.client.post('/api/v1/systems', {
      name: 'Bad',
      shortName: 'BAD',
      orgModel: 7,
      hosting: 'cloud',
      confidentiality: 5,
      governanceObjectId: obj.id,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: any) => e.field)).toEqual(
      expect.arrayContaining(['orgModel', 'hosting', 'confidentiality']),
    );
    const mod = await adm.client.post(`/api/v1/systems/${p.id}/modules`, { name: 'Lön' });
    expect(mod.statusCode).toBe(201);
    expect(
      (await adm.client.post(`/api/v1/systems/${p.id}/modules`, { name: 'Lön' })).json().errors[0].field,
    ).toBe('name');
    const csv = await adm.client.get(`/api/v1/systems/export.csv?governanceObjectId=${obj.id}`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body).toMatch(/short_name/);
    expect(csv.body).toMatch(/Ladok studentregister/);
    const audit = (await adm.client.get(`/api/v1/audit?entityId=${p.id}&action=system.update`)).json().items;
    expect(audit[0].before.criticality).toBe('medium');
    expect(audit[0].after.criticality).toBe('high');
  });
});

describe('governance objects and roles', () => {
  it('G2: a role gap that starts next month is reported for a period that includes next month, not before it', async () => {
    const obj = await makeObject('Gap');
    await makeSystem(obj.id, { orgModel: 4, hosting: 'vendor' });
    const so = await makePerson(t.ctx);
    const sm = await makePerson(t.ctx);
    expect((await appoint(obj.id, { personId: so.id, role: 'system_owner' })).statusCode).toBe(201);
    const r = await appoint(obj.id, { personId: sm.id, role: 'system_manager', validUntil: '2026-11-30' });
    expect(r.statusCode, r.body).toBe(201);
    expect(await gaps('2026-11-22', '2026-11-30', obj.id)).toEqual([]);
    expect(await gaps('2026-12-01', '2026-12-31', obj.id)).toEqual([
      expect.objectContaining({
        role: 'system_manager',
        firstGapOn: '2026-12-01',
        reason: 'assignment_ends',
      }),
    ]);
    const year = await gaps('2026-11-22', '2027-11-21', obj.id);
    expect(year).toHaveLength(1);
    expect(year[0].firstGapOn).toBe('2026-12-01');
    // A successor from 1 December closes the gap.
    const next = await makePerson(t.ctx);
    await appoint(obj.id, { personId: next.id, role: 'system_manager', validFrom: '2026-12-01' });
    expect(await gaps('2026-11-22', '2027-11-21', obj.id)).toEqual([]);
  });

  it('G2: a person who has left leaves a gap from the day they left', async () => {
    const obj = await makeObject('Leaver');
    await makeSystem(obj.id, { orgModel: 5, hosting: 'vendor' });
    const so = await makePerson(t.ctx);
    const sm = await makePerson(t.ctx);
    await appoint(obj.id, { personId: so.id, role: 'system_owner' });
    await appoint(obj.id, { personId: sm.id, role: 'system_manager' });
    expect(await gaps('2026-11-22', '2026-12-31', obj.id)).toEqual([]);
    expect((await adm.client.post(`/api/v1/persons/${sm.id}/leave`)).statusCode).toBe(200);
    expect(await gaps('2026-11-22', '2026-12-31', obj.id)).toEqual([
      expect.objectContaining({ role: 'system_manager', firstGapOn: '2026-11-22', reason: 'person_left' }),
    ]);
    const detail = (await adm.client.get(`/api/v1/governance-objects/${obj.id}`)).json();
    expect(detail.missingRoles).toEqual(['system_manager']);
  });

  it('G3: model 4 needs no IT roles; model 2 without an IT system manager has a gap; model 1 makes it optional', async () => {
    const ext = await makeObject('Model 4');
    await makeSystem(ext.id, { orgModel: 4, hosting: 'vendor' });
    await appoint(ext.id, { personId: (await makePerson(t.ctx)).id, role: 'system_owner' });
    await appoint(ext.id, { personId: (await makePerson(t.ctx)).id, role: 'system_manager' });
    expect(await gaps('2026-11-22', '2027-02-01', ext.id)).toEqual([]);
    expect((await adm.client.get(`/api/v1/governance-objects/${ext.id}`)).json().expectedRoles).toEqual([
      'system_owner',
      'system_manager',
    ]);

    const internal = await makeObject('Model 2');
    await makeSystem(internal.id, { orgModel: 2 });
    const itso = await makePerson(t.ctx);
    for (const [role, person] of [
      ['system_owner', await makePerson(t.ctx)],
      ['it_system_owner', itso],
      ['system_manager', await makePerson(t.ctx)],
    ] as const)
      await appoint(internal.id, { personId: person.id, role });
    expect(await gaps('2026-11-22', '2026-11-22', internal.id)).toEqual([
      expect.objectContaining({ role: 'it_system_manager', firstGapOn: '2026-11-22', reason: 'not_staffed' }),
    ]);

    const vendor = await makeObject('Model 1');
    await makeSystem(vendor.id, { orgModel: 1, hosting: 'vendor' });
    for (const role of ['system_owner', 'it_system_owner', 'system_manager'])
      await appoint(vendor.id, { personId: (await makePerson(t.ctx)).id, role });
    expect(await gaps('2026-11-22', '2026-11-22', vendor.id)).toEqual([]);
    // Adding a model 2 system to the same object makes the IT system manager expected (union over systems).
    await makeSystem(vendor.id, { orgModel: 2 });
    expect((await gaps('2026-11-22', '2026-11-22', vendor.id)).map((g: any) => g.role)).toEqual([
      'it_system_manager',
    ]);
  });

  it('G4: the IT system owner appoints the IT system manager; anyone else is refused; who and when is recorded', async () => {
    const obj = await makeObject('Appointments');
    await makeSystem(obj.id, { orgModel: 2 });
    const so = await signedIn(t, [], { givenName: 'Sara', familyName: 'Systemägare' });
    const itso = await signedIn(t, [], { givenName: 'Ivar', familyName: 'ITägare' });
    const sm = await makePerson(t.ctx, { givenName: 'Siv', familyName: 'Förvaltare' });
    const itsm = await makePerson(t.ctx, { givenName: 'Ida', familyName: 'ITförvaltare' });
    await appoint(obj.id, { personId: so.person.id, role: 'system_owner' });
    await appoint(obj.id, { personId: itso.person.id, role: 'it_system_owner' });
    // Only administrators appoint system owners.
    const selfPromote = await appoint(
      obj.id,
      { personId: itso.person.id, role: 'system_owner' },
      itso.client,
    );
    expect(selfPromote.statusCode).toBe(403);
    // The system owner may appoint the system manager ...
    expect((await appoint(obj.id, { personId: sm.id, role: 'system_manager' }, so.client)).statusCode).toBe(
      201,
    );
    // ... but not the IT system manager.
    const bySo = await appoint(obj.id, { personId: itsm.id, role: 'it_system_manager' }, so.client);
    expect(bySo.statusCode).toBe(403);
    expect(bySo.json().rule).toBe('G4');
    // An administrator recording an appointment made by someone who is not the IT system owner: 409 G4.
    const recorded = await appoint(obj.id, {
      personId: itsm.id,
      role: 'it_system_manager',
      appointedByPersonId: so.person.id,
    });
    expect(recorded.statusCode).toBe(409);
    expect(recorded.json().rule).toBe('G4');
    const noAppointer = await appoint(obj.id, { personId: itsm.id, role: 'it_system_manager' });
    expect(noAppointer.statusCode).toBe(409);
    expect(noAppointer.json().rule).toBe('G4');

    t.ctx.clock.advance({ minutes: 30 });
    const byItso = await appoint(obj.id, { personId: itsm.id, role: 'it_system_manager' }, itso.client);
    t.ctx.clock.set(START);
    expect(byItso.statusCode, byItso.body).toBe(201);
    expect(byItso.json().appointedBy.id).toBe(itso.person.id);
    expect(byItso.json().appointedAt).toBe('2026-11-22T09:30:00.000Z');

    const refNoUnit = await appoint(obj.id, { personId: sm.id, role: 'reference_group' });
    expect(refNoUnit.statusCode).toBe(400);
    expect(refNoUnit.json().errors[0].field).toBe('appointedByUnitId');
    const member = await makePerson(t.ctx, { givenName: 'Rolf', familyName: 'Referens' });
    const ref = await appoint(obj.id, {
      personId: member.id,
      role: 'reference_group',
      appointedByUnitId: unitId,
    });
    expect(ref.json().appointedByUnit.id).toBe(unitId);

    const detail = (await adm.client.get(`/api/v1/governance-objects/${obj.id}`)).json();
    const names = (g: any[]) => g.map((m) => m.displayName).sort();
    expect(names(detail.steeringGroup)).toEqual(['Ivar ITägare', 'Sara Systemägare']);
    expect(names(detail.managementGroup)).toEqual(['Ida ITförvaltare', 'Siv Förvaltare']);
    expect(names(detail.referenceGroup)).toEqual(['Rolf Referens']);
    expect(detail.missingRoles).toEqual([]);
    // A former IT system owner (assignment ended yesterday) can no longer appoint.
    const former = await makePerson(t.ctx, { givenName: 'Frida', familyName: 'Före' });
    const past = await appoint(obj.id, {
      personId: former.id,
      role: 'it_system_owner',
      validFrom: '2026-01-01',
      validUntil: '2026-11-21',
    });
    expect(past.json().current).toBe(false);
    const late = await appoint(obj.id, {
      personId: sm.id,
      role: 'it_system_manager',
      appointedByPersonId: former.id,
    });
    expect(late.statusCode).toBe(409);
    // Ending an assignment is an edit with If-Match; it cannot end before it began.
    const itsoRow = detail.roles.find((r: any) => r.role === 'it_system_owner');
    const tooEarly = await adm.client.patch(
      `/api/v1/governance-objects/${obj.id}/roles/${itsoRow.id}`,
      { validUntil: '2026-11-21' },
      { 'if-match': `W/"${itsoRow.version}"` },
    );
    expect(tooEarly.statusCode).toBe(400);
    expect(tooEarly.json().errors[0].field).toBe('validUntil');
    const ended = await adm.client.patch(
      `/api/v1/governance-objects/${obj.id}/roles/${itsoRow.id}`,
      { validUntil: '2026-12-31' },
      { 'if-match': `W/"${itsoRow.version}"` },
    );
    expect(ended.statusCode, ended.body).toBe(200);
    expect(ended.json().validUntil).toBe('2026-12-31');
    expect(await gaps('2027-01-01', '2027-01-31', obj.id)).toEqual([
      expect.objectContaining({
        role: 'it_system_owner',
        firstGapOn: '2027-01-01',
        reason: 'assignment_ends',
      }),
    ]);
    expect(late.json().rule).toBe('G4');
  });

  it('only administrators create governance objects; the object’s main roles edit it and its systems', async () => {
    const user = await signedIn(t);
    expect(
      (await user.client.post('/api/v1/governance-objects', { name: 'Mine', owningUnitId: unitId }))
        .statusCode,
    ).toBe(403);
    const obj = await makeObject('Editable');
    const s = await makeSystem(obj.id);
    const etag = `W/"${s.version}"`;
    expect(
      (await user.client.patch(`/api/v1/systems/${s.id}`, { vendor: 'X' }, { 'if-match': etag })).statusCode,
    ).toBe(403);
    await appoint(obj.id, { personId: user.person.id, role: 'system_manager' });
    const ok = await user.client.patch(`/api/v1/systems/${s.id}`, { vendor: 'X' }, { 'if-match': etag });
    expect(ok.statusCode, ok.body).toBe(200);
    const o = (await user.client.get(`/api/v1/governance-objects/${obj.id}`)).json();
    const edited = await user.client.patch(
      `/api/v1/governance-objects/${obj.id}`,
      { budgetFrame: '250000.50' },
      { 'if-match': `W/"${o.version}"` },
    );
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json().budgetFrame).toBe('250000.50');
  });
});

describe('dependencies', () => {
  it('G8: impact lists every system that depends on X, transitively with the path, and cycles end', async () => {
    const obj = await makeObject('Deps');
    const a = await makeSystem(obj.id, { name: 'Identity' });
    const b = await makeSystem(obj.id, { name: 'Portal' });
    const c = await makeSystem(obj.id, { name: 'Reports' });
    const d = await makeSystem(obj.id, { name: 'Dashboard' });
    const dep = (from: string, to: string, kind = 'runtime') =>
      adm.client.post('/api/v1/dependencies', { fromSystemId: from, toSystemId: to, kind });
    expect((await dep(b.id, a.id, 'authentication')).statusCode).toBe(201);
    expect((await dep(c.id, b.id, 'data')).statusCode).toBe(201);
    expect((await dep(d.id, c.id)).statusCode).toBe(201);
    expect((await dep(a.id, c.id)).statusCode).toBe(201); // a cycle: a → c → b → a
    const self = await dep(a.id, a.id);
    expect(self.statusCode).toBe(400);
    expect(self.json().errors[0].field).toBe('toSystemId');
    const dup = await dep(b.id, a.id, 'authentication');
    expect(dup.statusCode).toBe(409);
    expect(dup.json().errors[0].field).toBe('kind');

    const res = await adm.client.get(`/api/v1/systems/${a.id}/impact`);
    expect(res.statusCode, res.body).toBe(200);
    const affected = res.json().affected.map((s: any) => [s.name, s.depth, s.path.map((p: any) => p.name)]);
    expect(affected).toEqual([
      ['Portal', 1, ['Identity', 'Portal']],
      ['Reports', 2, ['Identity', 'Portal', 'Reports']],
      ['Dashboard', 3, ['Identity', 'Portal', 'Reports', 'Dashboard']],
    ]);
    const ofD = (await adm.client.get(`/api/v1/systems/${d.id}/impact`)).json().affected;
    expect(ofD).toEqual([]);

    const hood = (await adm.client.get(`/api/v1/systems/${a.id}/graph?depth=1`)).json();
    expect(hood.nodes.map((x: any) => x.name).sort()).toEqual(['Identity', 'Portal', 'Reports']);
    const whole = (await adm.client.get(`/api/v1/dependencies/graph?governanceObjectId=${obj.id}`)).json();
    expect(whole.nodes).toHaveLength(4);
    expect(whole.edges).toHaveLength(4);
    expect(whole.nodes.every((n: any) => n.outside === false)).toBe(true);
  });

  it("a filtered map also shows the connections to systems outside the filter, those systems marked 'outside'", async () => {
    const inner = await makeObject('Mapped inside');
    const outer = await makeObject('Mapped outside');
    const hr = await makeSystem(outer.id, { name: 'Outer HR' });
    const idp = await makeSystem(outer.id, { name: 'Outer identity' });
    const lone = await makeSystem(outer.id, { name: 'Outer unrelated' });
    const app = await makeSystem(inner.id, { name: 'Inner app' });
    const dep = await adm.client.post('/api/v1/dependencies', {
      fromSystemId: app.id,
      toSystemId: idp.id,
      kind: 'authentication',
    });
    expect(dep.statusCode, dep.body).toBe(201);
    const flow = await adm.client.post('/api/v1/integrations', {
      sourceSystemId: hr.id,
      targetSystemId: app.id,
      name: 'Employees',
    });
    expect(flow.statusCode, flow.body).toBe(201);
    // Only among the outside systems: not on the inside map.
    expect(
      (
        await adm.client.post('/api/v1/dependencies', {
          fromSystemId: hr.id,
          toSystemId: lone.id,
          kind: 'data',
        })
      ).statusCode,
    ).toBe(201);

    const map = (await adm.client.get(`/api/v1/dependencies/graph?governanceObjectId=${inner.id}`)).json();
    expect(map.nodes.map((n: any) => [n.name, n.outside])).toEqual([
      ['Inner app', false],
      ['Outer HR', true],
      ['Outer identity', true],
    ]);
    expect(map.edges.map((e: any) => [e.type, e.from, e.to]).sort()).toEqual(
      [
        ['dependency', app.id, idp.id],
        ['integration', hr.id, app.id],
      ].sort(),
    );
  });

  it("G8: a person's page lists the governance roles they hold today or later, not ended ones", async () => {
    const a = await makeObject('Alpha');
    const b = await makeObject('Beta');
    const maja = await makePerson(t.ctx, { givenName: 'Maja', familyName: 'Rollsson' });
    await appoint(a.id, { personId: maja.id, role: 'system_manager' });
    await appoint(b.id, { personId: maja.id, role: 'system_owner', validFrom: '2027-01-01' });
    const ended = await appoint(b.id, {
      personId: maja.id,
      role: 'it_specialist',
      validFrom: '2025-01-01',
      validUntil: '2025-12-31',
    });
    expect(ended.statusCode, ended.body).toBe(201);
    const reader = await signedIn(t);
    const res = await reader.client.get(`/api/v1/persons/${maja.id}/roles`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items).toEqual([
      expect.objectContaining({
        role: 'system_manager',
        current: true,
        validUntil: null,
        object: { id: a.id, name: expect.stringMatching(/^Alpha/) },
      }),
      expect.objectContaining({
        role: 'system_owner',
        current: false,
        validFrom: '2027-01-01',
        object: { id: b.id, name: expect.stringMatching(/^Beta/) },
      }),
    ]);
  });

  it('G8: every system is listed with its managers, as JSON and CSV', async () => {
    const obj = await makeObject('Managed');
    const s = await makeSystem(obj.id, { name: 'Raindance ekonomi', orgModel: 2 });
    const people = {
      system_owner: await makePerson(t.ctx, { givenName: 'Olle', familyName: 'Ägare' }),
      it_system_owner: await makePerson(t.ctx, { givenName: 'Iris', familyName: 'Itägare' }),
      system_manager: await makePerson(t.ctx, { givenName: 'Maja', familyName: 'Förvaltare' }),
    };
    for (const [role, p] of Object.entries(people)) await appoint(obj.id, { personId: p.id, role });
    const res = await adm.client.get(`/api/v1/systems/managers?governanceObjectId=${obj.id}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items).toEqual([
      expect.objectContaining({
        systemId: s.id,
        systemOwners: ['Olle Ägare'],
        itSystemOwners: ['Iris Itägare'],
        systemManagers: ['Maja Förvaltare'],
        itSystemManagers: [],
      }),
    ]);
    const csv = await adm.client.get(`/api/v1/systems/managers.csv?governanceObjectId=${obj.id}`);
    expect(csv.body).toMatch(/system,short_name,lifecycle,governance_object,system_owner/);
    expect(csv.body).toMatch(/Raindance ekonomi,.*Olle Ägare,Iris Itägare,Maja Förvaltare,/);
  });
});

describe('integrations and information contracts', () => {
  it('G9: only the source system owner consents; a new version leaves the old one active until then; lineage', async () => {
    const srcObj = await makeObject('Source');
    const dstObj = await makeObject('Target');
    const ladok = await makeSystem(srcObj.id, { name: 'Ladok', personalDataCategories: ['Students'] });
    const lms = await makeSystem(dstObj.id, { name: 'Canvas' });
    const stats = await makeSystem(dstObj.id, { name: 'Statistics' });
    const owner = await signedIn(t, [], { givenName: 'Sofia', familyName: 'Källägare' });
    const itOwner = await signedIn(t, [], { givenName: 'Ivan', familyName: 'Itägare' });
    const targetOwner = await signedIn(t, [], { givenName: 'Tor', familyName: 'Mottagare' });
    await appoint(srcObj.id, { personId: owner.person.id, role: 'system_owner' });
    await appoint(srcObj.id, { personId: itOwner.person.id, role: 'it_system_owner' });
    await appoint(dstObj.id, { personId: targetOwner.person.id, role: 'system_owner' });

    const noBasis = await adm.client.post('/api/v1/integrations', {
      name: 'Students to LMS',
      sourceSystemId: ladok.id,
      targetSystemId: lms.id,
      contract: {
        dataItems: ['name'],
        purpose: 'Courses',
        includesPersonalData: true,
        personalDataCategories: ['students'],
      },
    });
    expect(noBasis.statusCode).toBe(400);
    expect(noBasis.json().errors[0].field).toBe('contract.legalBasis');

    const created = await targetOwner.client.post('/api/v1/integrations', {
      name: 'Students to LMS',
      sourceSystemId: ladok.id,
      targetSystemId: lms.id,
      contract: {
        dataItems: ['name', 'personal number'],
        purpose: 'Course enrolment',
        includesPersonalData: true,
        personalDataCategories: ['students'],
        legalBasis: 'public_task',
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const integ = created.json();
    expect(integ.contracts[0]).toMatchObject({ version: 1, status: 'proposed' });
    const consent = (c: typeof owner.client, v: number) =>
      c.post(`/api/v1/integrations/${integ.id}/contracts/${v}/consent`);
    for (const c of [adm.client, itOwner.client, targetOwner.client]) {
      const r = await consent(c, 1);
      expect(r.statusCode).toBe(403);
      expect(r.json().rule).toBe('G9');
    }
    const ok = await consent(owner.client, 1);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'active', consentedBy: 'Sofia Källägare' });

    // More data items: a new version that needs new consent; version 1 stays active meanwhile.
    const v2Bad = await targetOwner.client.post(`/api/v1/integrations/${integ.id}/contracts`, {
      dataItems: ['name', 'personal number', 'e-mail'],
      purpose: 'Course enrolment',
      includesPersonalData: true,
    });
    expect(v2Bad.statusCode).toBe(400);
    expect(v2Bad.json().errors[0].field).toBe('legalBasis');
    const v2 = await targetOwner.client.post(`/api/v1/integrations/${integ.id}/contracts`, {
      dataItems: ['name', 'personal number', 'e-mail'],
      purpose: 'Course enrolment',
      includesPersonalData: true,
      personalDataCategories: ['students'],
      legalBasis: 'public_task',
    });
    expect(v2.statusCode, v2.body).toBe(201);
    expect(v2.json()).toMatchObject({ version: 2, status: 'proposed' });
    let now = (await adm.client.get(`/api/v1/integrations/${integ.id}`)).json();
    expect(now.activeVersion).toBe(1);
    expect(now.contracts.map((c: any) => c.status)).toEqual(['active', 'proposed']);
    expect((await consent(targetOwner.client, 2)).statusCode).toBe(403);
    expect((await consent(owner.client, 2)).statusCode).toBe(200);
    now = (await adm.client.get(`/api/v1/integrations/${integ.id}`)).json();
    expect(now.activeVersion).toBe(2);
    const v1 = (await adm.client.get(`/api/v1/integrations/${integ.id}/contracts/1`)).json();
    expect(v1).toMatchObject({ status: 'superseded', dataItems: ['name', 'personal number'] });
    expect((await consent(owner.client, 1)).statusCode).toBe(409);

    // Canvas passes student data on to Statistics; Statistics' owner-side consent is Canvas's owner.
    const onward = await adm.client.post('/api/v1/integrations', {
      name: 'LMS to statistics',
      sourceSystemId: lms.id,
      targetSystemId: stats.id,
      contract: {
        dataItems: ['grades'],
        purpose: 'Statistics',
        includesPersonalData: true,
        personalDataCategories: ['students'],
        legalBasis: 'public_task',
      },
    });
    expect(
      (await targetOwner.client.post(`/api/v1/integrations/${onward.json().id}/contracts/1/consent`))
        .statusCode,
    ).toBe(200);

    const lin = await adm.client.get('/api/v1/reports/lineage?category=Students');
    expect(lin.statusCode, lin.body).toBe(200);
    const holders = Object.fromEntries(
      lin.json().holders.map((h: any) => [h.system.name, [h.holds, h.path.map((p: any) => p.name)]]),
    );
    expect(holders).toEqual({
      Ladok: ['source', ['Ladok']],
      Canvas: ['copy', ['Ladok', 'Canvas']],
      Statistics: ['copy', ['Ladok', 'Canvas', 'Statistics']],
    });
    const pd = (await adm.client.get(`/api/v1/systems/${stats.id}/personal-data`)).json();
    expect(pd.categories).toEqual([
      { category: 'students', holds: 'copy', receivedFrom: [{ id: lms.id, name: 'Canvas' }] },
    ]);
    const src = (await adm.client.get(`/api/v1/systems/${ladok.id}/personal-data`)).json();
    expect(src.categories).toEqual([{ category: 'students', holds: 'source', receivedFrom: [] }]);
  });

  it('G9: lineage gives every holder a path when copies feed each other in a cycle', async () => {
    const obj = await makeObject('Cycle');
    const owner = await signedIn(t, [], { givenName: 'Cyrus', familyName: 'Cykel' });
    await appoint(obj.id, { personId: owner.person.id, role: 'system_owner' });
    const journal = await makeSystem(obj.id, { name: 'Journal', personalDataCategories: ['Patients'] });
    const lab = await makeSystem(obj.id, { name: 'Lab' });
    const flow = async (from: string, to: string) => {
      const res = await adm.client.post('/api/v1/integrations', {
        name: `Patients ${from} to ${to}`,
        sourceSystemId: from,
        targetSystemId: to,
        contract: {
          dataItems: ['results'],
          purpose: 'Care',
          includesPersonalData: true,
          personalDataCategories: ['patients'],
          legalBasis: 'public_task',
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      const consent = await owner.client.post(`/api/v1/integrations/${res.json().id}/contracts/1/consent`);
      expect(consent.statusCode, consent.body).toBe(200);
    };
    await flow(journal.id, lab.id);
    await flow(lab.id, journal.id); // both receive: neither is an origin by the flows alone
    const lin = (await adm.client.get('/api/v1/reports/lineage?category=patients')).json();
    const holders = Object.fromEntries(
      lin.holders.map((h: any) => [h.system.name, [h.holds, h.path.map((p: any) => p.name)]]),
    );
    expect(holders).toEqual({ Journal: ['source', ['Journal']], Lab: ['copy', ['Journal', 'Lab']] });
    // The categories the report can be asked about, with where they are recorded and carried.
    const inUse = await adm.client.get('/api/v1/reports/personal-data-categories');
    expect(inUse.statusCode, inUse.body).toBe(200);
    const items = inUse.json().items as { category: string; systems: number; integrations: number }[];
    expect(items.find((c) => c.category === 'patients')).toEqual({
      category: 'patients',
      systems: expect.any(Number),
      integrations: expect.any(Number),
    });
    const patients = items.find((c) => c.category === 'patients')!;
    expect(patients.systems).toBeGreaterThanOrEqual(1);
    expect(patients.integrations).toBeGreaterThanOrEqual(2);
    expect(items.map((c) => c.category)).toEqual(
      [...items.map((c) => c.category)].sort((a, b) => a.localeCompare(b, 'sv')),
    );
  });

  it('G9: a category written in Swedish by any route is the same category as in English; lineage is asked in either', async () => {
    const obj = await makeObject('Vocabulary');
    const ladok = await makeSystem(obj.id, {
      name: 'Student records',
      personalDataCategories: ['Studenter', 'doktorander', ' STUDENTS '],
    });
    // Stored as the shared vocabulary's key, each once; an unknown word as typed, in lower case.
    expect(ladok.personalDataCategories).toEqual(['students', 'doktorander']);
    const lms = await makeSystem(obj.id, { name: 'Learning platform' });
    const res = await adm.client.post('/api/v1/integrations', {
      name: 'Students to the learning platform',
      sourceSystemId: ladok.id,
      targetSystemId: lms.id,
      contract: {
        dataItems: ['enrolments'],
        purpose: 'Teaching',
        includesPersonalData: true,
        personalDataCategories: ['studenter'],
        legalBasis: 'public_task',
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().contracts[0].personalDataCategories).toEqual(['students']);
    for (const asked of ['studenter', 'Students']) {
      const lin = (await adm.client.get(`/api/v1/reports/lineage?category=${asked}`)).json();
      expect(lin.category).toBe('students');
      expect(lin.holders.map((h: any) => h.system.name)).toContain('Student records');
    }
    // Categories written in Swedish before the server normalised them become keys (migration 0020).
    await t.ctx.db.execute(
      sql`update systems set personal_data_categories = '{Studenter,doktorander,students,barn}' where id = ${ladok.id}`,
    );
    await t.ctx.db.execute(
      sql`update information_contracts set personal_data_categories = '{Studenter,STUDENTS}'
          where integration_id = ${res.json().id}`,
    );
    const migration = readFileSync(`${migrationsFolder}/0020_personal_data_keys.sql`, 'utf8');
    for (const statement of migration.split('--> statement-breakpoint'))
      await t.ctx.db.execute(sql.raw(statement));
    const [after] = await rows<{ c: string[] }>(
      t.ctx.db,
      sql`select personal_data_categories as c from systems where id = ${ladok.id}`,
    );
    expect(after.c).toEqual(['students', 'doktorander', 'children']);
    const [contract] = await rows<{ c: string[] }>(
      t.ctx.db,
      sql`select personal_data_categories as c from information_contracts where integration_id = ${res.json().id}`,
    );
    expect(contract.c).toEqual(['students']);
  });
});

describe('the graph held in memory, across app instances', () => {
  /**
   * Another app instance on the same database, as another process would be: its own connections and
   * its own in-memory graph (PostgreSQL: a second pool; PGlite: a second Drizzle handle on the same
   * embedded database, since PGlite cannot be opened twice).
   */
  async function otherInstance() {
    const database = t.ctx.databaseUrl
      ? await openPostgres(t.ctx.databaseUrl, 4)
      : { ...t.ctx.database, db: drizzlePglite(t.ctx.database.pglite!, { schema }) as unknown as Db };
    const app = await buildApp({ ...t.ctx, database, db: database.db });
    await app.ready();
    const client = new Client(app);
    client.cookie = adm.client.cookie;
    client.csrf = adm.client.csrf;
    return {
      db: database.db,
      client,
      close: async () => {
        await app.close();
        if (t.ctx.databaseUrl) await database.close();
      },
    };
  }

  it('G8, G9: impact and lineage see at once what another instance or a direct SQL write changed', async () => {
    const obj = await makeObject('Shared');
    const core = await makeSystem(obj.id, { name: 'Core', personalDataCategories: ['research subjects'] });
    const web = await makeSystem(obj.id, { name: 'Web' });
    const app2 = await makeSystem(obj.id, { name: 'Mobile' });
    const dep = await adm.client.post('/api/v1/dependencies', {
      fromSystemId: web.id,
      toSystemId: core.id,
      kind: 'runtime',
    });
    expect(dep.statusCode, dep.body).toBe(201);
    const impactNames = async (client: Client) => {
      const res = await client.get(`/api/v1/systems/${core.id}/impact`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json().affected.map((a: any) => `${a.name}:${a.path.map((p: any) => p.name).join('>')}`);
    };
    const holders = async (client: Client) => {
      const res = await client.get('/api/v1/reports/lineage?category=research%20subjects');
      expect(res.statusCode, res.body).toBe(200);
      return res
        .json()
        .holders.map((h: any) => `${h.system.name}:${h.holds}:${h.path.map((p: any) => p.name).join('>')}`);
    };
    expect(await impactNames(adm.client)).toEqual(['Web:Core>Web']);
    expect(await holders(adm.client)).toEqual(['Core:source:Core']);

    const other = await otherInstance();
    try {
      // The other instance adds a dependency and renames a system through its API.
      expect(await impactNames(other.client)).toEqual(['Web:Core>Web']);
      const added = await other.client.post('/api/v1/dependencies', {
        fromSystemId: app2.id,
        toSystemId: web.id,
        kind: 'data',
      });
      expect(added.statusCode, added.body).toBe(201);
      const renamed = await other.client.patch(
        `/api/v1/systems/${web.id}`,
        { name: 'Web portal' },
        { 'if-match': `W/"${web.version}"` },
      );
      expect(renamed.statusCode, renamed.body).toBe(200);
      expect(await impactNames(adm.client)).toEqual([
        'Web portal:Core>Web portal',
        'Mobile:Core>Web portal>Mobile',
      ]);

      // Direct SQL on the other instance's connections: an edge removed, a flow with an active contract added.
      await other.db.execute(sql`delete from system_dependencies where from_system_id = ${app2.id}`);
      expect(await impactNames(adm.client)).toEqual(['Web portal:Core>Web portal']);
      await other.db.execute(sql`insert into integrations (id, name, source_system_id, target_system_id, created_at)
        values ('00000000-0000-4000-8000-00000000a001', 'Core to Mobile', ${core.id}, ${app2.id}, now())`);
      expect(await holders(adm.client)).toEqual(['Core:source:Core']); // no active contract yet
      await other.db.execute(sql`insert into information_contracts (id, integration_id, version, status, data_items,
          purpose, includes_personal_data, personal_data_categories, legal_basis, proposed_at, consented_at,
          consented_by_person_id)
        values (gen_random_uuid(), '00000000-0000-4000-8000-00000000a001', 1, 'active', '{id}', 'Study', true,
          '{research subjects}', 'public_task', now(), now(), ${adm.person.id})`);
      expect(await holders(adm.client)).toEqual(['Core:source:Core', 'Mobile:copy:Core>Mobile']);
      // A system deleted by hand is gone from the next answer (404 for its own impact).
      await other.db.execute(sql`delete from information_contracts
        where integration_id = '00000000-0000-4000-8000-00000000a001'`);
      await other.db.execute(sql`delete from integrations where id = '00000000-0000-4000-8000-00000000a001'`);
      await other.db.execute(sql`delete from systems where id = ${app2.id}`);
      expect(await holders(adm.client)).toEqual(['Core:source:Core']);
      expect((await adm.client.get(`/api/v1/systems/${app2.id}/impact`)).statusCode).toBe(404);
      expect(await impactNames(other.client)).toEqual(['Web portal:Core>Web portal']);
    } finally {
      await other.close();
    }
  });
});

describe('integrations under concurrency', () => {
  it.skipIf(!onPostgres)(
    'G9: concurrent consents leave exactly one active version (PostgreSQL)',
    async () => {
      const obj = await makeObject('Race');
      const a = await makeSystem(obj.id);
      const b = await makeSystem(obj.id);
      const owner = await signedIn(t);
      await appoint(obj.id, { personId: owner.person.id, role: 'system_owner' });
      const contract = { dataItems: ['x'], purpose: 'race', includesPersonalData: false };
      const integ = (
        await adm.client.post('/api/v1/integrations', {
          name: 'Race',
          sourceSystemId: a.id,
          targetSystemId: b.id,
          contract,
        })
      ).json();
      for (let v = 2; v <= 6; v++)
        await adm.client.post(`/api/v1/integrations/${integ.id}/contracts`, {
          ...contract,
          dataItems: [`x${v}`],
        });
      const results = await Promise.all(
        [1, 2, 3, 4, 5, 6].map((v) =>
          owner.client.post(`/api/v1/integrations/${integ.id}/contracts/${v}/consent`),
        ),
      );
      expect(results.every((r) => [200, 409].includes(r.statusCode))).toBe(true);
      const now = (await adm.client.get(`/api/v1/integrations/${integ.id}`)).json();
      expect(now.contracts.filter((c: any) => c.status === 'active')).toHaveLength(1);
    },
  );
});

describe('documents and security records', () => {
  it('G11: missing documents and overdue reviews are reported by the clock', async () => {
    const obj = await makeObject('Docs');
    const s = await makeSystem(obj.id);
    const owner = await makePerson(t.ctx);
    const put = await adm.client.request('PUT', `/api/v1/systems/${s.id}/documents/configuration`, {
      link: 'https://wiki.example.org/config',
      ownerPersonId: owner.id,
      reviewIntervalMonths: 12,
      lastReviewedOn: '2026-01-10',
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ present: true, nextReviewOn: '2027-01-10', overdue: false });
    const mine = async (client = adm.client) =>
      (await client.get('/api/v1/reports/overdue-documents'))
        .json()
        .items.filter((i: any) => i.system.id === s.id);
    let items = await mine();
    expect(items.map((i: any) => i.kind)).not.toContain('configuration');
    expect(items).toContainEqual(expect.objectContaining({ kind: 'logging', reason: 'missing' }));
    expect(items).toHaveLength(5);
    t.ctx.clock.set('2027-01-11T08:00:00.000Z');
    try {
      // A session of its own: moving the clock this far expires the sessions signed in earlier.
      const later = await signedIn(t, ['auditor']);
      items = await mine(later.client);
      expect(items).toContainEqual(
        expect.objectContaining({ kind: 'configuration', reason: 'overdue', dueOn: '2027-01-10' }),
      );
    } finally {
      t.ctx.clock.set(START);
    }
    const noContent = await adm.client.request('PUT', `/api/v1/systems/${s.id}/documents/logging`, {
      ownerPersonId: owner.id,
    });
    expect(noContent.statusCode).toBe(400);
    expect(noContent.json().errors[0].field).toBe('link');
  });

  it('G12: security records are hidden from those without a role on the object; firewall rules need a justification', async () => {
    const obj = await makeObject('Secure');
    const s = await makeSystem(obj.id, { environments: ['production', 'test'] });
    const outsider = await signedIn(t);
    const specialist = await signedIn(t);
    const business = await signedIn(t);
    const auditor = await signedIn(t, ['auditor']);
    await appoint(obj.id, { personId: specialist.person.id, role: 'it_specialist' });
    await appoint(obj.id, { personId: business.person.id, role: 'business_specialist' });

    expect((await outsider.client.get(`/api/v1/systems/${s.id}/security`)).statusCode).toBe(404);
    const hiddenWrite = await outsider.client.post(`/api/v1/systems/${s.id}/firewall-rules`, {
      rule: 'allow tcp/443 from any',
      justification: 'Public web',
    });
    expect(hiddenWrite.statusCode).toBe(404);
    const page = await outsider.client.get(`/api/v1/systems/${s.id}`);
    expect(page.statusCode).toBe(200);
    // The system's page says whether the records may be read, so a UI need not try (and be refused).
    expect(page.json().abilities).toEqual({ readSecurity: false });
    const [refused] = await rows<{ n: number }>(
      t.ctx.db,
      sql`select count(*)::int as n from audit_events
          where action = 'authz.denied' and actor_person_id = ${outsider.person.id}`,
    );
    expect(refused.n).toBe(2); // the two tries above, not the page
    expect((await specialist.client.get(`/api/v1/systems/${s.id}`)).json().abilities).toEqual({
      readSecurity: true,
    });
    expect((await auditor.client.get(`/api/v1/systems/${s.id}`)).json().abilities.readSecurity).toBe(true);

    const noJustification = await specialist.client.post(`/api/v1/systems/${s.id}/firewall-rules`, {
      rule: 'allow tcp/22 from 10.0.0.0/8',
    });
    expect(noJustification.statusCode).toBe(400);
    expect(noJustification.json().errors[0].field).toBe('justification');
    const blank = await specialist.client.post(`/api/v1/systems/${s.id}/firewall-rules`, {
      rule: 'allow tcp/22 from 10.0.0.0/8',
      justification: '   ',
    });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().errors[0].field).toBe('justification');
    const added = await specialist.client.post(`/api/v1/systems/${s.id}/firewall-rules`, {
      rule: 'allow tcp/22 from 10.0.0.0/8',
      justification: 'Administration from the IT network',
      reviewOn: '2027-06-01',
    });
    expect(added.statusCode, added.body).toBe(201);
    const vuln = await specialist.client.post(`/api/v1/systems/${s.id}/vulnerabilities`, {
      title: 'Log4Shell',
      reference: 'CVE-2021-44228',
      exposureStartedOn: '2026-11-01',
    });
    expect(vuln.json().vulnerabilities[0]).toMatchObject({ exposed: true, exposureEndedOn: null });
    const v = vuln.json().vulnerabilities[0];
    const closed = await specialist.client.patch(
      `/api/v1/systems/${s.id}/vulnerabilities/${v.id}`,
      { exposureEndedOn: '2026-11-20' },
      { 'if-match': `W/"${v.version}"` },
    );
    expect(closed.json().vulnerabilities[0]).toMatchObject({ exposed: false, exposureEndedOn: '2026-11-20' });
    await specialist.client.post(`/api/v1/systems/${s.id}/restore-tests`, {
      testedOn: '2026-10-01',
      result: 'partial',
    });
    // A business specialist sees the records but may not edit them.
    const seen = await business.client.get(`/api/v1/systems/${s.id}/security`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json()).toMatchObject({
      hasTestEnvironment: true,
      lastRestoreTest: { testedOn: '2026-10-01', result: 'partial' },
    });
    expect(seen.json().firewallRules[0].justification).toBe('Administration from the IT network');
    expect(
      (
        await business.client.post(`/api/v1/systems/${s.id}/restore-tests`, {
          testedOn: '2026-11-01',
          result: 'success',
        })
      ).statusCode,
    ).toBe(403);
    expect((await auditor.client.get(`/api/v1/systems/${s.id}/security`)).statusCode).toBe(200);
    expect((await adm.client.get(`/api/v1/systems/${s.id}/security`)).statusCode).toBe(200);
  });

  it('G14: a resolver group whose members were reviewed more than a year ago is reported', async () => {
    const obj = await makeObject('Support');
    const old = await makeSystem(obj.id, {
      resolverGroup: 'Team A',
      resolverMembersReviewedOn: '2025-11-21',
    });
    const fresh = await makeSystem(obj.id, {
      resolverGroup: 'Team B',
      resolverMembersReviewedOn: '2025-11-22',
    });
    const never = await makeSystem(obj.id, { resolverGroup: 'Team C' });
    const ids = (await adm.client.get('/api/v1/reports/resolver-reviews'))
      .json()
      .items.map((i: any) => i.system.id);
    expect(ids).toContain(old.id);
    expect(ids).toContain(never.id);
    expect(ids).not.toContain(fresh.id);
    expect((await adm.client.get(`/api/v1/systems/${old.id}`)).json().resolverReviewOverdue).toBe(true);
    expect((await adm.client.get(`/api/v1/systems/${fresh.id}`)).json().resolverReviewOverdue).toBe(false);
  });
});

describe('bad input', () => {
  it('is answered with problem+json naming the field, never a 500', async () => {
    const obj = await makeObject('Inputs');
    const s = await makeSystem(obj.id);
    const missing = '00000000-0000-4000-8000-000000000000';
    const cases: [string, string, unknown, number, string?][] = [
      ['GET', '/api/v1/reports/role-gaps?from=2026-12-31&to=2026-12-01', undefined, 400, 'to'],
      ['GET', '/api/v1/reports/role-gaps?from=2026-13-01', undefined, 400, 'from'],
      ['GET', '/api/v1/reports/role-gaps?from=2026-01-01&to=2031-01-01', undefined, 400, 'to'],
      // Without `from` (today), a far `to` is held to the same three years.
      ['GET', '/api/v1/reports/role-gaps?to=9999-12-31', undefined, 400, 'to'],
      ['GET', '/api/v1/reports/lineage', undefined, 400, 'category'],
      ['GET', `/api/v1/systems/${s.id}/graph?depth=9`, undefined, 400, 'depth'],
      ['GET', `/api/v1/systems/${missing}/impact`, undefined, 404],
      ['GET', `/api/v1/systems/${missing}/security`, undefined, 404],
      ['GET', '/api/v1/systems/not-a-uuid', undefined, 400],
      [
        'PUT',
        `/api/v1/systems/${s.id}/documents/recipes`,
        { body: 'x', ownerPersonId: missing },
        400,
        'kind',
      ],
      [
        'PUT',
        `/api/v1/systems/${s.id}/documents/logging`,
        { body: 'x', ownerPersonId: missing },
        400,
        'ownerPersonId',
      ],
      [
        'POST',
        `/api/v1/governance-objects/${missing}/roles`,
        { personId: missing, role: 'system_owner' },
        404,
      ],
      [
        'POST',
        `/api/v1/governance-objects/${obj.id}/roles`,
        { personId: missing, role: 'system_owner' },
        400,
        'personId',
      ],
      [
        'POST',
        `/api/v1/governance-objects/${obj.id}/roles`,
        { personId: missing, role: 'king' },
        400,
        'role',
      ],
      [
        'POST',
        `/api/v1/governance-objects/${obj.id}/roles`,
        { personId: missing, role: 'it_specialist', validFrom: '2026-12-01', validUntil: '2026-11-01' },
        400,
        'validUntil',
      ],
      ['POST', '/api/v1/governance-objects', { name: 'X', owningUnitId: missing }, 400, 'owningUnitId'],
      [
        'POST',
        '/api/v1/governance-objects',
        { name: 'X', owningUnitId: unitId, budgetFrame: 'lots' },
        400,
        'budgetFrame',
      ],
      [
        'POST',
        '/api/v1/dependencies',
        { fromSystemId: s.id, toSystemId: missing, kind: 'runtime' },
        400,
        'toSystemId',
      ],
      [
        'POST',
        '/api/v1/dependencies',
        { fromSystemId: s.id, toSystemId: missing, kind: 'vibes' },
        400,
        'kind',
      ],
      ['POST', `/api/v1/integrations/${missing}/contracts/1/consent`, undefined, 404],
      [
        'POST',
        `/api/v1/systems/${s.id}/vulnerabilities`,
        { title: 'X', exposureStartedOn: '2026-11-10', exposureEndedOn: '2026-11-01' },
        400,
        'exposureEndedOn',
      ],
      [
        'POST',
        `/api/v1/systems/${s.id}/restore-tests`,
        { testedOn: '2026-11-01', result: 'meh' },
        400,
        'result',
      ],
      ['PATCH', `/api/v1/systems/${s.id}`, { lifecycle: 'zombie' }, 400, 'lifecycle'],
      ['PATCH', `/api/v1/systems/${s.id}`, { nonsense: 1 }, 400],
    ];
    const wrong: string[] = [];
    for (const [method, url, body, status, field] of cases) {
      const res = await adm.client.request(method, url, body === undefined && method !== 'GET' ? {} : body, {
        'if-match': `W/"${s.version}"`,
      });
      const fields = (res.json().errors ?? []).map((e: any) => e.field);
      if (
        res.statusCode !== status ||
        !String(res.headers['content-type']).includes('problem+json') ||
        (field && !fields.some((f: string) => f === field || f.endsWith(`.${field}`)))
      )
        wrong.push(`${method} ${url}: ${res.statusCode} ${res.body.slice(0, 160)}`);
    }
    expect(wrong).toEqual([]);
  });
});
