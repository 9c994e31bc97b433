// The demo seed's access rights: loaded into a test database through the services.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../db/client.ts';
import { complianceReport, listOrders, myAccess } from '../modules/access/access.service.ts';
import { createTestContext, type TestContext } from '../testing/db.ts';
import { seedDemo } from './demo.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  await seedDemo(ctx);
}, 120_000);
afterAll(() => ctx.close());

const personActor = async (employeeId: string) => {
  const [p] = await rows<{ id: string }>(
    ctx.db,
    sql`select id from persons where employee_id = ${employeeId}`,
  );
  return {
    kind: 'user' as const,
    accountId: null,
    personId: p.id,
    label: employeeId,
    roles: [],
    via: 'cli' as const,
  };
};

describe('demo access rights', () => {
  it('has permissions with forms, orders in every state, grants, and a leaver whose grants are being revoked (A5, A6)', async () => {
    const states = await rows<{ state: string }>(
      ctx.db,
      sql`select distinct state from access_orders order by 1`,
    );
    expect(states.map((s) => s.state)).toEqual([
      'awaiting_approval',
      'cancelled',
      'draft',
      'fulfilled',
      'in_progress',
      'ready',
      'rejected',
    ]);
    const [c] = await rows<{ grants: number; ended: number; forms: number; leaver_revocations: number }>(
      ctx.db,
      sql`select (select count(*)::int from access_grants where ended_at is null) as grants,
            (select count(*)::int from access_grants where ended_at is not null) as ended,
            (select count(*)::int from access_order_forms where jsonb_array_length(fields) > 0) as forms,
            (select count(*)::int from access_orders o join persons p on p.id = o.person_id
              where o.kind = 'revocation' and p.status = 'left' and o.state = 'ready') as leaver_revocations`,
    );
    expect(c.grants).toBeGreaterThan(30);
    expect(c.ended).toBe(1);
    expect(c.forms).toBeGreaterThanOrEqual(5);
    expect(c.leaver_revocations).toBe(2);
    // The register has a history: grants from over the past year, each fulfilled after it was ordered.
    const today = ctx.clock.now().toISOString().slice(0, 10);
    const [h] = await rows<{ days: number; oldest: number; newest: number; backwards: number }>(
      ctx.db,
      sql`select count(distinct g.valid_from)::int as days, (${today}::date - min(g.valid_from))::int as oldest,
            (${today}::date - max(g.valid_from))::int as newest,
            count(*) filter (where g.valid_from < o.created_at::date)::int as backwards
          from access_grants g join access_orders o on o.id = g.order_id where g.ended_at is null`,
    );
    expect(h.days).toBeGreaterThan(25);
    expect(h.oldest).toBeGreaterThan(365);
    expect(h.newest).toBeLessThan(60);
    expect(h.backwards).toBe(0);
  });

  it('A1/A3: the compliance report shows the unit with one orderer and the units without an expert user', async () => {
    const r = await complianceReport(ctx.db);
    const codes = (list: { unit: { code: string } }[]) => list.map((u) => u.unit.code).sort();
    expect(codes(r.unitsWithFewOrderers)).toEqual(['HUM-HIST']);
    expect(codes(r.unitsWithoutExpertUser)).toEqual(['HUM-HIST', 'SOC-LAW']);
  });

  it('anna orders (drafts and sent orders in My orders); erik has orders to fulfil', async () => {
    const anna = await personActor('E000004');
    const a = await myAccess(ctx, anna);
    expect(a.orderingUnits.length).toBe(3);
    expect(a.counts.drafts).toBe(2);
    const mine = await listOrders(ctx, anna, { scope: 'mine', limit: 100 });
    expect(new Set(mine.items.map((o) => o.state)).size).toBeGreaterThanOrEqual(5);
    const erik = await personActor('E000005');
    const e = await myAccess(ctx, erik);
    expect(e.abilities.fulfil).toBe(true);
    // He orders nowhere: the order form is his to read, not to send.
    expect(e.orderingUnits).toEqual([]);
    expect(e.abilities.order).toBe(false);
    expect(e.counts.toFulfil).toBeGreaterThanOrEqual(3);
  });
});
