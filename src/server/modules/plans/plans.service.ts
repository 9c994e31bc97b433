// Management plans (G1, G5, G6, G7): one plan per governance object and year, in versions. A draft is
// edited by the system manager and IT system manager, proposed, approved by the system owner (which
// freezes the whole document, organisation included, and hashes it), then signed by system owner and IT
// system owner, each signature recording the hash of the exact content signed. Revisions start a new
// version from the approved one. State changes are conditional UPDATEs, so they hold under concurrency.
import { createHash, randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { quarterOf } from '../../../shared/quarter.ts';
import { type Db, rows } from '../../db/client.ts';
import type { Actor, AppContext } from '../../platform/context.ts';
import { notFound, preconditionFailed, ruleViolation, validationError } from '../../platform/errors.ts';
import { enqueueEmail } from '../../platform/outbox/outbox.service.ts';
import type { GovernanceRole } from '../../platform/policy.ts';
import { say } from '../../platform/text.ts';
import type { WorkItem } from '../../platform/work.ts';
import type { AuditLabelSql } from '../audit/audit.labels.ts';
import { canonicalJson, recordAudit } from '../audit/audit.service.ts';
import { holdsOn, todayOf } from '../systems/systems.service.ts';
import { openDeviations } from './checklist.service.ts';
import { g5Frozen, planGuarded, TIMING_NEEDED } from './plans.errors.ts';
import type { activityCreateSchema, activityPatchSchema, versionPatchSchema } from './plans.schema.ts';
import { planActivities, plans, planVersions } from './plans.tables.ts';

type PlanState = 'draft' | 'proposed' | 'approved' | 'signed';
type Lang = 'sv' | 'en';
export type ActivityCreate = z.infer<typeof activityCreateSchema>;
export type ActivityPatch = z.infer<typeof activityPatchSchema>;
export type VersionPatch = z.infer<typeof versionPatchSchema>;

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);
export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export const ROLE_LABELS: Record<string, { en: string; sv: string }> = {
  system_owner: { en: 'System owner', sv: 'Systemägare' },
  it_system_owner: { en: 'IT system owner', sv: 'IT-systemägare' },
  system_manager: { en: 'System manager', sv: 'Systemförvaltare' },
  it_system_manager: { en: 'IT system manager', sv: 'IT-systemförvaltare' },
  business_specialist: { en: 'Business specialist', sv: 'Verksamhetsspecialist' },
  it_specialist: { en: 'IT specialist', sv: 'IT-specialist' },
  reference_group: { en: 'Reference group', sv: 'Referensgrupp' },
  steering_group: { en: 'Steering group', sv: 'Förvaltningsstyrgrupp' },
  management_group: { en: 'Management group', sv: 'Förvaltningsgrupp' },
};

// ---- lookups ---------------------------------------------------------------------------------------

export type VersionRow = {
  id: string;
  plan_id: string;
  number: number;
  state: PlanState;
  goals: string;
  scope_system_ids: string[];
  budget_notes: string;
  based_on_number: number | null;
  proposed_at: Date | string | null;
  approved_at: Date | string | null;
  approved_by_id: string | null;
  approved_by_name: string | null;
  snapshot: PlanDocument | null;
  content_hash: string | null;
  signed_at: Date | string | null;
  row_version: number;
  object_id: string;
  object_name: string;
  year: number;
  language: Lang;
  budget_frame: string | null;
};

export async function versionRow(db: Db, versionId: string): Promise<VersionRow> {
  const [v] = await rows<VersionRow>(
    db,
    sql`select v.id, v.plan_id, v.number, v.state, v.goals, v.scope_system_ids::text[] as scope_system_ids,
          v.budget_notes, b.number as based_on_number, v.proposed_at, v.approved_at,
          ap.id as approved_by_id, ap.given_name || ' ' || ap.family_name as approved_by_name,
          v.snapshot, v.content_hash, v.signed_at, v.row_version, o.id as object_id, o.name as object_name,
          p.year, p.language, o.budget_frame::text as budget_frame
        from plan_versions v join plans p on p.id = v.plan_id join governance_objects o on o.id = p.object_id
        left join plan_versions b on b.id = v.based_on_version_id
        left join persons ap on ap.id = v.approved_by_person_id
        where v.id = ${versionId}`,
  );
  if (!v) throw notFound('The plan version');
  if (typeof v.snapshot === 'string') v.snapshot = JSON.parse(v.snapshot);
  return v;
}

/** The governance object of a plan version (for policy decisions); 404 if there is none. */
export async function objectOfVersion(db: Db, versionId: string): Promise<string> {
  const [r] = await rows<{ object_id: string }>(
    db,
    sql`select p.object_id from plan_versions v join plans p on p.id = v.plan_id where v.id = ${versionId}`,
  );
  if (!r) throw notFound('The plan version');
  return r.object_id;
}
export async function objectOfPlan(db: Db, planId: string): Promise<string> {
  const [r] = await rows<{ object_id: string }>(db, sql`select object_id from plans where id = ${planId}`);
  if (!r) throw notFound('The plan');
  return r.object_id;
}
export async function objectOfActivity(db: Db, activityId: string) {
  const [r] = await rows<{ object_id: string; version_id: string }>(
    db,
    sql`select p.object_id, a.version_id from plan_activities a join plan_versions v on v.id = a.version_id
        join plans p on p.id = v.plan_id where a.id = ${activityId}`,
  );
  if (!r) throw notFound('The activity');
  return { objectId: r.object_id, versionId: r.version_id };
}

// ---- the document ----------------------------------------------------------------------------------

export type Totals = { hours: number; cost: number };
export type Budget = {
  frame: number | null;
  total: Totals;
  difference: number | null;
  bySide: { business: Totals; it: Totals };
  byKind: { maintenance: Totals; development: Totals };
  byQuarter: (Totals & { quarter: number })[];
};
export type ActivityView = {
  id: string;
  lineageId: string;
  position: number;
  title: string;
  description: string;
  side: 'business' | 'it';
  kind: 'maintenance' | 'development';
  startOn: string | null;
  endOn: string | null;
  quarter: number | null;
  effectiveQuarter: number;
  responsible: { id: string; displayName: string } | null;
  estimatedHours: number;
  estimatedCost: number;
  status: 'planned' | 'ongoing' | 'done' | 'postponed' | 'cancelled';
  followUp: string;
  origin: 'manual' | 'carried_over' | 'deviation' | 'document_review';
  originRef: string | null;
  version: number;
};
export type Appendix = {
  system: { id: string; name: string; shortName: string };
  checklist: {
    responseId: string;
    templateVersion: number;
    attestedAt: string;
    attestedBy: string;
    answers: {
      key: string;
      en: string;
      sv: string;
      answer: 'yes' | 'no' | 'partly' | 'not_applicable' | null;
      comment: string;
    }[];
  } | null;
  deviations: number;
};
/** The content of a version: what is hashed and signed once approved, and what the PDF prints. */
export type PlanDocument = {
  planId: string;
  versionId: string;
  number: number;
  object: { id: string; name: string };
  year: number;
  language: Lang;
  goals: string;
  budgetNotes: string;
  scope: { id: string; name: string; shortName: string }[];
  organisation: { role: string; personId: string; displayName: string }[];
  activities: ActivityView[];
  budget: Budget;
  appendices: Appendix[];
  approvedBy: { id: string; displayName: string } | null;
  approvedAt: string | null;
};

const zero = (): Totals => ({ hours: 0, cost: 0 });
const add = (t: Totals, a: { estimatedHours: number; estimatedCost: number }) => {
  t.hours = Math.round((t.hours + a.estimatedHours) * 10) / 10;
  t.cost = Math.round((t.cost + a.estimatedCost) * 100) / 100;
};

/** G7: budget appendix: totals by side, kind and quarter, against the object's budget frame. */
export function computeBudget(activities: ActivityView[], frame: number | null): Budget {
  const b: Budget = {
    frame,
    total: zero(),
    difference: null,
    bySide: { business: zero(), it: zero() },
    byKind: { maintenance: zero(), development: zero() },
    byQuarter: [1, 2, 3, 4].map((quarter) => ({ quarter, ...zero() })),
  };
  for (const a of activities) {
    if (a.status === 'cancelled') continue;
    add(b.total, a);
    add(b.bySide[a.side], a);
    add(b.byKind[a.kind], a);
    add(b.byQuarter[a.effectiveQuarter - 1], a);
  }
  b.difference = frame === null ? null : Math.round((frame - b.total.cost) * 100) / 100;
  return b;
}

export async function activitiesOf(db: Db, versionId: string): Promise<ActivityView[]> {
  const found = await rows<any>(
    db,
    sql`select a.*, p.given_name || ' ' || p.family_name as responsible_name
        from plan_activities a left join persons p on p.id = a.responsible_person_id
        where a.version_id = ${versionId} order by a.position, a.id`,
  );
  return found.map((a) => ({
    id: a.id,
    lineageId: a.lineage_id,
    position: a.position,
    title: a.title,
    description: a.description,
    side: a.side,
    kind: a.kind,
    startOn: a.start_on ? String(a.start_on).slice(0, 10) : null,
    endOn: a.end_on ? String(a.end_on).slice(0, 10) : null,
    quarter: a.quarter,
    effectiveQuarter: a.quarter ?? (a.start_on ? quarterOf(String(a.start_on)) : 1),
    responsible: a.responsible_person_id
      ? { id: a.responsible_person_id, displayName: a.responsible_name }
      : null,
    estimatedHours: Number(a.estimated_hours),
    estimatedCost: Number(a.estimated_cost),
    status: a.status,
    followUp: a.follow_up,
    origin: a.origin,
    originRef: a.origin_ref,
    version: a.row_version,
  }));
}

/** The governance organisation now (G2, G4): current role holders of the object. */
export async function organisationOf(db: Db, objectId: string, today: string) {
  return rows<{ role: string; personId: string; displayName: string }>(
    db,
    sql`select a.role, p.id as "personId", p.given_name || ' ' || p.family_name as "displayName"
        from role_assignments a join persons p on p.id = a.person_id
        where a.object_id = ${objectId} and ${holdsOn(today)}
        order by array_position(array['system_owner','it_system_owner','system_manager','it_system_manager',
          'steering_group','management_group','business_specialist','it_specialist','reference_group']::text[], a.role),
          p.sort_sv collate "C", p.id`,
  );
}

async function systemsOfObject(db: Db, objectId: string) {
  return rows<{ id: string; name: string; shortName: string }>(
    db,
    sql`select id, name, short_name as "shortName" from systems where governance_object_id = ${objectId}
        order by sort_key collate "C", id`,
  );
}

/** Per-system appendices: the latest attested security and continuity checklist (G6). */
async function appendicesOf(
  db: Db,
  scope: { id: string; name: string; shortName: string }[],
): Promise<Appendix[]> {
  if (!scope.length) return [];
  const ids = scope.map((s) => s.id);
  const latest = await rows<any>(
    db,
    sql`select distinct on (r.system_id) r.id, r.system_id, t.version as template_version, t.questions,
          r.attested_at, p.given_name || ' ' || p.family_name as attested_by
        from checklist_responses r join checklist_templates t on t.id = r.template_id
        left join persons p on p.id = r.attested_by_person_id
        where r.state = 'attested' and r.system_id = any(${`{${ids.join(',')}}`}::uuid[])
        order by r.system_id, r.attested_at desc, r.seq desc`,
  );
  const answers = latest.length
    ? await rows<{ response_id: string; question_key: string; answer: any; comment: string }>(
        db,
        sql`select response_id, question_key, answer, comment from checklist_answers
            where response_id = any(${`{${latest.map((l) => l.id).join(',')}}`}::uuid[])`,
      )
    : [];
  const devs = await openDeviations(db, { systemIds: ids });
  return scope.map((s) => {
    const l = latest.find((x) => x.system_id === s.id);
    const qs: { key: string; en: string; sv: string }[] = l
      ? typeof l.questions === 'string'
        ? JSON.parse(l.questions)
        : l.questions
      : [];
    return {
      system: s,
      checklist: l
        ? {
            responseId: l.id,
            templateVersion: l.template_version,
            attestedAt: iso(l.attested_at)!,
            attestedBy: l.attested_by ?? '',
            answers: qs.map((q) => {
              const a = answers.find((x) => x.response_id === l.id && x.question_key === q.key);
              return { ...q, answer: a?.answer ?? null, comment: a?.comment ?? '' };
            }),
          }
        : null,
      deviations: devs.filter((d) => d.system.id === s.id).length,
    };
  });
}

/** The live document of a draft or proposed version (approved ones are read from their snapshot). */
export async function liveDocument(db: Db, v: VersionRow, today: string): Promise<PlanDocument> {
  const all = await systemsOfObject(db, v.object_id);
  const scope = all.filter((s) => v.scope_system_ids.includes(s.id));
  const activities = await activitiesOf(db, v.id);
  return {
    planId: v.plan_id,
    versionId: v.id,
    number: v.number,
    object: { id: v.object_id, name: v.object_name },
    year: v.year,
    language: v.language,
    goals: v.goals,
    budgetNotes: v.budget_notes,
    scope,
    organisation: await organisationOf(db, v.object_id, today),
    activities,
    budget: computeBudget(activities, v.budget_frame === null ? null : Number(v.budget_frame)),
    appendices: await appendicesOf(db, scope),
    approvedBy: null,
    approvedAt: null,
  };
}

export const hashDocument = (doc: PlanDocument) => sha256(canonicalJson(doc));

export async function documentOf(db: Db, v: VersionRow, today: string): Promise<PlanDocument> {
  return v.snapshot ?? liveDocument(db, v, today);
}

export async function signaturesOf(db: Db, versionId: string) {
  const found = await rows<any>(
    db,
    sql`select role, person_id, person_name, signed_at, content_hash from plan_signatures
        where version_id = ${versionId} order by case role when 'system_owner' then 0 else 1 end`,
  );
  return found.map((s) => ({
    role: s.role as 'system_owner' | 'it_system_owner',
    person: { id: s.person_id, displayName: s.person_name },
    signedAt: iso(s.signed_at)!,
    contentHash: s.content_hash,
  }));
}

/** The full version for the API, with what the caller may do on it (buttons match the rules). */
export async function getVersion(
  ctx: AppContext,
  versionId: string,
  caller: { objectRoles: readonly GovernanceRole[]; isAdmin: boolean },
) {
  const today = todayOf(ctx);
  const v = await versionRow(ctx.db, versionId);
  const doc = await documentOf(ctx.db, v, today);
  const signatures = await signaturesOf(ctx.db, v.id);
  const [open] = await rows<{ n: number }>(
    ctx.db,
    sql`select count(*)::int as n from plan_versions where plan_id = ${v.plan_id} and state in ('draft','proposed')`,
  );
  const [latest] = await rows<{ id: string }>(
    ctx.db,
    sql`select id from plan_versions where plan_id = ${v.plan_id} order by number desc limit 1`,
  );
  const roles = caller.objectRoles;
  const editor = roles.includes('system_manager') || roles.includes('it_system_manager');
  return {
    id: v.id,
    planId: v.plan_id,
    number: v.number,
    state: v.state,
    object: doc.object,
    year: doc.year,
    language: doc.language,
    goals: doc.goals,
    budgetNotes: doc.budgetNotes,
    scope: doc.scope,
    availableSystems: await systemsOfObject(ctx.db, v.object_id),
    organisation: doc.organisation,
    organisationFrozen: Boolean(v.snapshot),
    activities: doc.activities,
    budget: doc.budget,
    appendices: doc.appendices,
    basedOnVersion: v.based_on_number,
    proposedAt: iso(v.proposed_at),
    approvedAt: iso(v.approved_at),
    approvedBy: v.approved_by_id ? { id: v.approved_by_id, displayName: v.approved_by_name! } : null,
    contentHash: v.content_hash,
    signatures,
    signedAt: iso(v.signed_at),
    abilities: {
      edit: v.state === 'draft' && editor,
      propose: v.state === 'draft' && editor,
      approve: v.state === 'proposed' && roles.includes('system_owner'),
      returnToDraft: v.state === 'proposed' && (roles.includes('system_owner') || editor),
      sign:
        v.state === 'approved'
          ? (['system_owner', 'it_system_owner'] as const).filter(
              (r) => roles.includes(r) && !signatures.some((s) => s.role === r),
            )
          : [],
      revise:
        (v.state === 'approved' || v.state === 'signed') && editor && open.n === 0 && latest.id === v.id,
    },
    rowVersion: v.row_version,
  };
}

export async function getPlan(ctx: AppContext, planId: string) {
  const [p] = await rows<any>(
    ctx.db,
    sql`select p.id, p.object_id, o.name as object_name, p.year, p.language from plans p
        join governance_objects o on o.id = p.object_id where p.id = ${planId}`,
  );
  if (!p) throw notFound('The plan');
  const versions = await rows<any>(
    ctx.db,
    sql`select id, number, state, created_at, approved_at, signed_at, content_hash from plan_versions
        where plan_id = ${planId} order by number`,
  );
  const open = versions.find((v) => v.state === 'draft' || v.state === 'proposed');
  return {
    id: p.id,
    objectId: p.object_id,
    objectName: p.object_name,
    year: p.year,
    language: p.language,
    versions: versions.map((v) => ({
      id: v.id,
      number: v.number,
      state: v.state,
      createdAt: iso(v.created_at)!,
      approvedAt: iso(v.approved_at),
      signedAt: iso(v.signed_at),
      contentHash: v.content_hash,
    })),
    currentVersionId: (open ?? versions[versions.length - 1]).id,
  };
}

export async function listPlansOfObject(ctx: AppContext, objectId: string) {
  const found = await rows<{ id: string }>(
    ctx.db,
    sql`select id from plans where object_id = ${objectId} order by year desc`,
  );
  return Promise.all(found.map((p) => getPlan(ctx, p.id)));
}

// ---- writes ----------------------------------------------------------------------------------------

async function audit(
  tx: Db,
  now: Date,
  actor: Actor,
  action: string,
  entityId: string,
  before: unknown,
  after: unknown,
) {
  await recordAudit(tx, now, actor, { action, entityType: 'plan', entityId, before, after });
}

export async function createPlan(
  ctx: AppContext,
  args: { actor: Actor; objectId: string; year: number; language: Lang },
) {
  const now = ctx.clock.now();
  const planId = randomUUID();
  const versionId = randomUUID();
  await planGuarded(() =>
    ctx.db.transaction(async (tx) => {
      const systems = await systemsOfObject(tx, args.objectId);
      await tx.insert(plans).values({
        id: planId,
        objectId: args.objectId,
        year: args.year,
        language: args.language,
        createdAt: now,
      });
      await tx.insert(planVersions).values({
        id: versionId,
        planId,
        number: 1,
        state: 'draft',
        scopeSystemIds: systems.map((s) => s.id),
        createdAt: now,
        updatedAt: now,
      });
      await audit(tx, now, args.actor, 'plan.create', planId, null, {
        objectId: args.objectId,
        year: args.year,
        language: args.language,
      });
    }),
  );
  return getPlan(ctx, planId);
}

/** Conditional edit of a draft version's main part: 409 (G5) if not a draft, 412 if stale. */
export async function updateVersion(
  ctx: AppContext,
  args: { actor: Actor; versionId: string; ifVersion: number; patch: VersionPatch },
) {
  const now = ctx.clock.now();
  await planGuarded(() =>
    ctx.db.transaction(async (tx) => {
      const before = await versionRow(tx, args.versionId);
      if (before.state !== 'draft') throw g5Frozen();
      if (args.patch.scopeSystemIds) {
        const own = (await systemsOfObject(tx, before.object_id)).map((s) => s.id);
        const bad = args.patch.scopeSystemIds.findIndex((id) => !own.includes(id));
        if (bad >= 0)
          throw validationError([
            {
              field: `scopeSystemIds.${bad}`,
              message: say(
                'Not a system of this governance object.',
                'Systemet hör inte till förvaltningsobjektet.',
              ),
            },
          ]);
      }
      const scope = args.patch.scopeSystemIds
        ? `{${[...new Set(args.patch.scopeSystemIds)].join(',')}}`
        : null;
      // The plan before its version, as a new plan is written: every transaction touches the two tables
      // in the same order, so their data-version counters (migration 0007) never deadlock. A refused
      // version update below rolls this back too.
      if (args.patch.language)
        await tx.execute(
          sql`update plans set language = ${args.patch.language} where id = ${before.plan_id}`,
        );
      const [after] = await rows<{ id: string }>(
        tx,
        sql`update plan_versions set
              goals = coalesce(${args.patch.goals ?? null}, goals),
              budget_notes = coalesce(${args.patch.budgetNotes ?? null}, budget_notes),
              scope_system_ids = coalesce(${scope}::uuid[], scope_system_ids),
              row_version = row_version + 1, updated_at = ${now}
            where id = ${args.versionId} and state = 'draft' and row_version = ${args.ifVersion}
            returning id`,
      );
      if (!after) {
        const [cur] = await rows<{ state: string }>(
          tx,
          sql`select state from plan_versions where id = ${args.versionId}`,
        );
        if (cur?.state !== 'draft') throw g5Frozen();
        throw preconditionFailed();
      }
      await audit(
        tx,
        now,
        args.actor,
        'plan.version.update',
        args.versionId,
        {
          goals: before.goals,
          budgetNotes: before.budget_notes,
          scope: before.scope_system_ids,
          language: before.language,
        },
        args.patch,
      );
    }),
  );
}

async function assertDraft(tx: Db, versionId: string) {
  // Lock the version row so a concurrent proposal waits for this edit (and vice versa).
  const [v] = await rows<{ state: string; object_id: string }>(
    tx,
    sql`select v.state, p.object_id from plan_versions v join plans p on p.id = v.plan_id
        where v.id = ${versionId} for update of v`,
  );
  if (!v) throw notFound('The plan version');
  if (v.state !== 'draft') throw g5Frozen();
  return v;
}

async function assertPerson(tx: Db, id: string | null | undefined) {
  if (!id) return;
  const [p] = await rows(tx, sql`select 1 from persons where id = ${id}`);
  if (!p)
    throw validationError([
      { field: 'responsiblePersonId', message: say('No such person.', 'Personen finns inte.') },
    ]);
}

function checkTiming(a: { startOn?: string | null; endOn?: string | null; quarter?: number | null }) {
  if (!a.startOn && (a.quarter === null || a.quarter === undefined))
    throw Object.assign(validationError([{ field: 'quarter', message: TIMING_NEEDED }]), {});
}

export async function addActivity(
  ctx: AppContext,
  args: { actor: Actor; versionId: string; input: ActivityCreate },
) {
  const now = ctx.clock.now();
  const id = randomUUID();
  checkTiming(args.input);
  await planGuarded(() =>
    ctx.db.transaction(async (tx) => {
      await assertDraft(tx, args.versionId);
      await assertPerson(tx, args.input.responsiblePersonId);
      const [pos] = await rows<{ n: number }>(
        tx,
        sql`select coalesce(max(position), 0)::int + 1 as n from plan_activities where version_id = ${args.versionId}`,
      );
      const i = args.input;
      const [row] = await tx
        .insert(planActivities)
        .values({
          id,
          versionId: args.versionId,
          lineageId: randomUUID(),
          position: pos.n,
          title: i.title,
          description: i.description,
          side: i.side,
          kind: i.kind,
          startOn: i.startOn ?? null,
          endOn: i.endOn ?? null,
          quarter: i.quarter ?? null,
          responsiblePersonId: i.responsiblePersonId ?? null,
          estimatedHours: i.estimatedHours,
          estimatedCost: i.estimatedCost,
          status: i.status,
          followUp: i.followUp,
        })
        .returning();
      await audit(tx, now, args.actor, 'plan.activity.create', id, null, row);
      await touch(tx, args.versionId, now);
    }),
  );
  return id;
}

async function touch(tx: Db, versionId: string, now: Date) {
  await tx.execute(
    sql`update plan_versions set updated_at = ${now} where id = ${versionId} and state = 'draft'`,
  );
}

export async function updateActivity(
  ctx: AppContext,
  args: { actor: Actor; activityId: string; ifVersion: number; patch: ActivityPatch },
) {
  const now = ctx.clock.now();
  await planGuarded(() =>
    ctx.db.transaction(async (tx) => {
      // The record as the create and the update return it (camelCase), so before and after compare.
      const [before] = await tx.select().from(planActivities).where(eq(planActivities.id, args.activityId));
      if (!before) throw notFound('The activity');
      await assertDraft(tx, before.versionId);
      await assertPerson(tx, args.patch.responsiblePersonId);
      const p = args.patch;
      const set: Record<string, unknown> = {};
      if (p.title !== undefined) set.title = p.title;
      if (p.description !== undefined) set.description = p.description;
      if (p.side !== undefined) set.side = p.side;
      if (p.kind !== undefined) set.kind = p.kind;
      if (p.startOn !== undefined) set.startOn = p.startOn;
      if (p.endOn !== undefined) set.endOn = p.endOn;
      if (p.quarter !== undefined) set.quarter = p.quarter;
      if (p.responsiblePersonId !== undefined) set.responsiblePersonId = p.responsiblePersonId;
      if (p.estimatedHours !== undefined) set.estimatedHours = p.estimatedHours;
      if (p.estimatedCost !== undefined) set.estimatedCost = p.estimatedCost;
      if (p.status !== undefined) set.status = p.status;
      if (p.followUp !== undefined) set.followUp = p.followUp;
      const updated = await tx
        .update(planActivities)
        .set({ ...set, rowVersion: sql`${planActivities.rowVersion} + 1` })
        .where(
          sql`${planActivities.id} = ${args.activityId} and ${planActivities.rowVersion} = ${args.ifVersion}`,
        )
        .returning();
      if (!updated.length) throw preconditionFailed();
      await audit(tx, now, args.actor, 'plan.activity.update', args.activityId, before, updated[0]);
      await touch(tx, before.versionId, now);
    }),
  );
}

export async function deleteActivity(ctx: AppContext, args: { actor: Actor; activityId: string }) {
  const now = ctx.clock.now();
  await planGuarded(() =>
    ctx.db.transaction(async (tx) => {
      // The record as the create and the update return it (camelCase), so before and after compare.
      const [before] = await tx.select().from(planActivities).where(eq(planActivities.id, args.activityId));
      if (!before) throw notFound('The activity');
      await assertDraft(tx, before.versionId);
      await tx.execute(sql`delete from plan_activities where id = ${args.activityId}`);
      await audit(tx, now, args.actor, 'plan.activity.delete', args.activityId, before, null);
      await touch(tx, before.versionId, now);
    }),
  );
}

/** People holding a role on an object now, with e-mail addresses, for notifications. */
export async function holders(db: Db, objectId: string, roles: string[], today: string) {
  return rows<{ personId: string; name: string; email: string | null; role: string }>(
    db,
    sql`select p.id as "personId", p.given_name || ' ' || p.family_name as name, p.email, a.role
        from role_assignments a join persons p on p.id = a.person_id
        where a.object_id = ${objectId} and a.role = any(${`{${roles.join(',')}}`}::text[]) and ${holdsOn(today)}`,
  );
}

async function notify(
  tx: Db,
  now: Date,
  to: { email: string | null; name: string }[],
  subject: string,
  body: string,
  meta: unknown,
) {
  const seen = new Set<string>();
  let n = 0;
  for (const r of to) {
    if (!r.email || seen.has(r.email)) continue;
    seen.add(r.email);
    await enqueueEmail(tx, now, { to: r.email, subject, body: `${r.name},\n\n${body}`, meta });
    n++;
  }
  return n;
}

const _STATE_WORD: Record<Lang, Record<string, string>> = {
  en: { proposed: 'proposed', approved: 'approved', signed: 'signed', draft: 'returned to draft' },
  sv: {
    proposed: 'föreslagen',
    approved: 'fastställd',
    signed: 'undertecknad',
    draft: 'återställd till utkast',
  },
};

/** draft → proposed (system manager or IT system manager). */
export async function proposeVersion(ctx: AppContext, args: { actor: Actor; versionId: string }) {
  const now = ctx.clock.now();
  await planGuarded(() =>
    ctx.db.transaction(async (tx) => {
      const [r] = await rows<{ id: string }>(
        tx,
        sql`update plan_versions set state = 'proposed', proposed_at = ${now}, proposed_by_person_id = ${args.actor.personId},
              row_version = row_version + 1, updated_at = ${now}
            where id = ${args.versionId} and state = 'draft' returning id`,
      );
      if (!r)
        throw ruleViolation('G5', say('Only a draft can be proposed.', 'Endast ett utkast kan föreslås.'));
      const v = await versionRow(tx, args.versionId);
      await audit(
        tx,
        now,
        args.actor,
        'plan.propose',
        args.versionId,
        { state: 'draft' },
        { state: 'proposed' },
      );
      const owners = await holders(tx, v.object_id, ['system_owner'], todayOf(ctx));
      await notify(
        tx,
        now,
        owners,
        v.language === 'sv'
          ? `Förvaltningsplan ${v.year} för ${v.object_name} väntar på fastställande`
          : `Management plan ${v.year} for ${v.object_name} awaits your approval`,
        v.language === 'sv'
          ? `Version ${v.number} av förvaltningsplanen ${v.year} för ${v.object_name} har föreslagits av ${args.actor.label} och väntar på att du fastställer den i Steward.`
          : `Version ${v.number} of the ${v.year} management plan for ${v.object_name} was proposed by ${args.actor.label} and awaits your approval in Steward.`,
        { planId: v.plan_id, versionId: v.id, kind: 'plan.proposed' },
      );
    }),
  );
}

/** proposed → draft (the system owner sends it back, or the editors withdraw it). */
export async function returnToDraft(ctx: AppContext, args: { actor: Actor; versionId: string }) {
  const now = ctx.clock.now();
  await planGuarded(() =>
    ctx.db.transaction(async (tx) => {
      const [r] = await rows<{ id: string }>(
        tx,
        sql`update plan_versions set state = 'draft', row_version = row_version + 1, updated_at = ${now}
            where id = ${args.versionId} and state = 'proposed' returning id`,
      );
      if (!r)
        throw ruleViolation(
          'G5',
          say(
            'Only a proposed version can be returned to draft.',
            'Endast en föreslagen version kan skickas tillbaka till utkast.',
          ),
        );
      await audit(
        tx,
        now,
        args.actor,
        'plan.return',
        args.versionId,
        { state: 'proposed' },
        { state: 'draft' },
      );
    }),
  );
}

const ONLY_PROPOSED_APPROVED = say(
  'Only a proposed version can be approved.',
  'Endast en föreslagen version kan fastställas.',
);

/** proposed → approved by the system owner: freezes the document (organisation included) and hashes it. */
export async function approveVersion(ctx: AppContext, args: { actor: Actor; versionId: string }) {
  const now = ctx.clock.now();
  const today = todayOf(ctx);
  await planGuarded(() =>
    ctx.db.transaction(async (tx) => {
      // Lock first, then build the document from exactly what is being approved.
      const [locked] = await rows<{ state: string }>(
        tx,
        sql`select state from plan_versions where id = ${args.versionId} for update`,
      );
      if (!locked) throw notFound('The plan version');
      if (locked.state !== 'proposed') throw ruleViolation('G5', ONLY_PROPOSED_APPROVED);
      const v = await versionRow(tx, args.versionId);
      const [approver] = await rows<{ name: string }>(
        tx,
        sql`select given_name || ' ' || family_name as name from persons where id = ${args.actor.personId}`,
      );
      const doc = await liveDocument(tx, v, today);
      doc.approvedBy = { id: args.actor.personId!, displayName: approver?.name ?? args.actor.label };
      doc.approvedAt = now.toISOString();
      const hash = hashDocument(doc);
      const [r] = await rows<{ id: string }>(
        tx,
        sql`update plan_versions set state = 'approved', approved_at = ${now}, approved_by_person_id = ${args.actor.personId},
              snapshot = ${JSON.stringify(doc)}::jsonb, content_hash = ${hash}, row_version = row_version + 1, updated_at = ${now}
            where id = ${args.versionId} and state = 'proposed' returning id`,
      );
      if (!r) throw ruleViolation('G5', ONLY_PROPOSED_APPROVED);
      await audit(
        tx,
        now,
        args.actor,
        'plan.approve',
        args.versionId,
        { state: 'proposed' },
        { state: 'approved', contentHash: hash },
      );
      const signers = await holders(tx, v.object_id, ['system_owner', 'it_system_owner'], today);
      await notify(
        tx,
        now,
        signers,
        v.language === 'sv'
          ? `Förvaltningsplan ${v.year} för ${v.object_name} ska undertecknas`
          : `Management plan ${v.year} for ${v.object_name} is ready to sign`,
        v.language === 'sv'
          ? `Version ${v.number} är fastställd av ${doc.approvedBy.displayName}. Systemägaren och IT-systemägaren undertecknar den i Steward.`
          : `Version ${v.number} was approved by ${doc.approvedBy.displayName}. The system owner and the IT system owner sign it in Steward.`,
        { planId: v.plan_id, versionId: v.id, kind: 'plan.approved' },
      );
    }),
  );
}

/**
 * Signs an approved version in a role the signer holds (G5). The signature records who, when and the
 * SHA-256 of the exact content signed (recomputed from the frozen document, which must still match the
 * hash taken at approval). The second signature moves the version to `signed`.
 */
export async function signVersion(
  ctx: AppContext,
  args: {
    actor: Actor;
    versionId: string;
    role: 'system_owner' | 'it_system_owner';
    heldRoles: readonly GovernanceRole[];
  },
) {
  const now = ctx.clock.now();
  if (!args.heldRoles.includes(args.role))
    throw ruleViolation(
      'G5',
      say(
        `You do not hold the role you are signing in (${args.role}) on this object.`,
        `Du har inte rollen du undertecknar som (${ROLE_LABELS[args.role]?.sv ?? args.role}) för objektet.`,
      ),
      {
        errors: [
          {
            field: 'role',
            message: say('You do not hold this role on the object.', 'Du har inte den rollen för objektet.'),
          },
        ],
      },
    );
  await planGuarded(() =>
    ctx.db.transaction(async (tx) => {
      const [locked] = await rows<{ state: string }>(
        tx,
        sql`select state from plan_versions where id = ${args.versionId} for update`,
      );
      if (!locked) throw notFound('The plan version');
      if (locked.state !== 'approved')
        throw ruleViolation(
          'G5',
          locked.state === 'signed'
            ? say('This version is already signed.', 'Versionen är redan undertecknad.')
            : say(
                'Only an approved version can be signed.',
                'Endast en fastställd version kan undertecknas.',
              ),
        );
      const v = await versionRow(tx, args.versionId);
      const hash = hashDocument(v.snapshot!);
      if (hash !== v.content_hash)
        throw ruleViolation(
          'G5',
          say(
            'The approved content no longer matches its hash; it cannot be signed.',
            'Det fastställda innehållet stämmer inte längre med sin kontrollsumma; det kan inte undertecknas.',
          ),
        );
      const [me] = await rows<{ name: string }>(
        tx,
        sql`select given_name || ' ' || family_name as name from persons where id = ${args.actor.personId}`,
      );
      await rows(
        tx,
        sql`insert into plan_signatures (id, version_id, role, person_id, person_name, signed_at, content_hash)
            values (${randomUUID()}, ${args.versionId}, ${args.role}, ${args.actor.personId}, ${me?.name ?? args.actor.label}, ${now}, ${hash})`,
      );
      await audit(tx, now, args.actor, 'plan.sign', args.versionId, null, {
        role: args.role,
        contentHash: hash,
      });
      await rows(
        tx,
        sql`update plan_versions set state = 'signed', signed_at = ${now}, row_version = row_version + 1, updated_at = ${now}
            where id = ${args.versionId} and state = 'approved'
              and (select count(*) from plan_signatures s where s.version_id = ${args.versionId}) = 2
            returning id`,
      );
    }),
  );
}

/** A revision: a new draft version copied from the latest approved or signed one (G5). */
export async function reviseVersion(ctx: AppContext, args: { actor: Actor; versionId: string }) {
  const now = ctx.clock.now();
  const newId = randomUUID();
  await planGuarded(() =>
    ctx.db.transaction(async (tx) => {
      const v = await versionRow(tx, args.versionId);
      if (v.state !== 'approved' && v.state !== 'signed')
        throw ruleViolation(
          'G5',
          say(
            'A revision starts from an approved version.',
            'En revidering utgår från en fastställd version.',
          ),
        );
      const [latest] = await rows<{ id: string; number: number }>(
        tx,
        sql`select id, number from plan_versions where plan_id = ${v.plan_id} order by number desc limit 1`,
      );
      if (latest.id !== v.id)
        throw ruleViolation(
          'G5',
          say(
            'A newer version of this plan exists; revise that one.',
            'Det finns en nyare version av planen; revidera den i stället.',
          ),
        );
      await copyVersion(tx, v, newId, latest.number + 1, now);
      await audit(tx, now, args.actor, 'plan.revise', newId, null, {
        basedOn: v.number,
        number: latest.number + 1,
      });
    }),
  );
  return newId;
}

async function copyVersion(tx: Db, v: VersionRow, newId: string, number: number, now: Date) {
  await tx.insert(planVersions).values({
    id: newId,
    planId: v.plan_id,
    number,
    state: 'draft',
    goals: v.goals,
    scopeSystemIds: v.scope_system_ids,
    budgetNotes: v.budget_notes,
    basedOnVersionId: v.id,
    createdAt: now,
    updatedAt: now,
  });
  await tx.execute(
    sql`insert into plan_activities (id, version_id, lineage_id, position, title, description, side, kind, start_on,
          end_on, quarter, responsible_person_id, estimated_hours, estimated_cost, status, follow_up, origin, origin_ref)
        select gen_random_uuid(), ${newId}, lineage_id, position, title, description, side, kind, start_on, end_on,
          quarter, responsible_person_id, estimated_hours, estimated_cost, status, follow_up, origin, origin_ref
        from plan_activities where version_id = ${v.id}`,
  );
}

// ---- diff ------------------------------------------------------------------------------------------

const ACTIVITY_FIELDS = [
  'title',
  'description',
  'side',
  'kind',
  'startOn',
  'endOn',
  'quarter',
  'estimatedHours',
  'estimatedCost',
  'status',
  'followUp',
] as const;

export async function diffVersions(ctx: AppContext, planId: string, from: number, to: number) {
  const today = todayOf(ctx);
  const load = async (n: number) => {
    const [r] = await rows<{ id: string }>(
      ctx.db,
      sql`select id from plan_versions where plan_id = ${planId} and number = ${n}`,
    );
    if (!r)
      throw validationError([
        {
          field: n === from ? 'from' : 'to',
          message: say(`The plan has no version ${n}.`, `Planen har ingen version ${n}.`),
        },
      ]);
    return documentOf(ctx.db, await versionRow(ctx.db, r.id), today);
  };
  const a = await load(from);
  const b = await load(to);
  const fields: { field: string; before: unknown; after: unknown }[] = [];
  const cmp = (field: string, x: unknown, y: unknown) => {
    if (canonicalJson(x) !== canonicalJson(y)) fields.push({ field, before: x, after: y });
  };
  cmp('goals', a.goals, b.goals);
  cmp('budgetNotes', a.budgetNotes, b.budgetNotes);
  cmp(
    'scope',
    a.scope.map((s) => s.name),
    b.scope.map((s) => s.name),
  );
  cmp(
    'organisation',
    a.organisation.map((o) => `${o.role}: ${o.displayName}`),
    b.organisation.map((o) => `${o.role}: ${o.displayName}`),
  );
  cmp('budgetTotal', a.budget.total, b.budget.total);
  const byLineage = (d: PlanDocument) => new Map(d.activities.map((x) => [x.lineageId, x]));
  const A = byLineage(a);
  const B = byLineage(b);
  const added = [...B.values()]
    .filter((x) => !A.has(x.lineageId))
    .map((x) => ({ lineageId: x.lineageId, title: x.title }));
  const removed = [...A.values()]
    .filter((x) => !B.has(x.lineageId))
    .map((x) => ({ lineageId: x.lineageId, title: x.title }));
  const changed = [];
  for (const [id, x] of A) {
    const y = B.get(id);
    if (!y) continue;
    const f = ACTIVITY_FIELDS.filter((k) => canonicalJson(x[k]) !== canonicalJson(y[k])).map((k) => ({
      field: k,
      before: x[k],
      after: y[k],
    }));
    if (x.responsible?.id !== y.responsible?.id)
      f.push({
        field: 'responsible',
        before: x.responsible?.displayName ?? null,
        after: y.responsible?.displayName ?? null,
      } as any);
    if (f.length) changed.push({ lineageId: id, title: y.title, fields: f });
  }
  return { from, to, fields, activities: { added, removed, changed } };
}

/**
 * My work (G5): plan versions waiting for the person: a draft of this year's or a later plan to write
 * (system managers), a proposal to approve (the system owner), an approved version to sign in a role
 * they hold and have not signed in yet (the owners).
 */
export async function planTasksFor(db: Db, personId: string, today: string): Promise<WorkItem[]> {
  const found = await rows<{
    plan_id: string;
    name: string;
    kind: WorkItem['kind'];
    year: number;
    since: string;
  }>(
    db,
    sql`select distinct on (v.id, kind) pl.id as plan_id, o.name, pl.year,
          case v.state when 'draft' then 'plan.write' when 'proposed' then 'plan.approve' else 'plan.sign' end as kind,
          (coalesce(v.approved_at, v.proposed_at, v.created_at) at time zone 'Europe/Stockholm')::date::text as since
        from plan_versions v join plans pl on pl.id = v.plan_id join governance_objects o on o.id = pl.object_id
        join role_assignments a on a.object_id = pl.object_id join persons p on p.id = a.person_id
        where a.person_id = ${personId} and ${holdsOn(today)}
          and ((v.state = 'draft' and a.role in ('system_manager', 'it_system_manager')
                and pl.year >= extract(year from ${today}::date))
            or (v.state = 'proposed' and a.role = 'system_owner')
            or (v.state = 'approved' and a.role in ('system_owner', 'it_system_owner')
                and not exists (select 1 from plan_signatures s where s.version_id = v.id and s.role = a.role)))
        order by v.id, kind
        limit 500`,
  );
  return found.map((r) => ({
    kind: r.kind,
    subject: { id: r.plan_id, name: r.name },
    detail: String(r.year),
    date: r.since,
  }));
}

/** Audit log: what people recognise this module's objects by (see audit.labels.ts). */
export const plansAuditLabels: AuditLabelSql = {
  // A plan's events name the plan, one of its versions or one of its activities.
  plan: (ids) =>
    sql`select x.id, o.name || ' ' || x.year as label
        from plans x join governance_objects o on o.id = x.object_id where x.id = any(${ids})
        union all
        select v.id, o.name || ' ' || x.year || ', version ' || v.number
        from plan_versions v join plans x on x.id = v.plan_id join governance_objects o on o.id = x.object_id
        where v.id = any(${ids})
        union all
        select a.id, o.name || ' ' || x.year || ': ' || a.title
        from plan_activities a join plan_versions v on v.id = a.version_id join plans x on x.id = v.plan_id
        join governance_objects o on o.id = x.object_id where a.id = any(${ids})`,
  checklist_response: (ids) =>
    sql`select x.id, s.name as label from checklist_responses x join systems s on s.id = x.system_id
        where x.id = any(${ids})`,
  checklist_template: (ids) =>
    sql`select x.id, 'version ' || x.version as label from checklist_templates x where x.id = any(${ids})`,
};
