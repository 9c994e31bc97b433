// The demo university's management plans (issue 6): for every governance object an approved plan for
// the year before the one being prepared, signed by system owner and IT system owner where the object
// has both, with one revision during the year; checklists attested by the IT system owners with a few
// deviations; and the drafts being prepared (made by the annual cycle from the signed ones, plus some new
// activities). Everything goes through the services with the role holders as actors, at dates in the
// past, so the history reads like a real year. The dates are written for 2026's plans being prepared
// (signed 2025, cycle on 1 November 2025) and move by whole years with today (`demoPlanYear`). Two
// sign-in accounts for the owners of Records Management are added for the demo.
import { sql } from 'drizzle-orm';
import { rows } from '../db/client.ts';
import { createAccount } from '../modules/accounts/accounts.service.ts';
import { runAnnualCycle } from '../modules/plans/annual.service.ts';
import { attestChecklist, currentTemplate, saveAnswers } from '../modules/plans/checklist.service.ts';
import {
  type ActivityCreate,
  addActivity,
  approveVersion,
  createPlan,
  proposeVersion,
  reviseVersion,
  signVersion,
  updateActivity,
  updateVersion,
} from '../modules/plans/plans.service.ts';
import { localDate } from '../platform/clock.ts';
import type { Actor, AppContext } from '../platform/context.ts';
import type { GovernanceRole } from '../platform/policy.ts';

/** Sign-in accounts added by the plans demo: the system owner and IT system owner of Records Management. */
export const DEMO_PLAN_ACCOUNTS = [
  { username: 'owner', password: 'steward-user', object: 'Records Management', role: 'system_owner' },
  { username: 'itowner', password: 'steward-user', object: 'Records Management', role: 'it_system_owner' },
] as const;

type A = Omit<ActivityCreate, 'description' | 'status' | 'followUp'> & { description?: string; sv: string };
const ACTIVITIES: A[] = [
  {
    title: 'Upgrade to the vendor’s new major release',
    sv: 'Uppgradering till leverantörens nya huvudversion',
    side: 'it',
    kind: 'maintenance',
    quarter: 2,
    estimatedHours: '120',
    estimatedCost: '85000',
  },
  {
    title: 'Monthly patching in the service window',
    sv: 'Månatlig patchning i servicefönstret',
    side: 'it',
    kind: 'maintenance',
    quarter: 1,
    estimatedHours: '48',
    estimatedCost: '24000',
  },
  {
    title: 'Yearly review of access rights with the unit managers',
    sv: 'Årlig genomgång av behörigheter med enheternas chefer',
    side: 'business',
    kind: 'maintenance',
    quarter: 3,
    estimatedHours: '30',
    estimatedCost: '15000',
  },
  {
    title: 'Training for new expert users',
    sv: 'Utbildning för nya expertanvändare',
    side: 'business',
    kind: 'maintenance',
    quarter: 3,
    estimatedHours: '24',
    estimatedCost: '12000',
  },
  {
    title: 'Restore test of the backups',
    sv: 'Återläsningstest av säkerhetskopiorna',
    side: 'it',
    kind: 'maintenance',
    quarter: 4,
    estimatedHours: '16',
    estimatedCost: '8000',
  },
  {
    title: 'New integration with the identity platform',
    sv: 'Ny integration med identitetsplattformen',
    side: 'it',
    kind: 'development',
    quarter: 2,
    estimatedHours: '160',
    estimatedCost: '140000',
  },
  {
    title: 'Digital forms for the most common requests',
    sv: 'Digitala formulär för de vanligaste ärendena',
    side: 'business',
    kind: 'development',
    quarter: 4,
    estimatedHours: '200',
    estimatedCost: '180000',
  },
  {
    title: 'Update the logging decision and the disposal rules',
    sv: 'Uppdatera loggningsbeslutet och gallringsreglerna',
    side: 'business',
    kind: 'maintenance',
    quarter: 1,
    estimatedHours: '20',
    estimatedCost: '10000',
  },
];

/**
 * The year whose plans the demo shows being prepared: next year's once this year's annual cycle has run
 * (1 November), else this year's.
 */
export function demoPlanYear(today: string): number {
  const year = Number(today.slice(0, 4));
  return today.slice(5) >= '11-01' ? year + 1 : year;
}

export async function seedDemoPlans(ctx: AppContext) {
  const now = ctx.clock.now();
  /** Whole years from the dates below (written for 2026's plans being prepared) to today's demo. */
  const shift = demoPlanYear(localDate(now)) - 2026;
  const y = (year: number) => year + shift;
  /** A clock at a date of the demo's story, moved by `shift` years and never after now. */
  const at = (iso: string) => {
    const d = new Date(iso);
    d.setUTCFullYear(d.getUTCFullYear() + shift);
    const t = new Date(Math.min(d.getTime(), now.getTime()));
    return { now: () => t };
  };
  const objects = await rows<{ id: string; name: string }>(
    ctx.db,
    sql`select id, name from governance_objects order by name`,
  );
  const holders = await rows<{ object_id: string; role: string; person_id: string; name: string }>(
    ctx.db,
    sql`select a.object_id, a.role, p.id as person_id, p.given_name || ' ' || p.family_name as name
        from role_assignments a join persons p on p.id = a.person_id
        where a.role in ('system_owner','it_system_owner','system_manager','it_system_manager')
        order by a.valid_from, p.id`,
  );
  const actorOf = (objectId: string, role: string): Actor | null => {
    const h = holders.find((x) => x.object_id === objectId && x.role === role);
    return h
      ? { kind: 'user', accountId: null, personId: h.person_id, label: h.name, roles: [], via: 'cli' }
      : null;
  };
  const tpl = await currentTemplate(ctx.db);
  let signed = 0;
  let drafts = 0;

  // ---- checklists: answered by the IT system manager, attested by the IT system owner in autumn 2024 ----
  const systems = await rows<{ id: string; short_name: string; object_id: string }>(
    ctx.db,
    sql`select id, short_name, governance_object_id as object_id from systems where lifecycle <> 'retired' order by sort_key, id`,
  );
  const deviationsAt: Record<
    string,
    { key: string; answer: 'no' | 'partly' | 'not_applicable'; comment: string }[]
  > = {
    STUREC: [
      {
        key: 'restore_test',
        answer: 'no',
        comment: 'No restore test since the platform move; booked for Q1.',
      },
    ],
    LMS: [
      {
        key: 'test_environment',
        answer: 'partly',
        comment: 'The vendor’s test tenant lags one release behind.',
      },
    ],
    DIARIUM: [
      {
        key: 'supplier_terms',
        answer: 'partly',
        comment: 'Return of data at contract end is not yet agreed.',
      },
    ],
    PAYROLL: [
      {
        key: 'continuity_plan',
        answer: 'no',
        comment: 'The continuity plan for payroll is being rewritten.',
      },
      { key: 'access_review', answer: 'partly', comment: 'Administrator accounts not yet reviewed.' },
    ],
  };
  let n = 0;
  for (const s of systems) {
    const itso = actorOf(s.object_id, 'it_system_owner');
    const answerer = actorOf(s.object_id, 'it_system_manager') ?? itso;
    if (!itso || !answerer) continue;
    n++;
    const dev = deviationsAt[s.short_name] ?? [];
    const c = { ...ctx, clock: at(`2024-10-${String(1 + (n % 27)).padStart(2, '0')}T10:00:00Z`) };
    await saveAnswers(c, {
      actor: answerer,
      systemId: s.id,
      answers: tpl.questions.map((q) => {
        const d = dev.find((x) => x.key === q.key);
        return d
          ? { questionKey: q.key, answer: d.answer, comment: d.comment }
          : { questionKey: q.key, answer: 'yes' as const, comment: '' };
      }),
    });
    await attestChecklist(
      { ...c, clock: at(`2024-10-${String(2 + (n % 27)).padStart(2, '0')}T14:00:00Z`) },
      { actor: itso, systemId: s.id },
    );
  }

  // ---- last year's plans: drafted, proposed, approved and signed in December 2024 ----
  let i = 0;
  for (const o of objects) {
    i++;
    const sm = actorOf(o.id, 'system_manager') ?? actorOf(o.id, 'it_system_manager');
    const so = actorOf(o.id, 'system_owner');
    if (!sm || !so) continue;
    const itso = actorOf(o.id, 'it_system_owner');
    const itsm = actorOf(o.id, 'it_system_manager');
    const c1 = { ...ctx, clock: at('2024-11-12T09:00:00Z') };
    const plan = await createPlan(c1, {
      actor: sm,
      objectId: o.id,
      year: y(2025),
      language: i % 4 === 0 ? 'en' : 'sv',
    });
    const v1 = plan.currentVersionId;
    await updateVersion(c1, {
      actor: sm,
      versionId: v1,
      ifVersion: 1,
      patch: {
        goals:
          plan.language === 'sv'
            ? `Stabil och säker drift av ${o.name} under ${y(2025)}, genomförd uppgradering och nöjdare användare. Förvaltningsgruppen följer upp aktivitetslistan varje månad och rapporterar till styrgruppen per kvartal.`
            : `Stable and secure operation of ${o.name} in ${y(2025)}, a completed upgrade and more satisfied users. The management group follows up the activity list monthly and reports to the steering group quarterly.`,
        budgetNotes:
          plan.language === 'sv'
            ? 'Kostnader i kronor exklusive moms; interna timmar à 500 kr.'
            : 'Costs in SEK excluding VAT; internal hours at SEK 500.',
      },
    });
    const picks = ACTIVITIES.filter((_, k) => (k + i) % 3 !== 0);
    for (const [k, a] of picks.entries()) {
      const responsible = (a.side === 'it' ? (itsm ?? sm) : sm).personId;
      await addActivity(c1, {
        actor: sm,
        versionId: v1,
        input: {
          title: plan.language === 'sv' ? a.sv : a.title,
          side: a.side,
          kind: a.kind,
          quarter: a.quarter,
          estimatedHours: a.estimatedHours,
          description: a.description ?? '',
          status: 'planned',
          followUp: '',
          responsiblePersonId: responsible,
          estimatedCost: String(Number(a.estimatedCost) + ((i * 7 + k) % 5) * 5000),
        },
      });
    }
    await proposeVersion({ ...ctx, clock: at('2024-11-28T10:00:00Z') }, { actor: sm, versionId: v1 });
    await approveVersion({ ...ctx, clock: at('2024-12-09T13:30:00Z') }, { actor: so, versionId: v1 });
    const roles = (a: Actor | null, r: GovernanceRole) => (a ? [r] : []);
    await signVersion(
      { ...ctx, clock: at('2024-12-10T08:15:00Z') },
      { actor: so, versionId: v1, role: 'system_owner', heldRoles: roles(so, 'system_owner') },
    );
    if (itso) {
      await signVersion(
        { ...ctx, clock: at('2024-12-11T14:40:00Z') },
        {
          actor: itso,
          versionId: v1,
          role: 'it_system_owner',
          heldRoles: roles(itso, 'it_system_owner'),
        },
      );
      signed++;
    }
    // A revision during the year for the bigger objects: follow-up of the activities, approved again.
    if (itso && i % 4 === 1) {
      const c2 = { ...ctx, clock: at('2025-06-16T09:00:00Z') };
      const v2 = await reviseVersion(c2, { actor: sm, versionId: v1 });
      const acts = await rows<{ id: string; row_version: number; position: number }>(
        ctx.db,
        sql`select id, row_version, position from plan_activities where version_id = ${v2} order by position`,
      );
      for (const a of acts) {
        const status =
          a.position <= 2
            ? 'done'
            : a.position === 3
              ? 'ongoing'
              : a.position === 5
                ? 'postponed'
                : 'planned';
        await updateActivity(c2, {
          actor: sm,
          activityId: a.id,
          ifVersion: a.row_version,
          patch: {
            status,
            followUp:
              status === 'done'
                ? plan.language === 'sv'
                  ? 'Genomförd enligt plan.'
                  : 'Completed as planned.'
                : status === 'postponed'
                  ? plan.language === 'sv'
                    ? 'Skjuts till nästa år: leverantören försenad.'
                    : 'Moved to next year: the vendor is late.'
                  : '',
          },
        });
      }
      await proposeVersion(c2, { actor: sm, versionId: v2 });
      await approveVersion({ ...ctx, clock: at('2025-06-24T11:00:00Z') }, { actor: so, versionId: v2 });
      await signVersion(
        { ...ctx, clock: at('2025-06-25T09:00:00Z') },
        { actor: so, versionId: v2, role: 'system_owner', heldRoles: ['system_owner'] },
      );
      await signVersion(
        { ...ctx, clock: at('2025-06-26T15:20:00Z') },
        { actor: itso, versionId: v2, role: 'it_system_owner', heldRoles: ['it_system_owner'] },
      );
    }
  }

  // ---- this year's drafts: the annual cycle on 1 November 2025, then the managers add new work ----
  const cycleCtx = { ...ctx, clock: at('2025-11-01T06:00:00Z') };
  const cycle = await runAnnualCycle(cycleCtx, {
    actor: {
      kind: 'system',
      accountId: null,
      personId: null,
      label: 'Steward annual plan cycle',
      roles: ['administrator'],
      via: 'job',
    },
    year: y(2026),
  });
  drafts = cycle.created;
  const plansInPreparation = await rows<{ object_id: string; version_id: string; language: 'sv' | 'en' }>(
    ctx.db,
    sql`select p.object_id, v.id as version_id, p.language from plans p join plan_versions v on v.plan_id = p.id
        where p.year = ${y(2026)} and v.state = 'draft'`,
  );
  for (const p of plansInPreparation) {
    const sm = actorOf(p.object_id, 'system_manager') ?? actorOf(p.object_id, 'it_system_manager');
    if (!sm) continue;
    const c = { ...ctx, clock: at('2025-11-18T09:00:00Z') };
    await updateVersion(c, {
      actor: sm,
      versionId: p.version_id,
      ifVersion: 1,
      patch: {
        goals:
          p.language === 'sv'
            ? `Säker och stabil drift under ${y(2026)}. Avvikelser i säkerhets- och kontinuitetschecklistan åtgärdas under första halvåret, och användarnas synpunkter från supportstatistiken tas tillvara.`
            : `Secure and stable operation in ${y(2026)}. Deviations in the security and continuity checklist are resolved in the first half year, and the users’ feedback from the support statistics is acted on.`,
      },
    });
    await addActivity(c, {
      actor: sm,
      versionId: p.version_id,
      input: {
        title:
          p.language === 'sv'
            ? 'Förbättrad introduktion för nya användare'
            : 'Better onboarding for new users',
        description: '',
        side: 'business',
        kind: 'development',
        quarter: 2,
        responsiblePersonId: sm.personId,
        estimatedHours: '60',
        estimatedCost: '30000',
        status: 'planned',
        followUp: '',
      },
    });
  }
  // In November and December the drafts above are this autumn's cycle, so the job has nothing to do;
  // earlier in the year it drafts next year's plans on its own schedule.
  const thisAutumn = y(2026) > Number(localDate(now).slice(0, 4));
  await ctx.db.execute(
    sql`update plan_settings set last_cycle_year = ${thisAutumn ? y(2026) : null} where id = 1`,
  );

  // ---- sign-in accounts for the owners of Records Management ----
  for (const a of DEMO_PLAN_ACCOUNTS) {
    const o = objects.find((x) => x.name === a.object);
    const h = o && holders.find((x) => x.object_id === o.id && x.role === a.role);
    if (!h) continue;
    const [has] = await rows(ctx.db, sql`select 1 from accounts where person_id = ${h.person_id}`);
    if (has) continue;
    await createAccount(ctx, {
      actor: {
        kind: 'system',
        accountId: null,
        personId: null,
        label: 'steward seed --demo',
        roles: ['administrator'],
        via: 'cli',
      },
      personId: h.person_id,
      username: a.username,
      password: a.password,
      roles: [],
      validUntil: null,
    });
  }
  return { signedPlans2025: signed, drafts2026: drafts, checklists: n };
}
