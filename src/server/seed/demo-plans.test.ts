// The demo seed's management plans: one year's signed, the next year's drafts, checklists with deviations.
import { writeFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../db/client.ts';
import { coverageGaps } from '../modules/absences/absences.service.ts';
import { openDeviations } from '../modules/plans/checklist.service.ts';
import { renderPlanPdf } from '../modules/plans/plans.pdf.ts';
import { documentOf, hashDocument, signaturesOf, versionRow } from '../modules/plans/plans.service.ts';
import { localDate } from '../platform/clock.ts';
import { createTestContext, type TestContext } from '../testing/db.ts';
import { seedDemo } from './demo.ts';
import { demoPlanYear } from './demo-plans.ts';

let ctx: TestContext;
let preparing: number;
beforeAll(async () => {
  ctx = await createTestContext();
  await seedDemo(ctx);
  preparing = demoPlanYear(localDate(ctx.clock.now()));
}, 120_000);
afterAll(() => ctx.close());

describe('demo plans', () => {
  it('G5: last year’s plans are approved and signed by both owners, with hashes that verify; this year’s are drafts', async () => {
    const byState = await rows<{ year: number; state: string; n: number }>(
      ctx.db,
      sql`select p.year, v.state, count(*)::int as n from plans p join plan_versions v on v.plan_id = p.id
          group by p.year, v.state order by p.year, v.state`,
    );
    const count = (year: number, state: string) =>
      byState.find((r) => r.year === year && r.state === state)?.n ?? 0;
    // The test clock is 22 November 2026: this autumn's cycle has drafted 2027's plans; 2026's are signed.
    expect(preparing).toBe(2027);
    expect(count(preparing - 1, 'signed')).toBeGreaterThanOrEqual(8);
    expect(count(preparing - 1, 'draft') + count(preparing - 1, 'proposed')).toBe(0);
    expect(count(preparing, 'draft')).toBeGreaterThanOrEqual(10);
    expect(byState.every((r) => r.year <= preparing)).toBe(true);
    const signed = await rows<{ id: string }>(
      ctx.db,
      sql`select v.id from plan_versions v join plans p on p.id = v.plan_id where p.year = ${preparing - 1} and v.state = 'signed'`,
    );
    for (const s of signed) {
      const v = await versionRow(ctx.db, s.id);
      expect(hashDocument(v.snapshot!)).toBe(v.content_hash);
      const sigs = await signaturesOf(ctx.db, s.id);
      expect(sigs.map((x) => x.contentHash)).toEqual([v.content_hash, v.content_hash]);
    }
  });

  it('G6, G7: checklists are attested with a few deviations, and this year’s drafts carry them as activities', async () => {
    const devs = await openDeviations(ctx.db);
    expect(devs.map((d) => d.questionKey).sort()).toEqual(
      ['access_review', 'continuity_plan', 'restore_test', 'supplier_terms', 'test_environment'].sort(),
    );
    const [origins] = await rows<{ carried: number; deviation: number }>(
      ctx.db,
      sql`select count(*) filter (where a.origin = 'carried_over')::int as carried,
            count(*) filter (where a.origin = 'deviation')::int as deviation
          from plan_activities a join plan_versions v on v.id = a.version_id join plans p on p.id = v.plan_id
          where p.year = ${preparing}`,
    );
    expect(origins.carried).toBeGreaterThan(0);
    expect(origins.deviation).toBe(5);
    const [accounts] = await rows<{ n: number }>(
      ctx.db,
      sql`select count(*)::int as n from accounts where username in ('owner','itowner')`,
    );
    expect(accounts.n).toBe(2);
  });

  it('G5: the signed demo plan of Student Administration renders to a multi-page PDF', async () => {
    const [v] = await rows<{ id: string }>(
      ctx.db,
      sql`select v.id from plan_versions v join plans p on p.id = v.plan_id join governance_objects o on o.id = p.object_id
          where o.name = 'Student Administration' and p.year = ${preparing - 1} order by v.number desc limit 1`,
    );
    const row = await versionRow(ctx.db, v.id);
    const pdf = await renderPlanPdf({
      doc: await documentOf(ctx.db, row, '2026-11-30'),
      state: row.state,
      contentHash: row.content_hash,
      signatures: await signaturesOf(ctx.db, v.id),
      generatedAt: new Date(),
    });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    if (process.env.PLAN_PDF_OUT) writeFileSync(process.env.PLAN_PDF_OUT, pdf);
  });
});

describe('demo absences', () => {
  it('V2: Anna’s absence leaves Research Support without a system manager (her other role is covered), and a later IT system manager’s absence leaves a gap', async () => {
    const today = '2026-11-22';
    const gaps = await coverageGaps(ctx.db, today, '2027-02-20');
    expect(gaps.map((g) => [g.subject.name, g.role, g.from, g.to])).toEqual([
      ['Research Support', 'system_manager', '2026-12-20', '2027-01-03'],
      [expect.any(String), 'it_system_manager', '2027-01-21', '2027-02-04'],
    ]);
    expect(gaps[0].absent.map((p) => p.displayName)).toEqual(['Anna Lindqvist']);
  });
});

describe('demo maintenance', () => {
  it('G13: Student Records has a CAB-approved upgrade planned on a weekend; Single Sign-On’s incident was communicated and resolved', async () => {
    const work = await rows<{ short_name: string; kind: string; state: string; dow: number; open: number }>(
      ctx.db,
      sql`select s.short_name, e.kind, e.state,
            extract(isodow from e.starts_at at time zone 'Europe/Stockholm')::int as dow,
            (select count(*)::int from maintenance_checklist_items i where i.event_id = e.id and i.done_at is null) as open
          from maintenance_events e join systems s on s.id = e.system_id order by e.starts_at`,
    );
    expect(work).toEqual([
      { short_name: 'SSO', kind: 'incident', state: 'done', dow: expect.any(Number), open: 0 },
      { short_name: 'STUREC', kind: 'upgrade', state: 'cab_approved', dow: 6, open: 4 },
    ]);
    // Its system message is scheduled a week before it (and ticked its checklist item); the Learning
    // Platform's is shown now.
    const messages = await rows<{ short_name: string; linked: boolean; shown_now: boolean }>(
      ctx.db,
      sql`select s.short_name, m.maintenance_event_id is not null as linked,
            m.shown_from <= ${ctx.clock.now()} and m.shown_until > ${ctx.clock.now()} as shown_now
          from maintenance_system_messages m join systems s on s.id = m.system_id order by s.short_name`,
    );
    expect(messages).toEqual([
      { short_name: 'LMS', linked: false, shown_now: true },
      { short_name: 'STUREC', linked: true, shown_now: false },
    ]);
  });
});

describe('demo change log', () => {
  it('G11: Student Records’ change log holds the year’s changes; Single Sign-On’s resolved incident entered itself', async () => {
    const log = await rows<{ short_name: string; kind: string; from_work: boolean }>(
      ctx.db,
      sql`select s.short_name, c.kind, c.maintenance_event_id is not null as from_work
          from maintenance_change_log c join systems s on s.id = c.system_id order by c.changed_on, c.seq`,
    );
    expect(log).toEqual([
      { short_name: 'STUREC', kind: 'upgrade', from_work: false },
      { short_name: 'STUREC', kind: 'access', from_work: false },
      { short_name: 'STUREC', kind: 'integration', from_work: false },
      { short_name: 'EARCHIVE', kind: 'configuration', from_work: false },
      { short_name: 'STUREC', kind: 'configuration', from_work: false },
      { short_name: 'SSO', kind: 'incident', from_work: true },
    ]);
  });
});

describe('demo plan years', () => {
  it('G7: the demo prepares next year’s plans from this year’s cycle date (1 November), else this year’s', () => {
    expect(demoPlanYear('2026-10-31')).toBe(2026);
    expect(demoPlanYear('2026-11-01')).toBe(2027);
    expect(demoPlanYear('2026-12-31')).toBe(2027);
    expect(demoPlanYear('2027-01-01')).toBe(2027);
  });
});
