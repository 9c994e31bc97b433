// Governance objects and their roles (G1–G4): who holds which role when, who appointed them, the
// steering, management and reference groups derived from the roles, and the role-gap report.
import { randomUUID } from 'node:crypto';
import { and, eq, type SQL, sql } from 'drizzle-orm';
import { pgArray } from '../../db/arrays.ts';
import { type Db, rows } from '../../db/client.ts';
import { addDays } from '../../platform/clock.ts';
import type { Actor, AppContext } from '../../platform/context.ts';
import { BAD_CURSOR, notFound, preconditionFailed, validationError } from '../../platform/errors.ts';
import { say } from '../../platform/text.ts';
import type { WorkItem } from '../../platform/work.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { normaliseQuery } from '../org/person-keys.ts';
import { g4NotAppointedByItso, guarded } from './systems.errors.ts';
import type { RoleCreate } from './systems.schema.ts';
import { holdsOn, todayOf } from './systems.service.ts';
import { GOVERNANCE_ROLES, governanceObjects, MAIN_ROLES, roleAssignments } from './systems.tables.ts';

type MainRole = (typeof MAIN_ROLES)[number];
type GovRole = (typeof GOVERNANCE_ROLES)[number];

/** G3: the main roles each organisation model expects. */
export const EXPECTED_ROLES: Record<number, readonly MainRole[]> = {
  1: ['system_owner', 'it_system_owner', 'system_manager'],
  2: MAIN_ROLES,
  3: MAIN_ROLES,
  4: ['system_owner', 'system_manager'],
  5: ['system_owner', 'system_manager'],
};

/** SQL: the expected main roles of organisation model `m` as a text[] (G3), from EXPECTED_ROLES. */
const expectedRolesSql = (m: SQL) =>
  sql`(case ${m} ${sql.raw(
    Object.entries(EXPECTED_ROLES)
      .map(([k, v]) => `when ${k} then array[${v.map((r) => `'${r}'`).join(',')}]::text[]`)
      .join(' '),
  )} end)`;

export type ObjectInput = {
  name: string;
  description?: string;
  owningUnitId: string;
  budgetFrame?: string | null;
};

async function assertUnit(tx: Db, id: string, field: string) {
  const [u] = await rows(tx, sql`select 1 from org_units where id = ${id}`);
  if (!u) throw validationError([{ field, message: say('No such org unit.', 'Enheten finns inte.') }]);
}

export async function assertObjectExists(db: Db, id: string) {
  const [o] = await db
    .select({ id: governanceObjects.id })
    .from(governanceObjects)
    .where(eq(governanceObjects.id, id));
  if (!o) throw notFound('The governance object');
}

export async function createObject(ctx: AppContext, args: { actor: Actor; input: ObjectInput }) {
  const now = ctx.clock.now();
  const id = randomUUID();
  await guarded(() =>
    ctx.db.transaction(async (tx) => {
      await assertUnit(tx, args.input.owningUnitId, 'owningUnitId');
      const [row] = await tx
        .insert(governanceObjects)
        .values({
          id,
          name: args.input.name.trim(),
          description: args.input.description ?? '',
          owningUnitId: args.input.owningUnitId,
          budgetFrame: args.input.budgetFrame ?? null,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      await recordAudit(tx, now, args.actor, {
        action: 'governance_object.create',
        entityType: 'governance_object',
        entityId: id,
        after: row,
      });
    }),
  );
  return getObject(ctx, id);
}

export async function updateObject(
  ctx: AppContext,
  args: { actor: Actor; id: string; ifVersion: number; patch: Partial<ObjectInput> },
) {
  const now = ctx.clock.now();
  await guarded(() =>
    ctx.db.transaction(async (tx) => {
      const [before] = await tx.select().from(governanceObjects).where(eq(governanceObjects.id, args.id));
      if (!before) throw notFound('The governance object');
      if (args.patch.owningUnitId) await assertUnit(tx, args.patch.owningUnitId, 'owningUnitId');
      const [after] = await tx
        .update(governanceObjects)
        .set({ ...args.patch, version: sql`${governanceObjects.version} + 1`, updatedAt: now })
        .where(and(eq(governanceObjects.id, args.id), eq(governanceObjects.version, args.ifVersion)))
        .returning();
      if (!after) throw preconditionFailed();
      await recordAudit(tx, now, args.actor, {
        action: 'governance_object.update',
        entityType: 'governance_object',
        entityId: args.id,
        before,
        after,
      });
    }),
  );
  return getObject(ctx, args.id);
}

type PersonRef = { id: string; displayName: string; status: 'active' | 'left' };

async function roleRows(db: Db, objectId: string, today: string, assignmentId?: string) {
  const found = await rows<{
    id: string;
    object_id: string;
    role: GovRole;
    person_id: string;
    person_name: string;
    person_status: 'active' | 'left';
    valid_from: string;
    valid_until: string | null;
    current: boolean;
    by_id: string | null;
    by_name: string | null;
    by_status: 'active' | 'left' | null;
    unit_id: string | null;
    unit_name: string | null;
    appointed_at: Date | string;
    version: number;
  }>(
    db,
    sql`select a.id, a.object_id, a.role, p.id as person_id, p.given_name || ' ' || p.family_name as person_name,
          p.status as person_status, a.valid_from, a.valid_until, (${holdsOn(today)}) as current,
          b.id as by_id, b.given_name || ' ' || b.family_name as by_name, b.status as by_status,
          u.id as unit_id, u.name as unit_name, a.appointed_at, a.version
        from role_assignments a join persons p on p.id = a.person_id
        left join persons b on b.id = a.appointed_by_person_id
        left join org_units u on u.id = a.appointed_by_unit_id
        where a.object_id = ${objectId} ${assignmentId ? sql`and a.id = ${assignmentId}` : sql``}
        order by array_position(array[${sql.raw(GOVERNANCE_ROLES.map((r) => `'${r}'`).join(','))}]::text[], a.role),
          a.valid_from, p.sort_sv, a.id`,
  );
  return found.map((r) => ({
    id: r.id,
    objectId: r.object_id,
    role: r.role,
    person: { id: r.person_id, displayName: r.person_name, status: r.person_status } as PersonRef,
    validFrom: r.valid_from,
    validUntil: r.valid_until,
    current: r.current,
    appointedBy: r.by_id
      ? ({ id: r.by_id, displayName: r.by_name!, status: r.by_status! } as PersonRef)
      : null,
    appointedByUnit: r.unit_id ? { id: r.unit_id, name: r.unit_name! } : null,
    appointedAt: new Date(r.appointed_at).toISOString(),
    version: r.version,
  }));
}

export async function listRoles(ctx: AppContext, objectId: string) {
  await assertObjectExists(ctx.db, objectId);
  return roleRows(ctx.db, objectId, todayOf(ctx));
}

export async function getObject(ctx: AppContext, id: string) {
  const today = todayOf(ctx);
  const [o] = await rows<{
    id: string;
    name: string;
    description: string;
    unit_id: string;
    unit_name: string;
    budget_frame: string | null;
    created_at: Date | string;
    updated_at: Date | string;
    version: number;
  }>(
    ctx.db,
    sql`select o.id, o.name, o.description, u.id as unit_id, u.name as unit_name, o.budget_frame::text,
          o.created_at, o.updated_at, o.version
        from governance_objects o join org_units u on u.id = o.owning_unit_id where o.id = ${id}`,
  );
  if (!o) throw notFound('The governance object');
  const systemList = await rows<{ id: string; name: string; shortName: string; orgModel: number }>(
    ctx.db,
    sql`select id, name, short_name as "shortName", org_model as "orgModel" from systems
        where governance_object_id = ${id} order by sort_key collate "C", id`,
  );
  const roles = await roleRows(ctx.db, id, today);
  const current = roles.filter((r) => r.current);
  const member = (r: (typeof roles)[number]) => ({
    personId: r.person.id,
    displayName: r.person.displayName,
    role: r.role,
  });
  const group = (members: readonly GovRole[]) => current.filter((r) => members.includes(r.role)).map(member);
  const expected = MAIN_ROLES.filter((role) =>
    systemList.some((s) => (EXPECTED_ROLES[s.orgModel] ?? MAIN_ROLES).includes(role)),
  );
  return {
    id: o.id,
    name: o.name,
    description: o.description,
    owningUnit: { id: o.unit_id, name: o.unit_name },
    budgetFrame: o.budget_frame,
    systems: systemList,
    roles,
    steeringGroup: group(['system_owner', 'it_system_owner', 'steering_group']),
    managementGroup: group(['system_manager', 'it_system_manager', 'management_group']),
    referenceGroup: group(['reference_group']),
    expectedRoles: expected,
    missingRoles: expected.filter((role) => !current.some((r) => r.role === role)),
    createdAt: new Date(o.created_at).toISOString(),
    updatedAt: new Date(o.updated_at).toISOString(),
    version: o.version,
  };
}

export async function listObjects(
  db: Db,
  a: { q?: string; unitId?: string; limit: number; cursor?: string },
) {
  const conds: SQL[] = [];
  if (a.q)
    conds.push(sql`lower(o.name) like ${`%${normaliseQuery(a.q).replace(/[\\%_]/g, (m) => `\\${m}`)}%`}`);
  if (a.unitId) conds.push(sql`o.owning_unit_id = ${a.unitId}`);
  if (a.cursor) {
    let c: { k: string; id: string };
    try {
      c = JSON.parse(Buffer.from(a.cursor, 'base64url').toString('utf8'));
      if (typeof c.k !== 'string' || !/^[0-9a-f-]{36}$/.test(c.id)) throw new Error();
    } catch {
      throw validationError([{ field: 'cursor', message: BAD_CURSOR }]);
    }
    conds.push(sql`(o.name collate "C", o.id) > (${c.k} collate "C", ${c.id}::uuid)`);
  }
  const where = conds.length ? sql`where ${sql.join(conds, sql` and `)}` : sql``;
  const found = await rows<{ id: string; name: string; unit_id: string; unit_name: string; n: number }>(
    db,
    sql`select o.id, o.name, u.id as unit_id, u.name as unit_name,
          (select count(*)::int from systems s where s.governance_object_id = o.id) as n
        from governance_objects o join org_units u on u.id = o.owning_unit_id ${where}
        order by o.name collate "C", o.id limit ${a.limit + 1}`,
  );
  const page = found.slice(0, a.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      id: r.id,
      name: r.name,
      owningUnit: { id: r.unit_id, name: r.unit_name },
      systemCount: r.n,
    })),
    nextCursor:
      found.length > a.limit
        ? Buffer.from(JSON.stringify({ k: last.name, id: last.id })).toString('base64url')
        : null,
  };
}

/**
 * Appoints a person to a role on an object. The appointer defaults to the caller. G4: an IT system
 * manager must be appointed by a current IT system owner of the object; the condition is part of the
 * INSERT, so it holds however requests interleave.
 */
export async function assignRole(
  ctx: AppContext,
  args: { actor: Actor; objectId: string; input: RoleCreate },
) {
  const now = ctx.clock.now();
  const today = todayOf(ctx);
  const i = args.input;
  const id = randomUUID();
  const appointer = i.appointedByPersonId === undefined ? args.actor.personId : i.appointedByPersonId;
  await guarded(() =>
    ctx.db.transaction(async (tx) => {
      await assertObjectExists(tx, args.objectId);
      const [person] = await rows<{ status: string }>(
        tx,
        sql`select status from persons where id = ${i.personId}`,
      );
      if (!person)
        throw validationError([
          { field: 'personId', message: say('No such person.', 'Personen finns inte.') },
        ]);
      if (person.status !== 'active')
        throw validationError([
          {
            field: 'personId',
            message: say('This person has left the organisation.', 'Personen har lämnat organisationen.'),
          },
        ]);
      if (appointer) {
        const [b] = await rows(tx, sql`select 1 from persons where id = ${appointer}`);
        if (!b)
          throw validationError([
            { field: 'appointedByPersonId', message: say('No such person.', 'Personen finns inte.') },
          ]);
      }
      if (i.appointedByUnitId) await assertUnit(tx, i.appointedByUnitId, 'appointedByUnitId');
      const validFrom = i.validFrom ?? today;
      const inserted = await rows<{ id: string }>(
        tx,
        sql`insert into role_assignments (id, object_id, person_id, role, valid_from, valid_until,
              appointed_by_person_id, appointed_by_unit_id, appointed_at)
            select ${id}, ${args.objectId}, ${i.personId}, ${i.role}, ${validFrom}::date, ${i.validUntil ?? null}::date,
              ${appointer ?? null}::uuid, ${i.appointedByUnitId ?? null}::uuid, ${now}::timestamptz
            where ${i.role} <> 'it_system_manager' or exists (
              select 1 from role_assignments a join persons p on p.id = a.person_id
              where a.object_id = ${args.objectId} and a.role = 'it_system_owner'
                and a.person_id = ${appointer ?? null}::uuid and ${holdsOn(today)})
            returning id`,
      );
      if (!inserted.length) throw g4NotAppointedByItso();
      const [after] = await tx.select().from(roleAssignments).where(eq(roleAssignments.id, id));
      await recordAudit(tx, now, args.actor, {
        action: 'governance_object.role.assign',
        entityType: 'governance_object',
        entityId: args.objectId,
        after,
      });
    }),
  );
  const [row] = await roleRows(ctx.db, args.objectId, today, id);
  return row;
}

export async function getAssignmentRole(db: Db, objectId: string, assignmentId: string) {
  const [a] = await db
    .select({ role: roleAssignments.role })
    .from(roleAssignments)
    .where(and(eq(roleAssignments.id, assignmentId), eq(roleAssignments.objectId, objectId)));
  if (!a) throw notFound('The role assignment');
  return a.role;
}

/** Ends (or re-opens) an assignment by setting its last valid day. */
export async function updateRole(
  ctx: AppContext,
  args: {
    actor: Actor;
    objectId: string;
    assignmentId: string;
    ifVersion: number;
    validUntil: string | null;
  },
) {
  const now = ctx.clock.now();
  await guarded(() =>
    ctx.db.transaction(async (tx) => {
      const [before] = await tx
        .select()
        .from(roleAssignments)
        .where(and(eq(roleAssignments.id, args.assignmentId), eq(roleAssignments.objectId, args.objectId)));
      if (!before) throw notFound('The role assignment');
      if (args.validUntil && args.validUntil < before.validFrom)
        throw validationError([
          {
            field: 'validUntil',
            message: say('Valid until is before valid from.', 'Gäller till är före gäller från.'),
          },
        ]);
      const [after] = await tx
        .update(roleAssignments)
        .set({ validUntil: args.validUntil, version: sql`${roleAssignments.version} + 1` })
        .where(and(eq(roleAssignments.id, args.assignmentId), eq(roleAssignments.version, args.ifVersion)))
        .returning();
      if (!after) throw preconditionFailed();
      await recordAudit(tx, now, args.actor, {
        action: 'governance_object.role.update',
        entityType: 'governance_object',
        entityId: args.objectId,
        before,
        after,
      });
    }),
  );
  const [row] = await roleRows(ctx.db, args.objectId, todayOf(ctx), args.assignmentId);
  return row;
}

/**
 * G2: objects missing an expected main role (G3) on any date in [from, to], with the first date of the
 * gap and why: nobody was appointed, an assignment ends, or the person left. Retired systems expect
 * nothing. One statement: each assignment becomes a covered interval (cut short when the person
 * left), and generate_series finds the first uncovered day per object and role.
 */
export async function roleGaps(db: Db, from: string, to: string, objectIds?: string[]) {
  return rows<{
    objectId: string;
    objectName: string;
    role: MainRole;
    firstGapOn: string;
    reason: 'not_staffed' | 'assignment_ends' | 'person_left';
  }>(
    db,
    sql`with expected as (
          select distinct s.governance_object_id as object_id, r.role
          from systems s cross join lateral unnest(${expectedRolesSql(sql`s.org_model`)}) as r(role)
          where s.lifecycle <> 'retired'
            ${objectIds ? sql`and s.governance_object_id = any(${pgArray(objectIds, 'uuid')})` : sql``}),
        cover as (
          select a.object_id, a.role, a.valid_from as f,
            least(coalesce(a.valid_until, 'infinity'::date),
                  case when p.status = 'left'
                    then (p.left_at at time zone 'Europe/Stockholm')::date - 1 else 'infinity'::date end) as u,
            case when p.status = 'left' then (p.left_at at time zone 'Europe/Stockholm')::date end as left_on
          from role_assignments a join persons p on p.id = a.person_id
          where a.role in ('system_owner','it_system_owner','system_manager','it_system_manager')),
        days as (select d::date as d from generate_series(${from}::date, ${to}::date, interval '1 day') as g(d)),
        gaps as (
          select e.object_id, e.role, min(days.d) as first_gap
          from expected e cross join days
          where not exists (select 1 from cover c where c.object_id = e.object_id and c.role = e.role
                              and c.f <= days.d and c.u >= days.d)
          group by e.object_id, e.role)
        select g.object_id as "objectId", o.name as "objectName", g.role, g.first_gap::text as "firstGapOn",
          case
            when exists (select 1 from cover c where c.object_id = g.object_id and c.role = g.role
                           and c.u = g.first_gap - 1 and c.left_on = g.first_gap) then 'person_left'
            when exists (select 1 from cover c where c.object_id = g.object_id and c.role = g.role
                           and c.u = g.first_gap - 1) then 'assignment_ends'
            else 'not_staffed' end as reason
        from gaps g join governance_objects o on o.id = g.object_id
        order by g.first_gap, o.name, array_position(array['system_owner','it_system_owner','system_manager','it_system_manager']::text[], g.role)`,
  );
}

/**
 * My work (G2): role gaps starting within `days` days on the objects where the person holds a main role
 * today (they are the ones to find a successor); every object's for an administrator.
 */
export async function roleGapsFor(
  db: Db,
  who: { personId: string | null; everything: boolean },
  today: string,
  days = 60,
): Promise<WorkItem[]> {
  const until = addDays(today, days);
  let objectIds: string[] | undefined;
  if (!who.everything) {
    if (!who.personId) return [];
    const objects = await rows<{ object_id: string }>(
      db,
      sql`select distinct a.object_id from role_assignments a join persons p on p.id = a.person_id
          where a.person_id = ${who.personId} and a.role = any(${pgArray([...MAIN_ROLES], 'text')}) and ${holdsOn(today)}`,
    );
    if (!objects.length) return [];
    objectIds = objects.map((o) => o.object_id);
  }
  const mine = await roleGaps(db, today, until, objectIds);
  return mine.map((g) => ({
    kind: 'role.gap',
    subject: { id: g.objectId, name: g.objectName },
    detail: g.role,
    date: g.firstGapOn,
  }));
}

// ---- handover during an absence (V1, V2; the coverage module asks for these) -------------------------

/** The main roles a person holds on some day of [from, to] (what they can hand over while away: V1). */
export async function mainRolesHeld(db: Db, personId: string, from: string, to: string) {
  return rows<{
    objectId: string;
    objectName: string;
    role: MainRole;
    validFrom: string;
    validUntil: string | null;
  }>(
    db,
    sql`select a.object_id as "objectId", o.name as "objectName", a.role, a.valid_from::text as "validFrom",
          a.valid_until::text as "validUntil"
        from role_assignments a join governance_objects o on o.id = a.object_id
        where a.person_id = ${personId} and a.role = any(${pgArray([...MAIN_ROLES], 'text')})
          and a.valid_from <= ${to}::date and (a.valid_until is null or a.valid_until >= ${from}::date)
        order by o.name, array_position(${pgArray([...MAIN_ROLES], 'text')}, a.role::text)`,
  );
}

/**
 * V1: the cover takes over a role for the days of an absence, and for those only: a role assignment
 * valid from `validFrom` to `validUntil`, appointed by the absent holder. It is a handover, not an
 * appointment to the role (G4's appointer rule is for appointments), so the caller (the coverage
 * service) has checked that the absent person holds the role. Written in the caller's transaction,
 * and audited there.
 */
export async function delegateRole(
  tx: Db,
  now: Date,
  actor: Actor,
  d: {
    objectId: string;
    role: MainRole;
    personId: string;
    fromPersonId: string;
    validFrom: string;
    validUntil: string;
  },
) {
  const id = randomUUID();
  const [after] = await tx
    .insert(roleAssignments)
    .values({
      id,
      objectId: d.objectId,
      personId: d.personId,
      role: d.role,
      validFrom: d.validFrom,
      validUntil: d.validUntil,
      appointedByPersonId: d.fromPersonId,
      appointedAt: now,
    })
    .returning();
  await recordAudit(tx, now, actor, {
    action: 'governance_object.role.delegate',
    entityType: 'governance_object',
    entityId: d.objectId,
    after,
  });
  return id;
}

/**
 * V1: a cover holds a handed-over role through `lastDay` at most (the absence was cancelled or ended
 * early). An assignment that would begin after that day is removed; one that ends by then is left as
 * it is. Written in the caller's transaction, audited there.
 */
export async function endDelegatedRole(
  tx: Db,
  now: Date,
  actor: Actor,
  assignmentId: string,
  lastDay: string,
) {
  const [before] = await tx.select().from(roleAssignments).where(eq(roleAssignments.id, assignmentId));
  if (!before) return;
  if (before.validFrom > lastDay) {
    await tx.delete(roleAssignments).where(eq(roleAssignments.id, assignmentId));
    await recordAudit(tx, now, actor, {
      action: 'governance_object.role.withdraw',
      entityType: 'governance_object',
      entityId: before.objectId,
      before,
    });
    return;
  }
  if (before.validUntil !== null && before.validUntil <= lastDay) return;
  const [after] = await tx
    .update(roleAssignments)
    .set({ validUntil: lastDay, version: sql`${roleAssignments.version} + 1` })
    .where(eq(roleAssignments.id, assignmentId))
    .returning();
  await recordAudit(tx, now, actor, {
    action: 'governance_object.role.withdraw',
    entityType: 'governance_object',
    entityId: before.objectId,
    before,
    after,
  });
}

/**
 * V2: who holds the given main roles on which days of [from, to], per object of a system that is not
 * retired (cut short when the person left), for the coverage report.
 */
export async function roleHolderIntervals(db: Db, from: string, to: string, roles: readonly MainRole[]) {
  return rows<{
    objectId: string;
    objectName: string;
    role: MainRole;
    personId: string;
    personName: string;
    from: string;
    until: string | null;
  }>(
    db,
    sql`select a.object_id as "objectId", o.name as "objectName", a.role, p.id as "personId",
          p.given_name || ' ' || p.family_name as "personName", a.valid_from::text as "from",
          least(a.valid_until, case when p.status = 'left'
            then (p.left_at at time zone 'Europe/Stockholm')::date - 1 end)::text as "until"
        from role_assignments a join persons p on p.id = a.person_id join governance_objects o on o.id = a.object_id
        where a.role = any(${pgArray([...roles], 'text')})
          and a.valid_from <= ${to}::date and (a.valid_until is null or a.valid_until >= ${from}::date)
          and exists (select 1 from systems s where s.governance_object_id = a.object_id and s.lifecycle <> 'retired')`,
  );
}
