// G11 documents and G12 security records per system, and the reports on them: overdue and missing
// documents, and (G14) resolver groups whose members were not reviewed within a year.
import { randomUUID } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import { type Db, rows } from '../../db/client.ts';
import type { Actor, AppContext } from '../../platform/context.ts';
import { notFound, preconditionFailed, validationError } from '../../platform/errors.ts';
import { say } from '../../platform/text.ts';
import type { WorkItem } from '../../platform/work.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { guarded } from './systems.errors.ts';
import { todayOf } from './systems.service.ts';
import {
  DOCUMENT_KINDS,
  firewallRules,
  type RESTORE_RESULTS,
  restoreTests,
  systemDocuments,
  systems,
  vulnerabilities,
} from './systems.tables.ts';

type DocumentKind = (typeof DOCUMENT_KINDS)[number];
const kindsArray = sql.raw(`array[${DOCUMENT_KINDS.map((k) => `'${k}'`).join(',')}]::text[]`);

// ---- documents (G11) ------------------------------------------------------------------------------

export async function listDocuments(ctx: AppContext, systemId: string) {
  const today = todayOf(ctx);
  const [s] = await ctx.db.select({ id: systems.id }).from(systems).where(eq(systems.id, systemId));
  if (!s) throw notFound('The system');
  const found = await rows<{
    kind: DocumentKind;
    present: boolean;
    link: string | null;
    body: string | null;
    owner_id: string | null;
    owner_name: string | null;
    owner_status: 'active' | 'left' | null;
    review_interval_months: number | null;
    last_reviewed_on: string | null;
    next_review_on: string | null;
  }>(
    ctx.db,
    sql`select k.kind, d.id is not null as present, d.link, d.body, p.id as owner_id,
          p.given_name || ' ' || p.family_name as owner_name, p.status as owner_status,
          d.review_interval_months, d.last_reviewed_on,
          (d.last_reviewed_on + make_interval(months => d.review_interval_months))::date::text as next_review_on
        from unnest(${kindsArray}) with ordinality as k(kind, n)
        left join system_documents d on d.system_id = ${systemId} and d.kind = k.kind
        left join persons p on p.id = d.owner_person_id
        order by k.n`,
  );
  return found.map((d) => ({
    kind: d.kind,
    present: d.present,
    link: d.link,
    body: d.body,
    owner: d.owner_id ? { id: d.owner_id, displayName: d.owner_name!, status: d.owner_status! } : null,
    reviewIntervalMonths: d.review_interval_months,
    lastReviewedOn: d.last_reviewed_on,
    nextReviewOn: d.next_review_on,
    overdue: !d.present || d.next_review_on === null || d.next_review_on < today,
  }));
}

/** Creates or replaces one of a system's documents. */
export async function putDocument(
  ctx: AppContext,
  args: {
    actor: Actor;
    systemId: string;
    kind: DocumentKind;
    input: {
      link?: string | null;
      body?: string | null;
      ownerPersonId: string;
      reviewIntervalMonths: number;
      lastReviewedOn?: string | null;
    };
  },
) {
  const now = ctx.clock.now();
  const i = args.input;
  await guarded(() =>
    ctx.db.transaction(async (tx) => {
      const [p] = await rows(tx, sql`select 1 from persons where id = ${i.ownerPersonId}`);
      if (!p)
        throw validationError([
          { field: 'ownerPersonId', message: say('No such person.', 'Personen finns inte.') },
        ]);
      const [before] = await tx
        .select()
        .from(systemDocuments)
        .where(and(eq(systemDocuments.systemId, args.systemId), eq(systemDocuments.kind, args.kind)));
      const values = {
        link: i.link ?? null,
        body: i.body ?? null,
        ownerPersonId: i.ownerPersonId,
        reviewIntervalMonths: i.reviewIntervalMonths,
        lastReviewedOn: i.lastReviewedOn ?? null,
        updatedAt: now,
      };
      const [after] = await tx
        .insert(systemDocuments)
        .values({ id: randomUUID(), systemId: args.systemId, kind: args.kind, createdAt: now, ...values })
        .onConflictDoUpdate({
          target: [systemDocuments.systemId, systemDocuments.kind],
          set: { ...values, version: sql`${systemDocuments.version} + 1` },
        })
        .returning();
      await recordAudit(tx, now, args.actor, {
        action: 'system.document.put',
        entityType: 'system',
        entityId: args.systemId,
        before: before ?? null,
        after,
      });
    }),
  );
  return (await listDocuments(ctx, args.systemId)).find((d) => d.kind === args.kind)!;
}

/** G11: required documents that are missing, never reviewed, or past their review date, by `today`. */
export async function overdueDocuments(db: Db, today: string) {
  return rows<{
    system: { id: string; name: string };
    kind: DocumentKind;
    reason: 'missing' | 'never_reviewed' | 'overdue';
    dueOn: string | null;
    owner: string | null;
  }>(
    db,
    sql`select json_build_object('id', s.id, 'name', s.name) as system, k.kind,
          case when d.id is null then 'missing' when d.last_reviewed_on is null then 'never_reviewed'
               else 'overdue' end as reason,
          (d.last_reviewed_on + make_interval(months => d.review_interval_months))::date::text as "dueOn",
          p.given_name || ' ' || p.family_name as owner
        from systems s cross join unnest(${kindsArray}) with ordinality as k(kind, n)
        left join system_documents d on d.system_id = s.id and d.kind = k.kind
        left join persons p on p.id = d.owner_person_id
        where s.lifecycle <> 'retired'
          and (d.id is null or d.last_reviewed_on is null
               or (d.last_reviewed_on + make_interval(months => d.review_interval_months))::date < ${today}::date)
        order by s.sort_key collate "C", s.id, k.n
        limit 50000`,
  );
}

/**
 * My work (G11): the documents the person owns whose review is due, the longest overdue first. A
 * document never reviewed is due today.
 */
export async function documentsDueFor(db: Db, personId: string, today: string): Promise<WorkItem[]> {
  const found = await rows<{ id: string; name: string; kind: string; due: string }>(
    db,
    sql`select s.id, s.name, d.kind,
          coalesce((d.last_reviewed_on + make_interval(months => d.review_interval_months))::date, ${today}::date)::text as due
        from system_documents d join systems s on s.id = d.system_id
        where d.owner_person_id = ${personId} and s.lifecycle <> 'retired'
          and (d.last_reviewed_on is null
               or (d.last_reviewed_on + make_interval(months => d.review_interval_months))::date < ${today}::date)
        order by due, s.sort_key collate "C", d.kind
        limit 500`,
  );
  return found.map((r) => ({
    kind: 'document.review',
    subject: { id: r.id, name: r.name },
    detail: r.kind,
    date: r.due,
  }));
}

/** G14: systems whose resolver-group members were never reviewed, or last reviewed over a year ago. */
export async function resolverReviewsDue(db: Db, today: string) {
  return rows<{
    system: { id: string; name: string };
    resolverGroup: string | null;
    reviewedOn: string | null;
    dueOn: string | null;
  }>(
    db,
    sql`select json_build_object('id', s.id, 'name', s.name) as system, s.resolver_group as "resolverGroup",
          s.resolver_members_reviewed_on::text as "reviewedOn",
          (s.resolver_members_reviewed_on + interval '1 year')::date::text as "dueOn"
        from systems s
        where s.lifecycle <> 'retired'
          and (s.resolver_members_reviewed_on is null
               or (s.resolver_members_reviewed_on + interval '1 year')::date < ${today}::date)
        order by s.sort_key collate "C", s.id
        limit 50000`,
  );
}

// ---- security records (G12) ------------------------------------------------------------------------

export async function getSecurity(ctx: AppContext, systemId: string) {
  const today = todayOf(ctx);
  const [s] = await ctx.db
    .select({ id: systems.id, backup: systems.backupArrangement, environments: systems.environments })
    .from(systems)
    .where(eq(systems.id, systemId));
  if (!s) throw notFound('The system');
  const vulns = await ctx.db
    .select()
    .from(vulnerabilities)
    .where(eq(vulnerabilities.systemId, systemId))
    .orderBy(desc(vulnerabilities.exposureStartedOn), vulnerabilities.id);
  const tests = await ctx.db
    .select()
    .from(restoreTests)
    .where(eq(restoreTests.systemId, systemId))
    .orderBy(desc(restoreTests.testedOn), desc(restoreTests.createdAt));
  const rules = await ctx.db
    .select()
    .from(firewallRules)
    .where(eq(firewallRules.systemId, systemId))
    .orderBy(firewallRules.createdAt, firewallRules.id);
  return {
    systemId,
    backupArrangement: s.backup,
    hasTestEnvironment: s.environments.includes('test'),
    vulnerabilities: vulns.map((v) => ({
      id: v.id,
      title: v.title,
      reference: v.reference,
      exposureStartedOn: v.exposureStartedOn,
      exposureEndedOn: v.exposureEndedOn,
      exposed: v.exposureStartedOn <= today && (v.exposureEndedOn === null || v.exposureEndedOn > today),
      version: v.version,
    })),
    restoreTests: tests.map((t) => ({ id: t.id, testedOn: t.testedOn, result: t.result, notes: t.notes })),
    lastRestoreTest: tests[0] ? { testedOn: tests[0].testedOn, result: tests[0].result } : null,
    firewallRules: rules.map((r) => ({
      id: r.id,
      rule: r.rule,
      justification: r.justification,
      reviewOn: r.reviewOn,
    })),
  };
}

async function audited<T>(
  ctx: AppContext,
  actor: Actor,
  systemId: string,
  action: string,
  work: (tx: Db, now: Date) => Promise<{ before?: unknown; after: T }>,
) {
  const now = ctx.clock.now();
  return guarded(() =>
    ctx.db.transaction(async (tx) => {
      const { before, after } = await work(tx, now);
      await recordAudit(tx, now, actor, { action, entityType: 'system', entityId: systemId, before, after });
      return after;
    }),
  );
}

export async function addVulnerability(
  ctx: AppContext,
  args: {
    actor: Actor;
    systemId: string;
    input: {
      title: string;
      reference?: string | null;
      exposureStartedOn: string;
      exposureEndedOn?: string | null;
    };
  },
) {
  await audited(ctx, args.actor, args.systemId, 'system.vulnerability.create', async (tx, now) => {
    const [after] = await tx
      .insert(vulnerabilities)
      .values({
        id: randomUUID(),
        systemId: args.systemId,
        title: args.input.title,
        reference: args.input.reference ?? null,
        exposureStartedOn: args.input.exposureStartedOn,
        exposureEndedOn: args.input.exposureEndedOn ?? null,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    return { after };
  });
  return getSecurity(ctx, args.systemId);
}

export async function updateVulnerability(
  ctx: AppContext,
  args: {
    actor: Actor;
    systemId: string;
    id: string;
    ifVersion: number;
    patch: { title?: string; reference?: string | null; exposureEndedOn?: string | null };
  },
) {
  await audited(ctx, args.actor, args.systemId, 'system.vulnerability.update', async (tx, now) => {
    const [before] = await tx
      .select()
      .from(vulnerabilities)
      .where(and(eq(vulnerabilities.id, args.id), eq(vulnerabilities.systemId, args.systemId)));
    if (!before) throw notFound('The vulnerability');
    const [after] = await tx
      .update(vulnerabilities)
      .set({ ...args.patch, version: sql`${vulnerabilities.version} + 1`, updatedAt: now })
      .where(and(eq(vulnerabilities.id, args.id), eq(vulnerabilities.version, args.ifVersion)))
      .returning();
    if (!after) throw preconditionFailed();
    return { before, after };
  });
  return getSecurity(ctx, args.systemId);
}

export async function addRestoreTest(
  ctx: AppContext,
  args: {
    actor: Actor;
    systemId: string;
    input: { testedOn: string; result: (typeof RESTORE_RESULTS)[number]; notes: string };
  },
) {
  await audited(ctx, args.actor, args.systemId, 'system.restore_test.create', async (tx, now) => {
    const [after] = await tx
      .insert(restoreTests)
      .values({ id: randomUUID(), systemId: args.systemId, ...args.input, createdAt: now })
      .returning();
    return { after };
  });
  return getSecurity(ctx, args.systemId);
}

export async function addFirewallRule(
  ctx: AppContext,
  args: {
    actor: Actor;
    systemId: string;
    input: { rule: string; justification: string; reviewOn?: string | null };
  },
) {
  await audited(ctx, args.actor, args.systemId, 'system.firewall_rule.create', async (tx, now) => {
    const [after] = await tx
      .insert(firewallRules)
      .values({
        id: randomUUID(),
        systemId: args.systemId,
        rule: args.input.rule,
        justification: args.input.justification,
        reviewOn: args.input.reviewOn ?? null,
        createdAt: now,
      })
      .returning();
    return { after };
  });
  return getSecurity(ctx, args.systemId);
}

export async function deleteFirewallRule(
  ctx: AppContext,
  args: { actor: Actor; systemId: string; id: string },
) {
  await audited(ctx, args.actor, args.systemId, 'system.firewall_rule.delete', async (tx) => {
    const [before] = await tx
      .delete(firewallRules)
      .where(and(eq(firewallRules.id, args.id), eq(firewallRules.systemId, args.systemId)))
      .returning();
    if (!before) throw notFound('The firewall rule');
    return { before, after: null };
  });
  return getSecurity(ctx, args.systemId);
}

export async function setBackupArrangement(
  ctx: AppContext,
  args: { actor: Actor; systemId: string; backupArrangement: string | null },
) {
  await audited(ctx, args.actor, args.systemId, 'system.backup.update', async (tx, now) => {
    const [before] = await tx
      .select({ backupArrangement: systems.backupArrangement })
      .from(systems)
      .where(eq(systems.id, args.systemId));
    const [after] = await tx
      .update(systems)
      .set({
        backupArrangement: args.backupArrangement,
        updatedAt: now,
        version: sql`${systems.version} + 1`,
      })
      .where(eq(systems.id, args.systemId))
      .returning({ backupArrangement: systems.backupArrangement });
    return { before, after };
  });
  return getSecurity(ctx, args.systemId);
}
