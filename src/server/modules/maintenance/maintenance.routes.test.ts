import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.ts';
import { onPostgres } from '../../testing/db.ts';
import {
  admin,
  createTestApp,
  makeUnit,
  sentGrantOrder,
  signedIn,
  systemInput,
  type TestApp,
} from '../../testing/http.ts';
import { createPermission, fulfilOrder } from '../access/access.service.ts';
import { assignRole, createObject } from '../systems/governance.service.ts';
import { createSystem } from '../systems/systems.service.ts';
import { inServiceWindow } from './maintenance.service.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** A system with a test environment whose system manager is signed in. */
async function systemWithManager(name: string) {
  const unit = await makeUnit(t.ctx);
  const object = await createObject(t.ctx, { actor: admin, input: { name, owningUnitId: unit.id } });
  const system = await createSystem(t.ctx, {
    actor: admin,
    input: systemInput({
      name,
      shortName: name.slice(0, 10),
      governanceObjectId: object.id,
      environments: ['production', 'test'],
    }),
  });
  const itsm = await signedIn(t, [], { givenName: 'Ivar', familyName: 'Tekniker' });
  await assignRole(t.ctx, {
    actor: admin,
    objectId: object.id,
    input: { personId: itsm.person.id, role: 'system_manager', appointedByPersonId: null },
  });
  return { system, itsm };
}

describe('upgrades and maintenance (G13)', () => {
  it('G13: the service window is one weekend, Stockholm time', () => {
    expect(inServiceWindow('2027-01-09T08:00:00+01:00', '2027-01-10T18:00:00+01:00')).toBe(true);
    expect(inServiceWindow('2027-01-09T08:00:00+01:00', '2027-01-11T00:00:00+01:00')).toBe(true);
    // Friday evening, Monday morning, and two weekends are outside.
    expect(inServiceWindow('2027-01-08T20:00:00+01:00', '2027-01-09T02:00:00+01:00')).toBe(false);
    expect(inServiceWindow('2027-01-10T20:00:00+01:00', '2027-01-11T02:00:00+01:00')).toBe(false);
    expect(inServiceWindow('2027-01-09T08:00:00+01:00', '2027-01-17T08:00:00+01:00')).toBe(false);
    // Saturday 00:30 in Stockholm is still Friday in UTC.
    expect(inServiceWindow('2027-01-08T23:30:00Z', '2027-01-09T03:00:00Z')).toBe(true);
  });

  it('G13: planned in a service window and a week ahead, approved by the CAB, rehearsed in test and communicated before it is done', async () => {
    // The test clock's today is Sunday 2026-11-22.
    const { system, itsm } = await systemWithManager('Upgraded');
    const url = `/api/v1/systems/${system.id}/maintenance`;
    const upgrade = {
      kind: 'upgrade',
      title: 'Version 12',
      description: 'Read the release notes together first.',
      startsAt: '2027-01-09T08:00:00+01:00',
      endsAt: '2027-01-09T14:00:00+01:00',
      disturbsUsers: true,
    };
    // Someone without a role on the system plans nothing.
    const stranger = await signedIn(t);
    const refused = await stranger.client.post(url, upgrade);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().rule).toBe('G13');
    // A weekday is outside the service window; next weekend is too soon to announce it a week ahead.
    const weekday = await itsm.client.post(url, {
      ...upgrade,
      startsAt: '2027-01-13T08:00:00+01:00',
      endsAt: '2027-01-13T14:00:00+01:00',
    });
    expect(weekday.statusCode).toBe(409);
    expect(weekday.json()).toMatchObject({ rule: 'G13', errors: [{ field: 'startsAt' }] });
    const soon = await itsm.client.post(url, {
      ...upgrade,
      startsAt: '2026-11-28T08:00:00+01:00',
      endsAt: '2026-11-28T14:00:00+01:00',
    });
    expect(soon.statusCode).toBe(409);
    expect(soon.json()).toMatchObject({ rule: 'G13', errors: [{ field: 'startsAt' }] });
    const backwards = await itsm.client.post(url, { ...upgrade, endsAt: '2027-01-09T07:00:00+01:00' });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().errors[0].field).toBe('endsAt');
    // Work users do not notice needs no window (nor a week's notice).
    const quiet = await itsm.client.post(url, {
      ...upgrade,
      kind: 'maintenance',
      startsAt: '2026-11-25T22:00:00+01:00',
      endsAt: '2026-11-25T23:00:00+01:00',
      disturbsUsers: false,
    });
    expect(quiet.statusCode, quiet.body).toBe(201);
    // Its checklist items due within a week are in My work of whoever holds their role on the system:
    // the system manager's, not the IT system manager's (nobody holds that role here).
    const work = (await itsm.client.get('/api/v1/me/work')).json().items;
    expect(
      work
        .filter((i: { kind: string }) => i.kind === 'maintenance.item')
        .map((i: { subject: { name: string }; detail: string; date: string }) => [
          i.subject.name,
          i.detail,
          i.date,
        ]),
    ).toEqual([
      ['Upgraded: Version 12', 'agree_time', '2026-11-22'],
      ['Upgraded: Version 12', 'support_texts', '2026-11-24'],
      ['Upgraded: Version 12', 'email_reference_group', '2026-11-25'],
    ]);
    expect(
      (await stranger.client.get('/api/v1/me/work'))
        .json()
        .items.filter((i: { kind: string }) => i.kind === 'maintenance.item'),
    ).toEqual([]);

    const planned = await itsm.client.post(url, upgrade);
    expect(planned.statusCode, planned.body).toBe(201);
    const m = planned.json();
    expect(m).toMatchObject({ state: 'planned', cab: null, needsRehearsal: true });
    // The communication checklist: what, when, how and by whom.
    expect(m.items.map((i: any) => [i.key, i.phase, i.dueAt, i.responsible])).toEqual([
      ['agree_time', 'before', '2026-12-26T07:00:00.000Z', 'system_manager'],
      ['system_message', 'before', '2027-01-02T07:00:00.000Z', 'it_system_manager'],
      ['service_desk_publish', 'before', '2027-01-02T07:00:00.000Z', 'it_system_manager'],
      ['support_texts', 'before', '2027-01-08T07:00:00.000Z', 'system_manager'],
      ['email_reference_group', 'after', '2027-01-09T13:00:00.000Z', 'system_manager'],
      ['remove_system_message', 'after', '2027-01-09T13:00:00.000Z', 'it_system_manager'],
    ]);

    // Not done before the CAB has approved; only an administrator records the CAB's decision.
    const early = await itsm.client.post(`/api/v1/maintenance/${m.id}/complete`);
    expect(early.statusCode).toBe(409);
    expect(early.json().rule).toBe('G13');
    const selfApproved = await itsm.client.post(`/api/v1/maintenance/${m.id}/cab-approval`, {
      reference: 'x',
    });
    expect(selfApproved.statusCode).toBe(403);
    expect(selfApproved.json().rule).toBe('G13');
    // The database refuses approved work without a CAB decision, whoever writes.
    await expect(
      rows(t.ctx.db, sql`update maintenance_events set state = 'cab_approved' where id = ${m.id}`),
    ).rejects.toThrow();
    const adm = await signedIn(t, ['administrator']);
    const approved = await adm.client.post(`/api/v1/maintenance/${m.id}/cab-approval`, {
      reference: 'CAB 2026-12-02 §4',
    });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ state: 'cab_approved', cab: { reference: 'CAB 2026-12-02 §4' } });
    expect(
      (await adm.client.post(`/api/v1/maintenance/${m.id}/cab-approval`, { reference: 'again' })).statusCode,
    ).toBe(409);

    // The system has a test environment: rehearse there first.
    const unrehearsed = await itsm.client.post(`/api/v1/maintenance/${m.id}/complete`);
    expect(unrehearsed.statusCode).toBe(409);
    expect(unrehearsed.json()).toMatchObject({ rule: 'G13', errors: [{ field: 'rehearsedOn' }] });
    expect(
      (await itsm.client.post(`/api/v1/maintenance/${m.id}/rehearsal`, { rehearsedOn: '2026-12-30' }))
        .statusCode,
    ).toBe(200);
    // Communicate first: every item before the work is ticked.
    const silent = await itsm.client.post(`/api/v1/maintenance/${m.id}/complete`);
    expect(silent.statusCode).toBe(409);
    expect(silent.json().errors.map((e: { field: string }) => e.field)).toEqual([
      'items.agree_time',
      'items.system_message',
      'items.service_desk_publish',
      'items.support_texts',
    ]);
    for (const item of m.items.filter((i: any) => i.phase === 'before')) {
      const ticked = await itsm.client.request('PUT', `/api/v1/maintenance-items/${item.id}`, { done: true });
      expect(ticked.statusCode).toBe(200);
    }
    const done = await itsm.client.post(`/api/v1/maintenance/${m.id}/complete`);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().state).toBe('done');
    expect(
      done
        .json()
        .items.filter((i: any) => !i.done)
        .map((i: any) => i.key),
    ).toEqual(['email_reference_group', 'remove_system_message']);
    // Audited in the same transactions.
    const audited = await rows<{ action: string }>(
      t.ctx.db,
      sql`select action from audit_events where entity_id = ${system.id} and action like 'maintenance.%'`,
    );
    expect(audited.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'maintenance.plan',
        'maintenance.cab-approve',
        'maintenance.rehearse',
        'maintenance.item.done',
        'maintenance.complete',
      ]),
    );
  });

  it('G13: an acute incident needs no window or CAB, but its own checklist; cancelled work closes its checklist', async () => {
    const { system, itsm } = await systemWithManager('Broken');
    const url = `/api/v1/systems/${system.id}/maintenance`;
    const incident = await itsm.client.post(url, {
      kind: 'incident',
      title: 'Sign-in fails',
      startsAt: '2026-11-22T08:30:00+01:00',
      endsAt: '2026-11-22T12:00:00+01:00',
      disturbsUsers: true,
    });
    expect(incident.statusCode, incident.body).toBe(201);
    const m = incident.json();
    expect(m.needsRehearsal).toBe(false);
    expect(m.items.map((i: any) => i.key)).toEqual([
      'publish_support',
      'system_message',
      'email_reference_group',
      'remove_system_message',
    ]);
    // "At once": due now (the test clock's 09:00 UTC), not in the past.
    expect(m.items[0].dueAt).toBe('2026-11-22T09:00:00.000Z');
    expect((await itsm.client.post(`/api/v1/maintenance/${m.id}/complete`)).statusCode).toBe(409);
    for (const item of m.items.filter((i: any) => i.phase === 'before'))
      await itsm.client.request('PUT', `/api/v1/maintenance-items/${item.id}`, { done: true });
    const resolved = await itsm.client.post(`/api/v1/maintenance/${m.id}/complete`);
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect(resolved.json()).toMatchObject({ state: 'done', cab: null });

    const planned = await itsm.client.post(url, {
      kind: 'maintenance',
      title: 'Disk change',
      startsAt: '2027-02-06T09:00:00+01:00',
      endsAt: '2027-02-06T10:00:00+01:00',
      disturbsUsers: true,
    });
    const cancelled = await itsm.client.post(`/api/v1/maintenance/${planned.json().id}/cancel`);
    expect(cancelled.json().state).toBe('cancelled');
    const tick = await itsm.client.request('PUT', `/api/v1/maintenance-items/${planned.json().items[0].id}`, {
      done: true,
    });
    expect(tick.statusCode).toBe(409);
    // Everyone sees the calendar.
    const calendar = (await (await signedIn(t)).client.get('/api/v1/maintenance')).json().items;
    expect(calendar.map((e: { title: string }) => e.title)).toEqual(
      expect.arrayContaining(['Sign-in fails', 'Disk change']),
    );
  });
  it.skipIf(!onPostgres)(
    'G13: completing work while a checklist item before it is unticked never leaves done work uncommunicated (PostgreSQL)',
    async () => {
      const { system, itsm } = await systemWithManager('Raced');
      const adm = await signedIn(t, ['administrator']);
      for (let round = 0; round < 8; round++) {
        const m = (
          await itsm.client.post(`/api/v1/systems/${system.id}/maintenance`, {
            kind: 'upgrade',
            title: `Race ${round}`,
            startsAt: '2027-01-16T08:00:00+01:00',
            endsAt: '2027-01-16T12:00:00+01:00',
            disturbsUsers: true,
          })
        ).json();
        await adm.client.post(`/api/v1/maintenance/${m.id}/cab-approval`, { reference: `CAB ${round}` });
        await itsm.client.post(`/api/v1/maintenance/${m.id}/rehearsal`, { rehearsedOn: '2027-01-09' });
        for (const item of m.items.filter((i: any) => i.phase === 'before'))
          await itsm.client.request('PUT', `/api/v1/maintenance-items/${item.id}`, { done: true });
        const [done, untick] = await Promise.all([
          itsm.client.post(`/api/v1/maintenance/${m.id}/complete`),
          itsm.client.request('PUT', `/api/v1/maintenance-items/${m.items[round % 4].id}`, { done: false }),
        ]);
        // One of them wins; both orders are fine, but never done with an item before it open.
        expect([done.statusCode, untick.statusCode].sort()).toEqual([200, 409]);
        const [state] = await rows<{ state: string; open: number }>(
          t.ctx.db,
          sql`select e.state, (select count(*)::int from maintenance_checklist_items i
                where i.event_id = e.id and i.phase = 'before' and i.done_at is null) as open
              from maintenance_events e where e.id = ${m.id}`,
        );
        expect(state.state === 'done' ? state.open : 0).toBe(0);
      }
    },
  );
});

describe('the change log (G11)', () => {
  it('G11: the system’s main roles record dated changes; everyone reads them newest first; the log is append-only', async () => {
    // The test clock's today is 2026-11-22.
    const { system, itsm } = await systemWithManager('Logged');
    const url = `/api/v1/systems/${system.id}/change-log`;
    const first = await itsm.client.post(url, {
      changedOn: '2026-11-20',
      kind: 'configuration',
      summary: 'Session timeout from 30 to 60 minutes',
      details: 'Asked for by the reference group.',
    });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({
      system: { id: system.id, name: 'Logged' },
      changedOn: '2026-11-20',
      kind: 'configuration',
      maintenance: null,
      recordedBy: 'Ivar Tekniker',
    });
    expect(
      (await itsm.client.post(url, { changedOn: '2026-11-21', kind: 'integration', summary: 'New HR feed' }))
        .statusCode,
    ).toBe(201);
    expect(
      (await itsm.client.post(url, { changedOn: '2026-11-20', kind: 'access', summary: 'Admin role split' }))
        .statusCode,
    ).toBe(201);

    // Refused, with the field named, and nothing written: a change not yet made, no summary, no such kind.
    for (const [body, field] of [
      [{ changedOn: '2026-11-23', kind: 'other', summary: 'Tomorrow' }, 'changedOn'],
      [{ changedOn: '2026-11-21', kind: 'other', summary: '   ' }, 'summary'],
      [{ changedOn: '2026-11-21', kind: 'whim', summary: 'Hm' }, 'kind'],
    ] as const) {
      const refused = await itsm.client.post(url, body);
      expect(refused.statusCode, field).toBe(400);
      expect(refused.json().errors[0].field).toBe(field);
    }
    // Someone without a main role on the system keeps no log of it.
    const stranger = await signedIn(t);
    const byStranger = await stranger.client.post(url, {
      changedOn: '2026-11-21',
      kind: 'other',
      summary: 'X',
    });
    expect(byStranger.statusCode).toBe(403);
    expect(byStranger.json().rule).toBe('G11');

    // Everyone reads it, newest first (by day, then as recorded), a page at a time.
    const page1 = await stranger.client.get(`${url}?limit=2`);
    expect(page1.statusCode).toBe(200);
    expect(page1.json().items.map((c: any) => c.summary)).toEqual(['New HR feed', 'Admin role split']);
    const page2 = await stranger.client.get(`${url}?limit=2&cursor=${page1.json().nextCursor}`);
    expect(page2.json()).toMatchObject({
      items: [{ summary: 'Session timeout from 30 to 60 minutes' }],
      nextCursor: null,
    });
    expect((await stranger.client.get(`${url}?cursor=nonsense`)).json().errors[0].field).toBe('cursor');
    expect(
      (await stranger.client.get('/api/v1/systems/00000000-0000-4000-8000-000000000000/change-log'))
        .statusCode,
    ).toBe(404);

    // Across systems, by period, kind and words (the yearly report), and as CSV.
    const across = await stranger.client.get(
      '/api/v1/change-log?from=2026-11-20&to=2026-11-20&q=logged%20admin',
    );
    expect(across.json().items.map((c: any) => c.summary)).toEqual(['Admin role split']);
    const kinds = await stranger.client.get('/api/v1/change-log?kind=integration&q=hr%20feed');
    expect(kinds.json().items.map((c: any) => c.kind)).toEqual(['integration']);
    expect(
      (await stranger.client.get('/api/v1/change-log?from=2026-11-21&to=2026-11-20')).json().errors[0].field,
    ).toBe('to');
    const csv = await stranger.client.get('/api/v1/change-log/export.csv?q=logged');
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain('changed_on,system,kind,summary,details,recorded_by,recorded_at');
    expect(csv.body).toContain('2026-11-20,Logged,configuration,Session timeout from 30 to 60 minutes');
    const xlsx = await stranger.client.get('/api/v1/change-log/export.xlsx?q=logged&lang=sv');
    expect(xlsx.statusCode, xlsx.body).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet: unknown[][] = [];
    workbook.worksheets[0].eachRow((row) => sheet.push((row.values as unknown[]).slice(1)));
    expect(workbook.worksheets[0].name).toBe('Ändringslogg');
    expect(sheet[0].slice(0, 4)).toEqual(['Ändrat', 'System', 'Slag', 'Sammanfattning']);
    expect(sheet.slice(1).map((r) => r[3])).toEqual([
      'Session timeout from 30 to 60 minutes',
      'Admin role split',
      'New HR feed',
    ]);

    // Append-only, whoever writes: a correction is a new entry. Each entry was audited.
    const refused = (statement: ReturnType<typeof sql>) =>
      t.ctx.db.execute(statement).then(
        () => 'ok',
        (e) => String(e.cause?.message ?? e.message),
      );
    const id = first.json().id;
    expect(await refused(sql`update maintenance_change_log set summary = 'x' where id = ${id}`)).toMatch(
      /append-only/,
    );
    expect(await refused(sql`delete from maintenance_change_log where id = ${id}`)).toMatch(/append-only/);
    const audited = await rows(
      t.ctx.db,
      sql`select 1 from audit_events where entity_id = ${system.id} and action = 'system.change-log.record'`,
    );
    expect(audited).toHaveLength(3);
  });

  it('G11: completed work enters the change log once, dated the day it was done', async () => {
    const { system, itsm } = await systemWithManager('Mended');
    const incident = await itsm.client.post(`/api/v1/systems/${system.id}/maintenance`, {
      kind: 'incident',
      title: 'Search index rebuilt',
      description: 'Searches returned nothing after the disk filled.',
      startsAt: '2026-11-22T07:00:00+01:00',
      endsAt: '2026-11-22T09:30:00+01:00',
      disturbsUsers: true,
    });
    const m = incident.json();
    for (const item of m.items.filter((i: any) => i.phase === 'before'))
      await itsm.client.request('PUT', `/api/v1/maintenance-items/${item.id}`, { done: true });
    const log = async () => (await itsm.client.get(`/api/v1/systems/${system.id}/change-log`)).json().items;
    expect(await log()).toEqual([]);
    expect((await itsm.client.post(`/api/v1/maintenance/${m.id}/complete`)).statusCode).toBe(200);
    expect(await log()).toMatchObject([
      {
        changedOn: '2026-11-22',
        kind: 'incident',
        summary: 'Search index rebuilt',
        details: 'Searches returned nothing after the disk filled.',
        maintenance: { id: m.id },
      },
    ]);
    // Done once: a second completion is refused and writes nothing.
    expect((await itsm.client.post(`/api/v1/maintenance/${m.id}/complete`)).statusCode).toBe(409);
    expect(await log()).toHaveLength(1);
  });
});

describe('system messages (G13)', () => {
  it('G13: the main roles post a system message for the work a week ahead (its checklist item ticks itself); everyone sees it while shown; taking it down ticks the remove item', async () => {
    // The test clock's now is 2026-11-22T09:00Z.
    const { system, itsm } = await systemWithManager('Announced');
    const planned = await itsm.client.post(`/api/v1/systems/${system.id}/maintenance`, {
      kind: 'upgrade',
      title: 'Version 13',
      startsAt: '2027-01-09T08:00:00+01:00',
      endsAt: '2027-01-09T14:00:00+01:00',
      disturbsUsers: true,
    });
    expect(planned.statusCode, planned.body).toBe(201);
    const work = planned.json();
    const other = await systemWithManager('Elsewhere');
    const elsewhere = await other.itsm.client.post(`/api/v1/systems/${other.system.id}/maintenance`, {
      kind: 'maintenance',
      title: 'Quiet',
      startsAt: '2026-12-01T10:00:00+01:00',
      endsAt: '2026-12-01T11:00:00+01:00',
      disturbsUsers: false,
    });
    const url = `/api/v1/systems/${system.id}/system-messages`;
    const announcement = {
      severity: 'warning',
      textEn: 'Student Records is closed on Saturday 9 January, 08–14, for an upgrade.',
      textSv: 'Studieregistret är stängt lördag 9 januari kl. 8–14 för en uppgradering.',
      shownFrom: '2027-01-02T08:00:00+01:00',
      shownUntil: '2027-01-09T14:00:00+01:00',
      maintenanceId: work.id,
    };

    // Refused, with the field named, and nothing written.
    for (const [patch, field] of [
      [{ textEn: '', textSv: ' ' }, 'textEn'],
      [{ severity: 'panic' }, 'severity'],
      [{ shownFrom: undefined, shownUntil: '2026-11-01T00:00:00Z' }, 'shownUntil'],
      [{ shownFrom: '2027-01-10T00:00:00Z', shownUntil: '2027-01-09T00:00:00Z' }, 'shownUntil'],
      [{ maintenanceId: elsewhere.json().id }, 'maintenanceId'],
    ] as const) {
      const refused = await itsm.client.post(url, { ...announcement, ...patch });
      expect(refused.statusCode, field).toBe(400);
      expect(refused.json().errors[0].field).toBe(field);
    }
    const stranger = await signedIn(t);
    const byStranger = await stranger.client.post(url, announcement);
    expect(byStranger.statusCode).toBe(403);
    expect(byStranger.json().rule).toBe('G13');
    expect((await stranger.client.get(url)).json().items).toEqual([]);

    // A week ahead, linked to the work: scheduled, and the work's "system message" item is done.
    const posted = await itsm.client.post(url, announcement);
    expect(posted.statusCode, posted.body).toBe(201);
    expect(posted.json()).toMatchObject({
      state: 'scheduled',
      maintenance: { id: work.id, title: 'Version 13' },
      publishedBy: 'Ivar Tekniker',
    });
    const item = async (key: string) =>
      (await itsm.client.get(`/api/v1/systems/${system.id}/maintenance`))
        .json()
        .items[0].items.find((i: any) => i.key === key);
    expect(await item('system_message')).toMatchObject({ done: true, doneBy: 'Ivar Tekniker' });
    expect(await item('remove_system_message')).toMatchObject({ done: false });

    // Shown now: everyone sees the current messages, the most serious first; not the scheduled one.
    const until = '2026-11-23T09:00:00Z';
    await itsm.client.post(url, { severity: 'info', textSv: 'Ny inloggningssida.', shownUntil: until });
    await itsm.client.post(url, { severity: 'disruption', textEn: 'Exports fail.', shownUntil: until });
    const current = (await stranger.client.get('/api/v1/system-messages')).json().items;
    expect(current.filter((m: any) => m.system.id === system.id).map((m: any) => m.severity)).toEqual([
      'disruption',
      'info',
    ]);
    expect(current.every((m: any) => m.state === 'shown')).toBe(true);
    expect((await stranger.client.get(url)).json().items).toHaveLength(3);

    // My work shows the messages of the systems one uses (a role or a grant), and every disruption.
    const mine = async (who: typeof stranger) =>
      (await who.client.get('/api/v1/system-messages?mine=true'))
        .json()
        .items.filter((m: any) => m.system.id === system.id)
        .map((m: any) => m.severity);
    expect(await mine(itsm)).toEqual(['disruption', 'info']);
    expect(await mine(stranger)).toEqual(['disruption']);
    const unit = await makeUnit(t.ctx);
    const permission = await createPermission(t.ctx, {
      actor: admin,
      systemId: system.id,
      input: {
        name: 'Reader',
        description: '',
        accountType: 'personal',
        modules: [],
        limitedToUnits: true,
        approvalSteps: [],
        active: true,
      },
    });
    const user = await signedIn(t, [], { givenName: 'Uma', familyName: 'User' });
    await t.ctx.db.execute(
      sql`insert into person_units (person_id, unit_id) values (${user.person.id}, ${unit.id})`,
    );
    const order = await sentGrantOrder(t.ctx, user.person.id, permission.id, [unit.id]);
    await fulfilOrder(t.ctx, { actor: admin, id: order });
    expect(await mine(user)).toEqual(['disruption', 'info']);

    // Taken down: withdrawn at once, and the work's "remove the system message" item is done.
    const down = await itsm.client.post(`/api/v1/system-messages/${posted.json().id}/withdraw`);
    expect(down.statusCode, down.body).toBe(200);
    expect(down.json()).toMatchObject({ state: 'withdrawn', withdrawnBy: 'Ivar Tekniker' });
    expect(await item('remove_system_message')).toMatchObject({ done: true });
    expect((await itsm.client.post(`/api/v1/system-messages/${posted.json().id}/withdraw`)).statusCode).toBe(
      409,
    );
    expect(
      (await itsm.client.post('/api/v1/system-messages/00000000-0000-4000-8000-000000000000/withdraw'))
        .statusCode,
    ).toBe(404);
    const audited = await rows<{ action: string }>(
      t.ctx.db,
      sql`select action from audit_events where entity_id = ${system.id} and action like 'system-message.%'`,
    );
    expect(audited.map((a) => a.action).sort()).toEqual([
      'system-message.publish',
      'system-message.publish',
      'system-message.publish',
      'system-message.withdraw',
    ]);
  });
});
