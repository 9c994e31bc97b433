// The annual cycle (G5, G7) and the year dashboard. On a configurable date (default 1 November)
// Steward drafts next year's plan for every governance object from this year's: unfinished activities
// carried over, open checklist deviations and overdue document reviews as proposed activities. The
// dashboard shows every object's plan status for a year; reminders go to the system manager and IT
// system manager through the outbox.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { type Db, rows } from '../../db/client.ts';
import { localDate } from '../../platform/clock.ts';
import type { Actor, AppContext } from '../../platform/context.ts';
import { validationError } from '../../platform/errors.ts';
import { enqueueEmail } from '../../platform/outbox/outbox.service.ts';
import { say } from '../../platform/text.ts';
import { versionedCache } from '../../platform/versioned-cache.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { holdsOn, todayOf } from '../systems/systems.service.ts';
import { openDeviations } from './checklist.service.ts';
import { planGuarded } from './plans.errors.ts';

export async function getSettings(db: Db) {
  const [s] = await rows<{ cycle_month_day: string; last_cycle_year: number | null }>(
    db,
    sql`select cycle_month_day, last_cycle_year from plan_settings where id = 1`,
  );
  return { cycleMonthDay: s.cycle_month_day, lastCycleYear: s.last_cycle_year };
}

export async function putSettings(ctx: AppContext, args: { actor: Actor; cycleMonthDay: string }) {
  const now = ctx.clock.now();
  await planGuarded(() =>
    ctx.db.transaction(async (tx) => {
      const before = await getSettings(tx);
      await tx.execute(
        sql`update plan_settings set cycle_month_day = ${args.cycleMonthDay}, version = version + 1 where id = 1`,
      );
      await recordAudit(tx, now, args.actor, {
        action: 'plan.settings.update',
        entityType: 'plan_settings',
        entityId: '1',
        before,
        after: { cycleMonthDay: args.cycleMonthDay },
      });
    }),
  );
  return getSettings(ctx.db);
}

export type CycleResult = {
  year: number;
  created: number;
  skipped: number;
  activitiesCarriedOver: number;
  deviationActivities: number;
  documentActivities: number;
  notified: number;
};

const DOC_WORDS: Record<string, { en: string; sv: string }> = {
  access_rights_lifecycle: { en: 'access-rights lifecycle', sv: 'behörighetshantering' },
  configuration: { en: 'configuration choices', sv: 'konfigurationsval' },
  logging: { en: 'logging decisions', sv: 'loggningsbeslut' },
  upgrade_process: { en: 'upgrade process', sv: 'uppgraderingsprocess' },
  information_contracts: { en: 'information contracts', sv: 'informationskontrakt' },
  change_log: { en: 'change log', sv: 'förändringslogg' },
};

/**
 * Drafts `year`'s plan for every governance object that has none, from the previous year's latest
 * approved (or else latest) version. Idempotent: objects that already have a plan are skipped. Each
 * object is one transaction.
 */
export async function runAnnualCycle(
  ctx: AppContext,
  args: { actor: Actor; year: number },
): Promise<CycleResult> {
  const now = ctx.clock.now();
  const today = todayOf(ctx);
  const nextYear = Number(today.slice(0, 4)) + 1;
  if (args.year > nextYear)
    throw validationError([
      {
        field: 'year',
        message: say(
          `Plans are prepared at most for next year (${nextYear}).`,
          `Planer förbereds högst för nästa år (${nextYear}).`,
        ),
      },
    ]);
  const res: CycleResult = {
    year: args.year,
    created: 0,
    skipped: 0,
    activitiesCarriedOver: 0,
    deviationActivities: 0,
    documentActivities: 0,
    notified: 0,
  };
  const objects = await rows<{ id: string; name: string; has_plan: boolean }>(
    ctx.db,
    sql`select o.id, o.name, exists (select 1 from plans p where p.object_id = o.id and p.year = ${args.year}) as has_plan
        from governance_objects o order by o.name, o.id`,
  );
  const devs = await openDeviations(ctx.db);
  for (const o of objects) {
    if (o.has_plan) {
      res.skipped++;
      continue;
    }
    await planGuarded(() =>
      ctx.db.transaction(async (tx) => {
        const [prev] = await rows<{ id: string; goals: string; budget_notes: string; language: 'sv' | 'en' }>(
          tx,
          sql`select v.id, v.goals, v.budget_notes, p.language from plans p join plan_versions v on v.plan_id = p.id
              where p.object_id = ${o.id} and p.year = ${args.year - 1}
              order by (v.state in ('approved','signed')) desc, v.number desc limit 1`,
        );
        const lang = prev?.language ?? 'sv';
        const planId = randomUUID();
        const versionId = randomUUID();
        const inserted = await rows<{ id: string }>(
          tx,
          sql`insert into plans (id, object_id, year, language, created_at) values (${planId}, ${o.id}, ${args.year}, ${lang}, ${now})
              on conflict (object_id, year) do nothing returning id`,
        );
        if (!inserted.length) {
          res.skipped++;
          return;
        }
        await tx.execute(
          sql`insert into plan_versions (id, plan_id, number, state, goals, scope_system_ids, budget_notes, created_at, updated_at)
              values (${versionId}, ${planId}, 1, 'draft', ${prev?.goals ?? ''},
                coalesce((select array_agg(id order by sort_key) from systems where governance_object_id = ${o.id} and lifecycle <> 'retired'), '{}'::uuid[]),
                ${prev?.budget_notes ?? ''}, ${now}, ${now})`,
        );
        let position = 0;
        // G7: unfinished activities are carried over, keeping their lineage, as planned in the same quarter.
        if (prev) {
          const carried = await rows<{ n: number }>(
            tx,
            sql`with c as (
                  insert into plan_activities (id, version_id, lineage_id, position, title, description, side, kind, quarter,
                    responsible_person_id, estimated_hours, estimated_cost, status, follow_up, origin, origin_ref)
                  select gen_random_uuid(), ${versionId}, lineage_id, row_number() over (order by position, id), title, description, side, kind,
                    coalesce(quarter, extract(quarter from start_on)::int, 1), responsible_person_id, estimated_hours, estimated_cost,
                    'planned', follow_up, 'carried_over', ${String(args.year - 1)}
                  from plan_activities where version_id = ${prev.id} and status in ('planned','ongoing','postponed')
                  returning 1)
                select count(*)::int as n from c`,
          );
          position = carried[0].n;
          res.activitiesCarriedOver += carried[0].n;
        }
        const values: ReturnType<typeof sql>[] = [];
        for (const d of devs.filter((x) => x.object.id === o.id)) {
          position++;
          const title =
            lang === 'sv'
              ? `Åtgärda avvikelse i ${d.system.name}: ${d.sv}`
              : `Resolve deviation in ${d.system.name}: ${d.en}`;
          values.push(
            sql`(${randomUUID()}, ${versionId}, ${randomUUID()}, ${position}, ${title.slice(0, 300)}, ${d.comment}, 'it', 'maintenance', 1, 'deviation', ${`${d.system.id}:${d.questionKey}`})`,
          );
          res.deviationActivities++;
        }
        const overdue = await rows<{ system_id: string; system_name: string; kind: string }>(
          tx,
          sql`select s.id as system_id, s.name as system_name, d.kind from system_documents d join systems s on s.id = d.system_id
              where s.governance_object_id = ${o.id} and s.lifecycle <> 'retired'
                and (d.last_reviewed_on is null or (d.last_reviewed_on + make_interval(months => d.review_interval_months))::date < ${today}::date)
              order by s.sort_key, d.kind`,
        );
        for (const d of overdue) {
          position++;
          const w = DOC_WORDS[d.kind] ?? { en: d.kind, sv: d.kind };
          const title =
            lang === 'sv'
              ? `Granska dokumentet ${w.sv} för ${d.system_name}`
              : `Review the ${w.en} document of ${d.system_name}`;
          values.push(
            sql`(${randomUUID()}, ${versionId}, ${randomUUID()}, ${position}, ${title.slice(0, 300)}, '', 'it', 'maintenance', 1, 'document_review', ${`${d.system_id}:${d.kind}`})`,
          );
          res.documentActivities++;
        }
        if (values.length)
          await tx.execute(
            sql`insert into plan_activities (id, version_id, lineage_id, position, title, description, side, kind, quarter, origin, origin_ref)
                values ${sql.join(values, sql`, `)}`,
          );
        await recordAudit(tx, now, args.actor, {
          action: 'plan.cycle.draft',
          entityType: 'plan',
          entityId: planId,
          after: { objectId: o.id, year: args.year, basedOn: prev?.id ?? null },
        });
        res.notified += await remindObject(tx, now, today, {
          objectId: o.id,
          objectName: o.name,
          year: args.year,
          language: lang,
          kind: 'drafted',
        });
        res.created++;
      }),
    );
  }
  await ctx.db.execute(
    sql`update plan_settings set last_cycle_year = greatest(coalesce(last_cycle_year, 0), ${args.year}) where id = 1`,
  );
  return res;
}

async function remindObject(
  tx: Db,
  now: Date,
  today: string,
  o: {
    objectId: string;
    objectName: string;
    year: number;
    language: 'sv' | 'en';
    kind: 'drafted' | 'reminder';
    status?: string;
  },
) {
  const to = await rows<{ name: string; email: string | null }>(
    tx,
    sql`select distinct p.given_name || ' ' || p.family_name as name, p.email
        from role_assignments a join persons p on p.id = a.person_id
        where a.object_id = ${o.objectId} and a.role in ('system_manager','it_system_manager') and ${holdsOn(today)}`,
  );
  const sv = o.language === 'sv';
  const subject =
    o.kind === 'drafted'
      ? sv
        ? `Utkast till förvaltningsplan ${o.year} för ${o.objectName}`
        : `Draft management plan ${o.year} for ${o.objectName}`
      : sv
        ? `Påminnelse: förvaltningsplan ${o.year} för ${o.objectName}`
        : `Reminder: management plan ${o.year} for ${o.objectName}`;
  const body =
    o.kind === 'drafted'
      ? sv
        ? `Steward har tagit fram ett utkast till förvaltningsplan ${o.year} för ${o.objectName} utifrån årets plan: ej avslutade aktiviteter, öppna avvikelser och försenade dokumentgranskningar. Planen ska föreslås, fastställas och undertecknas under november–december.`
        : `Steward has drafted the ${o.year} management plan for ${o.objectName} from this year's: unfinished activities, open deviations and overdue document reviews. The plan is to be proposed, approved and signed in November–December.`
      : sv
        ? `Förvaltningsplanen ${o.year} för ${o.objectName} har status "${o.status}". Den ska fastställas och undertecknas före årsskiftet.`
        : `The ${o.year} management plan for ${o.objectName} has status "${o.status}". It is to be approved and signed before the new year.`;
  const seen = new Set<string>();
  for (const r of to) {
    if (!r.email || seen.has(r.email)) continue;
    seen.add(r.email);
    await enqueueEmail(tx, now, {
      to: r.email,
      subject,
      body: `${r.name},\n\n${body}\n`,
      meta: { kind: `plan.${o.kind}`, objectId: o.objectId, year: o.year },
    });
  }
  return seen.size;
}

/** E-mails the system manager and IT system manager of every object whose plan for `year` is not signed. */
export async function sendReminders(ctx: AppContext, args: { actor: Actor; year: number }) {
  const now = ctx.clock.now();
  const today = todayOf(ctx);
  const board = await yearDashboard(ctx.db, { year: args.year }, today);
  let notified = 0;
  let objects = 0;
  await ctx.db.transaction(async (tx) => {
    for (const r of board.items) {
      if (r.status === 'signed') continue;
      objects++;
      notified += await remindObject(tx, now, today, {
        objectId: r.objectId,
        objectName: r.objectName,
        year: args.year,
        language: r.language,
        kind: 'reminder',
        status: r.status,
      });
    }
    await recordAudit(tx, now, args.actor, {
      action: 'plan.remind',
      entityType: 'plan',
      entityId: String(args.year),
      after: { year: args.year, objects, notified },
    });
  });
  return { year: args.year, objects, notified };
}

/**
 * The day a year's open checklist deviations are counted on: the year's last day for a past year (what
 * was open when it ended), otherwise today (a plan being carried out or prepared answers today's).
 */
export const deviationsDay = (year: number, today: string) =>
  year < Number(today.slice(0, 4)) ? `${year}-12-31` : today;

/** Only the checklists attested by the end of `year` when it is past (a SQL condition on `r`). */
export const attestedBefore = (year: number, today: string) =>
  year < Number(today.slice(0, 4))
    ? sql`and r.attested_at < (make_date(${year + 1}, 1, 1)::timestamp at time zone 'Europe/Stockholm')`
    : sql``;

/** SQL of the year dashboard: one row per governance object (used by the benchmark's baseline too). */
export const dashboardSql = (year: number, today: string) => sql`
  with latest as (
    select distinct on (p.object_id) p.object_id, p.id as plan_id, p.language, v.id as version_id, v.number, v.state,
      v.activity_count, v.activity_cost
    from plans p join plan_versions v on v.plan_id = p.id
    where p.year = ${year}
    order by p.object_id, v.number desc),
  signed as (
    select p.object_id, max(v.number) as number from plans p join plan_versions v on v.plan_id = p.id
    where p.year = ${year} and v.state = 'signed' group by p.object_id),
  roles as (
    select a.object_id,
      array_agg(p.given_name || ' ' || p.family_name order by p.sort_sv) filter (where a.role = 'system_manager') as sm,
      array_agg(p.given_name || ' ' || p.family_name order by p.sort_sv) filter (where a.role = 'it_system_manager') as itsm
    from role_assignments a join persons p on p.id = a.person_id
    where a.role in ('system_manager','it_system_manager') and ${holdsOn(today)}
    group by a.object_id),
  devs as (
    select s.governance_object_id as object_id, count(*)::int as n from (
      select distinct on (r.system_id, a.question_key) r.system_id, a.answer
      from checklist_responses r join checklist_answers a on a.response_id = r.id
      where r.state = 'attested' ${attestedBefore(year, today)}
      order by r.system_id, a.question_key, r.attested_at desc, r.seq desc) l
    join systems s on s.id = l.system_id where l.answer <> 'yes' group by s.governance_object_id)
  select o.id as object_id, o.name as object_name, l.plan_id, coalesce(l.state, 'none') as status, l.number as version_number,
    sg.number as signed_version, coalesce(l.activity_count, 0) as activities, coalesce(l.activity_cost, 0)::float8 as total_cost,
    o.budget_frame::float8 as budget_frame, coalesce(d.n, 0) as open_deviations,
    coalesce(r.sm, '{}') as sm, coalesce(r.itsm, '{}') as itsm, coalesce(l.language, 'sv') as language
  from governance_objects o
  left join latest l on l.object_id = o.id
  left join signed sg on sg.object_id = o.id
  left join roles r on r.object_id = o.id
  left join devs d on d.object_id = o.id
  order by o.name, o.id`;

/** The tables the dashboard is derived from; a write to any of them makes the cached answer stale. */
const dashboardCache = versionedCache<{ latestPlanYear: number | null; items: DashboardRow[] }>([
  'plans',
  'plan_versions',
  'governance_objects',
  'role_assignments',
  'persons',
  'systems',
  'checklist_responses',
  'checklist_answers',
]);

type DashboardRow = Awaited<ReturnType<typeof dashboardRows>>['items'][number];

async function dashboardRows(db: Db, year: number, today: string) {
  const [found, [latest]] = await Promise.all([
    rows<any>(db, dashboardSql(year, today)),
    rows<{ year: number | null }>(db, sql`select max(year) as year from plans`),
  ]);
  return {
    latestPlanYear: latest?.year ?? null,
    items: found.map((r) => ({
      objectId: r.object_id as string,
      objectName: r.object_name as string,
      planId: (r.plan_id as string | null) ?? null,
      status: r.status as 'none' | 'draft' | 'proposed' | 'approved' | 'signed',
      versionNumber: r.version_number as number | null,
      signedVersion: r.signed_version === null ? null : Number(r.signed_version),
      activities: Number(r.activities),
      totalCost: Number(r.total_cost),
      budgetFrame: r.budget_frame === null ? null : Number(r.budget_frame),
      openDeviations: Number(r.open_deviations),
      systemManagers: (r.sm ?? []) as string[],
      itSystemManagers: (r.itsm ?? []) as string[],
      language: r.language as 'sv' | 'en',
    })),
  };
}

/**
 * The year dashboard. Its rows are cached per year and day (role holders depend on the day) and
 * recomputed when any table it reads has changed (see platform/versioned-cache.ts).
 */
export async function yearDashboard(db: Db, f: { year: number; status?: string; q?: string }, today: string) {
  const { latestPlanYear, items: all } = await dashboardCache.get(db, `${f.year}|${today}`, () =>
    dashboardRows(db, f.year, today),
  );
  const counts: Record<string, number> = { none: 0, draft: 0, proposed: 0, approved: 0, signed: 0 };
  for (const r of all) counts[r.status]++;
  const q = f.q?.trim().toLowerCase();
  const items = all.filter(
    (r) => (!f.status || r.status === f.status) && (!q || r.objectName.toLowerCase().includes(q)),
  );
  return {
    year: f.year,
    counts,
    items,
    nextCycle: nextCycleOf(latestPlanYear, today),
    deviationsOn: deviationsDay(f.year, today),
  };
}

/**
 * The plans worth preparing next: the year after the latest year that has plans, from that year's, and
 * only up to next year (there is nothing to prepare a plan from for the year after). None before any
 * plan exists: the first plans are started on their objects.
 */
export function nextCycleOf(latestPlanYear: number | null, today: string) {
  if (latestPlanYear === null || latestPlanYear + 1 > Number(today.slice(0, 4)) + 1) return null;
  return { year: latestPlanYear + 1, from: latestPlanYear };
}

/** The scheduled job: on or after the cycle date, draft next year's plans once (claimed in SQL). */
export async function annualCycleJob(ctx: AppContext) {
  const today = localDate(ctx.clock.now());
  const year = Number(today.slice(0, 4));
  const [claimed] = await rows<{ id: number }>(
    ctx.db,
    sql`update plan_settings set last_cycle_year = ${year + 1}
        where id = 1 and ${today.slice(5)} >= cycle_month_day and coalesce(last_cycle_year, 0) < ${year + 1}
        returning id`,
  );
  if (!claimed) return null;
  const { systemActor } = await import('../../platform/context.ts');
  return runAnnualCycle(ctx, { actor: systemActor('Steward annual plan cycle', 'job'), year: year + 1 });
}
