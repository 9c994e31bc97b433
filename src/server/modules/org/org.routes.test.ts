import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.ts';
import { Client, createTestApp, makePerson, makeUnit, signedIn, type TestApp } from '../../testing/http.ts';

let t: TestApp;
let adm: Awaited<ReturnType<typeof signedIn>>;
beforeAll(async () => {
  t = await createTestApp();
  adm = await signedIn(t, ['administrator'], { givenName: 'Ingrid', familyName: 'Admin' });
});
afterAll(() => t.close());

describe('org units', () => {
  it('form a tree with a head of unit', async () => {
    const root = await makeUnit(t.ctx, { name: 'Root University' });
    const fac = await adm.client.post('/api/v1/org-units', {
      code: 'FAC-X',
      name: 'Faculty X',
      kind: 'faculty',
      parentId: root.id,
    });
    expect(fac.statusCode).toBe(201);
    const head = await makePerson(t.ctx, {
      givenName: 'Hedda',
      familyName: 'Head',
      unitIds: [fac.json().id],
    });
    const patched = await adm.client.patch(
      `/api/v1/org-units/${fac.json().id}`,
      { headPersonId: head.id },
      { 'if-match': String(fac.headers.etag) },
    );
    expect(patched.statusCode).toBe(200);
    const detail = (await adm.client.get(`/api/v1/org-units/${fac.json().id}`)).json();
    expect(detail.parent.name).toBe('Root University');
    expect(detail.head.displayName).toBe('Hedda Head');
    expect(detail.memberCount).toBe(1);
    const tree = (await adm.client.get('/api/v1/org-units/tree')).json().items;
    expect(tree.find((u: any) => u.id === fac.json().id).parentId).toBe(root.id);
  });

  it('refuses to put a unit under its own descendant', async () => {
    const a = await makeUnit(t.ctx);
    const b = await makeUnit(t.ctx, { parentId: a.id });
    const res = await adm.client.patch(
      `/api/v1/org-units/${a.id}`,
      { parentId: b.id },
      { 'if-match': `W/"${a.version}"` },
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('parentId');
  });

  it('answers a duplicate code with 409 naming the field', async () => {
    await makeUnit(t.ctx, { code: 'DUP-1' });
    const res = await adm.client.post('/api/v1/org-units', { code: 'DUP-1', name: 'Again' });
    expect(res.statusCode).toBe(409);
    expect(res.json().errors[0].field).toBe('code');
  });
});

describe('persons', () => {
  it('search is server-side, paged by cursor, and sorts Swedish names with å, ä, ö after z', async () => {
    const unit = await makeUnit(t.ctx);
    for (const fam of ['Öberg', 'Zetterlund', 'Åberg', 'Andersson', 'Ärlig', 'Eriksson', 'Édouard']) {
      await makePerson(t.ctx, { givenName: 'Sortera', familyName: fam, unitIds: [unit.id] });
    }
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await adm.client.get(
        `/api/v1/persons?unitId=${unit.id}&limit=3&lang=sv${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.statusCode).toBe(200);
      all.push(...res.json().items.map((p: any) => p.familyName));
      cursor = res.json().nextCursor;
    } while (cursor);
    expect(all).toEqual(['Andersson', 'Édouard', 'Eriksson', 'Zetterlund', 'Åberg', 'Ärlig', 'Öberg']);
    const en = (await adm.client.get(`/api/v1/persons?unitId=${unit.id}&lang=en&limit=50`))
      .json()
      .items.map((p: any) => p.familyName);
    expect(en).toEqual(['Åberg', 'Andersson', 'Ärlig', 'Édouard', 'Eriksson', 'Öberg', 'Zetterlund']);
    const found = (await adm.client.get('/api/v1/persons?q=sortera%20ÄRL')).json().items;
    expect(found.map((p: any) => p.familyName)).toEqual(['Ärlig']);
  });

  it('exports exactly the persons of a list, in its order, as CSV and Excel, to those who may export personal data', async () => {
    const unit = await makeUnit(t.ctx, { name: 'Exportenheten' });
    for (const fam of ['Öst', 'Ahl', 'Berg'])
      await makePerson(t.ctx, { givenName: 'Export', familyName: fam, unitIds: [unit.id] });
    const csv = await adm.client.get(`/api/v1/persons/export.csv?unitId=${unit.id}&lang=sv`);
    expect(csv.statusCode, csv.body).toBe(200);
    const [header, ...lines] = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(header).toBe('family_name,given_name,employee_id,email,primary_unit,units,status');
    expect(lines.map((l) => l.split(',')[0])).toEqual(['Ahl', 'Berg', 'Öst']);
    expect(lines[0]).toContain('Exportenheten');
    // Same search as the list.
    const one = await adm.client.get(`/api/v1/persons/export.csv?q=export%20berg`);
    expect(one.body.trim().split('\n')).toHaveLength(2);
    const xlsx = await adm.client.get(`/api/v1/persons/export.xlsx?unitId=${unit.id}&lang=sv`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    // Everyone reads the list; the file of it is for those who export personal data.
    const colleague = await signedIn(t, []);
    expect((await colleague.client.get(`/api/v1/persons?unitId=${unit.id}`)).statusCode).toBe(200);
    const refused = await colleague.client.get(`/api/v1/persons/export.csv?unitId=${unit.id}`);
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toMatch(/problem\+json/);
    expect((await (await signedIn(t, ['auditor'])).client.get('/api/v1/persons/export.csv')).statusCode).toBe(
      200,
    );
  });

  it('rejects bad input with problem+json naming the field, never a 500', async () => {
    const res = await adm.client.post('/api/v1/persons', {
      employeeId: '',
      givenName: 'A',
      familyName: 'B',
      email: 'not-mail',
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    const fields = res.json().errors.map((e: any) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['employeeId', 'email']));
    const badJson = await adm.client.request('POST', '/api/v1/persons', undefined, {
      'content-type': 'application/json',
    });
    expect(badJson.statusCode).toBe(400);
    const broken = await t.app.inject({
      method: 'POST',
      url: '/api/v1/persons',
      headers: {
        cookie: adm.client.cookie,
        'x-csrf-token': adm.client.csrf,
        'content-type': 'application/json',
      },
      payload: '{"employeeId": ',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().title).toBeTruthy();
    expect((await adm.client.get('/api/v1/persons/not-a-uuid')).statusCode).toBe(400);
    expect((await adm.client.get('/api/v1/persons/00000000-0000-4000-8000-000000000000')).statusCode).toBe(
      404,
    );
    expect((await adm.client.get('/api/v1/persons?cursor=garbage')).statusCode).toBe(400);
  });

  it('concurrent edits with a stale If-Match get 412 and only one change is applied', async () => {
    const p = await makePerson(t.ctx, { givenName: 'Kalle', familyName: 'Anka' });
    const etag = String((await adm.client.get(`/api/v1/persons/${p.id}`)).headers.etag);
    const results = await Promise.all(
      ['Ankström', 'Anksson', 'Ankberg', 'Ankdal'].map((familyName) =>
        adm.client.patch(`/api/v1/persons/${p.id}`, { familyName }, { 'if-match': etag }),
      ),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([200, 412, 412, 412]);
    expect(results.find((r) => r.statusCode === 412)!.json().type).toBe('/problems/stale');
    const missing = await adm.client.patch(`/api/v1/persons/${p.id}`, { familyName: 'X' });
    expect(missing.statusCode).toBe(428);
  });

  it('E2: a person who leaves is deactivated, not deleted; their sessions end at once', async () => {
    const leaver = await signedIn(t, [], { givenName: 'Lisa', familyName: 'Lämnar' });
    expect((await leaver.client.get('/api/v1/auth/session')).statusCode).toBe(200);
    const res = await adm.client.post(`/api/v1/persons/${leaver.person.id}/leave`);
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('left');
    expect((await leaver.client.get('/api/v1/auth/session')).statusCode).toBe(401);
    expect((await new Client(t.app, '10.5.0.1').login(leaver.username, leaver.password)).statusCode).toBe(
      401,
    );
    const [row] = await rows<{ n: number }>(
      t.ctx.db,
      sql`select count(*)::int as n from persons where id = ${leaver.person.id}`,
    );
    expect(row.n).toBe(1);
    // The database itself refuses to delete a person that records refer to.
    await expect(t.ctx.db.execute(sql`delete from persons where id = ${leaver.person.id}`)).rejects.toThrow();
    const again = await adm.client.post(`/api/v1/persons/${leaver.person.id}/leave`);
    expect(again.statusCode).toBe(409);
    // Leavers are hidden from the default list and shown with status=left.
    const left = (await adm.client.get('/api/v1/persons?status=left&q=lämnar')).json().items;
    expect(left.map((p: any) => p.id)).toContain(leaver.person.id);
    expect((await adm.client.get('/api/v1/persons?q=lämnar')).json().items).toHaveLength(0);
  });

  it('L6: a removed user’s name stays visible on every record they took part in', async () => {
    const worker = await signedIn(t, ['administrator'], { givenName: 'Vilma', familyName: 'Verksam' });
    const p = await makePerson(t.ctx);
    const etag = String((await worker.client.get(`/api/v1/persons/${p.id}`)).headers.etag);
    await worker.client.patch(`/api/v1/persons/${p.id}`, { givenName: 'Changed' }, { 'if-match': etag });
    await adm.client.post(`/api/v1/persons/${worker.person.id}/leave`);
    // HR later renames the leaver's record; history keeps the name they had when they acted.
    const e2 = String((await adm.client.get(`/api/v1/persons/${worker.person.id}`)).headers.etag);
    await adm.client.patch(
      `/api/v1/persons/${worker.person.id}`,
      { familyName: 'Efternamn' },
      { 'if-match': e2 },
    );
    const ev = (await adm.client.get(`/api/v1/audit?entityId=${p.id}&action=person.update`)).json().items[0];
    expect(ev.actorLabel).toBe('Vilma Verksam');
    expect(ev.actorPersonId).toBe(worker.person.id);
    const person = (await adm.client.get(`/api/v1/persons/${worker.person.id}`)).json();
    expect(person.displayName).toBe('Vilma Efternamn');
    expect(person.status).toBe('left');
  });

  it('E2: a person’s data can be exported on request (register extract)', async () => {
    const me = await signedIn(t, [], { givenName: 'Rut', familyName: 'Registrerad' });
    await me.client.patch('/api/v1/me', { locale: 'sv' });
    const own = await me.client.get(`/api/v1/persons/${me.person.id}/export`);
    expect(own.statusCode).toBe(200);
    const data = own.json();
    expect(data.person.displayName).toBe('Rut Registrerad');
    expect(data.account.username).toBe(me.username);
    expect(data.account.passwordHash).toBeUndefined();
    expect(JSON.stringify(data)).not.toMatch(/argon2/);
    expect(data.sessions.length).toBeGreaterThan(0);
    expect(data.history.map((e: any) => e.action)).toEqual(
      expect.arrayContaining(['person.create', 'auth.sign-in', 'account.locale']),
    );
    const other = await makePerson(t.ctx);
    expect((await me.client.get(`/api/v1/persons/${other.id}/export`)).statusCode).toBe(403);
  });
});

describe('identity editors (V3)', () => {
  it('V3: selected staff create and edit the persons of their own units without being administrators', async () => {
    const ward = await makeUnit(t.ctx, { name: 'Ward 4' });
    const other = await makeUnit(t.ctx, { name: 'Ward 5' });
    const head = await signedIn(t, [], { givenName: 'Hanna', familyName: 'Head' });
    const ed = await signedIn(t, [], { givenName: 'Edit', familyName: 'Or' });
    const unit = (await adm.client.get(`/api/v1/org-units/${ward.id}`)).json();
    expect(
      (
        await adm.client.patch(
          `/api/v1/org-units/${ward.id}`,
          { headPersonId: head.person.id },
          { 'if-match': `"${unit.version}"` },
        )
      ).statusCode,
    ).toBe(200);
    const newPerson = (unitIds: string[], employeeId: string) =>
      ed.client.post('/api/v1/persons', { employeeId, givenName: 'Nina', familyName: 'Nurse', unitIds });

    // Not yet appointed: an ordinary user writes no person.
    const before = await newPerson([ward.id], 'V3-1');
    expect(before.statusCode).toBe(403);

    // Nobody appoints themselves, not even the head; someone else who is not the head is refused too.
    const self = await head.client.post(`/api/v1/org-units/${ward.id}/identity-editors`, {
      personId: head.person.id,
    });
    expect(self.statusCode).toBe(403);
    expect(self.json().rule).toBe('V3');
    // The database refuses a self-appointment too, whoever writes.
    await expect(
      rows(
        t.ctx.db,
        sql`insert into org_identity_editors (id, unit_id, person_id, appointed_by_person_id, appointed_by_label,
              appointed_at)
            values (gen_random_uuid(), ${ward.id}, ${head.person.id}, ${head.person.id}, 'psql', now())`,
      ),
    ).rejects.toThrow();
    const notHead = await ed.client.post(`/api/v1/org-units/${ward.id}/identity-editors`, {
      personId: ed.person.id,
    });
    expect(notHead.statusCode).toBe(403);
    expect(
      (
        await head.client.post(`/api/v1/org-units/${other.id}/identity-editors`, {
          personId: ed.person.id,
        })
      ).statusCode,
    ).toBe(403);
    // The head of the unit appoints.
    const appointed = await head.client.post(`/api/v1/org-units/${ward.id}/identity-editors`, {
      personId: ed.person.id,
    });
    expect(appointed.statusCode, appointed.body).toBe(201);
    expect(appointed.json()).toMatchObject({ person: { displayName: 'Edit Or' }, unit: { name: 'Ward 4' } });
    const again = await head.client.post(`/api/v1/org-units/${ward.id}/identity-editors`, {
      personId: ed.person.id,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().errors[0].field).toBe('personId');
    const listed = (await ed.client.get(`/api/v1/org-units/${ward.id}/identity-editors`)).json().items;
    expect(listed.map((e: any) => e.person.displayName)).toEqual(['Edit Or']);
    expect((await ed.client.get('/api/v1/me/identity-units')).json().unitIds).toEqual([ward.id]);

    // Now they create a person of their unit and edit them...
    const created = await newPerson([ward.id], 'V3-2');
    expect(created.statusCode, created.body).toBe(201);
    const etag = String(created.headers.etag);
    const edited = await ed.client.patch(
      `/api/v1/persons/${created.json().id}`,
      { email: 'nina.nurse@example.org' },
      { 'if-match': etag },
    );
    expect(edited.statusCode, edited.body).toBe(200);
    // ...but not a person of another unit, nor one who also belongs elsewhere only, nor without a unit.
    expect((await newPerson([other.id], 'V3-3')).statusCode).toBe(403);
    expect((await newPerson([ward.id, other.id], 'V3-4')).statusCode).toBe(403);
    expect((await newPerson([], 'V3-5')).statusCode).toBe(403);
    const outsider = await makePerson(t.ctx, { unitIds: [other.id] });
    const outsiderEtag = String((await adm.client.get(`/api/v1/persons/${outsider.id}`)).headers.etag);
    expect(
      (
        await ed.client.patch(
          `/api/v1/persons/${outsider.id}`,
          { givenName: 'X' },
          { 'if-match': outsiderEtag },
        )
      ).statusCode,
    ).toBe(403);
    // Nor an administrator of their unit: an administrator's identity stays with administrators.
    const boss = await signedIn(t, ['administrator'], { givenName: 'Ada', familyName: 'Admin' });
    await rows(
      t.ctx.db,
      sql`insert into person_units (person_id, unit_id) values (${boss.person.id}, ${ward.id})`,
    );
    const bossEtag = String((await adm.client.get(`/api/v1/persons/${boss.person.id}`)).headers.etag);
    expect(
      (
        await ed.client.patch(
          `/api/v1/persons/${boss.person.id}`,
          { email: 'x@example.org' },
          { 'if-match': bossEtag },
        )
      ).statusCode,
    ).toBe(403);
    // They are not administrators: no leaving, no import, no new units.
    expect((await ed.client.post(`/api/v1/persons/${created.json().id}/leave`, {})).statusCode).toBe(403);
    expect(
      (await ed.client.post('/api/v1/org-units', { code: 'V3-U', name: 'Nope', parentId: null })).statusCode,
    ).toBe(403);

    // Every change is audited, the appointment too.
    const audit = await rows<{ action: string }>(
      t.ctx.db,
      sql`select action from audit_events where entity_id in (${ward.id}, ${created.json().id}) order by id`,
    );
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['identity-editor.appoint', 'person.create', 'person.update']),
    );

    // Ended by the head: the rights go at once, the appointment stays as history.
    const end = await head.client.delete(`/api/v1/identity-editors/${appointed.json().id}`);
    expect(end.statusCode).toBe(204);
    expect((await newPerson([ward.id], 'V3-6')).statusCode).toBe(403);
    const [kept] = await rows<{ n: number }>(
      t.ctx.db,
      sql`select count(*)::int as n from org_identity_editors where person_id = ${ed.person.id} and ended_at is not null`,
    );
    expect(kept.n).toBe(1);
  });
});
