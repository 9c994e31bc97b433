// Rule tests of the plans module (G1, G5, G6, G7 and the annual cycle), through HTTP on a real database.
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.ts';
import { onPostgres } from '../../testing/db.ts';
import { createTestApp, makeUnit, signedIn, type TestApp } from '../../testing/http.ts';
import { canonicalJson } from '../audit/audit.service.ts';
import { annualCycleJob, nextCycleOf } from './annual.service.ts';

type User = Awaited<ReturnType<typeof signedIn>>;
let t: TestApp;
let adm: User;
let so: User;
let itso: User;
let sm: User;
let itsm: User;
let spec: User;
let outsider: User;
let unitId: string;
let n = 0;

beforeAll(async () => {
  t = await createTestApp();
  adm = await signedIn(t, ['administrator'], { givenName: 'Ada', familyName: 'Admin' });
  so = await signedIn(t, [], { givenName: 'Sara', familyName: 'Owner' });
  itso = await signedIn(t, [], { givenName: 'Ivar', familyName: 'ItOwner' });
  sm = await signedIn(t, [], { givenName: 'Maja', familyName: 'Manager' });
  itsm = await signedIn(t, [], { givenName: 'Ivan', familyName: 'ItManager' });
  spec = await signedIn(t, [], { givenName: 'Bo', familyName: 'Specialist' });
  outsider = await signedIn(t, [], { givenName: 'Olle', familyName: 'Outsider' });
  unitId = (await makeUnit(t.ctx, { name: 'Student Services' })).id;
});
afterAll(() => t.close());

async function makeObject(budgetFrame: string | null = '100000') {
  n += 1;
  const o = await adm.client.post('/api/v1/governance-objects', {
    name: `Plan object ${n}`,
    owningUnitId: unitId,
    budgetFrame,
  });
  expect(o.statusCode, o.body).toBe(201);
  const objectId = o.json().id as string;
  const s = await adm.client.post('/api/v1/systems', {
    name: `Plan system ${n}`,
    shortName: `PS${n}`,
    orgModel: 2,
    hosting: 'own',
    lifecycle: 'in_production',
    governanceObjectId: objectId,
  });
  expect(s.statusCode, s.body).toBe(201);
  const appoint = async (u: User, role: string, by?: User) => {
    const r = await adm.client.post(`/api/v1/governance-objects/${objectId}/roles`, {
      personId: u.person.id,
      role,
      validFrom: '2024-01-01',
      appointedByPersonId: by?.person.id ?? null,
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json();
  };
  await appoint(so, 'system_owner');
  await appoint(itso, 'it_system_owner');
  await appoint(sm, 'system_manager');
  await appoint(itsm, 'it_system_manager', itso);
  await appoint(spec, 'business_specialist');
  return { objectId, systemId: s.json().id as string };
}

async function startPlan(objectId: string, year = 2026, language = 'sv') {
  const r = await sm.client.post(`/api/v1/governance-objects/${objectId}/plans`, { year, language });
  expect(r.statusCode, r.body).toBe(201);
  return { planId: r.json().id as string, versionId: r.json().currentVersionId as string };
}
const version = async (id: string, u: User = sm) => {
  const r = await u.client.get(`/api/v1/plan-versions/${id}`);
  expect(r.statusCode, r.body).toBe(200);
  return r.json();
};
const activity = (over: Record<string, unknown> = {}) => ({
  title: 'Upgrade to release 3',
  side: 'it',
  kind: 'maintenance',
  quarter: 1,
  estimatedHours: 40,
  estimatedCost: 20000,
  ...over,
});
async function addActivity(versionId: string, over: Record<string, unknown> = {}, u: User = sm) {
  const r = await u.client.post(`/api/v1/plan-versions/${versionId}/activities`, activity(over));
  expect(r.statusCode, r.body).toBe(201);
  return r.json();
}
const ifMatch = (v: number) => ({ 'if-match': `W/"${v}"` });
async function outboxTo(email: string) {
  return rows<{ recipient: string; subject: string; body: string }>(
    t.ctx.db,
    sql`select recipient, subject, body from outbox where recipient = ${email} order by id`,
  );
}
async function approveAndSign(versionId: string) {
  expect((await sm.client.post(`/api/v1/plan-versions/${versionId}/propose`)).statusCode).toBe(200);
  expect((await so.client.post(`/api/v1/plan-versions/${versionId}/approve`)).statusCode).toBe(200);
  expect(
    (await so.client.post(`/api/v1/plan-versions/${versionId}/sign`, { role: 'system_owner' })).statusCode,
  ).toBe(200);
  const r = await itso.client.post(`/api/v1/plan-versions/${versionId}/sign`, { role: 'it_system_owner' });
  expect(r.statusCode, r.body).toBe(200);
  return r.json();
}

describe('plans: rights and flow (G1, G5)', () => {
  it('G1: one plan per governance object and year; a second one is refused naming the year', async () => {
    const { objectId } = await makeObject();
    await startPlan(objectId, 2026);
    const again = await itsm.client.post(`/api/v1/governance-objects/${objectId}/plans`, { year: 2026 });
    expect(again.statusCode).toBe(409);
    expect(again.json().rule).toBe('G1');
    expect(again.json().errors[0].field).toBe('year');
    expect(
      (await itsm.client.post(`/api/v1/governance-objects/${objectId}/plans`, { year: 2027 })).statusCode,
    ).toBe(201);
  });

  it('G5: the system manager and IT system manager edit the draft; the IT system owner is refused (403, rule G5)', async () => {
    const { objectId } = await makeObject();
    const { versionId } = await startPlan(objectId);
    let v = await version(versionId);
    const edited = await sm.client.patch(
      `/api/v1/plan-versions/${versionId}`,
      { goals: 'Stable operation.' },
      ifMatch(v.rowVersion),
    );
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json().goals).toBe('Stable operation.');
    await addActivity(versionId, {}, itsm);

    v = await version(versionId, itso);
    expect(v.goals).toBe('Stable operation.');
    expect(v.abilities.edit).toBe(false);
    const refused = await itso.client.patch(
      `/api/v1/plan-versions/${versionId}`,
      { goals: 'Mine now.' },
      ifMatch(v.rowVersion),
    );
    expect(refused.statusCode).toBe(403);
    expect(refused.json().rule).toBe('G5');
    expect(refused.json().title).toMatch(/IT system owner/);
    const refusedActivity = await itso.client.post(
      `/api/v1/plan-versions/${versionId}/activities`,
      activity(),
    );
    expect(refusedActivity.statusCode).toBe(403);
    expect(refusedActivity.json().rule).toBe('G5');
    // Not even an administrator edits someone's plan; the specialist reads; an outsider does not.
    expect(
      (await adm.client.patch(`/api/v1/plan-versions/${versionId}`, { goals: 'x' }, ifMatch(v.rowVersion)))
        .statusCode,
    ).toBe(403);
    expect((await spec.client.get(`/api/v1/plan-versions/${versionId}`)).statusCode).toBe(200);
    expect(
      (await spec.client.patch(`/api/v1/plan-versions/${versionId}`, { goals: 'x' }, ifMatch(v.rowVersion)))
        .statusCode,
    ).toBe(403);
    const out = await outsider.client.get(`/api/v1/plan-versions/${versionId}`);
    expect(out.statusCode).toBe(403);
    expect(out.json().rule).toBe('G5');
    expect((await version(versionId)).goals).toBe('Stable operation.');
    // A stale If-Match is a 412, not a lost update.
    expect(
      (await sm.client.patch(`/api/v1/plan-versions/${versionId}`, { goals: 'old' }, ifMatch(1))).statusCode,
    ).toBe(412);
  });

  it('G5: proposed, approved by the system owner, signed by system owner and IT system owner with the hash of the exact content', async () => {
    const { objectId } = await makeObject();
    const { planId, versionId } = await startPlan(objectId);
    await addActivity(versionId);
    expect((await sm.client.post(`/api/v1/plan-versions/${versionId}/approve`)).statusCode).toBe(403);
    expect((await so.client.post(`/api/v1/plan-versions/${versionId}/approve`)).json().rule).toBe('G5'); // not proposed yet
    const proposed = await sm.client.post(`/api/v1/plan-versions/${versionId}/propose`);
    expect(proposed.json().state).toBe('proposed');
    expect((await itso.client.post(`/api/v1/plan-versions/${versionId}/approve`)).statusCode).toBe(403);
    const approved = await so.client.post(`/api/v1/plan-versions/${versionId}/approve`);
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().state).toBe('approved');
    const hash = approved.json().contentHash as string;
    const [snap] = await rows<{ snapshot: unknown }>(
      t.ctx.db,
      sql`select snapshot from plan_versions where id = ${versionId}`,
    );
    const snapshot = typeof snap.snapshot === 'string' ? JSON.parse(snap.snapshot) : snap.snapshot;
    expect(createHash('sha256').update(canonicalJson(snapshot)).digest('hex')).toBe(hash);
    // Signing in a role one does not hold is refused; the system manager cannot sign at all.
    expect(
      (await sm.client.post(`/api/v1/plan-versions/${versionId}/sign`, { role: 'system_owner' })).statusCode,
    ).toBe(403);
    const wrongRole = await itso.client.post(`/api/v1/plan-versions/${versionId}/sign`, {
      role: 'system_owner',
    });
    expect(wrongRole.statusCode).toBe(409);
    expect(wrongRole.json().rule).toBe('G5');
    const one = await so.client.post(`/api/v1/plan-versions/${versionId}/sign`, { role: 'system_owner' });
    expect(one.json().state).toBe('approved');
    expect(
      (await so.client.post(`/api/v1/plan-versions/${versionId}/sign`, { role: 'system_owner' })).statusCode,
    ).toBe(409);
    const two = await itso.client.post(`/api/v1/plan-versions/${versionId}/sign`, {
      role: 'it_system_owner',
    });
    expect(two.json().state).toBe('signed');
    const sigs = two.json().signatures;
    expect(sigs.map((s: any) => [s.role, s.person.displayName, s.contentHash])).toEqual([
      ['system_owner', 'Sara Owner', hash],
      ['it_system_owner', 'Ivar ItOwner', hash],
    ]);
    expect(sigs[0].signedAt).toBe(t.ctx.clock.now().toISOString());
    const plan = (await so.client.get(`/api/v1/plans/${planId}`)).json();
    expect(plan.versions).toEqual([
      expect.objectContaining({ number: 1, state: 'signed', contentHash: hash }),
    ]);
  });

  it('G5: an edit of an approved version is refused (409), also by the database; the organisation is frozen', async () => {
    const { objectId } = await makeObject();
    const { versionId } = await startPlan(objectId);
    const a = await addActivity(versionId);
    const signed = await approveAndSign(versionId);
    expect(signed.organisation.map((o: any) => o.displayName)).toContain('Maja Manager');
    const patch = await sm.client.patch(
      `/api/v1/plan-versions/${versionId}`,
      { goals: 'changed' },
      ifMatch(signed.rowVersion),
    );
    expect(patch.statusCode).toBe(409);
    expect(patch.json().rule).toBe('G5');
    const act = a.activities[0];
    const actPatch = await sm.client.patch(
      `/api/v1/plan-activities/${act.id}`,
      { status: 'done' },
      ifMatch(act.version),
    );
    expect(actPatch.statusCode).toBe(409);
    expect(actPatch.json().rule).toBe('G5');
    expect(
      (await sm.client.post(`/api/v1/plan-versions/${versionId}/activities`, activity())).statusCode,
    ).toBe(409);
    expect((await sm.client.delete(`/api/v1/plan-activities/${act.id}`)).statusCode).toBe(409);
    await expect(
      t.ctx.db.execute(sql`update plan_versions set goals = 'sneaky' where id = ${versionId}`),
    ).rejects.toThrow();
    await expect(
      t.ctx.db.execute(sql`update plan_activities set title = 'sneaky' where id = ${act.id}`),
    ).rejects.toThrow();
    // A new system manager later does not change what was approved.
    const newcomer = await signedIn(t, [], { givenName: 'Nils', familyName: 'Newcomer' });
    await adm.client.post(`/api/v1/governance-objects/${objectId}/roles`, {
      personId: newcomer.person.id,
      role: 'system_manager',
      validFrom: '2026-11-22',
    });
    const after = await version(versionId);
    expect(after.organisation.map((o: any) => o.displayName)).not.toContain('Nils Newcomer');
    expect(after.goals).toBe(signed.goals);
  });

  it('G5: a revision is a new version started from the approved one; all versions stay viewable with a diff', async () => {
    const { objectId } = await makeObject();
    const { planId, versionId } = await startPlan(objectId);
    await addActivity(versionId, { title: 'Keep' });
    await addActivity(versionId, { title: 'Drop' });
    const v1 = await approveAndSign(versionId);
    const rev = await itsm.client.post(`/api/v1/plan-versions/${versionId}/revise`);
    expect(rev.statusCode, rev.body).toBe(201);
    const v2 = rev.json();
    expect([v2.number, v2.state, v2.basedOnVersion]).toEqual([2, 'draft', 1]);
    expect(v2.activities.map((a: any) => a.title)).toEqual(['Keep', 'Drop']);
    // Only one open version at a time.
    expect((await itsm.client.post(`/api/v1/plan-versions/${versionId}/revise`)).statusCode).toBe(409);
    const keep = v2.activities[0];
    // Hours and money with more decimals than the plan keeps are refused, naming the field, not rounded.
    for (const [field, value] of [
      ['estimatedHours', 12.55],
      ['estimatedCost', 100.005],
    ] as const) {
      const res = await sm.client.patch(
        `/api/v1/plan-activities/${keep.id}`,
        { [field]: value },
        ifMatch(keep.version),
      );
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().errors.map((e: any) => e.field)).toEqual([field]);
    }
    await sm.client.patch(
      `/api/v1/plan-activities/${keep.id}`,
      { status: 'ongoing', followUp: 'Half done.' },
      ifMatch(keep.version),
    );
    // The audit records the activity before and after in the same shape: only what changed differs.
    const [event] = await rows<{ before: Record<string, unknown>; after: Record<string, unknown> }>(
      t.ctx.db,
      sql`select before, after from audit_events where action = 'plan.activity.update' and entity_id = ${keep.id}`,
    );
    expect(Object.keys(event.after).sort()).toEqual(Object.keys(event.before).sort());
    const changed = Object.keys(event.after).filter(
      (k) => JSON.stringify(event.before[k]) !== JSON.stringify(event.after[k]),
    );
    expect(changed.sort()).toEqual(['followUp', 'rowVersion', 'status']);
    await sm.client.delete(`/api/v1/plan-activities/${v2.activities[1].id}`);
    await addActivity(v2.id, { title: 'New' });
    const diff = (await spec.client.get(`/api/v1/plans/${planId}/diff?from=1&to=2`)).json();
    expect(diff.activities.added.map((a: any) => a.title)).toEqual(['New']);
    expect(diff.activities.removed.map((a: any) => a.title)).toEqual(['Drop']);
    expect(diff.activities.changed[0].fields).toEqual(
      expect.arrayContaining([
        { field: 'status', before: 'planned', after: 'ongoing' },
        { field: 'followUp', before: '', after: 'Half done.' },
      ]),
    );
    expect((await version(versionId)).activities.map((a: any) => a.title)).toEqual(['Keep', 'Drop']);
    expect((await version(versionId)).contentHash).toBe(v1.contentHash);
    const plan = (await spec.client.get(`/api/v1/plans/${planId}`)).json();
    expect(plan.versions.map((v: any) => [v.number, v.state])).toEqual([
      [1, 'signed'],
      [2, 'draft'],
    ]);
    expect(plan.currentVersionId).toBe(v2.id);
    expect((await spec.client.get(`/api/v1/plans/${planId}/diff?from=1&to=9`)).statusCode).toBe(400);
  });

  it('G5: the approved plan exports to PDF with signatures, hash and page numbers, in the plan language', async () => {
    const { objectId } = await makeObject();
    const { versionId } = await startPlan(objectId, 2026, 'sv');
    for (let i = 0; i < 30; i++)
      await addActivity(versionId, {
        title: `Aktivitet ${i + 1} för Åsa`,
        description: 'Beskrivning '.repeat(20),
      });
    const signed = await approveAndSign(versionId);
    const res = await spec.client.get(`/api/v1/plan-versions/${versionId}/pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = res.rawPayload;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const pages = (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
    expect(pages).toBeGreaterThan(1);
    expect(pdf.toString('latin1')).toContain(signed.contentHash); // in the document info (Subject)
    expect((await outsider.client.get(`/api/v1/plan-versions/${versionId}/pdf`)).statusCode).toBe(403);
  });
});

describe('activities and budget (G7)', () => {
  it('G7: activities have side, kind, timing, responsible, hours, cost and status; the budget appendix totals them against the frame', async () => {
    const { objectId } = await makeObject('100000');
    const { versionId } = await startPlan(objectId);
    const noTiming = await sm.client.post(
      `/api/v1/plan-versions/${versionId}/activities`,
      activity({ quarter: null }),
    );
    expect(noTiming.statusCode).toBe(400);
    expect(noTiming.json().errors[0].field).toBe('quarter');
    const badPeriod = await sm.client.post(
      `/api/v1/plan-versions/${versionId}/activities`,
      activity({ quarter: null, startOn: '2026-05-01', endOn: '2026-04-01' }),
    );
    expect(badPeriod.statusCode).toBe(400);
    expect(badPeriod.json().errors[0].field).toBe('endOn');
    await addActivity(versionId, {
      side: 'it',
      kind: 'maintenance',
      quarter: 1,
      estimatedHours: 40,
      estimatedCost: 20000,
    });
    await addActivity(versionId, {
      side: 'business',
      kind: 'development',
      quarter: null,
      startOn: '2026-08-15',
      endOn: '2026-09-30',
      estimatedHours: 100.5,
      estimatedCost: '50000.50',
      responsiblePersonId: sm.person.id,
    });
    const v = await addActivity(versionId, {
      side: 'business',
      kind: 'maintenance',
      quarter: 3,
      estimatedHours: 10,
      estimatedCost: 45000,
    });
    const b = v.budget;
    expect(b.total).toEqual({ hours: 150.5, cost: 115000.5 });
    expect(b.bySide).toEqual({ business: { hours: 110.5, cost: 95000.5 }, it: { hours: 40, cost: 20000 } });
    expect(b.byKind).toEqual({
      maintenance: { hours: 50, cost: 65000 },
      development: { hours: 100.5, cost: 50000.5 },
    });
    expect(b.byQuarter.map((q: any) => q.cost)).toEqual([20000, 0, 95000.5, 0]);
    expect(b.frame).toBe(100000);
    expect(b.difference).toBe(-15000.5);
    const dev = v.activities[1];
    expect(dev.responsible.displayName).toBe('Maja Manager');
    expect(dev.effectiveQuarter).toBe(3);
    // Follow-up during the year: status and comment; a cancelled activity leaves the totals.
    const last = v.activities[2];
    const upd = await itsm.client.patch(
      `/api/v1/plan-activities/${last.id}`,
      { status: 'cancelled', followUp: 'Not needed after all.' },
      ifMatch(last.version),
    );
    expect(upd.statusCode, upd.body).toBe(200);
    expect(upd.json().activities[2]).toMatchObject({
      status: 'cancelled',
      followUp: 'Not needed after all.',
    });
    expect(upd.json().budget.total.cost).toBe(70000.5);
    expect(upd.json().budget.difference).toBe(29999.5);
    // The dashboard's totals (kept by a trigger) agree with the activities.
    const row = (await sm.client.get('/api/v1/plans/dashboard?year=2026'))
      .json()
      .items.find((r: any) => r.objectId === objectId);
    expect([row.activities, row.totalCost, row.budgetFrame]).toEqual([3, 70000.5, 100000]);
    await sm.client.delete(`/api/v1/plan-activities/${v.activities[0].id}`);
    const after = (await sm.client.get('/api/v1/plans/dashboard?year=2026'))
      .json()
      .items.find((r: any) => r.objectId === objectId);
    expect([after.activities, after.totalCost]).toEqual([2, 50000.5]);
    expect(
      (
        await itsm.client.patch(
          `/api/v1/plan-activities/${last.id}`,
          { status: 'done' },
          ifMatch(last.version),
        )
      ).statusCode,
    ).toBe(412);
    expect(
      (await sm.client.post(`/api/v1/plan-versions/${versionId}/activities`, activity({ side: 'legal' })))
        .statusCode,
    ).toBe(400);
  });
});

describe('security and continuity checklist (G6)', () => {
  it('G6: a NO answer attested by the IT system owner notifies both the system manager and the IT system owner and shows as a deviation on object, system and dashboard until a later YES', async () => {
    const { objectId, systemId } = await makeObject();
    const tpl = (await sm.client.get('/api/v1/checklist-template')).json();
    const all = (answer: string) =>
      tpl.questions.map((q: any) => ({ questionKey: q.key, answer, comment: '' }));
    const first = all('yes');
    first[1] = { questionKey: tpl.questions[1].key, answer: 'no', comment: 'No restore test this year.' };
    const put = await itsm.client.request('PUT', `/api/v1/systems/${systemId}/checklist`, { answers: first });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().draft.answers[1]).toMatchObject({
      answer: 'no',
      comment: 'No restore test this year.',
    });
    // Only the IT system owner attests.
    const byManager = await sm.client.post(`/api/v1/systems/${systemId}/checklist/attest`);
    expect(byManager.statusCode).toBe(403);
    expect(byManager.json().rule).toBe('G6');
    const attested = await itso.client.post(`/api/v1/systems/${systemId}/checklist/attest`);
    expect(attested.statusCode, attested.body).toBe(200);
    expect(attested.json().notified).toBe(2);
    expect(attested.json().latestAttested.attestedBy).toBe('Ivar ItOwner');
    for (const u of [sm, itso]) {
      const mails = await outboxTo(u.person.email!);
      expect(mails.at(-1)?.subject).toMatch(/Deviations in the security and continuity checklist/);
      expect(mails.at(-1)?.body).toContain('No restore test this year.');
    }
    expect((await outboxTo(itsm.person.email!)).some((m) => /Deviations/.test(m.subject))).toBe(false);
    const onSystem = (await spec.client.get(`/api/v1/systems/${systemId}/checklist`)).json().deviations;
    expect(onSystem.map((d: any) => [d.questionKey, d.answer])).toEqual([[tpl.questions[1].key, 'no']]);
    const onObject = (await spec.client.get(`/api/v1/plans/deviations?objectId=${objectId}`)).json().items;
    expect(onObject).toHaveLength(1);
    const board = async () =>
      (await outsider.client.get('/api/v1/plans/dashboard?year=2026'))
        .json()
        .items.find((r: any) => r.objectId === objectId);
    expect((await board()).openDeviations).toBe(1);
    // G5: the outsider sees the row but is told the plan is not theirs to open; the specialist may.
    expect((await board()).mayRead).toBe(false);
    const specRow = (await spec.client.get('/api/v1/plans/dashboard?year=2026'))
      .json()
      .items.find((r: any) => r.objectId === objectId);
    expect(specRow.mayRead).toBe(true);
    // An attested checklist cannot change.
    await expect(
      t.ctx.db.execute(
        sql`update checklist_answers set answer = 'yes' where response_id = ${attested.json().latestAttested.id}`,
      ),
    ).rejects.toThrow();
    // A later draft answered YES but not yet attested: still a deviation.
    await itsm.client.request('PUT', `/api/v1/systems/${systemId}/checklist`, { answers: all('yes') });
    expect((await spec.client.get(`/api/v1/systems/${systemId}/checklist`)).json().deviations).toHaveLength(
      1,
    );
    const fixed = await itso.client.post(`/api/v1/systems/${systemId}/checklist/attest`);
    expect(fixed.json().deviations).toEqual([]);
    expect(fixed.json().notified).toBe(0);
    expect((await spec.client.get(`/api/v1/plans/deviations?objectId=${objectId}`)).json().items).toEqual([]);
    expect((await board()).openDeviations).toBe(0);
    expect(fixed.json().history).toHaveLength(2);
  });

  it('G6: every question is answered before attestation; answers name real questions; the template is versioned by administrators', async () => {
    const { systemId } = await makeObject();
    const tpl = (await sm.client.get('/api/v1/checklist-template')).json();
    const bad = await itsm.client.request('PUT', `/api/v1/systems/${systemId}/checklist`, {
      answers: [{ questionKey: 'nonsense', answer: 'yes' }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('answers.0.questionKey');
    await itsm.client.request('PUT', `/api/v1/systems/${systemId}/checklist`, {
      answers: [{ questionKey: tpl.questions[0].key, answer: 'partly', comment: 'Weekly only.' }],
    });
    const early = await itso.client.post(`/api/v1/systems/${systemId}/checklist/attest`);
    expect(early.statusCode).toBe(409);
    expect(early.json().rule).toBe('G6');
    expect(early.json().errors.length).toBe(tpl.questions.length - 1);
    expect(
      (await sm.client.request('PUT', '/api/v1/checklist-template', { questions: tpl.questions })).statusCode,
    ).toBe(403);
    const next = await adm.client.request('PUT', '/api/v1/checklist-template', {
      questions: [
        ...tpl.questions,
        { key: 'encryption', en: 'Data is encrypted at rest.', sv: 'Data är krypterat i vila.' },
      ],
    });
    expect(next.statusCode, next.body).toBe(200);
    expect(next.json().version).toBe(tpl.version + 1);
    // The open draft keeps its template version; a new checklist uses the new one.
    const cl = (await itsm.client.get(`/api/v1/systems/${systemId}/checklist`)).json();
    expect(cl.draft.templateVersion).toBe(tpl.version);
    expect(cl.template.version).toBe(tpl.version + 1);
  });
});

describe('annual cycle and year dashboard', () => {
  it('G7: next year is drafted from this year: unfinished activities carried over, open deviations and overdue reviews as activities; reminders by e-mail', async () => {
    const { objectId, systemId } = await makeObject();
    const { versionId } = await startPlan(objectId, 2026, 'en');
    await sm.client.patch(`/api/v1/plan-versions/${versionId}`, { goals: 'Keep it running.' }, ifMatch(1));
    const v = await addActivity(versionId, { title: 'Finished' });
    await sm.client.patch(
      `/api/v1/plan-activities/${v.activities[0].id}`,
      { status: 'done' },
      ifMatch(v.activities[0].version),
    );
    await addActivity(versionId, { title: 'Half way', status: 'ongoing', quarter: 4 });
    await addActivity(versionId, { title: 'Later', status: 'postponed' });
    await approveAndSign(versionId);
    const tpl = (await sm.client.get('/api/v1/checklist-template')).json();
    await itsm.client.request('PUT', `/api/v1/systems/${systemId}/checklist`, {
      answers: tpl.questions.map((q: any, i: number) => ({
        questionKey: q.key,
        answer: i === 0 ? 'partly' : 'yes',
      })),
    });
    await itso.client.post(`/api/v1/systems/${systemId}/checklist/attest`);
    const doc = await adm.client.request('PUT', `/api/v1/systems/${systemId}/documents/logging`, {
      body: 'Logging decisions.',
      ownerPersonId: itsm.person.id,
      reviewIntervalMonths: 12,
      lastReviewedOn: '2024-06-01',
    });
    expect(doc.statusCode, doc.body).toBeLessThan(300);

    expect((await sm.client.post('/api/v1/plans/annual-cycle', { year: 2027 })).statusCode).toBe(403);
    const run = await adm.client.post('/api/v1/plans/annual-cycle', { year: 2027 });
    expect(run.statusCode, run.body).toBe(200);
    expect(run.json().created).toBeGreaterThanOrEqual(1);
    const plans = (await sm.client.get(`/api/v1/governance-objects/${objectId}/plans`)).json().items;
    const next = plans.find((p: any) => p.year === 2027);
    expect(next.language).toBe('en');
    const draft = await version(next.currentVersionId);
    expect(draft.state).toBe('draft');
    expect(draft.goals).toBe('Keep it running.');
    expect(draft.activities.map((a: any) => [a.title, a.origin, a.status])).toEqual([
      ['Half way', 'carried_over', 'planned'],
      ['Later', 'carried_over', 'planned'],
      [expect.stringContaining('Resolve deviation'), 'deviation', 'planned'],
      [expect.stringContaining('logging'), 'document_review', 'planned'],
    ]);
    expect(draft.activities[0].quarter).toBe(4);
    expect(
      (await outboxTo(itsm.person.email!)).some(
        (m) => m.subject === `Draft management plan 2027 for Plan object ${n}`,
      ),
    ).toBe(true);
    // Running again drafts nothing twice.
    const again = (await adm.client.post('/api/v1/plans/annual-cycle', { year: 2027 })).json();
    expect(again.created).toBe(0);
    // G7: plans are prepared for next year at the latest; a year further ahead is refused, naming the field.
    const nextYear = Number(t.ctx.clock.now().toISOString().slice(0, 4)) + 1;
    const far = await adm.client.post('/api/v1/plans/annual-cycle', { year: nextYear + 1 });
    expect(far.statusCode).toBe(400);
    expect(far.json().errors.map((e: { field: string }) => e.field)).toEqual(['year']);

    const board = (await sm.client.get('/api/v1/plans/dashboard?year=2027')).json();
    const row = board.items.find((r: any) => r.objectId === objectId);
    expect(row).toMatchObject({
      status: 'draft',
      versionNumber: 1,
      activities: 4,
      systemManagers: ['Maja Manager'],
    });
    expect(board.counts.draft).toBeGreaterThanOrEqual(1);
    const row2026 = (await sm.client.get('/api/v1/plans/dashboard?year=2026&status=signed')).json().items;
    expect(row2026.map((r: any) => r.objectId)).toContain(objectId);
    const before = (await outboxTo(sm.person.email!)).length;
    const remind = await adm.client.post('/api/v1/plans/reminders', { year: 2027 });
    expect(remind.statusCode).toBe(200);
    const mails = (await outboxTo(sm.person.email!)).slice(before);
    expect(mails.map((m) => m.subject)).toContain(`Reminder: management plan 2027 for Plan object ${n}`);
  });

  it('the year dashboard is cached per process but sees every committed write, whoever made it', async () => {
    const { objectId } = await makeObject();
    await startPlan(objectId, 2026, 'sv');
    const rowOf = async () =>
      (await sm.client.get('/api/v1/plans/dashboard?year=2026'))
        .json()
        .items.find((r: any) => r.objectId === objectId);
    expect(await rowOf()).toMatchObject({ status: 'draft', systemManagers: ['Maja Manager'] });
    const versionOf = async (name: string) =>
      Number(
        (
          await rows<{ version: string }>(
            t.ctx.db,
            sql`select version from data_versions where name = ${name}`,
          )
        )[0]?.version ?? 0,
      );
    // Writes that bypass the plans service entirely (another app process, a database console) are
    // seen on the next request: the triggers bump the tables' versions in the writing transaction.
    const before = await versionOf('governance_objects');
    await t.ctx.db.execute(
      sql`update governance_objects set name = 'Renamed elsewhere' where id = ${objectId}`,
    );
    expect(await versionOf('governance_objects')).toBe(before + 1);
    expect((await rowOf()).objectName).toBe('Renamed elsewhere');
    await t.ctx.db.execute(sql`update persons set given_name = 'Majken' where id = ${sm.person.id}`);
    expect((await rowOf()).systemManagers).toEqual(['Majken Manager']);
    await t.ctx.db.execute(
      sql`update plan_versions set state = 'proposed' where plan_id in (select id from plans where object_id = ${objectId})`,
    );
    expect((await rowOf()).status).toBe('proposed');
    // A write that is rolled back changes neither the version nor the answer.
    const v = await versionOf('governance_objects');
    await expect(
      t.ctx.db.transaction(async (tx) => {
        await tx.execute(sql`update governance_objects set name = 'Never' where id = ${objectId}`);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await versionOf('governance_objects')).toBe(v);
    expect((await rowOf()).objectName).toBe('Renamed elsewhere');
    await t.ctx.db.execute(sql`update persons set given_name = 'Maja' where id = ${sm.person.id}`);
    await t.ctx.db.execute(
      sql`update plan_versions set state = 'draft' where plan_id in (select id from plans where object_id = ${objectId})`,
    );
  });

  it('the annual cycle runs by itself on the configured date (default 1 November), once', async () => {
    const { objectId } = await makeObject();
    // The cycle run by hand above counts as this year's run; forget it to see the job decide alone.
    await t.ctx.db.execute(sql`update plan_settings set last_cycle_year = null`);
    expect((await adm.client.get('/api/v1/plans/settings')).json().cycleMonthDay).toBe('11-01');
    const bad = await adm.client.request('PUT', '/api/v1/plans/settings', { cycleMonthDay: '13-40' });
    expect(bad.statusCode).toBe(400);
    await adm.client.request('PUT', '/api/v1/plans/settings', { cycleMonthDay: '12-01' });
    // 22 November: before the configured 1 December, nothing happens.
    expect(await annualCycleJob(t.ctx)).toBeNull();
    t.ctx.clock.set('2026-12-01T08:00:00.000Z');
    const ran = await annualCycleJob(t.ctx);
    expect(ran?.year).toBe(2027);
    expect(await annualCycleJob(t.ctx)).toBeNull();
    t.ctx.clock.set('2026-11-22T09:00:00.000Z');
    const plans = (await sm.client.get(`/api/v1/governance-objects/${objectId}/plans`)).json().items;
    expect(plans.map((p: any) => p.year)).toContain(2027);
  });
});

describe('what the caller may open (G5, G6), asked of the policy without trying', () => {
  it('G5: the plans list marks a plan readable for a member of the object’s governance organisation, not for a non-member', async () => {
    const { objectId } = await makeObject();
    const { planId } = await startPlan(objectId, 2026);
    const rowFor = async (u: User) => {
      const r = await u.client.get('/api/v1/plans/dashboard?year=2026');
      expect(r.statusCode, r.body).toBe(200);
      return r.json().items.find((x: any) => x.objectId === objectId);
    };
    // Every member reads the plan: the main roles and the specialists.
    for (const member of [sm, itsm, so, itso, spec]) {
      expect(await rowFor(member)).toMatchObject({ planId, mayRead: true });
    }
    // A non-member sees the row (the year's status is open to all) but may not open the plan, and
    // indeed is refused if they try.
    expect(await rowFor(outsider)).toMatchObject({ planId, mayRead: false });
    expect((await outsider.client.get(`/api/v1/plans/${planId}`)).statusCode).toBe(403);
    expect((await spec.client.get(`/api/v1/plans/${planId}`)).statusCode).toBe(200);
  });

  it('G5, G6: the object’s plan abilities say what the caller may do, refuse and audit nothing', async () => {
    const { objectId } = await makeObject();
    const abilities = async (u: User) => {
      const r = await u.client.get(`/api/v1/governance-objects/${objectId}/plan-abilities`);
      expect(r.statusCode, r.body).toBe(200);
      return r.json();
    };
    expect(await abilities(sm)).toEqual({ readPlans: true, createPlan: true, readChecklist: true });
    expect(await abilities(spec)).toEqual({ readPlans: true, createPlan: false, readChecklist: true });
    expect(await abilities(so)).toEqual({ readPlans: true, createPlan: false, readChecklist: true });
    const audited = async () =>
      (
        await rows<{ n: number }>(
          t.ctx.db,
          sql`select count(*)::int as n from audit_events where actor_person_id = ${outsider.person.id}`,
        )
      )[0].n;
    const before = await audited();
    expect(await abilities(outsider)).toEqual({ readPlans: false, createPlan: false, readChecklist: false });
    expect(await audited()).toBe(before);
    // What they are told they may not read is indeed refused.
    expect((await outsider.client.get(`/api/v1/governance-objects/${objectId}/plans`)).statusCode).toBe(403);
    expect((await outsider.client.get(`/api/v1/plans/deviations?objectId=${objectId}`)).statusCode).toBe(403);
    expect(
      (
        await outsider.client.get(
          '/api/v1/governance-objects/00000000-0000-4000-8000-000000000000/plan-abilities',
        )
      ).statusCode,
    ).toBe(404);
  });

  it('G6: the deviations of a past year are those open when it ended; of this year, those open today', async () => {
    const { objectId, systemId } = await makeObject();
    const tpl = (await sm.client.get('/api/v1/checklist-template')).json();
    const answers = tpl.questions.map((q: any, i: number) => ({
      questionKey: q.key,
      answer: i === 0 ? 'no' : 'yes',
      comment: '',
    }));
    await itsm.client.request('PUT', `/api/v1/systems/${systemId}/checklist`, { answers });
    const attested = await itso.client.post(`/api/v1/systems/${systemId}/checklist/attest`);
    expect(attested.statusCode, attested.body).toBe(200);
    const board = async (year: number) => {
      const r = (await spec.client.get(`/api/v1/plans/dashboard?year=${year}`)).json();
      return { on: r.deviationsOn, row: r.items.find((x: any) => x.objectId === objectId) };
    };
    const today = t.ctx.clock.now().toISOString().slice(0, 10);
    expect(await board(2026)).toMatchObject({ on: today, row: { openDeviations: 1 } });
    // Attested in 2026: nothing was open at the end of 2025.
    expect(await board(2025)).toMatchObject({ on: '2025-12-31', row: { openDeviations: 0 } });
    const listed = async (q: string) =>
      (await spec.client.get(`/api/v1/plans/deviations?objectId=${objectId}${q}`)).json().items.length;
    expect(await listed('')).toBe(1);
    expect(await listed('&year=2026')).toBe(1);
    expect(await listed('&year=2025')).toBe(0);
  });

  it('G7: next year’s plans are offered from the latest year that has plans, and never beyond next year', async () => {
    expect(nextCycleOf(2026, '2026-12-02')).toEqual({ year: 2027, from: 2026 });
    expect(nextCycleOf(2025, '2026-03-01')).toEqual({ year: 2026, from: 2025 });
    // Next year's plans exist already: the year after that has nothing to be prepared from yet.
    expect(nextCycleOf(2027, '2026-12-02')).toBeNull();
    // Before any plan, the first ones are started on their objects.
    expect(nextCycleOf(null, '2026-12-02')).toBeNull();
    const [latest] = await rows<{ year: number | null }>(t.ctx.db, sql`select max(year) as year from plans`);
    const today = t.ctx.clock.now().toISOString().slice(0, 10);
    for (const year of [2024, 2026, 2027]) {
      const r = (await sm.client.get(`/api/v1/plans/dashboard?year=${year}`)).json();
      expect(r.nextCycle).toEqual(nextCycleOf(latest.year, today));
    }
  });
});

describe.runIf(onPostgres)('plans under concurrency (PostgreSQL)', () => {
  it('G5: concurrent approvals and signatures: one approval, two signatures, one hash', async () => {
    const { objectId } = await makeObject();
    const { versionId } = await startPlan(objectId);
    await addActivity(versionId);
    await sm.client.post(`/api/v1/plan-versions/${versionId}/propose`);
    const approvals = await Promise.all(
      Array.from({ length: 6 }, () => so.client.post(`/api/v1/plan-versions/${versionId}/approve`)),
    );
    expect(approvals.filter((r) => r.statusCode === 200)).toHaveLength(1);
    expect(approvals.filter((r) => r.statusCode === 409)).toHaveLength(5);
    const signs = await Promise.all([
      ...Array.from({ length: 3 }, () =>
        so.client.post(`/api/v1/plan-versions/${versionId}/sign`, { role: 'system_owner' }),
      ),
      ...Array.from({ length: 3 }, () =>
        itso.client.post(`/api/v1/plan-versions/${versionId}/sign`, { role: 'it_system_owner' }),
      ),
    ]);
    expect(signs.filter((r) => r.statusCode === 200)).toHaveLength(2);
    const v = await version(versionId);
    expect(v.state).toBe('signed');
    expect(v.signatures).toHaveLength(2);
  });

  it('G5: an edit racing the proposal either lands before it or is refused', async () => {
    const { objectId } = await makeObject();
    const { versionId } = await startPlan(objectId);
    const results = await Promise.all([
      ...Array.from({ length: 5 }, (_, i) =>
        itsm.client.post(`/api/v1/plan-versions/${versionId}/activities`, activity({ title: `Race ${i}` })),
      ),
      sm.client.post(`/api/v1/plan-versions/${versionId}/propose`),
    ]);
    const added = results.slice(0, 5).filter((r) => r.statusCode === 201).length;
    expect(results.slice(0, 5).every((r) => r.statusCode === 201 || r.statusCode === 409)).toBe(true);
    const [count] = await rows<{ n: number }>(
      t.ctx.db,
      sql`select count(*)::int as n from plan_activities where version_id = ${versionId}`,
    );
    expect(count.n).toBe(added);
    expect((await version(versionId)).state).toBe('proposed');
  });
});
