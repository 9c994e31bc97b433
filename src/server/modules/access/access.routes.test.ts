// Rule tests of the access-rights module (A1–A6, G10), through HTTP on a real database.
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
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
import { importOrg } from '../org/import/import.service.ts';
import { createObject } from '../systems/governance.service.ts';
import { createSystem } from '../systems/systems.service.ts';
import { createOrder, createPermission, fulfilOrder, grantOrderer, putOrderForm } from './access.service.ts';

type User = Awaited<ReturnType<typeof signedIn>>;
let t: TestApp;
let adm: User;
let head: User; // head of unit A
let orderer: User; // orderer for unit A
let orderer2: User; // second orderer for unit A
let itsm: User; // IT system manager of the system
let owner: User; // system owner of the system
let outsider: User;
let unitA: string;
let unitB: string;
let systemId: string;
let objectId: string;
let subject: { id: string; email: string | null };
let permissionId: string;
let adminPermissionId: string;

const api = '/api/v1';

beforeAll(async () => {
  t = await createTestApp();
  adm = await signedIn(t, ['administrator'], { givenName: 'Ada', familyName: 'Admin' });
  head = await signedIn(t, [], { givenName: 'Hedda', familyName: 'Head' });
  orderer = await signedIn(t, [], { givenName: 'Olle', familyName: 'Orderer' });
  orderer2 = await signedIn(t, [], { givenName: 'Olga', familyName: 'Orderer' });
  itsm = await signedIn(t, [], { givenName: 'Ivar', familyName: 'IT' });
  owner = await signedIn(t, [], { givenName: 'Siri', familyName: 'Owner' });
  outsider = await signedIn(t, [], { givenName: 'Otto', familyName: 'Outsider' });
  unitA = (await makeUnit(t.ctx, { name: 'Department A' })).id;
  unitB = (await makeUnit(t.ctx, { name: 'Department B' })).id;
  const etag = String((await adm.client.get(`${api}/org-units/${unitA}`)).headers.etag);
  const setHead = await adm.client.patch(
    `${api}/org-units/${unitA}`,
    { headPersonId: head.person.id },
    { 'if-match': etag },
  );
  expect(setHead.statusCode, setHead.body).toBe(200);
  const obj = await adm.client.post(`${api}/governance-objects`, {
    name: 'Case management',
    owningUnitId: unitA,
  });
  objectId = obj.json().id;
  const sys = await adm.client.post(`${api}/systems`, {
    name: 'Case system',
    shortName: 'CASE',
    orgModel: 2,
    hosting: 'own',
    lifecycle: 'in_production',
    governanceObjectId: objectId,
  });
  systemId = sys.json().id;
  await adm.client.post(`${api}/systems/${systemId}/modules`, { name: 'Core' });
  const itso = await makePerson(t.ctx, { givenName: 'Ingrid', familyName: 'ITSO' });
  for (const [personId, role, by] of [
    [owner.person.id, 'system_owner', null],
    [itso.id, 'it_system_owner', null],
    [itsm.person.id, 'it_system_manager', itso.id],
  ] as const) {
    const r = await adm.client.post(`${api}/governance-objects/${objectId}/roles`, {
      personId,
      role,
      validFrom: '2026-01-01',
      appointedByPersonId: by,
    });
    expect(r.statusCode, r.body).toBe(201);
  }
  subject = await makePerson(t.ctx, { givenName: 'Sara', familyName: 'Subject', email: 'sara@example.org' });
  // The orderers: granted by the unit's head (A1).
  for (const o of [orderer, orderer2]) {
    const r = await head.client.post(`${api}/org-units/${unitA}/orderers`, { personId: o.person.id });
    expect(r.statusCode, r.body).toBe(201);
  }
  const form = await adm.client.request(
    'PUT',
    `${api}/systems/${systemId}/order-form`,
    {
      fields: [
        { key: 'title', type: 'text', labelSv: 'Titel', labelEn: 'Title', mandatory: true },
        {
          key: 'role_kind',
          type: 'choice',
          labelSv: 'Typ',
          labelEn: 'Kind',
          mandatory: false,
          options: ['Teacher', 'Staff'],
        },
      ],
    },
    { 'if-match': 'W/"0"' },
  );
  expect(form.statusCode, form.body).toBe(200);
  const perm = await adm.client.post(`${api}/systems/${systemId}/permissions`, {
    name: 'Case officer',
    description: 'Handles cases',
    accountType: 'personal',
    modules: ['Core'],
  });
  expect(perm.statusCode, perm.body).toBe(201);
  permissionId = perm.json().id;
  const adminPerm = await adm.client.post(`${api}/systems/${systemId}/permissions`, {
    name: 'System administrator',
    accountType: 'administrator',
    approvalSteps: ['unit_head', 'system_owner'],
  });
  adminPermissionId = adminPerm.json().id;
});
afterAll(() => t.close());

const orderBody = (over: Record<string, unknown> = {}) => ({
  personId: subject.id,
  permissionId,
  unitIds: [unitA],
  fields: { title: 'Lecturer' },
  ...over,
});

async function sentOrder(over: Record<string, unknown> = {}, by = orderer) {
  const res = await by.client.post(`${api}/orders`, orderBody({ submit: true, ...over }));
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe('orderers (A1, A2)', () => {
  it('A1: ordering rights are granted by the unit head or an administrator; others are refused', async () => {
    const p = await makePerson(t.ctx);
    const byOutsider = await outsider.client.post(`${api}/org-units/${unitA}/orderers`, { personId: p.id });
    expect(byOutsider.statusCode).toBe(403);
    expect(byOutsider.json().rule).toBe('A1');
    // The head of unit A is not head of unit B.
    expect(
      (await head.client.post(`${api}/org-units/${unitB}/orderers`, { personId: p.id })).statusCode,
    ).toBe(403);
    const byAdmin = await adm.client.post(`${api}/org-units/${unitB}/orderers`, { personId: p.id });
    expect(byAdmin.statusCode, byAdmin.body).toBe(201);
    expect(byAdmin.json().grantedBy).toContain('Ada');
    const list = (await outsider.client.get(`${api}/orderers?unitId=${unitA}`)).json().items;
    expect(list.map((o: any) => o.person.id).sort()).toEqual([orderer.person.id, orderer2.person.id].sort());
  });

  it('A2: nobody grants themselves ordering rights: not the unit head, not an administrator, not the database', async () => {
    const self = await head.client.post(`${api}/org-units/${unitA}/orderers`, { personId: head.person.id });
    expect(self.statusCode).toBe(403);
    expect(self.json().rule).toBe('A2');
    const adminSelf = await adm.client.post(`${api}/org-units/${unitA}/orderers`, {
      personId: adm.person.id,
    });
    expect(adminSelf.statusCode).toBe(403);
    expect(adminSelf.json().rule).toBe('A2');
    await expect(
      t.ctx.db.execute(sql`insert into access_orderers (id, person_id, unit_id, granted_by_person_id, granted_by_label,
        granted_at) values (gen_random_uuid(), ${head.person.id}, ${unitA}, ${head.person.id}, 'x', now())`),
    ).rejects.toThrow();
  });

  it('A1: the compliance report lists units with fewer than two orderers and units without an expert user (A3)', async () => {
    const report = (await adm.client.get(`${api}/reports/access-compliance`)).json();
    const few = report.unitsWithFewOrderers.map((u: any) => u.unit.id);
    expect(few).toContain(unitB); // one orderer
    expect(few).not.toContain(unitA); // two orderers
    expect(report.unitsWithFewOrderers.find((u: any) => u.unit.id === unitB).orderers).toBe(1);
    expect(report.unitsWithoutExpertUser.map((u: any) => u.unit.id)).toContain(unitA);
    const ex = await head.client.post(`${api}/org-units/${unitA}/expert-users`, {
      personId: orderer.person.id,
      systemId,
    });
    expect(ex.statusCode, ex.body).toBe(201);
    const after = (await adm.client.get(`${api}/reports/access-compliance`)).json();
    expect(after.unitsWithoutExpertUser.map((u: any) => u.unit.id)).not.toContain(unitA);
    // A plain employee with no access role may not read the report.
    expect((await outsider.client.get(`${api}/reports/access-compliance`)).statusCode).toBe(403);
  });
});

describe('orders (A2–A5)', () => {
  it('A2: an orderer cannot order a permission for themselves, by any route', async () => {
    // Make the orderer also the subject: directly, as a draft, by revocation, and as an administrator.
    const direct = await orderer.client.post(`${api}/orders`, orderBody({ personId: orderer.person.id }));
    expect(direct.statusCode).toBe(403);
    expect(direct.json().rule).toBe('A2');
    expect(direct.json().title).toMatch(/yourself/);
    // The way forward names the unit's other orderers (UX: "Ask another orderer in your unit: …").
    const others = direct.json().orderers as { id: string; name: string }[];
    expect(others.map((o) => o.id)).toContain(orderer2.person.id);
    expect(others.map((o) => o.id)).not.toContain(orderer.person.id);
    expect(direct.json().title).toContain(others.find((o) => o.id === orderer2.person.id)!.name);
    const asDraft = await orderer.client.post(
      `${api}/orders`,
      orderBody({ personId: orderer.person.id, submit: false }),
    );
    expect(asDraft.statusCode).toBe(403);
    const adminSelf = await adm.client.post(`${api}/orders`, orderBody({ personId: adm.person.id }));
    expect(adminSelf.statusCode).toBe(403);
    expect(adminSelf.json().rule).toBe('A2');
    // Submitting someone else's draft about yourself is refused too.
    const draft = await orderer2.client.post(`${api}/orders`, orderBody({ personId: orderer.person.id }));
    expect(draft.statusCode, draft.body).toBe(201);
    const submit = await orderer.client.post(`${api}/orders/${draft.json().id}/submit`);
    expect(submit.statusCode).toBe(403);
    // The database refuses it whatever the code does.
    await expect(
      t.ctx.db.execute(
        sql`update access_orders set orderer_person_id = person_id where id = ${draft.json().id}`,
      ),
    ).rejects.toThrow();
    const n = await rows<{ n: number }>(
      t.ctx.db,
      sql`select count(*)::int as n from access_orders where person_id = orderer_person_id`,
    );
    expect(n[0].n).toBe(0);
  });

  it('A1: only an orderer for every unit of the order may order (administrators aside)', async () => {
    const res = await outsider.client.post(`${api}/orders`, orderBody());
    expect(res.statusCode).toBe(403);
    expect(res.json().rule).toBe('A1');
    const otherUnit = await orderer.client.post(`${api}/orders`, orderBody({ unitIds: [unitA, unitB] }));
    expect(otherUnit.statusCode).toBe(403);
  });

  it('A4: an order with two permissions is refused; several permissions mean several orders', async () => {
    const res = await orderer.client.post(`${api}/orders`, {
      ...orderBody({ permissionId: undefined }),
      permissionIds: [permissionId, adminPermissionId],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().rule).toBe('A4');
    expect(res.json().errors[0].field).toBe('permissionIds');
    const none = await orderer.client.post(`${api}/orders`, orderBody({ permissionId: undefined }));
    expect(none.statusCode).toBe(400);
    const count = await rows<{ n: number }>(
      t.ctx.db,
      sql`select count(*)::int as n from access_orders where permission_id = ${adminPermissionId}`,
    );
    expect(count[0].n).toBe(0);
  });

  it('A4: a missing system-specific mandatory field is refused with the field named; no units is refused', async () => {
    const res = await orderer.client.post(`${api}/orders`, orderBody({ fields: {} }));
    expect(res.statusCode).toBe(400);
    expect(res.json().rule).toBe('A4');
    expect(res.json().errors).toEqual([
      expect.objectContaining({ field: 'fields.title', message: 'Title is required.' }),
    ]);
    const sv = await orderer.client.post(`${api}/orders`, orderBody({ fields: {} }), {
      'accept-language': 'sv',
    });
    // Said in the request's language, with the field's Swedish label.
    expect(sv.json().title).toBe('Begäran har ogiltiga fält.');
    expect(sv.json().errors[0]).toEqual(
      expect.objectContaining({ field: 'fields.title', message: 'Titel måste fyllas i.', label: 'Titel' }),
    );
    const badChoice = await orderer.client.post(
      `${api}/orders`,
      orderBody({ fields: { title: 'x', role_kind: 'Pirate' } }),
    );
    expect(badChoice.statusCode).toBe(400);
    expect(badChoice.json().errors[0].field).toBe('fields.role_kind');
    const noUnits = await adm.client.post(`${api}/orders`, orderBody({ unitIds: [] }));
    expect(noUnits.statusCode).toBe(400);
    expect(noUnits.json().errors[0].field).toBe('unitIds');
    const noPerson = await orderer.client.post(`${api}/orders`, orderBody({ personId: undefined }));
    expect(noPerson.statusCode).toBe(400);
    expect(noPerson.json().errors).toEqual([
      expect.objectContaining({ field: 'personId', message: 'Choose the person the order is for.' }),
    ]);
  });

  it('A3: an order that marks the person as expert user must give their e-mail; fulfilling records the expert user', async () => {
    const res = await orderer.client.post(`${api}/orders`, orderBody({ expertUser: true }));
    expect(res.statusCode).toBe(400);
    expect(res.json().rule).toBe('A3');
    expect(res.json().errors[0].field).toBe('personEmail');
    const ok = await sentOrder({ expertUser: true, personEmail: 'sara@example.org' });
    expect(ok.expertUser).toBe(true);
    const done = await itsm.client.post(`${api}/orders/${ok.id}/fulfil`);
    expect(done.statusCode, done.body).toBe(200);
    const experts = (await adm.client.get(`${api}/expert-users?unitId=${unitA}&systemId=${systemId}`)).json()
      .items;
    expect(experts.map((e: any) => e.person.id)).toContain(subject.id);
    await expect(
      t.ctx.db.execute(sql`update access_orders set person_email = null where id = ${ok.id}`),
    ).rejects.toThrow();
  });

  it('A5: a saved order waits in My orders until sent; sent orders reach the IT staff, who fulfil; the grant is created and the orderer told', async () => {
    const draft = await orderer.client.post(`${api}/orders`, orderBody());
    expect(draft.statusCode, draft.body).toBe(201);
    const id = draft.json().id;
    expect(draft.json().state).toBe('draft');
    const mine = (await orderer.client.get(`${api}/orders?scope=mine&state=draft`)).json().items;
    expect(mine.map((o: any) => o.id)).toContain(id);
    // Not in IT's queue until sent.
    const queue0 = (await itsm.client.get(`${api}/orders?scope=fulfilment`)).json().items;
    expect(queue0.map((o: any) => o.id)).not.toContain(id);
    expect((await itsm.client.post(`${api}/orders/${id}/fulfil`)).statusCode).toBe(409);
    const sent = await orderer.client.post(`${api}/orders/${id}/submit`);
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json().state).toBe('ready');
    const queue = (await itsm.client.get(`${api}/orders?scope=fulfilment`)).json().items;
    expect(queue.map((o: any) => o.id)).toContain(id);
    // Someone outside the system's IT staff cannot fulfil, nor see the order.
    const foreign = await outsider.client.post(`${api}/orders/${id}/fulfil`);
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().rule).toBe('A5');
    expect((await outsider.client.get(`${api}/orders/${id}`)).statusCode).toBe(403);
    expect((await outsider.client.get(`${api}/orders?scope=fulfilment`)).json().items).toEqual([]);
    const taken = await itsm.client.post(`${api}/orders/${id}/take`);
    expect(taken.json().state).toBe('in_progress');
    const done = await itsm.client.post(`${api}/orders/${id}/fulfil`);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().state).toBe('fulfilled');
    expect(done.json().events.map((e: any) => e.event)).toEqual([
      'created',
      'submitted',
      'taken',
      'fulfilled',
    ]);
    // Each step records the state it left (E1: before and after).
    expect(
      done
        .json()
        .events.slice(2)
        .map((e: any) => [e.fromState, e.toState]),
    ).toEqual([
      ['ready', 'in_progress'],
      ['in_progress', 'fulfilled'],
    ]);
    const grantId = done.json().grantId;
    const grant = (await orderer.client.get(`${api}/grants/${grantId}`)).json();
    expect(grant).toMatchObject({
      person: { id: subject.id },
      permission: { id: permissionId },
      accountType: 'personal',
      order: { id },
      endedOn: null,
    });
    // The orderer is told in-app and by e-mail at each step.
    const notes = (await orderer.client.get(`${api}/access/notifications`)).json().items;
    expect(
      notes
        .filter((n: any) => n.orderId === id)
        .map((n: any) => n.event)
        .sort(),
    ).toEqual(['fulfilled', 'sent_to_it', 'taken']);
    const mails = await rows<{ subject: string; recipient: string }>(
      t.ctx.db,
      sql`select subject, recipient from outbox where meta->>'orderId' = ${id} order by id`,
    );
    expect(mails).toHaveLength(3);
    expect(mails[2].subject).toMatch(/fulfilled/);
    expect(mails[0].recipient).toBe(orderer.person.email);
    expect(mails[0].subject).toBe(
      `Order ${done.json().number} was sent to IT / Beställning ${done.json().number} har skickats till IT`,
    );
    // Every step is audited, in the transaction of the step.
    const audited = await rows<{ action: string; entity_id: string }>(
      t.ctx.db,
      sql`select action, entity_id from audit_events where entity_id in (${id}, ${grantId}) order by id`,
    );
    expect(audited.map((a) => a.action)).toEqual([
      'order.create',
      'order.submit',
      'order.take',
      'order.fulfil',
      'grant.create',
    ]);
    // Fulfilling again is refused: no state is skipped or repeated.
    expect((await itsm.client.post(`${api}/orders/${id}/fulfil`)).statusCode).toBe(409);
  });

  it('A4: a saved order is changed before it is sent, with every check of a new order; a sent order is not', async () => {
    const draft = await orderer.client.post(`${api}/orders`, orderBody());
    expect(draft.statusCode, draft.body).toBe(201);
    const id = draft.json().id as string;
    expect(draft.json().can.edit).toBe(true);
    const url = `${api}/orders/${id}`;
    const etag = String(draft.headers.etag);
    const changed = orderBody({
      fields: { title: 'Professor', role_kind: 'Teacher' },
      message: 'From 1 Jan',
    });
    // If-Match is required, and a stale one is refused without writing.
    expect((await orderer.client.request('PUT', url, changed)).statusCode).toBe(428);
    // A mandatory field left out is refused with the field named (A4), and nothing changes.
    const missing = await orderer.client.request('PUT', url, orderBody({ fields: {} }), { 'if-match': etag });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().rule).toBe('A4');
    expect(missing.json().errors[0].field).toBe('fields.title');
    // Two permissions, and the orderer as the subject (A2), are refused as on a new order.
    const two = await orderer.client.request(
      'PUT',
      url,
      { ...orderBody({ permissionId: undefined }), permissionIds: [permissionId, adminPermissionId] },
      { 'if-match': etag },
    );
    expect(two.json().rule).toBe('A4');
    const self = await orderer.client.request('PUT', url, orderBody({ personId: orderer.person.id }), {
      'if-match': etag,
    });
    expect(self.statusCode).toBe(403);
    expect(self.json().rule).toBe('A2');
    // Another orderer of the same unit does not change or send someone else's saved order, nor does
    // an auditor (who reads every order) who also holds ordering rights there.
    expect((await orderer2.client.request('PUT', url, changed, { 'if-match': etag })).statusCode).toBe(403);
    const aud = await signedIn(t, ['auditor'], { givenName: 'Aud', familyName: 'Orderer' });
    const rights = await head.client.post(`${api}/org-units/${unitA}/orderers`, { personId: aud.person.id });
    expect(rights.statusCode, rights.body).toBe(201);
    expect((await aud.client.request('PUT', url, changed, { 'if-match': etag })).statusCode).toBe(403);
    expect((await aud.client.post(`${url}/submit`)).statusCode).toBe(403);
    expect((await head.client.delete(`${api}/orderers/${rights.json().id}`)).statusCode).toBe(204);
    const ok = await orderer.client.request('PUT', url, changed, { 'if-match': etag });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({
      state: 'draft',
      message: 'From 1 Jan',
      version: draft.json().version + 1,
    });
    expect(ok.json().fieldValues).toEqual({ title: 'Professor', role_kind: 'Teacher' });
    expect(ok.json().events.map((e: any) => e.event)).toEqual(['created', 'edited']);
    const stale = await orderer.client.request('PUT', url, orderBody(), { 'if-match': etag });
    expect(stale.statusCode).toBe(412);
    // Changed and sent in one request; once sent it is not changed any more.
    const sent = await orderer.client.request(
      'PUT',
      url,
      { ...changed, unitIds: [unitA], submit: true },
      { 'if-match': String(ok.headers.etag) },
    );
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json().state).toBe('ready');
    expect(sent.json().can.edit).toBe(false);
    const again = await orderer.client.request('PUT', url, changed, {
      'if-match': String(sent.headers.etag),
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().rule).toBe('A5');
    // Audited with what changed, in the edit's transaction.
    const audited = await rows<{ action: string; before: any; after: any }>(
      t.ctx.db,
      sql`select action, before, after from audit_events where entity_id = ${id} order by id`,
    );
    expect(audited.map((a) => a.action)).toEqual([
      'order.create',
      'order.update',
      'order.update',
      'order.submit',
    ]);
    expect(audited[1].before.fields).toEqual({ title: 'Lecturer' });
    expect(audited[1].after.fields).toEqual({ title: 'Professor', role_kind: 'Teacher' });
  });

  it('A5: IT rejects only with a reason; the orderer is told the reason', async () => {
    const o = await sentOrder();
    const noReason = await itsm.client.post(`${api}/orders/${o.id}/reject`, {});
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors[0].field).toBe('reason');
    const res = await itsm.client.post(`${api}/orders/${o.id}/reject`, { reason: 'Not needed for the work' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ state: 'rejected', reason: 'Not needed for the work' });
    const [mail] = await rows<{ body: string }>(
      t.ctx.db,
      sql`select body from outbox where meta->>'orderId' = ${o.id} and meta->>'event' = 'rejected'`,
    );
    expect(mail.body).toContain('Not needed for the work');
    await expect(
      t.ctx.db.execute(sql`update access_orders set reason = '' where id = ${o.id}`),
    ).rejects.toThrow();
  });

  it('A5: approval steps in sequence (unit head, then system owner) before IT sees the order; an administrator cannot approve', async () => {
    const res = await orderer.client.post(
      `${api}/orders`,
      orderBody({ permissionId: adminPermissionId, submit: true }),
    );
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id;
    expect(res.json().state).toBe('awaiting_approval');
    // The order names who decides each step: the unit's head, then the system's owner.
    expect(res.json().approvers).toEqual([head.person.displayName]);
    expect(
      (await itsm.client.get(`${api}/orders?scope=fulfilment`)).json().items.map((o: any) => o.id),
    ).not.toContain(id);
    expect((await itsm.client.post(`${api}/orders/${id}/fulfil`)).statusCode).toBe(409);
    // Step 1 is the unit head's: the system owner and an administrator cannot decide it.
    expect((await owner.client.post(`${api}/orders/${id}/approve`)).statusCode).toBe(403);
    expect((await adm.client.post(`${api}/orders/${id}/approve`)).statusCode).toBe(403);
    expect(
      (await head.client.get(`${api}/orders?scope=approval`)).json().items.map((o: any) => o.id),
    ).toContain(id);
    const step1 = await head.client.post(`${api}/orders/${id}/approve`);
    expect(step1.statusCode, step1.body).toBe(200);
    expect(step1.json()).toMatchObject({
      state: 'awaiting_approval',
      approvalStep: 1,
      approvers: [owner.person.displayName],
    });
    expect((await head.client.post(`${api}/orders/${id}/approve`)).statusCode).toBe(403);
    const step2 = await owner.client.post(`${api}/orders/${id}/approve`);
    expect(step2.json()).toMatchObject({ state: 'ready', approvers: [] });
    expect(
      (await itsm.client.get(`${api}/orders?scope=fulfilment`)).json().items.map((o: any) => o.id),
    ).toContain(id);
    const done = await itsm.client.post(`${api}/orders/${id}/fulfil`);
    expect(done.json().events.map((e: any) => [e.event, e.step])).toEqual([
      ['created', null],
      ['submitted', null],
      ['approved', 0],
      ['approved', 1],
      ['fulfilled', null],
    ]);
    // A rejected approval stops the order, with its reason.
    const other = await sentOrder({ permissionId: adminPermissionId });
    const rej = await head.client.post(`${api}/orders/${other.id}/reject`, { reason: 'Too broad' });
    expect(rej.json()).toMatchObject({ state: 'rejected', reason: 'Too broad' });
    expect((await owner.client.post(`${api}/orders/${other.id}/approve`)).statusCode).toBe(409);
  });

  it('A4: editing the form does not change orders already sent; new orders need the new field', async () => {
    const o = await sentOrder();
    // Saved before the form changes (it will lack the new mandatory field and hold a value of a
    // field the form drops).
    const saved = await orderer.client.post(
      `${api}/orders`,
      orderBody({ fields: { title: 'x', role_kind: 'Teacher' } }),
    );
    expect(saved.statusCode, saved.body).toBe(201);
    const etag = String((await adm.client.get(`${api}/systems/${systemId}/order-form`)).headers.etag);
    const put = await adm.client.request(
      'PUT',
      `${api}/systems/${systemId}/order-form`,
      {
        fields: [
          { key: 'title', type: 'text', labelSv: 'Titel', labelEn: 'Title', mandatory: true },
          { key: 'profession', type: 'text', labelSv: 'Yrke', labelEn: 'Profession', mandatory: true },
        ],
      },
      { 'if-match': etag },
    );
    expect(put.statusCode, put.body).toBe(200);
    const stale = await adm.client.request(
      'PUT',
      `${api}/systems/${systemId}/order-form`,
      { fields: [] },
      { 'if-match': etag },
    );
    expect(stale.statusCode).toBe(412);
    const still = (await orderer.client.get(`${api}/orders/${o.id}`)).json();
    expect(still.formSnapshot.map((f: any) => f.key)).toEqual(['title', 'role_kind']);
    expect((await itsm.client.post(`${api}/orders/${o.id}/fulfil`)).statusCode).toBe(200);
    const fresh = await orderer.client.post(`${api}/orders`, orderBody());
    expect(fresh.statusCode).toBe(400);
    expect(fresh.json().errors[0].field).toBe('fields.profession');
    // A saved order is not sent yet: sending it checks it against the form as it is now. The
    // dropped field's value is no error; the new mandatory field is, and is named.
    const id = saved.json().id;
    const refused = await orderer.client.post(`${api}/orders/${id}/submit`);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().rule).toBe('A4');
    expect(refused.json().errors.map((e: any) => e.field)).toEqual(['fields.profession']);
    expect(refused.json().title).toBe(
      "The system's order form has changed since this order was saved: Profession is required. Change the order, then send it.",
    );
    const still2 = (await orderer.client.get(`${api}/orders/${id}`)).json();
    expect(still2.state).toBe('draft');
    // Changed to the new form and sent in one request, it takes the new form.
    const sent = await orderer.client.request(
      'PUT',
      `${api}/orders/${id}`,
      orderBody({ fields: { title: 'x', profession: 'Nurse' }, submit: true }),
      { 'if-match': `W/"${still2.version}"` },
    );
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json().state).toBe('ready');
    expect(sent.json().formSnapshot.map((f: any) => f.key)).toEqual(['title', 'profession']);
    expect(sent.json().fieldValues).toEqual({ title: 'x', profession: 'Nurse' });
    const ok = await orderer.client.post(
      `${api}/orders`,
      orderBody({ fields: { title: 'x', profession: 'Nurse' } }),
    );
    expect(ok.statusCode, ok.body).toBe(201);
    // A field dropped from the form after an order was saved: sending it drops that value (audited
    // in the sending's transaction) and the order takes the form as it is now.
    const putForm = async (fields: unknown[]) => {
      const tag = String((await adm.client.get(`${api}/systems/${systemId}/order-form`)).headers.etag);
      const res = await adm.client.request(
        'PUT',
        `${api}/systems/${systemId}/order-form`,
        { fields },
        {
          'if-match': tag,
        },
      );
      expect(res.statusCode, res.body).toBe(200);
    };
    const title = { key: 'title', type: 'text', labelSv: 'Titel', labelEn: 'Title', mandatory: true };
    const profession = {
      key: 'profession',
      type: 'text',
      labelSv: 'Yrke',
      labelEn: 'Profession',
      mandatory: true,
    };
    await putForm([
      title,
      profession,
      { key: 'office', type: 'text', labelSv: 'Rum', labelEn: 'Office', mandatory: false },
    ]);
    const withOffice = await orderer.client.post(
      `${api}/orders`,
      orderBody({ fields: { title: 'x', profession: 'Nurse', office: 'B2' } }),
    );
    expect(withOffice.statusCode, withOffice.body).toBe(201);
    await putForm([title, profession]);
    const sentNow = await orderer.client.post(`${api}/orders/${withOffice.json().id}/submit`);
    expect(sentNow.statusCode, sentNow.body).toBe(200);
    expect(sentNow.json().state).toBe('ready');
    expect(sentNow.json().fieldValues).toEqual({ title: 'x', profession: 'Nurse' });
    expect(sentNow.json().formSnapshot.map((f: any) => f.key)).toEqual(['title', 'profession']);
    const trail = await rows<{ action: string; before: any; after: any }>(
      t.ctx.db,
      sql`select action, before, after from audit_events where entity_id = ${withOffice.json().id} order by id`,
    );
    expect(trail.map((a) => a.action)).toEqual(['order.create', 'order.update', 'order.submit']);
    expect(trail[1].before.fields).toEqual({ title: 'x', profession: 'Nurse', office: 'B2' });
    expect(trail[1].after.fields).toEqual({ title: 'x', profession: 'Nurse' });
  });

  it('A5: a retried create with the same Idempotency-Key makes one order', async () => {
    const body = orderBody({ fields: { title: 'x', profession: 'Nurse' } });
    const key = `order-${Math.random().toString(36).slice(2)}`;
    const a = await orderer.client.post(`${api}/orders`, body, { 'idempotency-key': key });
    const b = await orderer.client.post(`${api}/orders`, body, { 'idempotency-key': key });
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(b.headers['idempotent-replay']).toBe('true');
    expect(b.json().id).toBe(a.json().id);
    const [n] = await rows<{ n: number }>(
      t.ctx.db,
      sql`select count(*)::int as n from access_orders where id = ${a.json().id}`,
    );
    expect(n.n).toBe(1);
  });
});

describe('revocations and the grants register (A6, G10)', () => {
  let grantId: string;
  beforeAll(async () => {
    const o = await sentOrder({ fields: { title: 'x', profession: 'Nurse' }, validUntil: '2026-12-01' });
    grantId = (await itsm.client.post(`${api}/orders/${o.id}/fulfil`)).json().grantId;
  });

  it('A6: a revocation is an order with the same flow; fulfilling it ends the grant and keeps it in history', async () => {
    const self = await orderer.client.post(`${api}/orders`, {
      kind: 'revocation',
      personId: orderer.person.id,
      grantId,
    });
    expect(self.statusCode).toBe(403);
    const rev = await orderer.client.post(`${api}/orders`, {
      kind: 'revocation',
      personId: subject.id,
      grantId,
      submit: true,
    });
    expect(rev.statusCode, rev.body).toBe(201);
    expect(rev.json()).toMatchObject({ kind: 'revocation', state: 'ready', grantId });
    const twice = await orderer2.client.post(`${api}/orders`, {
      kind: 'revocation',
      personId: subject.id,
      grantId,
      submit: true,
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().rule).toBe('A6');
    expect((await orderer.client.get(`${api}/grants/${grantId}`)).json().openRevocation.id).toBe(
      rev.json().id,
    );
    const done = await itsm.client.post(`${api}/orders/${rev.json().id}/fulfil`);
    expect(done.statusCode, done.body).toBe(200);
    const g = (await orderer.client.get(`${api}/grants/${grantId}`)).json();
    expect(g.endedOn).toBe('2026-11-22');
    expect(g.endedByOrder.id).toBe(rev.json().id);
    const active = (await adm.client.get(`${api}/grants?personId=${subject.id}`)).json().items;
    expect(active.map((x: any) => x.id)).not.toContain(grantId);
    const all = (await adm.client.get(`${api}/grants?personId=${subject.id}&status=all`)).json().items;
    expect(all.map((x: any) => x.id)).toContain(grantId);
  });

  it('G10: the register per person, system and unit, with filters (account type, expiring soon, person has left) and CSV/XLSX export', async () => {
    const o = await sentOrder({ fields: { title: 'x', profession: 'Nurse' }, validUntil: '2026-12-05' });
    const soon = (await itsm.client.post(`${api}/orders/${o.id}/fulfil`)).json().grantId;
    const bySystem = (await adm.client.get(`${api}/grants?systemId=${systemId}`)).json().items;
    expect(bySystem.length).toBeGreaterThanOrEqual(3);
    const byUnit = (await adm.client.get(`${api}/grants?unitId=${unitA}`)).json().items;
    expect(byUnit.length).toBe(bySystem.length);
    expect((await adm.client.get(`${api}/grants?unitId=${unitB}`)).json().items).toEqual([]);
    const expiring = (await adm.client.get(`${api}/grants?expiringWithinDays=30`)).json().items;
    expect(expiring.map((g: any) => g.id)).toEqual([soon]);
    expect((await adm.client.get(`${api}/grants?accountType=administrator`)).json().items.length).toBe(1);
    expect((await adm.client.get(`${api}/grants?q=sara%20case`)).json().items.length).toBe(bySystem.length);
    expect((await adm.client.get(`${api}/grants?personLeft=true`)).json().items).toEqual([]);
    // Paging by cursor returns every grant once.
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await adm.client.get(
        `${api}/grants?systemId=${systemId}&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      ids.push(...res.json().items.map((g: any) => g.id));
      cursor = res.json().nextCursor;
    } while (cursor);
    expect(ids.sort()).toEqual(bySystem.map((g: any) => g.id).sort());
    const csv = await adm.client.get(`${api}/grants/export.csv?systemId=${systemId}`);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body.split('\n')[0]).toContain('person,person_status,system,permission');
    expect(csv.body).toContain('Sara Subject');
    const xlsx = await adm.client.get(`${api}/grants/export.xlsx?lang=sv`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    // A plain employee may read only their own grants.
    expect((await outsider.client.get(`${api}/grants`)).statusCode).toBe(403);
    expect((await outsider.client.get(`${api}/grants?personId=${outsider.person.id}`)).statusCode).toBe(200);
  });

  it('exports exactly the orders of a list, every page, as CSV and as a workbook; all orders only to those who may read them', async () => {
    const listed: number[] = [];
    let cursor: string | null = null;
    do {
      const res = await orderer.client.get(`${api}/orders?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      listed.push(...res.json().items.map((o: any) => o.number));
      cursor = res.json().nextCursor;
    } while (cursor);
    expect(listed.length).toBeGreaterThan(2);
    const csv = await orderer.client.get(`${api}/orders/export.csv`);
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const [header, ...lines] = csv.body.trim().split('\n');
    expect(header).toBe(
      'number,kind,state,person,system,permission,account_type,units,orderer,created_at,submitted_at,closed_at',
    );
    expect(lines.map((l) => Number(l.split(',')[0]))).toEqual(listed);
    // The same filters as the list: a state.
    const sent = (await orderer.client.get(`${api}/orders?state=fulfilled&limit=200`)).json().items;
    const sentCsv = (await orderer.client.get(`${api}/orders/export.csv?state=fulfilled`)).body
      .trim()
      .split('\n');
    expect(sentCsv.length - 1).toBe(sent.length);
    const xlsx = await orderer.client.get(`${api}/orders/export.xlsx?lang=sv`);
    expect(xlsx.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Beställningar')!;
    expect(sheet.getRow(1).getCell(1).value).toBe('Nummer');
    expect(sheet.rowCount - 1).toBe(listed.length);
    // Every order, or another person's, needs order.read.
    expect((await outsider.client.get(`${api}/orders/export.csv?scope=all`)).statusCode).toBe(403);
    expect((await outsider.client.get(`${api}/orders/export.csv?personId=${subject.id}`)).statusCode).toBe(
      403,
    );
    expect((await adm.client.get(`${api}/orders/export.csv?scope=all`)).statusCode).toBe(200);
  });

  it('G10/A6: a person who leaves gets revocation orders for all their grants, in the same transaction', async () => {
    const active = (await adm.client.get(`${api}/grants?personId=${subject.id}`)).json().items;
    expect(active.length).toBeGreaterThanOrEqual(2);
    const left = await adm.client.post(`${api}/persons/${subject.id}/leave`);
    expect(left.statusCode, left.body).toBe(200);
    const revs = await itsm.client.get(
      `${api}/orders?scope=fulfilment&kind=revocation&personId=${subject.id}`,
    );
    // The IT queue shows them; each names its grant.
    const queue = (await itsm.client.get(`${api}/orders?scope=fulfilment&kind=revocation`)).json().items;
    void revs;
    const mine = queue.filter((o: any) => o.person.id === subject.id);
    expect(mine.length).toBe(active.filter((g: any) => !g.openRevocation).length);
    const leavers = (await adm.client.get(`${api}/grants?personLeft=true`)).json().items;
    expect(leavers.every((g: any) => g.openRevocation !== null)).toBe(true);
    const report = (await adm.client.get(`${api}/reports/access-compliance`)).json();
    expect(report.leaversWithGrants.map((l: any) => l.person.id)).toContain(subject.id);
    for (const o of mine)
      expect((await itsm.client.post(`${api}/orders/${o.id}/fulfil`)).statusCode).toBe(200);
    expect((await adm.client.get(`${api}/grants?personId=${subject.id}`)).json().items).toEqual([]);
  });

  it('G10/A6: the HR import marks leavers and creates their revocation orders', async () => {
    const t2 = await createTestApp();
    try {
      const file = (rowsText: string) =>
        Buffer.from(
          `employee_id,given_name,family_name,email,unit_code,unit_name,parent_unit_code,unit_kind,title,head\n${rowsText}`,
        );
      const base = `E1,Anna,Andersson,anna@example.org,UNI,The University,,organisation,Rector,yes
E2,Bo,Berg,bo@example.org,UNI,,,,Officer,
E3,Cia,Carlsson,cia@example.org,UNI,,,,Officer,
`;
      expect((await importOrg(t2.ctx, { actor: admin, data: file(base), filename: 'a.csv' })).ok).toBe(true);
      const ids = new Map(
        (
          await rows<{ employee_id: string; id: string }>(t2.ctx.db, sql`select employee_id, id from persons`)
        ).map((r) => [r.employee_id, r.id]),
      );
      const [unit] = await rows<{ id: string }>(t2.ctx.db, sql`select id from org_units`);
      const obj = await createObject(t2.ctx, { actor: admin, input: { name: 'O', owningUnitId: unit.id } });
      const sys = await createSystem(t2.ctx, {
        actor: admin,
        input: systemInput({ name: 'S', shortName: 'S', governanceObjectId: obj.id }),
      });
      await putOrderForm(t2.ctx, { actor: admin, systemId: sys.id, ifVersion: 0, fields: [] });
      const perm = await createPermission(t2.ctx, {
        actor: admin,
        systemId: sys.id,
        input: {
          name: 'User',
          description: '',
          accountType: 'personal',
          modules: [],
          limitedToUnits: true,
          approvalSteps: [],
          active: true,
        },
      });
      await grantOrderer(t2.ctx, { actor: admin, unitId: unit.id, personId: ids.get('E2')!, systemIds: [] });
      const actor = { ...admin, personId: ids.get('E2')! };
      for (const e of ['E3', 'E1']) {
        const id = await createOrder(t2.ctx, {
          actor,
          input: {
            kind: 'grant',
            personId: ids.get(e)!,
            permissionId: perm.id,
            unitIds: [unit.id],
            fields: {},
            expertUser: false,
            message: '',
            submit: true,
          },
        });
        await fulfilOrder(t2.ctx, { actor: admin, id });
      }
      const res = await importOrg(t2.ctx, {
        actor: admin,
        data: file(base.split('\n').slice(0, 2).join('\n')),
        filename: 'b.csv',
      });
      expect(res.ok).toBe(true);
      const revs = await rows<{ person_id: string; state: string; kind: string }>(
        t2.ctx.db,
        sql`select person_id, state, kind from access_orders where kind = 'revocation'`,
      );
      expect(revs).toEqual([{ person_id: ids.get('E3'), state: 'ready', kind: 'revocation' }]);
    } finally {
      await t2.close();
    }
  });
});

describe('concurrency (A5)', () => {
  it.runIf(onPostgres)('A5: a fulfilment raced by 20 concurrent requests succeeds exactly once', async () => {
    const o = await sentOrder({
      personId: (await makePerson(t.ctx)).id,
      fields: { title: 'x', profession: 'y' },
    });
    const results = await Promise.all(
      Array.from({ length: 20 }, () => itsm.client.post(`${api}/orders/${o.id}/fulfil`)),
    );
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(19);
    const [g] = await rows<{ n: number }>(
      t.ctx.db,
      sql`select count(*)::int as n from access_grants where order_id = ${o.id}`,
    );
    expect(g.n).toBe(1);
    const [e] = await rows<{ n: number }>(
      t.ctx.db,
      sql`select count(*)::int as n from access_order_events where order_id = ${o.id} and event = 'fulfilled'`,
    );
    expect(e.n).toBe(1);
  });
});
