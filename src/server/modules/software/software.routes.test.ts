// Rule tests of software distribution (S1–S5), through HTTP on a real database.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.ts';
import { onPostgres } from '../../testing/db.ts';
import { createTestApp, makePerson, makeUnit, signedIn, type TestApp } from '../../testing/http.ts';
import { missingReports } from './software.service.ts';

let t: TestApp;
let adm: Awaited<ReturnType<typeof signedIn>>;
let head: Awaited<ReturnType<typeof signedIn>>;
let coord: Awaited<ReturnType<typeof signedIn>>;
let unitId: string;
let otherUnitId: string;
const START = new Date('2026-11-22T09:00:00.000Z');

async function member(unit: string, name = 'Member') {
  const p = await makePerson(t.ctx, { givenName: name, familyName: 'Unitsson', unitIds: [unit] });
  return p.id;
}

async function makeTitle(over: Record<string, unknown> = {}) {
  const res = await adm.client.post('/api/v1/software', {
    name: `Title ${Math.random().toString(36).slice(2, 8)}`,
    vendor: 'Vendor AB',
    licenceModel: 'reported',
    ...over,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; name: string; version: number };
}

const commitment = (personId: string, over: Record<string, unknown> = {}) => ({
  personId,
  commitmentSignedOn: '2026-11-20',
  commitmentSigner: 'Helena Head',
  commitmentDocument: 'Dnr 2026/1234',
  ...over,
});

beforeAll(async () => {
  t = await createTestApp();
  t.ctx.clock.set(START);
  adm = await signedIn(t, ['administrator'], { givenName: 'Ada', familyName: 'Admin' });
  head = await signedIn(t, [], { givenName: 'Helena', familyName: 'Head' });
  coord = await signedIn(t, [], { givenName: 'Cora', familyName: 'Coordinator' });
  unitId = (await makeUnit(t.ctx, { name: 'Department of Physics' })).id;
  otherUnitId = (await makeUnit(t.ctx, { name: 'Department of History' })).id;
  await t.ctx.db.execute(sql`update org_units set head_person_id = ${head.person.id} where id = ${unitId}`);
  await t.ctx.db.execute(
    sql`insert into person_units (person_id, unit_id) values (${coord.person.id}, ${unitId})`,
  );
  const res = await head.client.post(
    `/api/v1/org-units/${unitId}/licence-coordinators`,
    commitment(coord.person.id),
  );
  expect(res.statusCode, res.body).toBe(201);
});
afterAll(() => t.close());

describe('licence coordinators (S1)', () => {
  it('S1: only the head of the unit (or an administrator) appoints, with a signed commitment', async () => {
    const someone = await signedIn(t, []);
    const refused = await someone.client.post(
      `/api/v1/org-units/${unitId}/licence-coordinators`,
      commitment(someone.person.id),
    );
    expect(refused.statusCode).toBe(403);
    expect(refused.json().rule).toBe('S1');
    // The coordinator cannot appoint a successor either: only the head can.
    const byCoordinator = await coord.client.post(
      `/api/v1/org-units/${unitId}/licence-coordinators`,
      commitment(someone.person.id),
    );
    expect(byCoordinator.statusCode).toBe(403);

    const noCommitment = await head.client.post(
      `/api/v1/org-units/${unitId}/licence-coordinators`,
      commitment(someone.person.id, { commitmentDocument: '  ' }),
    );
    expect(noCommitment.statusCode).toBe(400);
    expect(noCommitment.json().rule).toBe('S1');
    expect(noCommitment.json().errors.map((e: any) => e.field)).toContain('commitmentDocument');
    const history = (await adm.client.get(`/api/v1/org-units/${unitId}/licence-coordinators`)).json().items;
    expect(history.filter((c: any) => c.current).map((c: any) => c.person.id)).toEqual([coord.person.id]);
  });

  it('S1: a new coordinator needs a new appointment and commitment; the earlier one stays in the history', async () => {
    const unit = (await makeUnit(t.ctx, { name: 'Department of Chemistry' })).id;
    await t.ctx.db.execute(sql`update org_units set head_person_id = ${head.person.id} where id = ${unit}`);
    const first = await makePerson(t.ctx, { givenName: 'First', familyName: 'Coordinator' });
    const second = await makePerson(t.ctx, { givenName: 'Second', familyName: 'Coordinator' });
    expect(
      (await head.client.post(`/api/v1/org-units/${unit}/licence-coordinators`, commitment(first.id)))
        .statusCode,
    ).toBe(201);
    const without = await head.client.post(`/api/v1/org-units/${unit}/licence-coordinators`, {
      personId: second.id,
    });
    expect(without.statusCode).toBe(400);
    expect(without.json().errors.map((e: any) => e.field)).toEqual(
      expect.arrayContaining(['commitmentSignedOn', 'commitmentSigner', 'commitmentDocument']),
    );
    const replaced = await head.client.post(
      `/api/v1/org-units/${unit}/licence-coordinators`,
      commitment(second.id, { commitmentDocument: 'Dnr 2026/2000' }),
    );
    expect(replaced.statusCode, replaced.body).toBe(201);
    const history = (await adm.client.get(`/api/v1/org-units/${unit}/licence-coordinators`)).json().items;
    expect(history.map((c: any) => [c.person.id, c.current, c.commitment.document])).toEqual([
      [second.id, true, 'Dnr 2026/2000'],
      [first.id, false, 'Dnr 2026/1234'],
    ]);
    expect(history[1].endedOn).toBe('2026-11-22');
    const audit = await rows<{ n: number }>(
      t.ctx.db,
      sql`select count(*)::int as n from audit_events where action = 'coordinator.appoint' and entity_id = ${unit}`,
    );
    expect(audit[0].n).toBe(2);
  });
});

describe('keys and assignments (S2)', () => {
  it('S2: licence keys are encrypted at rest, shown only to the coordinator and the assignee, and every reveal is audited', async () => {
    const title = await makeTitle({ licenceModel: 'seat_keys', name: 'MATLAB' });
    expect(
      (await adm.client.request('PUT', `/api/v1/software/${title.id}/seat-pools/${unitId}`, { seats: 5 }))
        .statusCode,
    ).toBe(200);
    const added = await adm.client.post('/api/v1/licence-keys', {
      titleId: title.id,
      unitId,
      keys: ['MATL-AAAA-1111-ZZ42', 'MATL-BBBB-2222-ZZ43'],
    });
    expect(added.statusCode, added.body).toBe(201);
    const stored = await rows<{ key_ciphertext: string; key_hint: string }>(
      t.ctx.db,
      sql`select key_ciphertext, key_hint from licence_keys where title_id = ${title.id} order by key_hint`,
    );
    expect(stored.map((k) => k.key_hint)).toEqual(['…ZZ42', '…ZZ43']);
    for (const k of stored) expect(k.key_ciphertext).not.toContain('MATL');
    const audit = await rows<{ after: unknown }>(
      t.ctx.db,
      sql`select after from audit_events where action = 'licence-key.add' and entity_id = ${title.id}`,
    );
    expect(JSON.stringify(audit)).not.toContain('MATL-');

    const person = await signedIn(t, [], { givenName: 'Per', familyName: 'Physicist' });
    await t.ctx.db.execute(
      sql`insert into person_units (person_id, unit_id) values (${person.person.id}, ${unitId})`,
    );
    const assigned = await coord.client.post('/api/v1/licence-assignments', {
      titleId: title.id,
      unitId,
      personId: person.person.id,
    });
    expect(assigned.statusCode, assigned.body).toBe(201);
    const keyId = assigned.json().key.id;
    const clear = { '…ZZ42': 'MATL-AAAA-1111-ZZ42', '…ZZ43': 'MATL-BBBB-2222-ZZ43' }[
      assigned.json().key.hint as string
    ];

    // The list shows the hint, never the key.
    const register = await coord.client.get(`/api/v1/org-units/${unitId}/licences`);
    expect(register.statusCode).toBe(200);
    expect(register.body).not.toContain('MATL-');

    const byCoordinator = await coord.client.post(`/api/v1/licence-keys/${keyId}/reveal`);
    expect(byCoordinator.statusCode, byCoordinator.body).toBe(200);
    expect(byCoordinator.json().key).toBe(clear);
    const byAssignee = await person.client.post(`/api/v1/licence-keys/${keyId}/reveal`);
    expect(byAssignee.json().key).toBe(clear);
    const mine = (await person.client.get('/api/v1/me/software')).json().items;
    expect(mine.map((a: any) => a.key.id)).toEqual([keyId]);

    const byAdmin = await adm.client.post(`/api/v1/licence-keys/${keyId}/reveal`);
    expect(byAdmin.statusCode).toBe(403);
    expect(byAdmin.json().rule).toBe('S2');
    const byHead = await head.client.post(`/api/v1/licence-keys/${keyId}/reveal`);
    expect(byHead.statusCode).toBe(403);

    const reveals = await rows<{ actor_person_id: string }>(
      t.ctx.db,
      sql`select actor_person_id from audit_events where action = 'licence-key.reveal' and entity_id = ${keyId}
          order by id`,
    );
    expect(reveals.map((r) => r.actor_person_id)).toEqual([coord.person.id, person.person.id]);

    // After cancelling, the former assignee no longer sees the key; the coordinator still does.
    const cancelled = await coord.client.post(`/api/v1/licence-assignments/${assigned.json().id}/cancel`, {
      reason: 'Left the project',
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect((await person.client.post(`/api/v1/licence-keys/${keyId}/reveal`)).statusCode).toBe(403);
  });

  it('S2: the coordinator assigns to people of their own unit, within its seats, and cancels', async () => {
    const title = await makeTitle({ licenceModel: 'seat_keys' });
    await adm.client.request('PUT', `/api/v1/software/${title.id}/seat-pools/${unitId}`, { seats: 1 });
    await adm.client.post('/api/v1/licence-keys', { titleId: title.id, unitId, keys: ['K-1', 'K-2'] });
    const inUnit = await member(unitId);
    const elsewhere = await member(otherUnitId);

    const outside = await coord.client.post('/api/v1/licence-assignments', {
      titleId: title.id,
      unitId,
      personId: elsewhere,
    });
    expect(outside.statusCode).toBe(409);
    expect(outside.json().rule).toBe('S2');
    // Not the coordinator of the other unit.
    const otherUnit = await coord.client.post('/api/v1/licence-assignments', {
      titleId: title.id,
      unitId: otherUnitId,
      personId: elsewhere,
    });
    expect(otherUnit.statusCode).toBe(403);

    const ok = await coord.client.post('/api/v1/licence-assignments', {
      titleId: title.id,
      unitId,
      personId: inUnit,
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const full = await coord.client.post('/api/v1/licence-assignments', {
      titleId: title.id,
      unitId,
      personId: await member(unitId),
    });
    expect(full.statusCode).toBe(409);
    expect(full.json().title).toMatch(/All 1 seats/);
    const lower = await adm.client.request('PUT', `/api/v1/software/${title.id}/seat-pools/${unitId}`, {
      seats: 0,
    });
    expect(lower.statusCode).toBe(409);
    expect(lower.json().title).toMatch(/cancel 1 assignment/);

    await coord.client.post(`/api/v1/licence-assignments/${ok.json().id}/cancel`, { reason: 'done' });
    const again = await coord.client.post('/api/v1/licence-assignments', {
      titleId: title.id,
      unitId,
      personId: await member(unitId),
    });
    expect(again.statusCode, again.body).toBe(201);
    const register = (await coord.client.get(`/api/v1/org-units/${unitId}/licences`)).json();
    const forTitle = register.assignments.filter((a: any) => a.title.id === title.id);
    expect(forTitle.map((a: any) => a.cancelledAt === null)).toEqual([true, false]);
    expect(register.seats.find((s: any) => s.title.id === title.id)).toMatchObject({ seats: 1, used: 1 });
  });

  it("S2: a person's software is shown to them, administrators and auditors in full, and to a unit's coordinator and head for that unit only", async () => {
    const holder = await signedIn(t, [], { givenName: 'Hugo', familyName: 'Holder' });
    await t.ctx.db.execute(
      sql`insert into person_units (person_id, unit_id) values (${holder.person.id}, ${unitId}), (${holder.person.id}, ${otherUnitId})`,
    );
    for (const [by, unit] of [
      [coord, unitId],
      [adm, otherUnitId],
    ] as const) {
      const res = await by.client.post('/api/v1/licence-assignments', {
        titleId: (await makeTitle()).id,
        unitId: unit,
        personId: holder.person.id,
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const unitsSeenBy = async (who: { client: typeof adm.client }) => {
      const res = await who.client.get(`/api/v1/persons/${holder.person.id}/software`);
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().items as { unit: { id: string } }[]).map((a) => a.unit.id).sort();
    };
    const both = [unitId, otherUnitId].sort();
    expect(await unitsSeenBy(holder)).toEqual(both);
    expect(await unitsSeenBy(adm)).toEqual(both);
    expect(await unitsSeenBy(await signedIn(t, ['auditor']))).toEqual(both);
    expect(await unitsSeenBy(coord)).toEqual([unitId]);
    expect(await unitsSeenBy(head)).toEqual([unitId]);
    expect(await unitsSeenBy(await signedIn(t, []))).toEqual([]);
    // The coordinators list says whose unit register the caller may open (so it links only those).
    const mayOpen = async (who: { client: typeof adm.client }) => {
      const items = (await who.client.get('/api/v1/licence-coordinators')).json().items as {
        unit: { id: string };
        mayReadUnit: boolean;
      }[];
      return items.find((c) => c.unit.id === unitId)?.mayReadUnit;
    };
    expect(await mayOpen(coord)).toBe(true);
    expect(await mayOpen(head)).toBe(true);
    expect(await mayOpen(adm)).toBe(true);
    expect(await mayOpen(await signedIn(t, []))).toBe(false);
  });

  it.runIf(onPostgres)(
    'S2: 20 concurrent assignments to a pool of 5 seats succeed exactly 5 times (PostgreSQL)',
    async () => {
      const title = await makeTitle({ licenceModel: 'seat_keys' });
      await adm.client.request('PUT', `/api/v1/software/${title.id}/seat-pools/${unitId}`, { seats: 5 });
      await adm.client.post('/api/v1/licence-keys', {
        titleId: title.id,
        unitId,
        keys: Array.from({ length: 20 }, (_, i) => `RACE-${i}`),
      });
      const people = await Promise.all(Array.from({ length: 20 }, () => member(unitId)));
      const results = await Promise.all(
        people.map((personId) =>
          coord.client.post('/api/v1/licence-assignments', { titleId: title.id, unitId, personId }),
        ),
      );
      const codes = results.map((r) => r.statusCode).sort();
      expect(codes.filter((c) => c === 201)).toHaveLength(5);
      expect(codes.filter((c) => c === 409)).toHaveLength(15);
      const [{ n }] = await rows<{ n: number }>(
        t.ctx.db,
        sql`select count(*)::int as n from licence_assignments where title_id = ${title.id} and cancelled_at is null`,
      );
      expect(n).toBe(5);
    },
  );
});

describe('reporting (S2, S3)', () => {
  it('S3: a site licence needs no reporting: a report is refused and it is never listed as missing', async () => {
    const site = await makeTitle({ licenceModel: 'site', name: 'Office site licence' });
    expect((await adm.client.get(`/api/v1/software/${site.id}`)).json().requiresReporting).toBe(false);
    await coord.client.post('/api/v1/licence-assignments', {
      titleId: site.id,
      unitId,
      personId: await member(unitId),
    });
    const report = await coord.client.post('/api/v1/licence-reports', {
      titleId: site.id,
      unitId,
      periodYear: 2026,
      users: 3,
    });
    expect(report.statusCode).toBe(409);
    expect(report.json().rule).toBe('S3');
    // Long after any deadline (sessions would have expired: the service is asked directly).
    t.ctx.clock.set(new Date('2028-03-01T10:00:00Z'));
    try {
      const missing = await missingReports(t.ctx, 2026);
      expect(missing.length).toBeGreaterThan(0); // the reported titles of other tests are listed
      expect(missing.map((m) => m.title.id)).not.toContain(site.id);
    } finally {
      t.ctx.clock.set(START);
    }
  });

  it('S2: units that used a reported title and did not report after the deadline are listed for central IT', async () => {
    const reported = await makeTitle({ licenceModel: 'reported', name: 'SPSS', reportDeadlineDays: 31 });
    await coord.client.post('/api/v1/licence-assignments', {
      titleId: reported.id,
      unitId,
      personId: await member(unitId),
    });
    // The deadline is months away: move the clock and ask the service (sessions would expire).
    const list = async (at: string) => {
      t.ctx.clock.set(new Date(at));
      try {
        return (await missingReports(t.ctx, 2026)).filter((m) => m.title.id === reported.id);
      } finally {
        t.ctx.clock.set(START);
      }
    };
    expect(await list('2027-01-31T10:00:00Z')).toEqual([]); // the deadline (31 January) has not passed
    const late = await list('2027-02-02T10:00:00Z');
    expect(late).toEqual([
      expect.objectContaining({
        unit: { id: unitId, name: 'Department of Physics' },
        deadline: '2027-01-31',
      }),
    ]);
    expect(late[0].coordinator).toBe('Cora Coordinator');

    const notCoordinator = await head.client.post('/api/v1/licence-reports', {
      titleId: reported.id,
      unitId,
      periodYear: 2026,
      users: 1,
    });
    expect(notCoordinator.statusCode).toBe(403);
    const report = await coord.client.post('/api/v1/licence-reports', {
      titleId: reported.id,
      unitId,
      periodYear: 2026,
      users: 1,
    });
    expect(report.statusCode, report.body).toBe(201);
    expect(await list('2027-02-02T10:00:00Z')).toEqual([]);
    const user = await signedIn(t, []);
    expect((await user.client.get('/api/v1/reports/missing-licence-reports')).statusCode).toBe(403);
    const overHttp = await adm.client.get('/api/v1/reports/missing-licence-reports?year=2025');
    expect(overHttp.statusCode, overHttp.body).toBe(200);
    expect(overHttp.json().periodYear).toBe(2025);
  });
});

describe('procurement (S4)', () => {
  it('S4: software that is not offered can be requested; offered software is refused with the title named', async () => {
    await makeTitle({ name: 'ArcGIS Pro' });
    const user = await signedIn(t, [], { givenName: 'Ulla', familyName: 'User' });
    const offered = await user.client.post('/api/v1/procurement-requests', {
      softwareName: 'arcgis pro',
      unitId,
      justification: 'Maps',
    });
    expect(offered.statusCode).toBe(409);
    expect(offered.json().rule).toBe('S4');
    expect(offered.json().title).toContain('ArcGIS Pro');

    const created = await user.client.post('/api/v1/procurement-requests', {
      softwareName: 'NVivo',
      vendor: 'Lumivero',
      unitId,
      justification: 'Qualitative analysis for a research project',
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(
      (await user.client.get('/api/v1/procurement-requests')).json().items.map((r: any) => r.id),
    ).toEqual([created.json().id]);
    const byUser = await user.client.post(`/api/v1/procurement-requests/${created.json().id}/decision`, {
      decision: 'approved',
    });
    expect(byUser.statusCode).toBe(403);
    const noReason = await adm.client.post(`/api/v1/procurement-requests/${created.json().id}/decision`, {
      decision: 'rejected',
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors[0].field).toBe('comment');
    const decided = await adm.client.post(`/api/v1/procurement-requests/${created.json().id}/decision`, {
      decision: 'approved',
      comment: 'Site licence being negotiated',
    });
    expect(decided.statusCode, decided.body).toBe(200);
    expect(decided.json().status).toBe('approved');
    const twice = await adm.client.post(`/api/v1/procurement-requests/${created.json().id}/decision`, {
      decision: 'rejected',
      comment: 'no',
    });
    expect(twice.statusCode).toBe(409);
  });
});

describe('announcements (S5)', () => {
  it('S5: central IT messages every current coordinator through the outbox; replaced coordinators are not messaged', async () => {
    const unit = (await makeUnit(t.ctx, { name: 'Department of Music' })).id;
    const old = await makePerson(t.ctx, {
      givenName: 'Old',
      familyName: 'Coordinator',
      email: 'old@example.org',
    });
    const current = await makePerson(t.ctx, {
      givenName: 'New',
      familyName: 'Coordinator',
      email: 'new@example.org',
    });
    await adm.client.post(`/api/v1/org-units/${unit}/licence-coordinators`, commitment(old.id));
    await adm.client.post(`/api/v1/org-units/${unit}/licence-coordinators`, commitment(current.id));

    const user = await signedIn(t, []);
    expect(
      (await user.client.post('/api/v1/licence-coordinators/announcements', { subject: 'x', body: 'y' }))
        .statusCode,
    ).toBe(403);
    const sent = await adm.client.post('/api/v1/licence-coordinators/announcements', {
      subject: 'New MATLAB keys',
      body: 'Keys for 2027 are in the stock.',
    });
    expect(sent.statusCode, sent.body).toBe(201);
    const mail = await rows<{ recipient: string }>(
      t.ctx.db,
      sql`select recipient from outbox where subject = 'New MATLAB keys' order by recipient`,
    );
    const coordinators = (await adm.client.get('/api/v1/licence-coordinators')).json().items;
    expect(mail.map((m) => m.recipient)).toEqual(
      coordinators
        .map((c: any) => c.person.email)
        .filter(Boolean)
        .sort(),
    );
    expect(mail.map((m) => m.recipient)).toContain('new@example.org');
    expect(mail.map((m) => m.recipient)).not.toContain('old@example.org');
    expect(sent.json().recipients).toBe(mail.length);
  });
});
