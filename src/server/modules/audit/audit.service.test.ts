import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_LABELS } from '../../audit-labels.ts';
import { type Db, rows } from '../../db/client.ts';
import { Client, createTestApp, makePerson, signedIn, type TestApp } from '../../testing/http.ts';
import { auditEntityLabels } from './audit.labels.ts';
import { sealAuditChain, verifyAuditChain } from './audit.service.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** Tampering as a database superuser would: triggers off for one transaction. */
async function tamper(db: Db, statement: ReturnType<typeof sql>) {
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx.execute(statement);
  });
}

/** The database's error message for a statement, or 'ok' if it succeeded. */
async function failure(statement: ReturnType<typeof sql>) {
  try {
    await t.ctx.db.execute(statement);
    return 'ok';
  } catch (e: any) {
    return String(e.cause?.message ?? e.message);
  }
}

describe('E1 audit trail', () => {
  it('E1: a change through the API is recorded with who, when, before and after, in the same transaction', async () => {
    const { client, person: actorPerson } = await signedIn(t, ['administrator'], {
      givenName: 'Ada',
      familyName: 'Admin',
    });
    const p = await makePerson(t.ctx, { givenName: 'Bo', familyName: 'Ek' });
    const got = await client.get(`/api/v1/persons/${p.id}`);
    const res = await client.patch(
      `/api/v1/persons/${p.id}`,
      { familyName: 'Ekström' },
      { 'if-match': String(got.headers.etag) },
    );
    expect(res.statusCode).toBe(200);
    const audit = await client.get(`/api/v1/audit?entityType=person&entityId=${p.id}&action=person.update`);
    const [ev] = audit.json().items;
    expect(ev.actorLabel).toBe('Ada Admin');
    expect(ev.actorPersonId).toBe(actorPerson.id);
    expect(ev.before.familyName).toBe('Ek');
    expect(ev.after.familyName).toBe('Ekström');
    // The page names the object as a person recognises it, not by its id.
    expect(ev.entityLabel).toBe('Bo Ekström');
    expect(ev.occurredAt).toBe(t.ctx.clock.now().toISOString());
    // A refused change (stale If-Match) writes neither the change nor an event.
    const stale = await client.patch(
      `/api/v1/persons/${p.id}`,
      { familyName: 'Eken' },
      { 'if-match': String(got.headers.etag) },
    );
    expect(stale.statusCode).toBe(412);
    const after = await client.get(`/api/v1/audit?entityType=person&entityId=${p.id}&action=person.update`);
    expect(after.json().items).toHaveLength(1);
    // The event filter: one code exactly, or a kind ending in a dot; wildcards are taken as written.
    const codes = async (action: string) =>
      (await client.get(`/api/v1/audit?entityId=${p.id}&action=${encodeURIComponent(action)}`))
        .json()
        .items.map((e: { action: string }) => e.action);
    expect(await codes('person.update')).toEqual(['person.update']);
    expect(await codes('person.upd')).toEqual([]);
    expect(await codes('person.')).toContain('person.update');
    expect((await codes('person.')).every((c: string) => c.startsWith('person.'))).toBe(true);
    expect(await codes('%.')).toEqual([]);
  });

  it('E1: the database refuses UPDATE, DELETE and TRUNCATE of audit events', async () => {
    await makePerson(t.ctx);
    expect(await failure(sql`update audit_events set action = 'x'`)).toMatch(/append-only/);
    expect(await failure(sql`delete from audit_events`)).toMatch(/append-only/);
    expect(await failure(sql`truncate audit_events cascade`)).toMatch(/append-only/);
    await sealAuditChain(t.ctx.db, t.ctx.clock.now());
    expect(await failure(sql`update audit_chain set hash = 'x'`)).toMatch(/append-only/);
    expect(await failure(sql`delete from audit_chain`)).toMatch(/append-only/);
  });

  it('E1: sign-ins, failed sign-ins and refused authorisations are audited', async () => {
    const { client, username, password } = await signedIn(t);
    await new Client(t.app, '10.7.0.1').login(username, 'not-the-password');
    const refused = await client.post('/api/v1/persons', {
      employeeId: 'X1',
      givenName: 'A',
      familyName: 'B',
    });
    expect(refused.statusCode).toBe(403);
    // A refusal with no sentence of its own has its own problem type, which a client words for its user.
    expect(refused.json().type).toBe('/problems/not-permitted');
    const evs = await rows<{ action: string }>(
      t.ctx.db,
      sql`select action from audit_events where action in ('auth.sign-in', 'auth.sign-in.failed', 'authz.denied') order by id`,
    );
    const actions = evs.map((e) => e.action);
    expect(actions).toContain('auth.sign-in');
    expect(actions).toContain('auth.sign-in.failed');
    expect(actions).toContain('authz.denied');
    void password;
  });

  it('E1: the hash chain verifies, and verify reports the first altered, removed or reordered link', async () => {
    for (let i = 0; i < 5; i++) await makePerson(t.ctx);
    await sealAuditChain(t.ctx.db, t.ctx.clock.now(), { full: true });
    const ok = await verifyAuditChain(t.ctx.db);
    expect(ok.ok).toBe(true);
    const [{ n }] = await rows<{ n: number }>(t.ctx.db, sql`select count(*)::int as n from audit_events`);
    expect(ok.checked).toBe(n);

    const links = await rows<{ seq: number; event_id: number }>(
      t.ctx.db,
      sql`select seq, event_id from audit_chain order by seq`,
    );
    const victim = links[3];
    await tamper(
      t.ctx.db,
      sql`update audit_events set after = '{"familyName":"Forged"}' where id = ${victim.event_id}`,
    );
    const altered = await verifyAuditChain(t.ctx.db);
    expect(altered).toMatchObject({
      ok: false,
      brokenAt: { seq: victim.seq, reason: expect.stringMatching(/altered/) },
    });
  });

  it('E1: verify detects a removed event and reordered links', async () => {
    const t2 = await createTestApp();
    try {
      for (let i = 0; i < 6; i++) await makePerson(t2.ctx);
      await sealAuditChain(t2.ctx.db, t2.ctx.clock.now(), { full: true });
      expect((await verifyAuditChain(t2.ctx.db)).ok).toBe(true);
      const links = await rows<{ seq: number; event_id: number }>(
        t2.ctx.db,
        sql`select seq, event_id from audit_chain order by seq`,
      );
      // Reorder: swap which events two links point at.
      const [a, b] = [links[1], links[2]];
      await tamper(t2.ctx.db, sql`update audit_chain set event_id = -1 where seq = ${a.seq}`);
      await tamper(t2.ctx.db, sql`update audit_chain set event_id = ${a.event_id} where seq = ${b.seq}`);
      await tamper(t2.ctx.db, sql`update audit_chain set event_id = ${b.event_id} where seq = ${a.seq}`);
      const reordered = await verifyAuditChain(t2.ctx.db);
      expect(reordered).toMatchObject({ ok: false, brokenAt: { seq: a.seq } });
      // Put it back, then remove a sealed event and its link.
      await tamper(t2.ctx.db, sql`update audit_chain set event_id = -1 where seq = ${a.seq}`);
      await tamper(t2.ctx.db, sql`update audit_chain set event_id = ${b.event_id} where seq = ${b.seq}`);
      await tamper(t2.ctx.db, sql`update audit_chain set event_id = ${a.event_id} where seq = ${a.seq}`);
      expect((await verifyAuditChain(t2.ctx.db)).ok).toBe(true);
      const c = links[4];
      await tamper(t2.ctx.db, sql`delete from audit_chain where seq = ${c.seq}`);
      await tamper(t2.ctx.db, sql`delete from audit_events where id = ${c.event_id}`);
      const removed = await verifyAuditChain(t2.ctx.db);
      expect(removed).toMatchObject({
        ok: false,
        brokenAt: { seq: c.seq + 1, reason: expect.stringMatching(/missing/) },
      });
    } finally {
      await t2.close();
    }
  });

  it('E1: the audit log page filters and exports CSV', async () => {
    const { client } = await signedIn(t, ['auditor']);
    const p = await makePerson(t.ctx, { givenName: 'Görel', familyName: 'Åkesson' });
    const res = await client.get(`/api/v1/audit/export.csv?entityType=person&entityId=${p.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const lines = res.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toMatch(/^id,time,actor/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('person.create');
    expect(lines[1]).toContain('Åkesson');
    // A period that ends before it starts is refused, naming the field, on the page and the export.
    for (const path of ['/api/v1/audit', '/api/v1/audit/export.csv']) {
      const backwards = await client.get(`${path}?from=2027-01-01&to=2026-01-01`);
      expect(backwards.statusCode).toBe(400);
      expect(backwards.json().errors).toEqual([expect.objectContaining({ field: 'to' })]);
    }
    expect((await client.get('/api/v1/audit?from=2026-01-01&to=2026-01-01')).statusCode).toBe(200);
  });

  it('E1: each event names its object as a person recognises it, where the object still exists', async () => {
    const { client } = await signedIn(t, ['auditor']);
    const p = await makePerson(t.ctx, { givenName: 'Sune', familyName: 'Öberg' });
    const page = await client.get(`/api/v1/audit?entityType=person&entityId=${p.id}`);
    expect(page.json().items.map((e: any) => [e.action, e.entityLabel])).toEqual([
      ['person.create', 'Sune Öberg'],
    ]);
    // Every kind of object has a valid lookup; an id that names nothing, or no id, has no name.
    const types = [
      'person',
      'account',
      'org_unit',
      'system',
      'governance_object',
      'order',
      'permission',
      'grant',
      'plan',
      'licence_pool',
      'software_title',
      'licence_assignment',
      'licence_key',
      'procurement_request',
      'integration',
      'dependency',
      'api_token',
      'checklist_response',
      'checklist_template',
      'coordinator_announcement',
      'import',
      'policy',
    ];
    const gone = '00000000-0000-4000-8000-000000000000';
    const label = await auditEntityLabels(
      t.ctx.db,
      [
        ...types.map((entityType) => ({ entityType, entityId: gone })),
        { entityType: 'person', entityId: p.id.toUpperCase() },
        { entityType: 'import', entityId: 'hr.csv' },
      ],
      AUDIT_LABELS,
    );
    for (const type of types) expect(label(type, gone)).toBeNull();
    expect(label('person', p.id)).toBe('Sune Öberg');
    expect(label('person', null)).toBeNull();
  });
});
