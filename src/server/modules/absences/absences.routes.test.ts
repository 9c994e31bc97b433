import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.ts';
import { onPostgres } from '../../testing/db.ts';
import {
  admin,
  createTestApp,
  makePerson,
  makeUnit,
  signedIn,
  systemInput,
  type TestApp,
} from '../../testing/http.ts';
import { grantOrderer } from '../access/access.service.ts';
import { getUnit, isHeadOfUnit, updateUnit } from '../org/org.service.ts';
import { assignRole, createObject } from '../systems/governance.service.ts';
import { createSystem, rolesOnObject } from '../systems/systems.service.ts';
import { cancelAbsence, endAbsenceEarly } from './absences.service.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** A governance object with a system in production (so its roles are needed), named `name`. */
async function makeObject(name: string) {
  const unit = await makeUnit(t.ctx);
  const object = await createObject(t.ctx, { actor: admin, input: { name, owningUnitId: unit.id } });
  await createSystem(t.ctx, {
    actor: admin,
    input: systemInput({ name, shortName: name.slice(0, 10), governanceObjectId: object.id }),
  });
  return object;
}
const appoint = (objectId: string, personId: string, role: 'system_manager' | 'it_system_manager') =>
  assignRole(t.ctx, { actor: admin, objectId, input: { personId, role, appointedByPersonId: null } });
const absences = async (personId: string) =>
  (await rows<{ id: string }>(t.ctx.db, sql`select id from coverage_absences where person_id = ${personId}`))
    .length;

describe('absences and cover (V1)', () => {
  it('V1: the cover holds the absent person’s role for the days of the absence only, never the absent person themselves', async () => {
    // The test clock's today is 2026-11-22.
    const object = await makeObject('Cover One');
    const unit = await makeUnit(t.ctx, { name: 'Ward 7' });
    const sam = await signedIn(t, [], { givenName: 'Sam', familyName: 'Manager' });
    await t.ctx.db.execute(
      sql`insert into person_units (person_id, unit_id) values (${sam.person.id}, ${unit.id})`,
    );
    const cora = await makePerson(t.ctx, { givenName: 'Cora', familyName: 'Cover' });
    await appoint(object.id, sam.person.id, 'system_manager');
    const away = { personId: sam.person.id, startsOn: '2026-12-20', endsOn: '2027-01-06', note: 'Christmas' };
    const cover = { objectId: object.id, role: 'system_manager', personId: cora.id };

    // Nobody covers for themselves: refused, and nothing is written.
    const self = await sam.client.post('/api/v1/absences', {
      ...away,
      covers: [{ ...cover, personId: sam.person.id }],
    });
    expect(self.statusCode, self.body).toBe(400);
    expect(self.json()).toMatchObject({ rule: 'V1', errors: [{ field: 'covers' }] });
    expect(await absences(sam.person.id)).toBe(0);
    // Only a role the absent person holds is handed over.
    const notHeld = await sam.client.post('/api/v1/absences', {
      ...away,
      covers: [{ ...cover, role: 'it_system_manager' }],
    });
    expect(notHeld.statusCode).toBe(409);
    expect(notHeld.json()).toMatchObject({ rule: 'V1', errors: [{ field: 'covers.0.role' }] });
    // A colleague who is not the head of Sam's unit does not register Sam's absence.
    const other = await signedIn(t);
    const byOther = await other.client.post('/api/v1/absences', away);
    expect(byOther.statusCode).toBe(403);
    expect(byOther.json().rule).toBe('V1');
    // Absences are registered ahead of time, and end after they start.
    const past = await sam.client.post('/api/v1/absences', {
      ...away,
      startsOn: '2026-11-01',
      endsOn: '2026-11-10',
    });
    expect(past.statusCode).toBe(400);
    expect(past.json().errors[0].field).toBe('endsOn');
    const backwards = await sam.client.post('/api/v1/absences', { ...away, endsOn: '2026-12-01' });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().errors[0].field).toBe('endsOn');
    expect(await absences(sam.person.id)).toBe(0);

    // A cover who already holds the role is no cover.
    const bea = await makePerson(t.ctx, { givenName: 'Bea', familyName: 'Both' });
    await appoint(object.id, bea.id, 'system_manager');
    const holder = await sam.client.post('/api/v1/absences', {
      ...away,
      covers: [{ ...cover, personId: bea.id }],
    });
    expect(holder.statusCode).toBe(400);
    expect(holder.json().errors[0].field).toBe('covers.0.personId');

    // Sam registers the absence and hands the role to Cora.
    const made = await sam.client.post('/api/v1/absences', { ...away, covers: [cover] });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject({
      person: { displayName: 'Sam Manager' },
      startsOn: '2026-12-20',
      endsOn: '2027-01-06',
      delegations: [
        { object: { name: 'Cover One' }, role: 'system_manager', cover: { displayName: 'Cora Cover' } },
      ],
    });
    // The same days cannot be registered twice.
    const twice = await sam.client.post('/api/v1/absences', {
      ...away,
      startsOn: '2027-01-01',
      endsOn: '2027-01-10',
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().errors[0].field).toBe('startsOn');
    // Cora holds the role (with the rights it carries) on the days of the absence, and only then.
    const coraOn = (day: string) => rolesOnObject(t.ctx.db, cora.id, object.id, day);
    expect(await coraOn('2026-12-19')).toEqual([]);
    expect(await coraOn('2026-12-20')).toEqual(['system_manager']);
    expect(await coraOn('2027-01-06')).toEqual(['system_manager']);
    expect(await coraOn('2027-01-07')).toEqual([]);
    // The database refuses a delegation to the absent person, whoever writes.
    await expect(
      rows(
        t.ctx.db,
        sql`insert into coverage_delegations (id, absence_id, from_person_id, object_id, role, cover_person_id, created_at)
            values (gen_random_uuid(), ${made.json().id}, ${sam.person.id}, ${object.id}, 'it_system_manager',
              ${sam.person.id}, now())`,
      ),
    ).rejects.toThrow();
    // Everyone may see who is away; the absence lists with its cover.
    const listed = (await other.client.get(`/api/v1/absences?personId=${sam.person.id}`)).json().items;
    expect(listed.map((a: { id: string }) => a.id)).toEqual([made.json().id]);
    // Audited in the same transaction: the absence and the handover.
    const audited = await rows<{ action: string }>(
      t.ctx.db,
      sql`select action from audit_events where entity_id in (${sam.person.id}, ${object.id}) order by id`,
    );
    expect(audited.map((a) => a.action)).toEqual(
      expect.arrayContaining(['absence.register', 'governance_object.role.delegate']),
    );

    // Cancelled before it begins: the handover is withdrawn, so Cora never holds the role.
    expect((await sam.client.delete(`/api/v1/absences/${made.json().id}`)).statusCode).toBe(204);
    expect(await coraOn('2026-12-24')).toEqual([]);
    expect((await sam.client.get(`/api/v1/absences?personId=${sam.person.id}`)).json().items).toEqual([]);
    const withCancelled = (
      await sam.client.get(`/api/v1/absences?personId=${sam.person.id}&includeCancelled=true`)
    ).json().items;
    expect(withCancelled).toMatchObject([{ cancelled: true, delegations: [{ withdrawn: true }] }]);

    // The head of Sam's unit registers an absence for Sam; cancelled once it has begun, the cover's
    // role ends the day before.
    const head = await signedIn(t, [], { givenName: 'Hedda', familyName: 'Head' });
    await updateUnit(t.ctx, {
      actor: admin,
      id: unit.id,
      ifVersion: unit.version,
      patch: { headPersonId: head.person.id },
    });
    const byHead = await head.client.post('/api/v1/absences', { ...away, covers: [cover] });
    expect(byHead.statusCode, byHead.body).toBe(201);
    t.ctx.clock.set('2026-12-28T09:00:00.000Z');
    try {
      await cancelAbsence(t.ctx, { actor: admin, id: byHead.json().id });
    } finally {
      t.ctx.clock.set('2026-11-22T09:00:00.000Z');
    }
    expect(await coraOn('2026-12-27')).toEqual(['system_manager']);
    expect(await coraOn('2026-12-28')).toEqual([]);
  });
});

describe('coming back early (V1)', () => {
  it('V1: an absence ended early ends every cover’s role and acting head on the new last day, never in the past', async () => {
    // The test clock's today is 2026-11-22.
    const object = await makeObject('Early One');
    const unit = await makeUnit(t.ctx, { name: 'Ward 9' });
    const eva = await signedIn(t, [], { givenName: 'Eva', familyName: 'Early' });
    const cora = await makePerson(t.ctx, { givenName: 'Cora', familyName: 'Cover' });
    const astrid = await makePerson(t.ctx, { givenName: 'Astrid', familyName: 'Acting' });
    await appoint(object.id, eva.person.id, 'system_manager');
    await updateUnit(t.ctx, {
      actor: admin,
      id: unit.id,
      ifVersion: (await getUnit(t.ctx.db, unit.id)).version,
      patch: { headPersonId: eva.person.id },
    });
    const coraOn = (day: string) => rolesOnObject(t.ctx.db, cora.id, object.id, day);
    const actingOn = (day: string) => isHeadOfUnit(t.ctx.db, astrid.id, unit.id, day);
    const register = (startsOn: string, endsOn: string) =>
      eva.client.post('/api/v1/absences', {
        personId: eva.person.id,
        startsOn,
        endsOn,
        covers: [{ objectId: object.id, role: 'system_manager', personId: cora.id }],
        actingHeads: [{ unitId: unit.id, personId: astrid.id }],
      });
    const endEarly = (id: string, lastDay: string, who = eva) =>
      who.client.post(`/api/v1/absences/${id}/end-early`, { lastDay });

    // Away over Christmas; back on the 25th instead.
    const christmas = await register('2026-12-20', '2027-01-06');
    expect(christmas.statusCode, christmas.body).toBe(201);
    const id = christmas.json().id;
    // Refused, with the field named and nothing changed: not a shorter absence, a day before it, no date,
    // and not by a colleague who is not the head of Eva's unit.
    for (const [lastDay, status] of [
      ['2027-01-06', 400],
      ['2027-02-01', 400],
      ['2026-12-19', 400],
      ['24 December', 400],
    ] as const) {
      const refused = await endEarly(id, lastDay);
      expect(refused.statusCode, lastDay).toBe(status);
      expect(refused.json().errors[0].field).toBe('lastDay');
    }
    const stranger = await signedIn(t);
    expect((await endEarly(id, '2026-12-24', stranger)).statusCode).toBe(403);
    expect(await coraOn('2027-01-06')).toEqual(['system_manager']);

    const ended = await endEarly(id, '2026-12-24');
    expect(ended.statusCode, ended.body).toBe(200);
    expect(ended.json()).toMatchObject({ startsOn: '2026-12-20', endsOn: '2026-12-24' });
    expect(await coraOn('2026-12-24')).toEqual(['system_manager']);
    expect(await coraOn('2026-12-25')).toEqual([]);
    expect(await actingOn('2026-12-24')).toBe(true);
    expect(await actingOn('2026-12-25')).toBe(false);
    // Eva holds her role throughout; the change is audited with the old and new last day.
    expect(await rolesOnObject(t.ctx.db, eva.person.id, object.id, '2026-12-30')).toEqual(['system_manager']);
    const [audit] = await rows<{ before: unknown; after: unknown }>(
      t.ctx.db,
      sql`select before, after from audit_events where action = 'absence.end-early' and entity_id = ${eva.person.id}`,
    );
    expect(audit).toMatchObject({ before: { endsOn: '2027-01-06' }, after: { endsOn: '2026-12-24' } });

    // An absence under way: the last day can be yesterday at the earliest (the days before are history).
    const now = await register('2027-02-01', '2027-02-14');
    expect(now.statusCode, now.body).toBe(201);
    t.ctx.clock.set('2027-02-05T09:00:00.000Z');
    try {
      await expect(
        endAbsenceEarly(t.ctx, { actor: admin, id: now.json().id, lastDay: '2027-02-03' }),
      ).rejects.toMatchObject({ status: 400 });
      expect(await coraOn('2027-02-14')).toEqual(['system_manager']);
      await endAbsenceEarly(t.ctx, { actor: admin, id: now.json().id, lastDay: '2027-02-04' });
    } finally {
      t.ctx.clock.set('2026-11-22T09:00:00.000Z');
    }
    expect(await coraOn('2027-02-04')).toEqual(['system_manager']);
    expect(await coraOn('2027-02-05')).toEqual([]);
    expect(await actingOn('2027-02-04')).toBe(true);
    expect(await actingOn('2027-02-05')).toBe(false);

    // A cancelled absence is not ended early.
    expect((await eva.client.delete(`/api/v1/absences/${id}`)).statusCode).toBe(204);
    expect((await endEarly(id, '2026-12-21')).statusCode).toBe(404);
  });
});

describe('acting head of a unit (V1)', () => {
  it('V1: whoever takes over a head’s tasks has the head’s rights in the unit for the absence only', async () => {
    // The test clock's today is 2026-11-22; the head is away from today to 2026-12-06.
    const unit = await makeUnit(t.ctx, { name: 'Ward 11' });
    const hedda = await signedIn(t, [], { givenName: 'Hedda', familyName: 'Head' });
    const astrid = await signedIn(t, [], { givenName: 'Astrid', familyName: 'Acting' });
    const colleague = await makePerson(t.ctx, {
      givenName: 'Olle',
      familyName: 'Orderer',
      unitIds: [unit.id],
    });
    const fresh = await getUnit(t.ctx.db, unit.id);
    await updateUnit(t.ctx, {
      actor: admin,
      id: unit.id,
      ifVersion: fresh.version,
      patch: { headPersonId: hedda.person.id },
    });
    const grantOrderer = (who: typeof astrid) =>
      who.client.post(`/api/v1/org-units/${unit.id}/orderers`, { personId: colleague.id, systemIds: [] });

    // Before: Astrid is not the head, so she grants no ordering rights in the unit (A1).
    expect((await grantOrderer(astrid)).statusCode).toBe(403);
    // Only the head hands over the head's tasks, and not to herself.
    const notHead = await astrid.client.post('/api/v1/absences', {
      personId: astrid.person.id,
      startsOn: '2026-11-22',
      endsOn: '2026-12-06',
      actingHeads: [{ unitId: unit.id, personId: hedda.person.id }],
    });
    expect(notHead.statusCode).toBe(409);
    expect(notHead.json()).toMatchObject({ rule: 'V1', errors: [{ field: 'actingHeads.0.unitId' }] });
    const self = await hedda.client.post('/api/v1/absences', {
      personId: hedda.person.id,
      startsOn: '2026-11-22',
      endsOn: '2026-12-06',
      actingHeads: [{ unitId: unit.id, personId: hedda.person.id }],
    });
    expect(self.statusCode).toBe(400);
    expect(self.json().rule).toBe('V1');
    // The handover list names the unit.
    const handover = await hedda.client.get(
      `/api/v1/absences/handover-roles?personId=${hedda.person.id}&from=2026-11-22&to=2026-12-06`,
    );
    expect(handover.json().units).toEqual([{ id: unit.id, name: 'Ward 11' }]);

    const away = await hedda.client.post('/api/v1/absences', {
      personId: hedda.person.id,
      startsOn: '2026-11-22',
      endsOn: '2026-12-06',
      actingHeads: [{ unitId: unit.id, personId: astrid.person.id }],
    });
    expect(away.statusCode, away.body).toBe(201);
    expect(away.json().delegations).toMatchObject([
      { unit: { name: 'Ward 11' }, object: null, role: null, cover: { displayName: 'Astrid Acting' } },
    ]);
    // During the absence Astrid acts as head: she grants ordering rights in the unit.
    const granted = await grantOrderer(astrid);
    expect(granted.statusCode, granted.body).toBe(201);
    expect(await isHeadOfUnit(t.ctx.db, astrid.person.id, unit.id, '2026-12-06')).toBe(true);
    // Only for those days.
    expect(await isHeadOfUnit(t.ctx.db, astrid.person.id, unit.id, '2026-12-07')).toBe(false);
    // Cancelled: her rights end at once.
    expect((await hedda.client.delete(`/api/v1/absences/${away.json().id}`)).statusCode).toBe(204);
    expect(await isHeadOfUnit(t.ctx.db, astrid.person.id, unit.id, '2026-11-22')).toBe(false);
    const other = await makePerson(t.ctx, { unitIds: [unit.id] });
    expect(
      (
        await astrid.client.post(`/api/v1/org-units/${unit.id}/orderers`, {
          personId: other.id,
          systemIds: [],
        })
      ).statusCode,
    ).toBe(403);
    // The head herself keeps her rights throughout.
    expect(await isHeadOfUnit(t.ctx.db, hedda.person.id, unit.id, '2026-11-30')).toBe(true);
  });
});

describe('absences under concurrency (PostgreSQL)', () => {
  it.skipIf(!onPostgres)(
    'V1: ten overlapping registrations of one person’s absence, sent at once, store exactly one',
    async () => {
      const pia = await signedIn(t, [], { givenName: 'Pia', familyName: 'Parallel' });
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, n) =>
          pia.client.post('/api/v1/absences', {
            personId: pia.person.id,
            startsOn: `2027-03-${String(1 + n).padStart(2, '0')}`,
            endsOn: '2027-03-20',
          }),
        ),
      );
      expect(results.map((r) => r.statusCode).sort()).toEqual([201, ...Array(9).fill(409)]);
      expect(await absences(pia.person.id)).toBe(1);
    },
  );
});

describe('the coverage report (V2)', () => {
  it('V2: finds the days on which every holder of a system’s needed role, or every orderer of a unit, is away, before they come', async () => {
    const object = await makeObject('Gap Two');
    const anna = await signedIn(t, [], { givenName: 'Anna', familyName: 'Away' });
    const bo = await signedIn(t, [], { givenName: 'Bo', familyName: 'Gone' });
    const cecilia = await makePerson(t.ctx, { givenName: 'Cecilia', familyName: 'Cover' });
    await appoint(object.id, anna.person.id, 'system_manager');
    await appoint(object.id, bo.person.id, 'system_manager');
    const unit = await makeUnit(t.ctx, { name: 'Ward 9' });
    const systemIds: string[] = [];
    await grantOrderer(t.ctx, { actor: admin, unitId: unit.id, personId: anna.person.id, systemIds });
    await grantOrderer(t.ctx, { actor: admin, unitId: unit.id, personId: bo.person.id, systemIds });

    const annaAway = await anna.client.post('/api/v1/absences', {
      personId: anna.person.id,
      startsOn: '2026-12-21',
      endsOn: '2027-01-03',
    });
    expect(annaAway.statusCode).toBe(201);
    // One of two away: no gap.
    const report = async (from = '2026-12-01', to = '2027-02-28') => {
      const res = await bo.client.get(`/api/v1/reports/coverage?from=${from}&to=${to}`);
      expect(res.statusCode, res.body).toBe(200);
      return res
        .json()
        .items.filter(
          (g: { subject: { id: string } }) => g.subject.id === object.id || g.subject.id === unit.id,
        );
    };
    expect(await report()).toEqual([]);
    const boAway = await bo.client.post('/api/v1/absences', {
      personId: bo.person.id,
      startsOn: '2026-12-28',
      endsOn: '2027-01-10',
    });
    expect(boAway.statusCode).toBe(201);
    // Both away from 28 December to 3 January: the system manager role and the unit's ordering.
    expect(await report()).toEqual([
      {
        kind: 'system_role',
        subject: { id: object.id, name: 'Gap Two' },
        role: 'system_manager',
        from: '2026-12-28',
        to: '2027-01-03',
        absent: expect.arrayContaining([
          { id: anna.person.id, displayName: 'Anna Away' },
          { id: bo.person.id, displayName: 'Bo Gone' },
        ]),
      },
      {
        kind: 'unit_orderers',
        subject: { id: unit.id, name: 'Ward 9' },
        role: null,
        from: '2026-12-28',
        to: '2027-01-03',
        absent: expect.arrayContaining([{ id: anna.person.id, displayName: 'Anna Away' }]),
      },
    ]);
    // A period that ends before the gap shows none of it.
    expect(await report('2026-12-01', '2026-12-27')).toEqual([]);
    // Found before it happens: in the inbox of those away (and of administrators), not of others.
    const work = async (c: typeof anna) =>
      (await c.client.get('/api/v1/me/work'))
        .json()
        .items.filter(
          (i: { kind: string; subject: { id: string } }) =>
            i.kind.startsWith('coverage.') && (i.subject.id === object.id || i.subject.id === unit.id),
        );
    type Gap = { kind: string; date: string; youAreAway: boolean };
    expect((await work(bo)).map((i: Gap) => [i.kind, i.date, i.youAreAway])).toEqual(
      expect.arrayContaining([
        ['coverage.role', '2026-12-28', true],
        ['coverage.orderers', '2026-12-28', true],
      ]),
    );
    expect(await work(await signedIn(t))).toEqual([]);
    // An administrator sees both gaps, and is not told they are away.
    const seenByAdmin = await work(await signedIn(t, ['administrator']));
    expect(seenByAdmin.map((i: Gap) => i.youAreAway)).toEqual([false, false]);

    // Bo names Cecilia as cover: the role has someone present, the unit's ordering still has not.
    expect((await bo.client.delete(`/api/v1/absences/${boAway.json().id}`)).statusCode).toBe(204);
    const covered = await bo.client.post('/api/v1/absences', {
      personId: bo.person.id,
      startsOn: '2026-12-28',
      endsOn: '2027-01-10',
      covers: [{ objectId: object.id, role: 'system_manager', personId: cecilia.id }],
    });
    expect(covered.statusCode, covered.body).toBe(201);
    expect((await report()).map((g: { kind: string }) => g.kind)).toEqual(['unit_orderers']);

    // The period is checked.
    const backwards = await bo.client.get('/api/v1/reports/coverage?from=2027-01-10&to=2027-01-01');
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().errors[0].field).toBe('to');
    const tooLong = await bo.client.get('/api/v1/reports/coverage?from=2027-01-01&to=2028-06-01');
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().errors[0].field).toBe('to');
  });
});
