// My work on the demo university: each module's tasks reach the person who has to act, and leave the
// inbox once done.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.ts';
import { seedDemo } from '../../seed/demo.ts';
import { Client, createTestApp, type TestApp } from '../../testing/http.ts';

let t: TestApp;
const clients = new Map<string, Client>();
beforeAll(async () => {
  t = await createTestApp();
  await seedDemo(t.ctx);
}, 180_000);
afterAll(() => t.close());

async function as(username: string) {
  let c = clients.get(username);
  if (!c) {
    c = new Client(t.app);
    const res = await c.login(
      username,
      username === 'admin' || username === 'auditor' ? `steward-${username}` : 'steward-user',
    );
    expect(res.statusCode).toBe(200);
    clients.set(username, c);
  }
  return c;
}
type Work = {
  today: string;
  items: {
    kind: string;
    subject: { id: string; name: string };
    detail: string | null;
    date: string | null;
  }[];
  totals: Record<string, number>;
};
async function workOf(username: string): Promise<Work> {
  const res = await (await as(username)).get('/api/v1/me/work');
  expect(res.statusCode).toBe(200);
  return res.json();
}

const kinds = (w: Work, kind: string) => w.items.filter((i) => i.kind === kind);
const names = (w: Work, kind: string) => kinds(w, kind).map((i) => i.subject.name);

describe('GET /api/v1/me/work', () => {
  it('G5: a plan moves through the inboxes: the manager writes, the owner approves, both owners sign', async () => {
    const erik = await workOf('erik');
    const write = kinds(erik, 'plan.write').find((i) => i.subject.name === 'Records Management');
    // The demo prepares 2027's plans on the test clock (22 November 2026, after the annual cycle).
    expect(write?.detail).toBe('2027');
    expect(erik.totals['plan.write']).toBe(kinds(erik, 'plan.write').length);
    expect(names(await workOf('owner'), 'plan.approve')).toEqual([]);

    const plan = (await (await as('erik')).get(`/api/v1/plans/${write!.subject.id}`)).json();
    const versionId = plan.versions.find((v: { state: string }) => v.state === 'draft').id as string;
    const proposed = await (await as('erik')).post(`/api/v1/plan-versions/${versionId}/propose`);
    expect(proposed.statusCode, proposed.body).toBe(200);
    expect(names(await workOf('erik'), 'plan.write')).not.toContain('Records Management');
    expect(names(await workOf('owner'), 'plan.approve')).toEqual(['Records Management']);
    expect(names(await workOf('itowner'), 'plan.approve')).toEqual([]); // only the system owner approves

    expect((await (await as('owner')).post(`/api/v1/plan-versions/${versionId}/approve`)).statusCode).toBe(
      200,
    );
    expect(names(await workOf('owner'), 'plan.approve')).toEqual([]);
    expect(names(await workOf('owner'), 'plan.sign')).toEqual(['Records Management']);
    expect(names(await workOf('itowner'), 'plan.sign')).toEqual(['Records Management']);

    const signed = await (await as('owner')).post(`/api/v1/plan-versions/${versionId}/sign`, {
      role: 'system_owner',
    });
    expect(signed.statusCode, signed.body).toBe(200);
    expect(names(await workOf('owner'), 'plan.sign')).toEqual([]);
    expect(names(await workOf('itowner'), 'plan.sign')).toEqual(['Records Management']);
  });

  it('G11: a document whose review is overdue is its owner’s task, dated when it fell due, until it is reviewed', async () => {
    const [erik] = await rows<{ id: string }>(
      t.ctx.db,
      sql`select p.id from persons p join accounts a on a.person_id = p.id where a.username = 'erik'`,
    );
    const [doc] = await rows<{ id: string; system_name: string }>(
      t.ctx.db,
      sql`select d.id, s.name as system_name from system_documents d join systems s on s.id = d.system_id
          where s.lifecycle <> 'retired' order by s.name, d.kind limit 1`,
    );
    await t.ctx.db.execute(
      sql`update system_documents set owner_person_id = ${erik.id}, last_reviewed_on = '2025-05-10',
          review_interval_months = 12 where id = ${doc.id}`,
    );
    const due = kinds(await workOf('erik'), 'document.review');
    expect(due).toContainEqual(
      expect.objectContaining({
        subject: expect.objectContaining({ name: doc.system_name }),
        date: '2026-05-10',
      }),
    );
    expect(kinds(await workOf('anna'), 'document.review')).toEqual([]);
    await t.ctx.db.execute(
      sql`update system_documents set last_reviewed_on = '2026-11-20' where id = ${doc.id}`,
    );
    expect(kinds(await workOf('erik'), 'document.review')).toEqual([]);
  });

  it('G2: a role gap that starts next month reaches the object’s other role holders and the administrators, not others', async () => {
    // The system manager of Records Management leaves their role at the end of the year.
    const [a] = await rows<{ id: string; object_id: string }>(
      t.ctx.db,
      sql`select a.id, a.object_id from role_assignments a join governance_objects o on o.id = a.object_id
          where o.name = 'Records Management' and a.role = 'system_manager'`,
    );
    expect(kinds(await workOf('owner'), 'role.gap')).toEqual([]);
    await t.ctx.db.execute(sql`update role_assignments set valid_until = '2026-12-15' where id = ${a.id}`);
    const gap = {
      kind: 'role.gap',
      subject: { id: a.object_id, name: 'Records Management' },
      detail: 'system_manager',
      date: '2026-12-16',
    };
    expect(kinds(await workOf('owner'), 'role.gap')).toContainEqual(gap);
    expect(kinds(await workOf('admin'), 'role.gap')).toContainEqual(gap);
    expect(kinds(await workOf('auditor'), 'role.gap')).toEqual([]); // no role on the object, not an administrator
    await t.ctx.db.execute(sql`update role_assignments set valid_until = null where id = ${a.id}`);
    expect(kinds(await workOf('owner'), 'role.gap')).toEqual([]);
  });

  it('a pool above 90 % is a warning for its system’s contract owner and the administrators', async () => {
    const [pool] = await rows<{ id: string; system_id: string; used: number }>(
      t.ctx.db,
      sql`select p.id, p.system_id, u.used from licence_pools p
          join access_module_use u on u.system_id = p.system_id and u.module = p.module_name
          where u.used > 0 order by u.used desc limit 1`,
    );
    expect(kinds(await workOf('admin'), 'pool.full').map((i) => i.subject.id)).not.toContain(pool.id);
    await t.ctx.db.execute(sql`update licence_pools set size = ${pool.used} where id = ${pool.id}`);
    await t.ctx.db.execute(
      sql`update systems set contract_owner_person_id = (select person_id from accounts where username = 'owner')
          where id = ${pool.system_id}`,
    );
    const warning = kinds(await workOf('admin'), 'pool.full').find((i) => i.subject.id === pool.id);
    expect(warning?.detail).toBe(`${pool.used}/${pool.used}`);
    expect(warning?.date).toBeNull();
    // The contract owner is warned of this system's full pools only (the demo's Case pool is full too).
    const ofSystem = (
      await rows<{ id: string }>(
        t.ctx.db,
        sql`select id from licence_pools where system_id = ${pool.system_id}`,
      )
    ).map((p) => p.id);
    const owners = kinds(await workOf('owner'), 'pool.full').map((i) => i.subject.id);
    expect(owners).toContain(pool.id);
    expect(owners.every((id) => ofSystem.includes(id))).toBe(true);
    expect(kinds(await workOf('anna'), 'pool.full')).toEqual([]);
  });

  it('S3: the use reports a coordinator’s unit owes, until submitted; the inbox is oldest first', async () => {
    const erik = await workOf('erik');
    const matlab = kinds(erik, 'report.due').find((r) => r.detail === 'MATLAB');
    expect(matlab?.subject.name).toBe('University Administration');
    expect(kinds(await workOf('anna'), 'report.due')).toEqual([]);
    const dated = erik.items.filter((i) => i.date !== null).map((i) => i.date as string);
    expect(erik.items.slice(0, dated.length).map((i) => i.date)).toEqual([...dated].sort());

    // The report for the period the deadline belongs to (the year before the deadline's).
    const [title] = await rows<{ id: string }>(
      t.ctx.db,
      sql`select id from software_titles where name = 'MATLAB'`,
    );
    const periodYear = Number(matlab!.date!.slice(0, 4)) - 1;
    // The unit's licence register lists the same report as owed, with its period and deadline.
    const owed = async () =>
      (await (await as('erik')).get(`/api/v1/org-units/${matlab!.subject.id}/licences`)).json()
        .reportsDue as {
        title: { name: string };
        periodYear: number;
        deadline: string;
        overdue: boolean;
      }[];
    expect((await owed()).find((r) => r.title.name === 'MATLAB' && r.periodYear === periodYear)).toEqual({
      title: { id: title.id, name: 'MATLAB' },
      periodYear,
      deadline: matlab!.date,
      overdue: matlab!.date! < t.ctx.clock.now().toISOString().slice(0, 10),
    });
    const sent = await (await as('erik')).post('/api/v1/licence-reports', {
      titleId: title.id,
      unitId: matlab!.subject.id,
      periodYear,
      users: 3,
    });
    expect(sent.statusCode, sent.body).toBe(201);
    const after = kinds(await workOf('erik'), 'report.due');
    expect(after.find((r) => r.detail === 'MATLAB' && r.date === matlab!.date)).toBeUndefined();
    expect(
      (await owed()).find((r) => r.title.name === 'MATLAB' && r.periodYear === periodYear),
    ).toBeUndefined();
  });

  it('A1/A3: a unit head is told that their unit has fewer than two orderers or no expert user, until mended', async () => {
    const [unit] = await rows<{ id: string }>(
      t.ctx.db,
      sql`select id from org_units where name = 'Department of Historical Studies'`,
    );
    const [owner] = await rows<{ person_id: string }>(
      t.ctx.db,
      sql`select person_id from accounts where username = 'owner'`,
    );
    const unitItems = async (who: string) =>
      (await workOf(who)).items.filter((i) => i.subject.id === unit.id).map((i) => [i.kind, i.detail]);
    expect(await unitItems('owner')).toEqual([]);
    await t.ctx.db.execute(
      sql`update org_units set head_person_id = ${owner.person_id} where id = ${unit.id}`,
    );
    expect(await unitItems('owner')).toEqual([
      ['orderers.few', '1'],
      ['expert.missing', null],
    ]);
    expect(await unitItems('anna')).toEqual([]);
    // The administrator gives a second member of the unit ordering rights: A1 is met.
    const [member] = await rows<{ id: string }>(
      t.ctx.db,
      sql`select p.id from persons p join person_units pu on pu.person_id = p.id
          where pu.unit_id = ${unit.id} and p.status = 'active'
            and not exists (select 1 from access_orderers o where o.person_id = p.id and o.unit_id = ${unit.id} and o.ended_at is null)
          order by p.id limit 1`,
    );
    const granted = await (await as('admin')).post(`/api/v1/org-units/${unit.id}/orderers`, {
      personId: member.id,
    });
    expect(granted.statusCode, granted.body).toBe(201);
    expect(await unitItems('owner')).toEqual([['expert.missing', null]]);
  });

  it('refuses a caller who is not signed in', async () => {
    expect((await new Client(t.app).get('/api/v1/me/work')).statusCode).toBe(401);
  });
});
