// The demo seed's systems: loaded into a test database through the services, with the planted gaps.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../db/client.ts';
import { poolTrend } from '../modules/licences/pools.service.ts';
import { missingReports } from '../modules/software/software.service.ts';
import { impactOf } from '../modules/systems/dependencies.service.ts';
import { roleGaps } from '../modules/systems/governance.service.ts';
import { lineage } from '../modules/systems/integrations.service.ts';
import { overdueDocuments } from '../modules/systems/records.service.ts';
import { todayOf } from '../modules/systems/systems.service.ts';
import { createTestContext, type TestContext } from '../testing/db.ts';
import { seedDemo } from './demo.ts';
import { tenthOfNextMonth } from './demo-systems.ts';

let ctx: TestContext;
let seedMs = 0;
const idOf = async (shortName: string) =>
  (await rows<{ id: string }>(ctx.db, sql`select id from systems where short_name = ${shortName}`))[0].id;

beforeAll(async () => {
  ctx = await createTestContext();
  const t0 = performance.now();
  await seedDemo(ctx);
  seedMs = performance.now() - t0;
}, 120_000);
afterAll(() => ctx.close());

describe('demo systems', () => {
  it('loads about 40 systems in governance objects, every one audited', async () => {
    const [c] = await rows<{ systems: number; objects: number; created: number; models: number }>(
      ctx.db,
      sql`select (select count(*)::int from systems) as systems,
            (select count(*)::int from governance_objects) as objects,
            (select count(*)::int from audit_events where action = 'system.create') as created,
            (select count(distinct org_model)::int from systems) as models`,
    );
    expect(c.systems).toBeGreaterThanOrEqual(38);
    expect(c.systems).toBeLessThanOrEqual(45);
    expect(c.objects).toBeGreaterThan(10);
    expect(c.created).toBe(c.systems);
    expect(c.models).toBe(5);
    console.info(`demo seed (org + systems): ${Math.round(seedMs)} ms`);
  });

  it('the demo accounts hold roles: anna system manager of two objects, erik IT system manager appointed by the IT system owner (G4)', async () => {
    const held = await rows<{ employee_id: string; role: string; object: string; by_role: string | null }>(
      ctx.db,
      sql`select p.employee_id, a.role, o.name as object,
            (select b.role from role_assignments b where b.object_id = a.object_id
               and b.person_id = a.appointed_by_person_id and b.role = 'it_system_owner') as by_role
          from role_assignments a join persons p on p.id = a.person_id join governance_objects o on o.id = a.object_id
          where p.employee_id in ('E000004', 'E000005') order by 1, 3`,
    );
    expect(held.filter((h) => h.employee_id === 'E000004' && h.role === 'system_manager')).toHaveLength(2);
    const erik = held.filter((h) => h.employee_id === 'E000005');
    expect(erik).toEqual([
      {
        employee_id: 'E000005',
        role: 'it_system_manager',
        object: 'Records Management',
        by_role: 'it_system_owner',
      },
    ]);
  });

  it('the gap report finds the planted gaps: no IT system owner today, a system manager ending next month', async () => {
    const today = todayOf(ctx);
    const end = tenthOfNextMonth(today);
    const now = await roleGaps(ctx.db, today, today);
    expect(now.map((g) => [g.objectName, g.role, g.reason])).toEqual([
      ['Research Support', 'it_system_owner', 'not_staffed'],
    ]);
    const later = await roleGaps(ctx.db, today, `${end.slice(0, 8)}28`);
    expect(later.map((g) => [g.objectName, g.role, g.firstGapOn, g.reason])).toEqual([
      ['Research Support', 'it_system_owner', today, 'not_staffed'],
      [
        'Timetabling and Rooms',
        'system_manager',
        new Date(Date.parse(`${end}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10),
        'assignment_ends',
      ],
    ]);
  });

  it("lineage for 'students' finds the learning platform with a path from student records (G9)", async () => {
    const l = await lineage(ctx.db, 'students');
    const lms = l.holders.find((h) => h.system.name === 'Learning Platform');
    expect(lms?.holds).toBe('copy');
    expect(lms?.path?.map((p) => p.name)).toEqual(['Student Records', 'Learning Platform']);
    const mail = l.holders.find((h) => h.system.name === 'E-mail and Calendar');
    expect(mail?.path?.map((p) => p.name)).toEqual([
      'Student Records',
      'Identity Management',
      'E-mail and Calendar',
    ]);
    // The alumni contract is only proposed, so the alumni CRM has no path for students yet.
    const alumni = l.holders.find((h) => h.system.name === 'Alumni CRM');
    expect(alumni?.holds).toBe('source');
    const [pending] = await rows<{ n: number }>(
      ctx.db,
      sql`select count(*)::int as n from information_contracts where status = 'proposed'`,
    );
    expect(pending.n).toBe(1);
  });

  it('an outage of the virtualisation platform reaches systems through identity management', async () => {
    const impact = await impactOf(ctx.db, await idOf('VIRT'));
    const lms = impact.affected.find((a) => a.shortName === 'LMS');
    expect(lms?.path.map((p) => p.name)).toEqual([
      'Virtualisation Platform',
      'Single Sign-On',
      'Learning Platform',
    ]);
    expect(impact.affected.length).toBeGreaterThan(25);
  });

  it('one document is overdue for review (G11)', async () => {
    const overdue = await overdueDocuments(ctx.db, todayOf(ctx));
    const present = overdue.filter((d) => d.reason === 'overdue');
    expect(present.map((d) => [d.system.name, d.kind])).toEqual([
      ['Student Records', 'access_rights_lifecycle'],
    ]);
  });
});

describe('demo software', () => {
  it('has titles of every licence model, coordinators with a history, keys, and missing reports to show', async () => {
    const [c] = await rows<{
      models: number;
      coordinators: number;
      ended: number;
      keys: number;
      mine: number;
    }>(
      ctx.db,
      sql`select (select count(distinct licence_model)::int from software_titles) as models,
            (select count(*)::int from licence_coordinators where ended_on is null) as coordinators,
            (select count(*)::int from licence_coordinators where ended_on is not null) as ended,
            (select count(*)::int from licence_keys) as keys,
            (select count(*)::int from licence_assignments a join persons p on p.id = a.person_id
             where p.employee_id = 'E000004' and a.key_id is not null) as mine`,
    );
    expect(c).toMatchObject({ models: 3, ended: 1, mine: 1 });
    expect(c.coordinators).toBeGreaterThanOrEqual(8);
    expect(c.keys).toBeGreaterThan(30);
    const missing = await missingReports(ctx, Number(todayOf(ctx).slice(0, 4)) - 1);
    expect(missing.length).toBeGreaterThan(0);
    expect(missing.every((m) => m.title.name !== 'Microsoft 365 Apps')).toBe(true);
  });
});

describe('demo software agreements', () => {
  it('three agreements come up for renewal within 90 days of today, whatever the date the demo is loaded', async () => {
    const today = todayOf(ctx);
    const due = await rows<{ name: string }>(
      ctx.db,
      sql`select name from software_titles
          where renewal_on between ${today}::date and ${today}::date + 90 order by name`,
    );
    expect(due.map((d) => d.name)).toEqual(['Adobe Acrobat Pro', 'EndNote', 'MATLAB']);
  });
});

describe('demo licence pools', () => {
  it("L8: E-Archive's Case and Document modules have pools of different sizes, each within its use", async () => {
    const pools = await rows<{ id: string; module_name: string; size: number; changes: number }>(
      ctx.db,
      sql`select p.id, p.module_name, p.size, (select count(*)::int from licence_pool_changes c where c.pool_id = p.id) as changes
          from licence_pools p join systems s on s.id = p.system_id where s.short_name = 'EARCHIVE' order by 2`,
    );
    expect(pools.map((p) => p.module_name)).toEqual(['Case', 'Document']);
    expect(pools[0].size).not.toBe(pools[1].size);
    for (const p of pools) {
      expect(p.changes).toBe(2);
      // Set up before the trend's year and upgraded within it: a size on every point, two sizes, never
      // fewer seats than users.
      const { points } = await poolTrend(ctx.db, p.id, todayOf(ctx));
      expect(points.every((x) => x.size !== null && x.used <= x.size)).toBe(true);
      expect(new Set(points.map((x) => x.size)).size).toBe(2);
    }
  });
});
