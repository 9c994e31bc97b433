// Access rights (A1–A6, G10): the permission catalogue and order forms, orderers and expert users per
// unit, the order flow (draft → approval steps → IT → fulfilled/rejected), revocations, the grants
// register and the compliance report. Every state change of an order is ONE conditional UPDATE
// (… WHERE id = $1 AND state = $expected RETURNING), so two people cannot fulfil the same order and no
// order skips a state. Only this module reads or writes the access_* tables.
import { randomUUID } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import { and, eq, type SQL, sql } from 'drizzle-orm';
import { pgArray } from '../../db/arrays.ts';
import { type Db, rows, rowsPrepared } from '../../db/client.ts';
import { todayOf } from '../../platform/clock.ts';
import type { Actor, AppContext } from '../../platform/context.ts';
import type { FieldError } from '../../platform/errors.ts';
import {
  AppError,
  BAD_CURSOR,
  notFound,
  preconditionFailed,
  validationError,
} from '../../platform/errors.ts';
import { emailInsertSql, enqueueEmail } from '../../platform/outbox/outbox.service.ts';
import type { AccessFact } from '../../platform/policy.ts';
import { inLanguage, say } from '../../platform/text.ts';
import type { WorkItem } from '../../platform/work.ts';
import { exportWorkbook } from '../../platform/xlsx.ts';
import type { AuditLabelSql } from '../audit/audit.labels.ts';
import { type AuditInput, auditInsertSql, recordAudit, recordAuditMany } from '../audit/audit.service.ts';
import {
  assertPoolsWithinSize,
  lockPoolsOfModules,
  reserveModuleLicences,
} from '../licences/pools.service.ts';
import { headOfSql } from '../org/org.service.ts';
import { normaliseQuery } from '../org/person-keys.ts';
import {
  EXPERT_EMAIL,
  fieldRule,
  guarded,
  type OrderAction,
  revocationNotEdited,
  UNITS_NEEDED,
  wrongState,
} from './access.errors.ts';
import type {
  GrantFilter,
  OrderCreate,
  OrderEdit,
  PermissionCreate,
  PermissionPatch,
} from './access.schema.ts';
import {
  type AccountType,
  type ApproverKind,
  accessExpertUsers,
  accessFulfillers,
  accessOrderers,
  accessOrderForms,
  accessPermissions,
  type FormField,
  type OrderKind,
  type OrderState,
} from './access.tables.ts';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const personName = (alias: string) => sql.raw(`${alias}.given_name || ' ' || ${alias}.family_name`);

// ---- facts for the policy (computed here, passed to authorize as the resource) --------------------

/** A1: the person holds current ordering rights for every one of the units, for this system. */
export async function isOrdererFor(db: Db, personId: string | null, unitIds: string[], systemId: string) {
  if (!personId || unitIds.length === 0) return false;
  const [r] = await rows<{ n: number }>(
    db,
    sql`select count(distinct o.unit_id)::int as n from access_orderers o join persons p on p.id = o.person_id
        where o.person_id = ${personId} and o.ended_at is null and p.status = 'active'
          and o.unit_id = any(${pgArray(unitIds, 'uuid')})
          and (cardinality(o.system_ids) = 0 or ${systemId}::uuid = any(o.system_ids))`,
  );
  return Number(r.n) === new Set(unitIds).size;
}

/** A1 for a new order: whether the person orders for every one of the units, for the permission's system. */
export async function isOrdererForPermission(
  ctx: AppContext,
  personId: string | null,
  unitIds: string[],
  permissionId: string,
) {
  if (!personId || unitIds.length === 0) return false;
  const [r] = await rowsPrepared<{ n: number }>(
    ctx.db,
    sql`select count(distinct o.unit_id)::int as n from access_permissions pe, access_orderers o
          join persons p on p.id = o.person_id
        where pe.id = ${permissionId} and o.person_id = ${personId} and o.ended_at is null and p.status = 'active'
          and o.unit_id = any(${pgArray(unitIds, 'uuid')})
          and (cardinality(o.system_ids) = 0 or pe.system_id = any(o.system_ids))`,
  );
  return Number(r?.n ?? 0) === new Set(unitIds).size;
}

/** SQL: the people who handle orders of a system: IT system manager, IT specialists, named fulfillers. */
const itStaffSql = (systemId: SQL | string, today: string) => sql`
  select a.person_id from role_assignments a join systems s on s.governance_object_id = a.object_id
    join persons p on p.id = a.person_id
  where s.id = ${systemId} and a.role in ('it_system_manager','it_specialist')
    and a.valid_from <= ${today}::date and (a.valid_until is null or a.valid_until >= ${today}::date)
    and p.status = 'active'
  union select f.person_id from access_fulfillers f join persons p on p.id = f.person_id
  where f.system_id = ${systemId} and p.status = 'active'`;

export async function isItStaffFor(db: Db, personId: string | null, systemId: string, today: string) {
  if (!personId) return false;
  const found = await rows<{ person_id: string }>(db, itStaffSql(systemId, today));
  return found.some((r) => r.person_id === personId);
}

/** The systems whose orders this person handles. */
export async function itStaffSystems(db: Db, personId: string | null, today: string) {
  if (!personId) return [];
  const found = await rows<{ id: string }>(
    db,
    sql`select s.id from systems s join role_assignments a on a.object_id = s.governance_object_id
        where a.person_id = ${personId} and a.role in ('it_system_manager','it_specialist')
          and a.valid_from <= ${today}::date and (a.valid_until is null or a.valid_until >= ${today}::date)
        union select system_id from access_fulfillers where person_id = ${personId}`,
  );
  return found.map((r) => r.id);
}

/** Whether the person holds any access-related role: may read the grants register and the report. */
/** The systems in which the person holds a current grant (G13: whose messages concern them). */
export async function systemsGrantedTo(db: Db, personId: string): Promise<string[]> {
  const found = await rows<{ system_id: string }>(
    db,
    sql`select distinct system_id from access_grants where person_id = ${personId} and ended_at is null`,
  );
  return found.map((r) => r.system_id);
}

export async function hasAccessRole(db: Db, personId: string | null) {
  if (!personId) return false;
  const [r] = await rows(
    db,
    sql`select 1 where exists (select 1 from access_orderers where person_id = ${personId} and ended_at is null)
          or exists (select 1 from org_units hu where ${headOfSql(sql`hu.id`, personId, sql`current_date`)})
          or exists (select 1 from access_fulfillers where person_id = ${personId})
          or exists (select 1 from role_assignments where person_id = ${personId}
                     and (valid_until is null or valid_until >= current_date))`,
  );
  return Boolean(r);
}

type OrderRow = {
  id: string;
  number: number;
  kind: OrderKind;
  state: OrderState;
  person_id: string;
  permission_id: string;
  system_id: string;
  unit_ids: string[];
  form_snapshot: FormField[];
  field_values: Record<string, string>;
  expert_user: boolean;
  person_email: string | null;
  valid_until: string | null;
  message: string;
  approval_steps: ApproverKind[];
  approval_step: number;
  grant_id: string | null;
  orderer_person_id: string | null;
  orderer_label: string;
  taken_by_person_id: string | null;
  decided_by_label: string | null;
  reason: string | null;
  created_at: Date | string;
  submitted_at: Date | string | null;
  closed_at: Date | string | null;
  version: number;
};

async function orderRow(db: Db, id: string): Promise<OrderRow> {
  const [o] = await rows<OrderRow>(db, sql`select * from access_orders where id = ${id}`);
  if (!o) throw notFound('The order');
  return { ...o, number: Number(o.number), unit_ids: normaliseArray(o.unit_ids) };
}

/** pg returns uuid[] as an array; be tolerant of the '{a,b}' text form too. */
function normaliseArray(v: unknown): string[] {
  if (Array.isArray(v)) return v as string[];
  if (typeof v === 'string')
    return v
      .replace(/^\{|\}$/g, '')
      .split(',')
      .filter(Boolean);
  return [];
}

/**
 * The facts about the actor and an order, for the policy and for the buttons the UI shows: the order
 * and every fact about the actor (IT staff of its system, orderer for all its units, head of one of
 * its units, owner of its system) in one statement. Same definitions as isItStaffFor and
 * isOrdererFor; the approvers of a step (A5) are the heads of the order's units (unit_head) or the
 * system's current, active system owners (system_owner).
 */
export async function orderFacts(ctx: AppContext, actor: Actor, orderId: string) {
  const [r] = await rowsPrepared<OrderRow & FactFlags>(
    ctx.db,
    sql`select o.*, ${factColumns(actor.personId, todayOf(ctx))} from access_orders o where o.id = ${orderId}`,
  );
  if (!r) throw notFound('The order');
  const { f_it, f_orderer, f_unit_head, f_owner, ...row } = r;
  const o: OrderRow = { ...row, number: Number(row.number), unit_ids: normaliseArray(row.unit_ids) };
  return { order: o, facts: factsOf(o, { f_it, f_orderer, f_unit_head, f_owner }, actor.personId) };
}

type FactFlags = Record<'f_it' | 'f_orderer' | 'f_unit_head' | 'f_owner', boolean>;

/** SQL: the facts about the person and the order `o`, as four boolean columns. */
function factColumns(me: string | null, today: string) {
  if (!me) return sql`false as f_it, false as f_orderer, false as f_unit_head, false as f_owner`;
  return sql`${me}::uuid in (${itStaffSql(sql`o.system_id`, today)}) as f_it,
    (select count(distinct x.unit_id) from access_orderers x join persons xp on xp.id = x.person_id
      where x.person_id = ${me} and x.ended_at is null and xp.status = 'active'
        and x.unit_id = any(o.unit_ids)
        and (cardinality(x.system_ids) = 0 or o.system_id = any(x.system_ids)))
      = (select count(distinct u) from unnest(o.unit_ids) u) and cardinality(o.unit_ids) > 0 as f_orderer,
    exists (select 1 from unnest(o.unit_ids) uu(id) where ${headOfSql(sql`uu.id`, me, today)}) as f_unit_head,
    exists (select 1 from role_assignments a join systems s on s.governance_object_id = a.object_id
        join persons ap on ap.id = a.person_id
      where s.id = o.system_id and a.role = 'system_owner' and ap.status = 'active' and a.person_id = ${me}
        and a.valid_from <= ${today}::date and (a.valid_until is null or a.valid_until >= ${today}::date))
      as f_owner`;
}

function factsOf(
  o: {
    state: string;
    approval_steps: unknown;
    approval_step: number;
    orderer_person_id: string | null;
    person_id: string;
  },
  f: FactFlags,
  me: string | null,
): AccessFact[] {
  const steps = normaliseArray(o.approval_steps) as ApproverKind[];
  const approves = (kind: ApproverKind | undefined) =>
    kind === 'unit_head' ? f.f_unit_head : kind === 'system_owner' ? f.f_owner : false;
  const facts: AccessFact[] = [];
  if (f.f_it) facts.push('itStaff');
  if (o.state === 'awaiting_approval' && approves(steps[o.approval_step])) facts.push('approver');
  if (me && (o.orderer_person_id === me || o.person_id === me || f.f_it || steps.some(approves)))
    facts.push('orderParty');
  if (f.f_orderer) facts.push('orderer');
  return facts;
}

// ---- permission catalogue -------------------------------------------------------------------------

type PermissionRow = typeof accessPermissions.$inferSelect;

async function systemRef(db: Db, systemId: string) {
  const [s] = await rows<{ id: string; name: string; shortName: string; objectId: string }>(
    db,
    sql`select id, name, short_name as "shortName", governance_object_id as "objectId" from systems where id = ${systemId}`,
  );
  return s ?? null;
}

function presentPermission(p: PermissionRow, system: { id: string; name: string; shortName: string }) {
  return {
    id: p.id,
    system: { id: system.id, name: system.name, shortName: system.shortName },
    name: p.name,
    description: p.description,
    accountType: p.accountType,
    modules: p.modules,
    limitedToUnits: p.limitedToUnits,
    approvalSteps: p.approvalSteps as ApproverKind[],
    active: p.active,
    version: p.version,
  };
}

export async function getPermission(db: Db, id: string) {
  const [p] = await db.select().from(accessPermissions).where(eq(accessPermissions.id, id));
  if (!p) throw notFound('The permission');
  const s = await systemRef(db, p.systemId);
  return presentPermission(p, s!);
}

export async function permissionSystemId(db: Db, id: string) {
  const [p] = await db
    .select({ systemId: accessPermissions.systemId })
    .from(accessPermissions)
    .where(eq(accessPermissions.id, id));
  if (!p) throw notFound('The permission');
  return p.systemId;
}

export async function listPermissions(
  db: Db,
  f: { systemId?: string; q?: string; includeInactive?: 'true' | 'false' },
) {
  const conds: SQL[] = [];
  if (f.systemId) conds.push(sql`p.system_id = ${f.systemId}`);
  if (f.includeInactive !== 'true') conds.push(sql`p.active`);
  if (f.q) {
    const like = `%${normaliseQuery(f.q).replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    conds.push(
      sql`(lower(p.name) like ${like} or lower(s.name) like ${like} or lower(s.short_name) like ${like})`,
    );
  }
  const where = conds.length ? sql`where ${sql.join(conds, sql` and `)}` : sql``;
  const found = await rows<any>(
    db,
    sql`select p.*, s.name as system_name, s.short_name from access_permissions p
        join systems s on s.id = p.system_id ${where} order by s.sort_key collate "C", lower(p.name), p.id limit 1000`,
  );
  return found.map((r) =>
    presentPermission(
      {
        id: r.id,
        systemId: r.system_id,
        name: r.name,
        description: r.description,
        accountType: r.account_type,
        modules: normaliseArray(r.modules),
        limitedToUnits: r.limited_to_units,
        approvalSteps: normaliseArray(r.approval_steps),
        active: r.active,
        version: r.version,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
      },
      { id: r.system_id, name: r.system_name, shortName: r.short_name },
    ),
  );
}

/** Module names must be modules of the system. */
async function assertModules(tx: Db, systemId: string, modules: string[]) {
  if (!modules.length) return;
  const found = await rows<{ name: string }>(
    tx,
    sql`select name from system_modules where system_id = ${systemId} and name = any(${pgArray(modules, 'text')})`,
  );
  const known = new Set(found.map((r) => r.name));
  const missing = modules.filter((m) => !known.has(m));
  if (missing.length)
    throw validationError([
      {
        field: 'modules',
        message: say(
          `Not modules of this system: ${missing.join(', ')}.`,
          `Inte moduler i systemet: ${missing.join(', ')}.`,
        ),
      },
    ]);
}

export async function createPermission(
  ctx: AppContext,
  args: { actor: Actor; systemId: string; input: PermissionCreate },
) {
  const now = ctx.clock.now();
  const id = randomUUID();
  await guarded(() =>
    ctx.db.transaction(async (tx) => {
      if (!(await systemRef(tx, args.systemId))) throw notFound('The system');
      await assertModules(tx, args.systemId, args.input.modules);
      const [row] = await tx
        .insert(accessPermissions)
        .values({ id, systemId: args.systemId, ...args.input, createdAt: now, updatedAt: now })
        .returning();
      await recordAudit(tx, now, args.actor, {
        action: 'permission.create',
        entityType: 'permission',
        entityId: id,
        after: row,
      });
    }),
  );
  return getPermission(ctx.db, id);
}

export async function updatePermission(
  ctx: AppContext,
  args: { actor: Actor; id: string; ifVersion: number; patch: PermissionPatch },
) {
  const now = ctx.clock.now();
  await guarded(() =>
    ctx.db.transaction(async (tx) => {
      const [before] = await tx.select().from(accessPermissions).where(eq(accessPermissions.id, args.id));
      if (!before) throw notFound('The permission');
      if (args.patch.modules) await assertModules(tx, before.systemId, args.patch.modules);
      // L2: the modules it gains must have room for everyone who holds the permission.
      const gained = (args.patch.modules ?? []).filter((m) => !before.modules.includes(m));
      const pools = await lockPoolsOfModules(tx, before.systemId, gained);
      const [after] = await tx
        .update(accessPermissions)
        .set({ ...args.patch, version: sql`${accessPermissions.version} + 1`, updatedAt: now })
        .where(and(eq(accessPermissions.id, args.id), eq(accessPermissions.version, args.ifVersion)))
        .returning();
      if (!after) throw preconditionFailed();
      await assertPoolsWithinSize(tx, before.systemId, pools);
      await recordAudit(tx, now, args.actor, {
        action: 'permission.update',
        entityType: 'permission',
        entityId: args.id,
        before,
        after,
      });
    }),
  );
  return getPermission(ctx.db, args.id);
}

export async function getOrderForm(db: Db, systemId: string) {
  if (!(await systemRef(db, systemId))) throw notFound('The system');
  const [f] = await db.select().from(accessOrderForms).where(eq(accessOrderForms.systemId, systemId));
  return { systemId, fields: f?.fields ?? [], version: f?.version ?? 0 };
}

/** A4: the order form of a system. Orders already made keep the form they were made with. */
export async function putOrderForm(
  ctx: AppContext,
  args: { actor: Actor; systemId: string; ifVersion: number; fields: FormField[] },
) {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const before = await getOrderForm(tx, args.systemId);
    if (before.version !== args.ifVersion) throw preconditionFailed();
    const fields = args.fields.map((f) => ({ ...f, options: f.type === 'choice' ? f.options : undefined }));
    const done = await rows(
      tx,
      args.ifVersion === 0
        ? sql`insert into access_order_forms (system_id, fields, version, updated_at)
              values (${args.systemId}, ${JSON.stringify(fields)}::jsonb, 1, ${now}::timestamptz)
              on conflict (system_id) do nothing returning system_id`
        : sql`update access_order_forms set fields = ${JSON.stringify(fields)}::jsonb, version = version + 1,
              updated_at = ${now}::timestamptz where system_id = ${args.systemId} and version = ${args.ifVersion}
              returning system_id`,
    );
    if (!done.length) throw preconditionFailed();
    await recordAudit(tx, now, args.actor, {
      action: 'order-form.update',
      entityType: 'system',
      entityId: args.systemId,
      before: before.fields,
      after: fields,
    });
  });
  return getOrderForm(ctx.db, args.systemId);
}

// ---- orderers, expert users, fulfillers ------------------------------------------------------------

const NO_PERSON = say('No such person.', 'Personen finns inte.');
const NOT_ORDERABLE = say(
  'This permission can no longer be ordered.',
  'Behörigheten kan inte längre beställas.',
);
/** A json(b) column as pg or PGlite gives it (parsed, or as text). */
const jsonValue = <T>(v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as T;
const PERSON_LEFT = say('This person has left.', 'Personen har slutat.');

async function assertActivePerson(tx: Db, id: string, field = 'personId') {
  const [p] = await rows<{ status: string; email: string | null }>(
    tx,
    sql`select status, email from persons where id = ${id}`,
  );
  if (!p) throw validationError([{ field, message: NO_PERSON }]);
  if (p.status !== 'active') throw validationError([{ field, message: PERSON_LEFT }]);
  return p;
}
async function assertUnit(tx: Db, id: string, field = 'unitId') {
  const [u] = await rows(tx, sql`select 1 from org_units where id = ${id}`);
  if (!u) throw notFound('The org unit');
  void field;
}

/** A1/A2: ordering rights for a unit, granted by the unit's head or an administrator, never to oneself. */
export async function grantOrderer(
  ctx: AppContext,
  args: { actor: Actor; unitId: string; personId: string; systemIds: string[] },
) {
  const now = ctx.clock.now();
  const id = randomUUID();
  await guarded(() =>
    ctx.db.transaction(async (tx) => {
      await assertUnit(tx, args.unitId);
      await assertActivePerson(tx, args.personId);
      const ids = [...new Set(args.systemIds)];
      if (ids.length) {
        const found = await rows(tx, sql`select id from systems where id = any(${pgArray(ids, 'uuid')})`);
        if (found.length !== ids.length)
          throw validationError([
            {
              field: 'systemIds',
              message: say('One of the systems does not exist.', 'Ett av systemen finns inte.'),
            },
          ]);
      }
      const row = {
        id,
        personId: args.personId,
        unitId: args.unitId,
        systemIds: ids,
        grantedByPersonId: args.actor.personId,
        grantedByLabel: args.actor.label,
        grantedAt: now,
      };
      await tx.insert(accessOrderers).values(row);
      await recordAudit(tx, now, args.actor, {
        action: 'orderer.grant',
        entityType: 'org_unit',
        entityId: args.unitId,
        after: row,
      });
    }),
  );
  return (await listOrderers(ctx.db, { id }))[0];
}

export async function ordererRef(db: Db, id: string) {
  const [o] = await db
    .select({ unitId: accessOrderers.unitId, personId: accessOrderers.personId })
    .from(accessOrderers)
    .where(and(eq(accessOrderers.id, id), sql`${accessOrderers.endedAt} is null`));
  if (!o) throw notFound('The ordering right');
  return o;
}

export async function endOrderer(ctx: AppContext, args: { actor: Actor; id: string }) {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(accessOrderers)
      .set({ endedAt: now })
      .where(and(eq(accessOrderers.id, args.id), sql`${accessOrderers.endedAt} is null`))
      .returning();
    if (!row) throw notFound('The ordering right');
    await recordAudit(tx, now, args.actor, {
      action: 'orderer.end',
      entityType: 'org_unit',
      entityId: row.unitId,
      after: row,
    });
  });
}

export async function listOrderers(db: Db, f: { unitId?: string; personId?: string; id?: string }) {
  const conds: SQL[] = [sql`o.ended_at is null`];
  if (f.unitId) conds.push(sql`o.unit_id = ${f.unitId}`);
  if (f.personId) conds.push(sql`o.person_id = ${f.personId}`);
  if (f.id) conds.push(sql`o.id = ${f.id}`);
  const found = await rows<any>(
    db,
    sql`select o.id, o.granted_by_label, o.granted_at, o.system_ids, p.id as person_id, ${personName('p')} as person_name,
          p.status, u.id as unit_id, u.name as unit_name,
          coalesce((select json_agg(json_build_object('id', s.id, 'name', s.name) order by s.name)
            from systems s where s.id = any(o.system_ids)), '[]') as systems
        from access_orderers o join persons p on p.id = o.person_id join org_units u on u.id = o.unit_id
        where ${sql.join(conds, sql` and `)} order by u.name, p.sort_sv collate "C", o.id limit 2000`,
  );
  return found.map((r) => ({
    id: r.id,
    person: { id: r.person_id, displayName: r.person_name, status: r.status },
    unit: { id: r.unit_id, name: r.unit_name },
    systems: typeof r.systems === 'string' ? JSON.parse(r.systems) : r.systems,
    grantedBy: r.granted_by_label,
    grantedAt: iso(r.granted_at)!,
  }));
}

export async function addExpertUser(
  ctx: AppContext,
  args: { actor: Actor; unitId: string; personId: string; systemId: string; orderId?: string | null },
  db: Db = ctx.db,
) {
  const now = ctx.clock.now();
  const id = randomUUID();
  const work = async (tx: Db) => {
    await assertUnit(tx, args.unitId);
    await assertActivePerson(tx, args.personId);
    if (!(await systemRef(tx, args.systemId)))
      throw validationError([{ field: 'systemId', message: say('No such system.', 'Systemet finns inte.') }]);
    const row = {
      id,
      personId: args.personId,
      unitId: args.unitId,
      systemId: args.systemId,
      orderId: args.orderId ?? null,
      createdAt: now,
    };
    await tx.insert(accessExpertUsers).values(row);
    await recordAudit(tx, now, args.actor, {
      action: 'expert-user.add',
      entityType: 'org_unit',
      entityId: args.unitId,
      after: row,
    });
  };
  await guarded(() => (db === ctx.db ? ctx.db.transaction(work) : work(db)));
  return id;
}

export async function expertUserUnit(db: Db, id: string) {
  const [e] = await db
    .select({ unitId: accessExpertUsers.unitId })
    .from(accessExpertUsers)
    .where(and(eq(accessExpertUsers.id, id), sql`${accessExpertUsers.endedAt} is null`));
  if (!e) throw notFound('The expert user');
  return e.unitId;
}

export async function endExpertUser(ctx: AppContext, args: { actor: Actor; id: string }) {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(accessExpertUsers)
      .set({ endedAt: now })
      .where(and(eq(accessExpertUsers.id, args.id), sql`${accessExpertUsers.endedAt} is null`))
      .returning();
    if (!row) throw notFound('The expert user');
    await recordAudit(tx, now, args.actor, {
      action: 'expert-user.end',
      entityType: 'org_unit',
      entityId: row.unitId,
      after: row,
    });
  });
}

export async function listExpertUsers(
  db: Db,
  f: { unitId?: string; systemId?: string; personId?: string; id?: string },
) {
  const conds: SQL[] = [sql`e.ended_at is null`];
  if (f.unitId) conds.push(sql`e.unit_id = ${f.unitId}`);
  if (f.systemId) conds.push(sql`e.system_id = ${f.systemId}`);
  if (f.personId) conds.push(sql`e.person_id = ${f.personId}`);
  if (f.id) conds.push(sql`e.id = ${f.id}`);
  const found = await rows<any>(
    db,
    sql`select e.id, e.created_at, p.id as person_id, ${personName('p')} as person_name, p.status,
          u.id as unit_id, u.name as unit_name, s.id as system_id, s.name as system_name
        from access_expert_users e join persons p on p.id = e.person_id join org_units u on u.id = e.unit_id
        join systems s on s.id = e.system_id
        where ${sql.join(conds, sql` and `)} order by u.name, s.name, p.sort_sv collate "C" limit 2000`,
  );
  return found.map((r) => ({
    id: r.id,
    person: { id: r.person_id, displayName: r.person_name, status: r.status },
    unit: { id: r.unit_id, name: r.unit_name },
    system: { id: r.system_id, name: r.system_name },
    createdAt: iso(r.created_at)!,
  }));
}

export async function addFulfiller(
  ctx: AppContext,
  args: { actor: Actor; systemId: string; personId: string },
) {
  const now = ctx.clock.now();
  const id = randomUUID();
  await guarded(() =>
    ctx.db.transaction(async (tx) => {
      if (!(await systemRef(tx, args.systemId))) throw notFound('The system');
      await assertActivePerson(tx, args.personId);
      const row = { id, systemId: args.systemId, personId: args.personId, createdAt: now };
      await tx.insert(accessFulfillers).values(row);
      await recordAudit(tx, now, args.actor, {
        action: 'fulfiller.add',
        entityType: 'system',
        entityId: args.systemId,
        after: row,
      });
    }),
  );
  return id;
}

export async function removeFulfiller(ctx: AppContext, args: { actor: Actor; systemId: string; id: string }) {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .delete(accessFulfillers)
      .where(and(eq(accessFulfillers.id, args.id), eq(accessFulfillers.systemId, args.systemId)))
      .returning();
    if (!row) throw notFound('The fulfiller');
    await recordAudit(tx, now, args.actor, {
      action: 'fulfiller.remove',
      entityType: 'system',
      entityId: args.systemId,
      before: row,
    });
  });
}

export async function listFulfillers(db: Db, systemId: string) {
  const found = await rows<any>(
    db,
    sql`select f.id, p.id as person_id, ${personName('p')} as person_name, p.status
        from access_fulfillers f join persons p on p.id = f.person_id where f.system_id = ${systemId}
        order by p.sort_sv collate "C"`,
  );
  return found.map((r) => ({
    id: r.id,
    person: { id: r.person_id, displayName: r.person_name, status: r.status },
  }));
}

// ---- orders ---------------------------------------------------------------------------------------

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A4: every mandatory field of the form, each value of the right type. Field errors name the field. */
export function checkFields(form: FormField[], values: Record<string, string>, lang: 'en' | 'sv' = 'en') {
  const errors: FieldError[] = [];
  const known = new Set(form.map((f) => f.key));
  for (const key of Object.keys(values))
    if (!known.has(key))
      errors.push({
        field: `fields.${key}`,
        message: say(
          'This system\u2019s form has no such field.',
          'Systemets formulär har inget sådant fält.',
        ),
      });
  for (const f of form) {
    const v = (values[f.key] ?? '').trim();
    const label = lang === 'sv' ? f.labelSv : f.labelEn;
    if (!v) {
      if (f.mandatory)
        errors.push({
          field: `fields.${f.key}`,
          message: say(`${f.labelEn} is required.`, `${f.labelSv} måste fyllas i.`),
          label,
        } as FieldError);
      continue;
    }
    if (f.type === 'email' && !EMAIL.test(v))
      errors.push({
        field: `fields.${f.key}`,
        message: say(
          `${f.labelEn}: an e-mail address like name@example.org.`,
          `${f.labelSv}: en e-postadress som namn@exempel.se.`,
        ),
      });
    if (f.type === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(v))
      errors.push({
        field: `fields.${f.key}`,
        message: say(`${f.labelEn}: a date like 2026-12-31.`, `${f.labelSv}: ett datum som 2026-12-31.`),
      });
    if (f.type === 'choice' && !(f.options ?? []).includes(v))
      errors.push({
        field: `fields.${f.key}`,
        message: say(
          `${f.labelEn}: choose one of ${(f.options ?? []).join(', ')}.`,
          `${f.labelSv}: välj ett av ${(f.options ?? []).join(', ')}.`,
        ),
      });
  }
  return errors;
}

type Transition = {
  event: string;
  from: OrderState;
  to: OrderState;
  step?: number | null;
  reason?: string | null;
};

async function recordEvent(tx: Db, now: Date, actor: Actor, orderId: string, t: Transition) {
  await tx.execute(sql`insert into access_order_events (id, order_id, at, event, from_state, to_state,
      actor_person_id, actor_label, step, reason)
    values (${randomUUID()}, ${orderId}, ${now}::timestamptz, ${t.event}, ${t.from}, ${t.to},
      ${actor.personId}::uuid, ${actor.label}, ${t.step ?? null}, ${t.reason ?? null})`);
}

const EVENT_TEXT: Record<string, [en: string, sv: string]> = {
  submitted: ['was sent', 'har skickats'],
  approved: ['was approved', 'har godkänts'],
  sent_to_it: ['was sent to IT', 'har skickats till IT'],
  rejected: ['was rejected', 'har avslagits'],
  taken: ['is being handled by IT', 'hanteras av IT'],
  fulfilled: ['was fulfilled', 'har utförts'],
  cancelled: ['was cancelled', 'har återkallats'],
};

/** What the notice to the orderer names: the order, its subject, permission and system, their e-mail. */
type NoticeFacts = {
  orderer_person_id: string | null;
  email: string | null;
  number: number;
  kind: string;
  person: string;
  permission: string;
  system: string;
};

/** SQL: the notice facts of the orders in `o` (a table or CTE with the access_orders columns). */
const noticeSql = (from: SQL, where: SQL) => sql`select o.orderer_person_id, op.email, o.number, o.kind,
    ${personName('p')} as person, pe.name as permission, s.name as system
  from ${from} left join persons op on op.id = o.orderer_person_id join persons p on p.id = o.person_id
    join access_permissions pe on pe.id = o.permission_id join systems s on s.id = o.system_id ${where}`;

/** The e-mail to the orderer about an event of their order (A5), or null when there is no one to write to. */
function orderMail(o: NoticeFacts, orderId: string, event: string, reason?: string | null) {
  if (!o.orderer_person_id || !o.email) return null;
  const [en, sv] = EVENT_TEXT[event] ?? [event, event];
  const what = `${o.permission} (${o.system}) — ${o.person}`;
  const kindEn = o.kind === 'revocation' ? 'Revocation' : 'Order';
  const kindSv = o.kind === 'revocation' ? 'Avbeställning' : 'Beställning';
  return {
    to: o.email,
    subject: `${kindEn} ${o.number} ${en} / ${kindSv} ${o.number} ${sv}`,
    body: [
      `${kindEn} ${o.number}: ${what} ${en}.`,
      reason ? `Reason: ${reason}` : '',
      '',
      `${kindSv} ${o.number}: ${what} ${sv}.`,
      reason ? `Skäl: ${reason}` : '',
    ]
      .filter((l, i, a) => l !== '' || (i > 0 && a[i - 1] !== ''))
      .join('\n'),
    meta: { orderId, event },
  };
}

/** The e-mail to the orderer about an event of their order, through the outbox (A5). */
async function mailOrderer(
  tx: Db,
  now: Date,
  o: NoticeFacts,
  orderId: string,
  event: string,
  reason?: string | null,
) {
  const mail = orderMail(o, orderId, event, reason);
  if (mail) await enqueueEmail(tx, now, mail);
}

/** SQL: the in-app notice to the orderer of the order in `o` (nothing when the order has no orderer). */
const noticeInsertSql = (now: Date, event: string) => sql`insert into access_notifications
    (id, person_id, order_id, event, created_at)
  select gen_random_uuid(), o.orderer_person_id, o.id, ${event}, ${now}::timestamptz from o
  where o.orderer_person_id is not null`;

/** The orderer is told at each step: in-app, and by e-mail through the outbox (A5). */
async function notifyOrderer(tx: Db, now: Date, orderId: string, event: string, reason?: string | null) {
  const [o] = await rows<NoticeFacts>(
    tx,
    sql`with o as (select * from access_orders where id = ${orderId}), n as (${noticeInsertSql(now, event)})
      ${noticeSql(sql`o`, sql``)}`,
  );
  if (o) await mailOrderer(tx, now, o, orderId, event, reason);
}

/**
 * The one conditional UPDATE of every state change: it succeeds only while the order is in one of the
 * expected states (and any extra condition holds). Nothing read earlier in JavaScript decides it.
 */
async function transition(
  tx: Db,
  id: string,
  expected: readonly OrderState[],
  set: SQL,
  extra: SQL = sql`true`,
): Promise<(OrderRow & { from_state: OrderState; notice: NoticeFacts }) | null> {
  // The changed row, the state it left (the row is locked first, so that is the state this change
  // replaced, whoever changed it before), and what a notice about it names: one statement.
  const [row] = await rowsPrepared<
    OrderRow & { from_state: OrderState } & Record<
        'n_email' | 'n_person' | 'n_permission' | 'n_system',
        string
      >
  >(
    tx,
    sql`with prev as (select id as prev_id, state as from_state from access_orders where id = ${id} for update),
        o as (update access_orders set ${set}, version = version + 1 from prev
          where id = prev.prev_id and state = any(${pgArray(expected as string[], 'text')}) and ${extra}
          returning access_orders.*, prev.from_state)
        select o.*, op.email as n_email, ${personName('p')} as n_person, pe.name as n_permission, s.name as n_system
        from o left join persons op on op.id = o.orderer_person_id join persons p on p.id = o.person_id
          join access_permissions pe on pe.id = o.permission_id join systems s on s.id = o.system_id`,
  );
  if (!row) return null;
  const { n_email, n_person, n_permission, n_system, ...o } = row;
  const number = Number(o.number);
  return {
    ...o,
    number,
    unit_ids: normaliseArray(o.unit_ids),
    notice: {
      orderer_person_id: o.orderer_person_id,
      email: n_email,
      number,
      kind: o.kind,
      person: n_person,
      permission: n_permission,
      system: n_system,
    },
  };
}

async function failedTransition(db: Db, id: string, action: OrderAction): Promise<never> {
  const o = await orderRow(db, id);
  throw wrongState(o.state, action);
}

/** A4: exactly one permission; several permissions mean several orders. Returns the permission ids named. */
export function assertOnePermission(
  i: Pick<OrderCreate, 'permissionId' | 'permissionIds'> & { kind?: OrderCreate['kind'] },
): string[] {
  const permissionIds = i.permissionIds ?? (i.permissionId ? [i.permissionId] : []);
  if (
    i.permissionId &&
    i.permissionIds &&
    !(i.permissionIds.length === 1 && i.permissionIds[0] === i.permissionId)
  )
    throw fieldRule('A4', [
      {
        field: 'permissionIds',
        message: say('An order names exactly one permission.', 'En beställning gäller exakt en behörighet.'),
      },
    ]);
  if (permissionIds.length !== 1 && i.kind !== 'revocation')
    throw fieldRule('A4', [
      {
        field: permissionIds.length ? 'permissionIds' : 'permissionId',
        message:
          permissionIds.length > 1
            ? say(
                'An order names exactly one permission. Several permissions mean several orders.',
                'En beställning gäller exakt en behörighet. Flera behörigheter kräver flera beställningar.',
              )
            : say('Choose the permission to order.', 'Välj behörigheten som ska beställas.'),
      },
    ]);
  return permissionIds;
}

/**
 * A2's refusal, with the way forward: the other active orderers of the order's units (of the
 * person's own ordering units when it names none), at most five, to ask instead.
 */
export async function selfOrderRefusal(db: Db, personId: string, unitIds: string[]) {
  const others = await rows<{ id: string; name: string }>(
    db,
    sql`select p.id, ${personName('p')} as name from persons p
      where p.status = 'active' and p.id <> ${personId} and exists (select from access_orderers o
        where o.person_id = p.id and o.ended_at is null and o.unit_id = any(${
          unitIds.length
            ? sql`${pgArray(unitIds, 'uuid')}`
            : sql`array(select unit_id from access_orderers where person_id = ${personId} and ended_at is null)`
        }))
      order by p.sort_sv collate "C" limit 5`,
  );
  const names = others.map((o) => o.name).join(', ');
  const title = others.length
    ? say(
        `You cannot order a permission for yourself. Ask another orderer in your unit: ${names}.`,
        `Du kan inte beställa en behörighet åt dig själv. Be en annan beställare i din enhet: ${names}.`,
      )
    : say(
        'You cannot order a permission for yourself. Ask another orderer in your unit.',
        'Du kan inte beställa en behörighet åt dig själv. Be en annan beställare i din enhet.',
      );
  return new AppError(403, 'forbidden', title, { rule: 'A2', orderers: others });
}

/**
 * Every check of an order's content (A2, A3, A4, A6: the person, exactly one permission, the units, the
 * system's form, the expert user's e-mail, the grant a revocation ends), with what writing it needs:
 * the permission's approval steps, the form it is checked against, the names a notice gives, and a new
 * order's number (taken from its sequence now, so the e-mail can be written with the order; a refused
 * order leaves a gap, as a rollback would). Shared by creating an order and editing a saved one.
 */
async function resolveOrder(
  ctx: AppContext,
  args: { actor: Actor; input: OrderCreate; lang?: 'en' | 'sv'; numbered: boolean; db?: Db },
) {
  const i = args.input;
  const permissionIds = assertOnePermission(i);
  const db = args.db ?? ctx.db;
  // A2: never for oneself, whoever asks (the database refuses it too).
  if (args.actor.personId && args.actor.personId === i.personId)
    throw await selfOrderRefusal(db, args.actor.personId, i.unitIds);
  let permissionId: string;
  let unitIds: string[];
  let grantId: string | null = null;
  if (i.kind === 'revocation') {
    await assertActivePerson(db, i.personId);
    if (!i.grantId)
      throw fieldRule('A6', [
        {
          field: 'grantId',
          message: say('Name the grant to revoke.', 'Ange behörigheten som ska avbeställas.'),
        },
      ]);
    const [g] = await rows<{
      person_id: string;
      permission_id: string;
      unit_ids: string[];
      ended_at: unknown;
    }>(
      db,
      sql`select person_id, permission_id, unit_ids, ended_at from access_grants where id = ${i.grantId}`,
    );
    if (!g || g.person_id !== i.personId)
      throw validationError([
        {
          field: 'grantId',
          message: say('This person holds no such grant.', 'Personen har ingen sådan behörighet.'),
        },
      ]);
    if (g.ended_at)
      throw fieldRule('A6', [
        {
          field: 'grantId',
          message: say('This grant has already ended.', 'Behörigheten har redan upphört.'),
        },
      ]);
    if (permissionIds.length && permissionIds[0] !== g.permission_id)
      throw validationError([
        {
          field: 'permissionId',
          message: say('Not the permission of this grant.', 'Inte den behörighet som tilldelningen gäller.'),
        },
      ]);
    permissionId = g.permission_id;
    unitIds = normaliseArray(g.unit_ids);
    grantId = i.grantId;
  } else {
    permissionId = permissionIds[0];
    unitIds = [...new Set(i.unitIds)];
  }
  // Everything the checks and the notice need, in one statement: the person, the permission, the
  // units, the form, the orderer's e-mail, and (for a new order) its number.
  const [facts] = await rowsPrepared<{
    person: { status: string; name: string } | null;
    perm: {
      system_id: string;
      active: boolean;
      approval_steps: ApproverKind[];
      name: string;
      system: string;
    } | null;
    units: number;
    form: FormField[] | null;
    orderer_email: string | null;
    number: number | null;
  }>(
    db,
    sql`select (select json_build_object('status', status, 'name', ${personName('p')}) from persons p
               where p.id = ${i.personId}) as person,
        (select json_build_object('system_id', pe.system_id, 'active', pe.active, 'approval_steps', pe.approval_steps,
            'name', pe.name, 'system', s.name)
           from access_permissions pe join systems s on s.id = pe.system_id where pe.id = ${permissionId}) as perm,
        (select count(*)::int from org_units where id = any(${pgArray(unitIds, 'uuid')})) as units,
        (select f.fields from access_order_forms f join access_permissions pe on pe.system_id = f.system_id
           where pe.id = ${permissionId}) as form,
        (select email from persons where id = ${args.actor.personId}::uuid) as orderer_email,
        ${args.numbered ? sql`nextval(pg_get_serial_sequence('access_orders', 'number'))` : sql`null::bigint`} as number`,
  );
  const person = jsonValue<{ status: string; name: string } | null>(facts.person);
  if (!person) throw validationError([{ field: 'personId', message: NO_PERSON }]);
  if (person.status !== 'active') throw validationError([{ field: 'personId', message: PERSON_LEFT }]);
  const perm = jsonValue<{
    system_id: string;
    active: boolean;
    approval_steps: ApproverKind[];
    name: string;
    system: string;
  } | null>(facts.perm);
  if (!perm)
    throw validationError([
      { field: 'permissionId', message: say('No such permission.', 'Behörigheten finns inte.') },
    ]);
  const errors: FieldError[] = [];
  if (i.kind === 'grant' && !perm.active)
    errors.push({
      field: 'permissionId',
      message: NOT_ORDERABLE,
    });
  if (unitIds.length === 0) throw fieldRule('A4', [{ field: 'unitIds', message: UNITS_NEEDED }]);
  if (Number(facts.units) !== unitIds.length)
    errors.push({
      field: 'unitIds',
      message: say('One of the units does not exist.', 'En av enheterna finns inte.'),
    });
  const form = jsonValue<FormField[] | null>(facts.form) ?? [];
  const email = (i.personEmail ?? '').trim() || null;
  if (i.kind === 'grant') {
    const fieldErrors = checkFields(form, i.fields, args.lang);
    if (fieldErrors.length) throw fieldRule('A4', [...errors, ...fieldErrors]);
    if (i.expertUser && !email)
      throw fieldRule('A3', [
        {
          field: 'personEmail',
          message: EXPERT_EMAIL,
        },
      ]);
  }
  if (email && !EMAIL.test(email))
    errors.push({
      field: 'personEmail',
      message: say('An e-mail address like name@example.org.', 'En e-postadress som namn@exempel.se.'),
    });
  if (i.validUntil && i.validUntil < todayOf(ctx))
    errors.push({
      field: 'validUntil',
      message: say('The last day cannot be in the past.', 'Sista dagen kan inte ha passerat.'),
    });
  if (errors.length) throw validationError(errors);
  const steps = i.kind === 'grant' ? normaliseArray(perm.approval_steps) : [];
  return {
    permissionId,
    unitIds,
    grantId,
    person,
    perm,
    form,
    email,
    steps,
    number: facts.number === null ? null : Number(facts.number),
    ordererEmail: facts.orderer_email,
  };
}

export async function createOrder(
  ctx: AppContext,
  args: { actor: Actor; input: OrderCreate; lang?: 'en' | 'sv' },
) {
  const i = args.input;
  const now = ctx.clock.now();
  const id = randomUUID();
  const { permissionId, unitIds, grantId, person, perm, form, email, steps, ordererEmail, ...r } =
    await resolveOrder(ctx, { ...args, numbered: true });
  const number = Number(r.number);
  // Sent at once: the order is written in the state submitting it gives (the same as creating it and
  // then sending it: both events, both audit events, the notice and the e-mail to the orderer).
  const sent = i.submit ? (steps.length > 0 ? 'awaiting_approval' : 'ready') : null;
  const notice = sent === 'ready' ? 'sent_to_it' : 'submitted';
  const audit: AuditInput[] = [
    {
      action: 'order.create',
      entityType: 'order',
      entityId: id,
      after: { kind: i.kind, personId: i.personId, permissionId, unitIds, grantId },
    },
  ];
  if (sent) audit.push({ action: 'order.submit', entityType: 'order', entityId: id, after: { state: sent } });
  const mail = sent
    ? orderMail(
        {
          orderer_person_id: args.actor.personId,
          email: ordererEmail,
          number,
          kind: i.kind,
          person: person.name,
          permission: perm.name,
          system: perm.system,
        },
        id,
        notice,
      )
    : null;
  const event = (e: string, to: string) => sql`(${randomUUID()}::uuid, ${id}::uuid, ${now}::timestamptz, ${e},
    'draft', ${to}, ${args.actor.personId}::uuid, ${args.actor.label})`;
  // One statement, so one transaction: the order, its events, the audit events, the notice, the e-mail.
  // A2 again: the database refuses an order whose orderer is its subject (access_orders_not_self).
  await guarded(() =>
    rowsPrepared(
      ctx.db,
      sql`with o as (insert into access_orders (id, number, kind, state, person_id, permission_id, system_id,
          unit_ids, form_snapshot, field_values, expert_user, person_email, valid_until, message, approval_steps, grant_id,
          orderer_person_id, orderer_label, created_at, submitted_at)
        overriding system value
        values (${id}, ${number}, ${i.kind}, ${sent ?? 'draft'}, ${i.personId}, ${permissionId},
          ${perm.system_id}, ${pgArray(unitIds, 'uuid')}, ${JSON.stringify(form)}::jsonb,
          ${JSON.stringify(i.kind === 'grant' ? i.fields : {})}::jsonb, ${i.kind === 'grant' && i.expertUser}, ${email},
          ${i.validUntil ?? null}, ${i.message}, ${pgArray(steps, 'text')}, ${grantId}, ${args.actor.personId}::uuid,
          ${args.actor.label}, ${now}::timestamptz, ${sent ? now : null}::timestamptz)
        returning id, orderer_person_id),
      e as (insert into access_order_events (id, order_id, at, event, from_state, to_state, actor_person_id, actor_label)
        values ${event('created', 'draft')}${sent ? sql`, ${event('submitted', sent)}` : sql``}),
      a as (${auditInsertSql(now, args.actor, audit)})
      ${sent ? sql`, n as (${noticeInsertSql(now, notice)})` : sql``}
      ${mail ? sql`, m as (${emailInsertSql(now, mail)})` : sql``}
      select id from o`,
    ),
  );
  return id;
}

/** What editing a saved order can change, as the audit records it before and after. */
const editedColumns = (o: Record<string, unknown>) => ({
  personId: o.person_id,
  permissionId: o.permission_id,
  unitIds: normaliseArray(o.unit_ids),
  fields: o.field_values,
  expertUser: o.expert_user,
  personEmail: o.person_email,
  validUntil: o.valid_until === null ? null : String(o.valid_until).slice(0, 10),
  message: o.message,
});

/**
 * A saved order changed before it is sent (A4): the same checks as a new order, against the system's
 * order form as it is now (an unsent order takes the current form; sent orders keep theirs). Only a
 * saved grant order, at the version the caller read; with `submit`, it is sent in the same transaction.
 */
export async function editOrder(
  ctx: AppContext,
  args: { actor: Actor; id: string; ifVersion: number; input: OrderEdit; lang?: 'en' | 'sv' },
) {
  const now = ctx.clock.now();
  const { submit, ...content } = args.input;
  await guarded(() =>
    ctx.db.transaction(async (tx) => {
      // Locked first, so a send or a withdrawal of the same order waits for this edit (or this waits
      // for it), and the state and version are judged before the content.
      const [before] = await rows<OrderRow>(
        tx,
        sql`select * from access_orders where id = ${args.id} for update`,
      );
      if (!before) throw notFound('The order');
      if (before.state !== 'draft') throw wrongState(before.state, 'edited');
      if (before.kind !== 'grant') throw revocationNotEdited();
      if (Number(before.version) !== args.ifVersion) throw preconditionFailed();
      // Every check of a new order, against the form, permission and person as they are now.
      const r = await resolveOrder(ctx, {
        actor: args.actor,
        input: { ...content, kind: 'grant', submit: false },
        lang: args.lang,
        numbered: false,
        db: tx,
      });
      const [after] = await rows<Record<string, unknown>>(
        tx,
        sql`update access_orders set person_id = ${content.personId}, permission_id = ${r.permissionId},
            system_id = ${r.perm.system_id}, unit_ids = ${pgArray(r.unitIds, 'uuid')},
            form_snapshot = ${JSON.stringify(r.form)}::jsonb, field_values = ${JSON.stringify(content.fields)}::jsonb,
            expert_user = ${content.expertUser}, person_email = ${r.email}, valid_until = ${content.validUntil ?? null},
            message = ${content.message}, approval_steps = ${pgArray(r.steps, 'text')}, version = version + 1
          where id = ${args.id} and state = 'draft' and version = ${args.ifVersion}
          returning *`,
      );
      await recordEvent(tx, now, args.actor, args.id, { event: 'edited', from: 'draft', to: 'draft' });
      await recordAudit(tx, now, args.actor, {
        action: 'order.update',
        entityType: 'order',
        entityId: args.id,
        before: editedColumns(before as unknown as Record<string, unknown>),
        after: editedColumns(after),
      });
      if (submit) await submitIn(tx, now, args.actor, args.id);
    }),
  );
}

/** draft → awaiting_approval (when the permission has approval steps) or ready (sent to IT). */
async function submitIn(tx: Db, now: Date, actor: Actor, id: string) {
  const row = await transition(
    tx,
    id,
    ['draft'],
    sql`state = case when cardinality(approval_steps) > 0 then 'awaiting_approval' else 'ready' end,
        submitted_at = ${now}::timestamptz`,
    // A2 again: whoever sends it is never its subject.
    actor.personId ? sql`person_id <> ${actor.personId}::uuid` : sql`true`,
  );
  if (!row) return failedTransition(tx, id, 'sent');
  await recordEvent(tx, now, actor, id, { event: 'submitted', from: 'draft', to: row.state });
  await recordAudit(tx, now, actor, {
    action: 'order.submit',
    entityType: 'order',
    entityId: id,
    after: { state: row.state },
  });
  await notifyOrderer(tx, now, id, row.state === 'ready' ? 'sent_to_it' : 'submitted');
  return row;
}

export async function submitOrder(ctx: AppContext, args: { actor: Actor; id: string }) {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    await refreshDraft(tx, now, args.actor, args.id);
    await submitIn(tx, now, args.actor, args.id);
  });
}

/**
 * A saved order, when it is sent, is judged as it would be made now (A4): its person still active,
 * its permission still orderable, and the system's order form and the permission's approval steps as
 * they are now (a sent order keeps its own). Values of fields the form no longer has are dropped; a
 * mandatory field it lacks refuses the sending, naming the field. What changes is written and audited
 * in the sending's transaction. Orders that are not saved grant orders are left to the transition.
 */
async function refreshDraft(tx: Db, now: Date, actor: Actor, id: string) {
  const [o] = await rows<{
    kind: string;
    state: string;
    values: unknown;
    snapshot: unknown;
    steps: unknown;
    form: unknown;
    person_status: string;
    perm_active: boolean;
    perm_steps: unknown;
  }>(
    tx,
    sql`select o.kind, o.state, o.field_values as values, o.form_snapshot as snapshot, o.approval_steps as steps,
          f.fields as form, p.status as person_status, pe.active as perm_active, pe.approval_steps as perm_steps
        from access_orders o join persons p on p.id = o.person_id
          join access_permissions pe on pe.id = o.permission_id
          left join access_order_forms f on f.system_id = o.system_id
        where o.id = ${id} for update of o`,
  );
  if (o?.state !== 'draft' || o.kind !== 'grant') return;
  if (o.person_status !== 'active') throw validationError([{ field: 'personId', message: PERSON_LEFT }]);
  if (!o.perm_active) throw validationError([{ field: 'permissionId', message: NOT_ORDERABLE }]);
  const form = jsonValue<FormField[] | null>(o.form) ?? [];
  const snapshot = jsonValue<FormField[] | null>(o.snapshot) ?? [];
  const saved = jsonValue<Record<string, string> | null>(o.values) ?? {};
  const steps = normaliseArray(o.perm_steps);
  const keys = new Set(form.map((f) => f.key));
  const values = Object.fromEntries(Object.entries(saved).filter(([k]) => keys.has(k)));
  const errors = checkFields(form, values);
  if (errors.length)
    throw new AppError(
      400,
      'validation',
      say(
        `The system's order form has changed since this order was saved: ${errors.map((e) => inLanguage(e.message, 'en')).join(' ')} Change the order, then send it.`,
        `Systemets beställningsformulär har ändrats sedan beställningen sparades: ${errors.map((e) => inLanguage(e.message, 'sv')).join(' ')} Ändra beställningen och skicka den sedan.`,
      ),
      { errors, rule: 'A4' },
    );
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const oldSteps = normaliseArray(o.steps);
  if (same(form, snapshot) && same(values, saved) && same(steps, oldSteps)) return;
  await tx.execute(
    sql`update access_orders set form_snapshot = ${JSON.stringify(form)}::jsonb,
        field_values = ${JSON.stringify(values)}::jsonb, approval_steps = ${pgArray(steps, 'text')}
        where id = ${id}`,
  );
  await recordAudit(tx, now, actor, {
    action: 'order.update',
    entityType: 'order',
    entityId: id,
    before: { fields: saved, formFields: snapshot.map((f) => f.key), approvalSteps: oldSteps },
    after: { fields: values, formFields: form.map((f) => f.key), approvalSteps: steps },
  });
}

export async function cancelOrder(ctx: AppContext, args: { actor: Actor; id: string }) {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const row = await transition(
      tx,
      args.id,
      ['draft', 'awaiting_approval', 'ready'],
      sql`state = 'cancelled', closed_at = ${now}::timestamptz`,
    );
    if (!row) return failedTransition(tx, args.id, 'cancelled');
    await recordEvent(tx, now, args.actor, args.id, {
      event: 'cancelled',
      from: row.from_state,
      to: 'cancelled',
    });
    await recordAudit(tx, now, args.actor, {
      action: 'order.cancel',
      entityType: 'order',
      entityId: args.id,
    });
  });
}

/** A5: the approver of the current step approves; after the last step the order goes to IT. */
export async function approveOrder(
  ctx: AppContext,
  args: { actor: Actor; id: string; step: number; reason?: string | null },
) {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const row = await transition(
      tx,
      args.id,
      ['awaiting_approval'],
      sql`approval_step = approval_step + 1,
          state = case when approval_step + 1 >= cardinality(approval_steps) then 'ready' else 'awaiting_approval' end`,
      sql`approval_step = ${args.step} and person_id <> ${args.actor.personId ?? randomUUID()}::uuid`,
    );
    if (!row) return failedTransition(tx, args.id, 'approved');
    await recordEvent(tx, now, args.actor, args.id, {
      event: 'approved',
      from: 'awaiting_approval',
      to: row.state,
      step: args.step,
      reason: args.reason ?? null,
    });
    await recordAudit(tx, now, args.actor, {
      action: 'order.approve',
      entityType: 'order',
      entityId: args.id,
      after: { step: args.step, state: row.state },
    });
    await notifyOrderer(tx, now, args.id, row.state === 'ready' ? 'sent_to_it' : 'approved');
  });
}

/** A5: rejected by an approver (while awaiting approval) or by IT (once sent); a reason is required. */
export async function rejectOrder(
  ctx: AppContext,
  args: { actor: Actor; id: string; from: OrderState; reason: string },
) {
  const now = ctx.clock.now();
  await guarded(() =>
    ctx.db.transaction(async (tx) => {
      const row = await transition(
        tx,
        args.id,
        [args.from],
        sql`state = 'rejected', reason = ${args.reason}, decided_by_label = ${args.actor.label},
            closed_at = ${now}::timestamptz`,
      );
      if (!row) return failedTransition(tx, args.id, 'rejected');
      await recordEvent(tx, now, args.actor, args.id, {
        event: 'rejected',
        from: args.from,
        to: 'rejected',
        step: args.from === 'awaiting_approval' ? row.approval_step : null,
        reason: args.reason,
      });
      await recordAudit(tx, now, args.actor, {
        action: 'order.reject',
        entityType: 'order',
        entityId: args.id,
        after: { reason: args.reason },
      });
      await notifyOrderer(tx, now, args.id, 'rejected', args.reason);
    }),
  );
}

/** IT takes a sent order (ready → in_progress). */
export async function takeOrder(ctx: AppContext, args: { actor: Actor; id: string }) {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const row = await transition(
      tx,
      args.id,
      ['ready'],
      sql`state = 'in_progress', taken_by_person_id = ${args.actor.personId}::uuid, decided_by_label = ${args.actor.label}`,
    );
    if (!row) return failedTransition(tx, args.id, 'taken');
    await recordEvent(tx, now, args.actor, args.id, { event: 'taken', from: 'ready', to: 'in_progress' });
    await recordAudit(tx, now, args.actor, { action: 'order.take', entityType: 'order', entityId: args.id });
    await notifyOrderer(tx, now, args.id, 'taken');
  });
}

/**
 * A5/A6: IT fulfils a sent order. One conditional UPDATE moves it to fulfilled; only the request that
 * made that change creates the grant (or ends it, for a revocation), so concurrent fulfils succeed once.
 */
export async function fulfilOrder(ctx: AppContext, args: { actor: Actor; id: string }) {
  try {
    return await fulfilInTransaction(ctx, args);
  } catch (err) {
    // L2: the order stays open; its history says why it could not be fulfilled, so IT waits for licences.
    if (err instanceof AppError && err.extra.rule === 'L2') await recordLicenceShortage(ctx, args, err);
    throw err;
  }
}

/** The refused fulfilment in the order's history ("no free licence: Case, 2 of 2"), audited with it. */
async function recordLicenceShortage(ctx: AppContext, args: { actor: Actor; id: string }, err: AppError) {
  const now = ctx.clock.now();
  const { module, used, size } = err.extra as { module?: string; used?: number; size?: number };
  const reason = `${module ?? ''}: ${used ?? '?'}/${size ?? '?'}`;
  await ctx.db.transaction(async (tx) => {
    const [o] = await rows<{ state: OrderState }>(
      tx,
      sql`select state from access_orders where id = ${args.id} for update`,
    );
    if (!o || (o.state !== 'ready' && o.state !== 'in_progress')) return;
    await recordEvent(tx, now, args.actor, args.id, {
      event: 'licences_short',
      from: o.state,
      to: o.state,
      reason,
    });
    await recordAudit(tx, now, args.actor, {
      action: 'order.licences-short',
      entityType: 'order',
      entityId: args.id,
      after: { rule: 'L2', module: module ?? null, used: used ?? null, size: size ?? null },
    });
  });
}

async function fulfilInTransaction(ctx: AppContext, args: { actor: Actor; id: string }) {
  const now = ctx.clock.now();
  const today = todayOf(ctx);
  return ctx.db.transaction(async (tx) => {
    const row = await transition(
      tx,
      args.id,
      ['ready', 'in_progress'],
      sql`state = 'fulfilled', decided_by_label = ${args.actor.label}, closed_at = ${now}::timestamptz`,
      // An order someone else has taken is theirs to finish.
      sql`(taken_by_person_id is null or taken_by_person_id = ${args.actor.personId ?? randomUUID()}::uuid)`,
    );
    if (!row) {
      const o = await orderRow(tx, args.id);
      if (o.state === 'in_progress')
        throw wrongState('in_progress', 'fulfilled by you: someone else has taken it');
      throw wrongState(o.state, 'fulfilled');
    }
    let grantId: string;
    let grantSql = sql``;
    if (row.kind === 'grant') {
      // L2: the modules the permission includes must have a free licence (the pool rows stay locked).
      const [perm] = await tx
        .select({ modules: accessPermissions.modules })
        .from(accessPermissions)
        .where(eq(accessPermissions.id, row.permission_id));
      await reserveModuleLicences(tx, {
        personId: row.person_id,
        systemId: row.system_id,
        modules: perm.modules,
      });
      grantId = randomUUID();
      // The grant (its account type is the permission's), the order pointing at it and, for an
      // expert-user order (A3), the person recorded as expert user of the system for its units.
      grantSql = sql`, g as (insert into access_grants (id, person_id, permission_id, system_id, unit_ids, account_type,
          expert_user, order_id, valid_from, valid_until, created_at)
        select ${grantId}, o.person_id, o.permission_id, o.system_id, o.unit_ids, pe.account_type, o.expert_user, o.id,
          ${today}::date, o.valid_until, ${now}::timestamptz
        from o join access_permissions pe on pe.id = o.permission_id),
        og as (update access_orders set grant_id = ${grantId} where id = ${row.id})
        ${
          row.expert_user
            ? sql`, x as (insert into access_expert_users (id, person_id, unit_id, system_id, order_id, created_at)
          select gen_random_uuid(), ${row.person_id}::uuid, u, ${row.system_id}::uuid, ${row.id}::uuid, ${now}::timestamptz
          from unnest(${pgArray(row.unit_ids, 'uuid')}) as u
          on conflict do nothing)`
            : sql``
        }`;
    } else {
      grantId = row.grant_id!;
      const ended = await rows(
        tx,
        sql`update access_grants set ended_at = ${now}::timestamptz, ended_on = ${today}::date,
            ended_by_order_id = ${row.id} where id = ${grantId} and ended_at is null returning id`,
      );
      if (!ended.length) throw wrongState('ended', 'revoked again');
    }
    // One statement: the grant, the order's event, the audit events, the notice and e-mail to the orderer.
    const mail = orderMail(row.notice, args.id, 'fulfilled');
    await rowsPrepared(
      tx,
      sql`with o as (select * from access_orders where id = ${row.id})${grantSql},
        e as (insert into access_order_events (id, order_id, at, event, from_state, to_state, actor_person_id, actor_label)
          values (${randomUUID()}, ${row.id}, ${now}::timestamptz, 'fulfilled', ${row.from_state}, 'fulfilled',
            ${args.actor.personId}::uuid, ${args.actor.label})),
        a as (${auditInsertSql(now, args.actor, [
          {
            action: row.kind === 'grant' ? 'order.fulfil' : 'order.fulfil-revocation',
            entityType: 'order',
            entityId: args.id,
            after: { grantId },
          },
          {
            action: row.kind === 'grant' ? 'grant.create' : 'grant.end',
            entityType: 'grant',
            entityId: grantId,
            after: { orderId: row.id, personId: row.person_id, permissionId: row.permission_id },
          },
        ])}),
        n as (${noticeInsertSql(now, 'fulfilled')})
        ${mail ? sql`, m as (${emailInsertSql(now, mail)})` : sql``}
      select 1`,
    );
    return { grantId };
  });
}

/**
 * A6/G10: a person who leaves gets a revocation order for every active grant, straight to IT. Called by
 * the org service inside the transaction that marks them as left (single leave and HR import).
 */
export async function revokeGrantsOfLeavers(tx: Db, now: Date, actor: Actor, personIds: string[]) {
  if (!personIds.length) return 0;
  const created = await rows<{ id: string; grant_id: string; person_id: string }>(
    tx,
    sql`insert into access_orders (id, kind, state, person_id, permission_id, system_id, unit_ids, form_snapshot,
          field_values, message, grant_id, orderer_person_id, orderer_label, created_at, submitted_at)
        select gen_random_uuid(), 'revocation', 'ready', g.person_id, g.permission_id, g.system_id, g.unit_ids,
          '[]'::jsonb, '{}'::jsonb, 'The person has left the organisation.', g.id, null,
          ${`Steward (${actor.label})`}, ${now}::timestamptz, ${now}::timestamptz
        from access_grants g
        where g.person_id = any(${pgArray(personIds, 'uuid')}) and g.ended_at is null
          and not exists (select 1 from access_orders o where o.grant_id = g.id and o.kind = 'revocation'
                          and o.state in ('draft','awaiting_approval','ready','in_progress'))
        returning id, grant_id, person_id`,
  );
  if (!created.length) return 0;
  await tx.execute(sql`insert into access_order_events (id, order_id, at, event, from_state, to_state, actor_person_id,
      actor_label, reason)
    select gen_random_uuid(), o, ${now}::timestamptz, 'submitted', 'draft', 'ready', null, ${`Steward (${actor.label})`},
      'The person has left the organisation.'
    from unnest(${pgArray(
      created.map((c) => c.id),
      'uuid',
    )}) as o`);
  const audit: AuditInput[] = created.map((c) => ({
    action: 'order.create-leaver-revocation',
    entityType: 'order',
    entityId: c.id,
    after: { kind: 'revocation', grantId: c.grant_id, personId: c.person_id, reason: 'left' },
  }));
  await recordAuditMany(tx, now, actor, audit);
  return created.length;
}

// ---- reading orders -------------------------------------------------------------------------------

/**
 * The units of an array of unit ids, as JSON [{id, name}] by name. Each id is looked up by its key
 * (OFFSET 0 keeps it a keyed lookup per id: as a join or "u.id = any(ids)" the planner scanned all of
 * org_units for every row, ~40 µs a row with 500 units). Most grants and orders apply to one unit:
 * that one is read without the distinct and the sort.
 */
const unitsJson = (ids: SQL) => sql`case when cardinality(${ids}) = 1
    then coalesce((select json_build_array(json_build_object('id', u.id, 'name', u.name)) from org_units u
      where u.id = (${ids})[1]), '[]')
    else coalesce((select json_agg(json_build_object('id', u.id, 'name', u.name) order by u.name)
      from (select distinct unnest(${ids}) as id) x, lateral (select u.id, u.name from org_units u where u.id = x.id offset 0) u),
      '[]') end`;

const orderColumns = sql`o.id, o.number, o.kind, o.state, o.unit_ids, o.orderer_label, o.orderer_person_id,
  o.created_at, o.submitted_at, o.closed_at,
  p.id as person_id, ${personName('p')} as person_name, p.status as person_status,
  pe.id as permission_id, pe.name as permission_name, pe.account_type,
  s.id as system_id, s.name as system_name, s.short_name,
  ${unitsJson(sql`o.unit_ids`)} as units`;
const orderFrom = sql`access_orders o join persons p on p.id = o.person_id
  join access_permissions pe on pe.id = o.permission_id join systems s on s.id = o.system_id`;

function presentSummary(r: any) {
  return {
    id: r.id,
    number: Number(r.number),
    kind: r.kind,
    state: r.state,
    person: { id: r.person_id, displayName: r.person_name, status: r.person_status },
    permission: { id: r.permission_id, name: r.permission_name, accountType: r.account_type },
    system: { id: r.system_id, name: r.system_name, shortName: r.short_name },
    units: typeof r.units === 'string' ? JSON.parse(r.units) : r.units,
    orderer: r.orderer_label,
    ordererPersonId: r.orderer_person_id,
    createdAt: iso(r.created_at)!,
    submittedAt: iso(r.submitted_at),
    closedAt: iso(r.closed_at),
    waitingForLicences: r.waiting_for_licences === true,
  };
}

/** L2: the order's latest event is a fulfilment refused for want of licences (for lists). */
const waitingForLicencesSql = sql`coalesce((select e.event = 'licences_short' from access_order_events e
  where e.order_id = o.id order by e.seq desc limit 1), false) as waiting_for_licences`;

/**
 * One order with its history and what the caller may do. Without `facts`, the facts about the caller
 * are read in the same statement (as orderFacts reads them).
 */
export async function getOrder(ctx: AppContext, actor: Actor, id: string, given?: AccessFact[]) {
  const [r] = await rowsPrepared<any>(
    ctx.db,
    sql`select ${orderColumns}, o.form_snapshot, o.field_values, o.expert_user, o.person_email, o.valid_until,
          o.message, o.approval_steps, o.approval_step, o.grant_id, o.reason, o.version,
          (select ${personName('t')} from persons t where t.id = o.taken_by_person_id) as taken_by,
          o.taken_by_person_id,
          (select coalesce(json_agg(json_build_object('id', e.id, 'at', e.at, 'event', e.event,
              'from_state', e.from_state, 'to_state', e.to_state, 'actor_label', e.actor_label, 'step', e.step,
              'reason', e.reason) order by e.seq), '[]') from access_order_events e where e.order_id = o.id) as events
          ${given ? sql`` : sql`, ${factColumns(actor.personId, todayOf(ctx))}`}
        from ${orderFrom} where o.id = ${id}`,
  );
  if (!r) throw notFound('The order');
  const facts = given ?? factsOf(r, r, actor.personId);
  const json = jsonValue<any>;
  const events: any[] = json(r.events);
  const isAdmin = actor.roles.includes('administrator');
  const mine = actor.personId !== null && r.orderer_person_id === actor.personId;
  const it = isAdmin || facts.includes('itStaff');
  const takenByOther = r.taken_by_person_id && r.taken_by_person_id !== actor.personId;
  return {
    ...presentSummary(r),
    waitingForLicences: events.at(-1)?.event === 'licences_short',
    formSnapshot: json(r.form_snapshot),
    fieldValues: json(r.field_values),
    expertUser: r.expert_user,
    personEmail: r.person_email,
    validUntil: r.valid_until ? String(r.valid_until).slice(0, 10) : null,
    message: r.message,
    approvalSteps: normaliseArray(r.approval_steps) as ApproverKind[],
    approvalStep: r.approval_step,
    approvers: r.state === 'awaiting_approval' ? await approversOf(ctx.db, r.id, todayOf(ctx)) : [],
    grantId: r.grant_id,
    takenBy: r.taken_by,
    reason: r.reason,
    version: r.version,
    events: events.map((e) => ({
      id: e.id,
      at: iso(e.at)!,
      event: e.event,
      fromState: e.from_state,
      toState: e.to_state,
      actor: e.actor_label,
      step: e.step,
      reason: e.reason,
    })),
    can: {
      submit: r.state === 'draft' && (mine || isAdmin) && r.person_id !== actor.personId,
      edit: r.state === 'draft' && r.kind === 'grant' && (mine || isAdmin) && r.person_id !== actor.personId,
      cancel: ['draft', 'awaiting_approval', 'ready'].includes(r.state) && (mine || isAdmin),
      approve:
        r.state === 'awaiting_approval' && facts.includes('approver') && r.person_id !== actor.personId,
      take: r.state === 'ready' && it,
      fulfil: (r.state === 'ready' || (r.state === 'in_progress' && !takenByOther)) && it,
      reject:
        (r.state === 'awaiting_approval' && facts.includes('approver')) ||
        ((r.state === 'ready' || (r.state === 'in_progress' && !takenByOther)) && it),
    },
  };
}

/** A5: who decides an order's current approval step (the units' heads, or the system's owners), by name. */
async function approversOf(db: Db, orderId: string, today: string): Promise<string[]> {
  const found = await rows<{ name: string }>(
    db,
    sql`select distinct ${personName('p')} as name from access_orders o join systems s on s.id = o.system_id
        join persons p on ${decidesStepSql(sql`p.id`, today)}
        where o.id = ${orderId} and p.status = 'active' order by 1`,
  );
  return found.map((f) => f.name);
}

/**
 * A5: the person (an id, or an SQL expression of one) decides the current approval step of order `o`
 * (system `s`): as head of one of its units, or as the system's owner, on `today`. Never for themselves.
 */
const decidesStepSql = (person: string | SQL, today: string) => sql`(
  (o.approval_steps[o.approval_step + 1] = 'unit_head' and exists (select 1 from unnest(o.unit_ids) hu(id)
     where ${headOfSql(sql`hu.id`, person, today)}))
  or (o.approval_steps[o.approval_step + 1] = 'system_owner' and exists (select 1 from role_assignments a
     where a.object_id = s.governance_object_id and a.person_id = ${person}::uuid and a.role = 'system_owner'
       and a.valid_from <= ${today}::date and (a.valid_until is null or a.valid_until >= ${today}::date))))
  and o.person_id <> ${person}::uuid`;

/** The orders awaiting approval whose current step this person decides. */
const approvalQueueSql = (personId: string, today: string) =>
  sql`o.state = 'awaiting_approval' and ${decidesStepSql(personId, today)}`;

export type OrderListFilter = {
  scope: 'mine' | 'approval' | 'fulfilment' | 'all';
  state?: OrderState;
  kind?: OrderKind;
  personId?: string;
  systemId?: string;
  q?: string;
};

/** The conditions of an order list: its scope for the caller and its filters. */
async function orderConditions(ctx: AppContext, actor: Actor, q: OrderListFilter) {
  const today = todayOf(ctx);
  const me = actor.personId ?? randomUUID();
  const conds: SQL[] = [];
  if (q.scope === 'mine') conds.push(sql`o.orderer_person_id = ${me}`);
  if (q.scope === 'approval') conds.push(approvalQueueSql(me, today));
  if (q.scope === 'fulfilment') {
    conds.push(sql`o.state in ('ready','in_progress')`);
    if (!actor.roles.includes('administrator')) {
      const mine = await itStaffSystems(ctx.db, actor.personId, today);
      conds.push(sql`o.system_id = any(${pgArray(mine, 'uuid')})`);
    }
  }
  if (q.state) conds.push(sql`o.state = ${q.state}`);
  if (q.kind) conds.push(sql`o.kind = ${q.kind}`);
  if (q.personId) conds.push(sql`o.person_id = ${q.personId}`);
  if (q.systemId) conds.push(sql`o.system_id = ${q.systemId}`);
  if (q.q) {
    const like = `%${normaliseQuery(q.q).replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    conds.push(sql`(p.search_text like ${like} or lower(pe.name) like ${like} or lower(s.name) like ${like}
      or o.number::text = ${q.q.trim()})`);
  }
  return conds;
}

export async function listOrders(
  ctx: AppContext,
  actor: Actor,
  q: OrderListFilter & { limit: number; cursor?: string },
) {
  const conds = await orderConditions(ctx, actor, q);
  const fulfilment = q.scope === 'fulfilment';
  if (q.cursor) {
    const c = Number(q.cursor);
    if (!Number.isInteger(c)) throw validationError([{ field: 'cursor', message: BAD_CURSOR }]);
    conds.push(fulfilment ? sql`o.number > ${c}` : sql`o.number < ${c}`);
  }
  const where = conds.length ? sql`where ${sql.join(conds, sql` and `)}` : sql``;
  const found = await rows<any>(
    ctx.db,
    sql`select ${orderColumns}, ${waitingForLicencesSql} from ${orderFrom} ${where}
        order by o.number ${fulfilment ? sql`asc` : sql`desc`} limit ${q.limit + 1}`,
  );
  const page = found.slice(0, q.limit);
  return {
    items: page.map(presentSummary),
    nextCursor: found.length > q.limit ? String(page[page.length - 1].number) : null,
  };
}

export const ORDER_EXPORT_COLUMNS = [
  ['number', 'Number', 'Nummer'],
  ['kind', 'Kind', 'Typ'],
  ['state', 'State', 'Status'],
  ['person', 'Person', 'Person'],
  ['system', 'System', 'System'],
  ['permission', 'Permission', 'Behörighet'],
  ['account_type', 'Account type', 'Kontotyp'],
  ['units', 'Units', 'Enheter'],
  ['orderer', 'Orderer', 'Beställare'],
  ['created_at', 'Created', 'Skapad'],
  ['submitted_at', 'Sent', 'Skickad'],
  ['closed_at', 'Closed', 'Avslutad'],
] as const;

/** Exactly the orders of a list (every page, in its order), as rows of ORDER_EXPORT_COLUMNS. */
export async function exportOrderRows(ctx: AppContext, actor: Actor, q: OrderListFilter) {
  const conds = await orderConditions(ctx, actor, q);
  const where = conds.length ? sql`where ${sql.join(conds, sql` and `)}` : sql``;
  const found = await rows<any>(
    ctx.db,
    sql`select ${orderColumns} from ${orderFrom} ${where}
        order by o.number ${q.scope === 'fulfilment' ? sql`asc` : sql`desc`} limit 100000`,
  );
  return found
    .map(presentSummary)
    .map((o) => [
      o.number,
      o.kind,
      o.state,
      o.person.displayName,
      o.system.name,
      o.permission.name,
      o.permission.accountType,
      o.units.map((u: { name: string }) => u.name).join('; '),
      o.orderer,
      o.createdAt,
      o.submittedAt ?? '',
      o.closedAt ?? '',
    ]);
}

export async function exportOrdersCsv(ctx: AppContext, actor: Actor, q: OrderListFilter) {
  return stringify(await exportOrderRows(ctx, actor, q), {
    header: true,
    columns: ORDER_EXPORT_COLUMNS.map((c) => c[0]),
  });
}

export async function exportOrdersXlsx(ctx: AppContext, actor: Actor, q: OrderListFilter, lang: 'en' | 'sv') {
  return exportWorkbook(
    { en: 'Orders', sv: 'Beställningar' },
    ORDER_EXPORT_COLUMNS,
    await exportOrderRows(ctx, actor, q),
    lang,
  );
}

// ---- grants register (G10) -------------------------------------------------------------------------

/**
 * The LIKE patterns of a search: one per word (at most five). g.search_text is the holder's search
 * text, the permission name lower-cased and the system's search text joined by spaces (migration
 * 0011); a word holds no space, so `g.search_text like '%word%'` matches exactly when one of the
 * three does.
 */
function searchPatterns(q: string | undefined): string[] {
  if (!q) return [];
  return normaliseQuery(q)
    .split(' ')
    .filter(Boolean)
    .slice(0, 5)
    .map((word) => `%${word.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
}

function grantConditions(f: GrantFilter, today: string): SQL[] {
  const conds: SQL[] = [];
  if (f.status === 'active') conds.push(sql`g.ended_at is null`);
  if (f.status === 'ended') conds.push(sql`g.ended_at is not null`);
  if (f.personId) conds.push(sql`g.person_id = ${f.personId}`);
  if (f.systemId) conds.push(sql`g.system_id = ${f.systemId}`);
  if (f.unitId) conds.push(sql`g.unit_ids @> array[${f.unitId}::uuid]`);
  if (f.accountType) conds.push(sql`g.account_type = ${f.accountType}`);
  if (f.expiringWithinDays !== undefined)
    conds.push(sql`g.ended_at is null and g.valid_until is not null
      and g.valid_until <= ${today}::date + ${f.expiringWithinDays}::int`);
  if (f.personLeft) conds.push(f.personLeft === 'true' ? sql`p.status = 'left'` : sql`p.status = 'active'`);
  for (const like of searchPatterns(f.q)) conds.push(sql`g.search_text like ${like}`);
  return conds;
}

const grantColumns = sql`g.id, g.account_type, g.expert_user, g.valid_from, g.valid_until, g.ended_on,
  p.id as person_id, ${personName('p')} as person_name, p.status as person_status, g.person_sort,
  pe.id as permission_id, pe.name as permission_name, s.id as system_id, s.name as system_name, s.short_name,
  (select number from access_orders x where x.id = g.order_id) as order_number, g.order_id,
  g.ended_by_order_id, (select number from access_orders x where x.id = g.ended_by_order_id) as ended_by_number,
  (select json_build_object('id', x.id, 'number', x.number) from access_orders x where x.grant_id = g.id
     and x.kind = 'revocation' and x.state in ('draft','awaiting_approval','ready','in_progress') limit 1) as open_revocation,
  ${unitsJson(sql`g.unit_ids`)} as units`;

/** The grants (access_grants, or a page of its rows) as g, with their holder, permission and system. */
const grantsFrom = (grants: SQL = sql`access_grants`) => sql`${grants} g join persons p on p.id = g.person_id
  join access_permissions pe on pe.id = g.permission_id join systems s on s.id = g.system_id`;
const grantFrom = grantsFrom();

const dateText = (v: unknown) => (v ? (v instanceof Date ? v.toISOString() : String(v)).slice(0, 10) : null);

function presentGrant(r: any) {
  const json = jsonValue<any>;
  return {
    id: r.id,
    person: { id: r.person_id, displayName: r.person_name, status: r.person_status },
    permission: { id: r.permission_id, name: r.permission_name },
    system: { id: r.system_id, name: r.system_name, shortName: r.short_name },
    units: json(r.units),
    accountType: r.account_type as AccountType,
    expertUser: r.expert_user,
    validFrom: dateText(r.valid_from)!,
    validUntil: dateText(r.valid_until),
    endedOn: dateText(r.ended_on),
    order: r.order_id ? { id: r.order_id, number: Number(r.order_number) } : null,
    endedByOrder: r.ended_by_order_id ? { id: r.ended_by_order_id, number: Number(r.ended_by_number) } : null,
    openRevocation: r.open_revocation
      ? { id: json(r.open_revocation).id, number: Number(json(r.open_revocation).number) }
      : null,
  };
}

type GrantCursor = { k: string; id: string };
function decodeGrantCursor(s: string): GrantCursor {
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    if (typeof c.k === 'string' && typeof c.id === 'string' && /^[0-9a-f-]{36}$/.test(c.id)) return c;
  } catch {}
  throw validationError([{ field: 'cursor', message: BAD_CURSOR }]);
}

/**
 * One page of the register (`limit` rows at most), in the holder's order (g.person_sort, kept equal to
 * p.sort_sv by triggers, migration 0011: the order walks one index of access_grants).
 *
 * Without a search: one prepared statement (planned once per connection). With one: grantSearchRows.
 */
export async function grantPageRows(ctx: AppContext, f: GrantFilter & { cursor?: string }, limit: number) {
  const conds = grantConditions({ ...f, q: undefined }, todayOf(ctx));
  const cursor = f.cursor ? decodeGrantCursor(f.cursor) : undefined;
  if (cursor)
    conds.push(sql`(g.person_sort collate "C", g.id) > (${cursor.k} collate "C", ${cursor.id}::uuid)`);
  if (searchPatterns(f.q).length)
    return grantSearchRows(ctx, f.q, conds, cursor, limit, f.status === 'active');
  const where = conds.length ? sql`where ${sql.join(conds, sql` and `)}` : sql``;
  return rowsPrepared<any>(
    ctx.db,
    sql`select ${grantColumns} from ${grantFrom} ${where}
      order by g.person_sort collate "C", g.id limit ${limit}`,
  );
}

/** How many active grants, in the register's order, a search walks looking for its permission or system words. */
const VIA_WALK = 2000;

/**
 * A search's page. A search is driven by its first word through two routes whose union is exactly
 * the grants that word matches; the other words filter g.search_text. Each route gives its first
 * `limit` grants in the register's order, and the page is the first `limit` of them together:
 *
 * - holders whose search text matches: the first `limit` of them in name order (a trigram lookup in
 *   persons and a top-N sort, so a family name clustered in the alphabet costs no index walk, and a
 *   common word no full sort), then their grants in order. Only when those holders hold fewer than
 *   `limit` matching grants, and more holders match, are the holders after them needed;
 * - grants of the permissions and systems that match. Such a word usually matches many grants (a
 *   role such as "reader", a system's name), so the register's order is walked (index-only:
 *   access_grants_sort_idx includes both ids, migration 0018) for at most VIA_WALK active grants,
 *   keeping the first `limit` that match: exact, as the walk is a prefix of the order. When the walk
 *   finds fewer (few grants match, or a filter other than "active"), another statement is needed.
 *
 * The first statement does both routes, the lookup of the permissions and systems, and, when neither
 * route needs another statement (as for most searches), reads the page's rows: one round trip. It is
 * prepared and keeps one plan for every word (see below). Otherwise the first statement gives what
 * it found, the statements needed are sent (planned for their words: a walk of (person_sort, id) for
 * many grants, a bitmap and a sort for few), and the rows are read by id (prepared). A cursor also
 * bounds the holders (person_sort = sort_sv) and the walk, so a later page starts at its holder.
 */
async function grantSearchRows(
  ctx: AppContext,
  q: string | undefined,
  filters: SQL[],
  cursor: GrantCursor | undefined,
  limit: number,
  activeOnly: boolean,
): Promise<any[]> {
  const [first, ...rest] = searchPatterns(q);
  // The search's words, as constants (the statements planned for them) or as read from the first
  // statement's `word` row (so its plan is the same for every word; see below).
  const wordsOf = (word: (i: number) => SQL, text: SQL) => {
    const conds = [...filters, ...rest.map((_, i) => sql`${text} like ${word(i + 1)}`)];
    return {
      and: conds.length ? sql` and ${sql.join(conds, sql` and `)}` : sql``,
      holders: sql`search_text like ${word(0)}${cursor ? sql` and sort_sv collate "C" >= ${cursor.k} collate "C"` : sql``}`,
    };
  };
  const { and, holders } = wordsOf((i) => sql`${[first, ...rest][i]}`, sql`g.search_text`);
  // (`|| ''`: the other words filter the grants the routes find; a generic plan, which cannot see
  // how many grants a word matches, must not look them up in the trigram index instead.)
  const read = wordsOf((i) => sql`(select ${sql.raw(`w${i}`)} from word)`, sql`(g.search_text || '')`);
  const word = sql`select ${sql.join(
    [first, ...rest].map((w, i) => sql`${w}::text as ${sql.raw(`w${i}`)}`),
    sql`, `,
  )}`;
  const n = sql.raw(String(Math.trunc(limit)));
  const after = cursor
    ? sql` and (person_sort collate "C", id) > (${cursor.k} collate "C", ${cursor.id}::uuid)`
    : sql``;
  // The walk runs only for an active-only search whose word matches a permission or a system (the
  // one-time filter); the grants and persons rows are read only for the grants it keeps.
  const viaWalk = activeOnly
    ? sql`(select g.* from (select id, person_sort, permission_id, system_id from access_grants
          where ended_at is null${after} and (exists (select from pe) or exists (select from sy))
          order by person_sort collate "C", id limit ${sql.raw(String(VIA_WALK))}) w
        join access_grants g on g.id = w.id join persons p on p.id = g.person_id
        where (w.permission_id in (select id from pe) or w.system_id in (select id from sy))${read.and}
        order by w.person_sort collate "C", w.id limit ${n})`
    : sql`(select * from access_grants where false)`;
  // One plan for every word: the words are read from the `word` row (the planner cannot see them)
  // and the page size is a constant, so PostgreSQL's estimate for its generic plan is no worse than
  // for a plan made for the word, and it keeps the generic plan instead of planning each search again
  // (a plan for the rows' joins and subqueries costs more than the search).
  // OFFSET 0 keeps the holders' lookup apart from their order: the planner would otherwise walk the
  // name index and filter, which passes every holder before the first match (a word clustered late in
  // the alphabet: thousands of rows); the trigram lookup costs what the word matches. The page's
  // grants are read by id before their joins (the LIMIT keeps them apart). p.status stays in reach of
  // the conditions (the personLeft filter). When another statement is needed, the m_ columns say
  // what was found; ids travel as text lists (the driver's array parsing cost more than the
  // statements).
  const found = await rowsPrepared<any>(
    ctx.db,
    sql`with word as (${word}),
      first_holders as materialized (select id, sort_sv, status
        from (select id, sort_sv, status from persons where ${read.holders} offset 0) p
        order by sort_sv collate "C", id limit ${n}),
      first_hits as materialized (select g.* from (select * from first_holders order by sort_sv collate "C", id) p
        join access_grants g on g.person_id = p.id where true${read.and} order by p.sort_sv collate "C", g.id limit ${n}),
      pe as materialized (select id from access_permissions where lower(name) like (select w0 from word)),
      sy as materialized (select id from systems where search_text like (select w0 from word)),
      via_hits as materialized ${viaWalk},
      m as materialized (select (select count(*) from first_holders)::int as m_holders,
        (select count(*) from first_hits)::int as m_held, (select count(*) from via_hits)::int as m_via_held,
        exists (select from pe) or exists (select from sy) as m_via),
      done as materialized (select not (m_held < ${n} and m_holders = ${n}) and (m_via_held = ${n} or not m_via) as m_done from m)
      select m.*, done.m_done,
        case when not m_done then (select string_agg(id::text, ',') from pe) end as m_pe,
        case when not m_done then (select string_agg(id::text, ',') from sy) end as m_s,
        case when not m_done then (select string_agg(id::text, ',') from first_hits) end as m_ids,
        case when not m_done then (select string_agg(id::text, ',') from via_hits) end as m_via_ids,
        page.* from m cross join done left join lateral (select ${grantColumns}
          from ${grantsFrom(sql`(select * from (select * from first_hits union all
              select * from via_hits v where not exists (select from first_hits f where f.id = v.id)) h
            where m_done order by person_sort collate "C", id limit ${n})`)}
          order by g.person_sort collate "C", g.id) page on true`,
  );
  const [head] = found;
  if (head.m_done) return head.id === null ? [] : found;
  const ids = idList(head.m_ids);
  if (head.m_held < limit && head.m_holders === limit) {
    const [later] = await rows<{ ids: string | null }>(
      ctx.db,
      sql`select string_agg(id::text, ',') as ids from (select g.id
        from (select id, sort_sv, status from persons where ${holders} order by sort_sv collate "C", id offset ${limit}) p
        join access_grants g on g.person_id = p.id where true${and} order by p.sort_sv collate "C", g.id limit ${limit}) x`,
    );
    ids.push(...idList(later.ids));
  }
  const via = [
    ...(head.m_pe ? [sql`g.permission_id = any(${pgArray(idList(head.m_pe), 'uuid')})`] : []),
    ...(head.m_s ? [sql`g.system_id = any(${pgArray(idList(head.m_s), 'uuid')})`] : []),
  ];
  if (head.m_via_held === limit) ids.push(...idList(head.m_via_ids));
  else if (via.length) {
    const [granted] = await rows<{ ids: string | null }>(
      ctx.db,
      sql`select string_agg(id::text, ',') as ids from (select g.id from access_grants g join persons p on p.id = g.person_id
        where (${sql.join(via, sql` or `)})${and} order by g.person_sort collate "C", g.id limit ${limit}) x`,
    );
    ids.push(...idList(granted.ids));
  }
  if (!ids.length) return [];
  return rowsPrepared<any>(
    ctx.db,
    sql`select ${grantColumns} from ${grantFrom} where g.id = any(${pgArray(ids, 'uuid')})
      order by g.person_sort collate "C", g.id limit ${limit}`,
  );
}

/** The ids of a comma-separated list (string_agg of uuids; null when none). */
const idList = (s: string | null) => (s ? s.split(',') : []);

/** G10: the grants register: per person, system or unit, with filters; keyset paging on (person, id). */
export async function listGrants(ctx: AppContext, f: GrantFilter & { limit: number; cursor?: string }) {
  const found = await grantPageRows(ctx, f, f.limit + 1);
  const page = found.slice(0, f.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(presentGrant),
    nextCursor:
      found.length > f.limit
        ? Buffer.from(JSON.stringify({ k: last.person_sort, id: last.id })).toString('base64url')
        : null,
  };
}

export async function getGrant(ctx: AppContext, id: string) {
  const [r] = await rows<any>(ctx.db, sql`select ${grantColumns} from ${grantFrom} where g.id = ${id}`);
  if (!r) throw notFound('The grant');
  return presentGrant(r);
}

export const GRANT_EXPORT_COLUMNS = [
  ['person', 'Person', 'Person'],
  ['person_status', 'Person status', 'Personens status'],
  ['system', 'System', 'System'],
  ['permission', 'Permission', 'Behörighet'],
  ['account_type', 'Account type', 'Kontotyp'],
  ['units', 'Units', 'Enheter'],
  ['expert_user', 'Expert user', 'Expertanvändare'],
  ['valid_from', 'Valid from', 'Gäller från'],
  ['valid_until', 'Valid until', 'Gäller t.o.m.'],
  ['ended_on', 'Ended on', 'Upphörde'],
  ['order', 'Order', 'Beställning'],
  ['ended_by_order', 'Ended by order', 'Avslutad genom beställning'],
] as const;

export async function exportGrantRows(ctx: AppContext, f: GrantFilter) {
  const conds = grantConditions(f, todayOf(ctx));
  const where = conds.length ? sql`where ${sql.join(conds, sql` and `)}` : sql``;
  const found = await rows<any>(
    ctx.db,
    sql`select ${grantColumns} from ${grantFrom} ${where} order by g.person_sort collate "C", g.id limit 100000`,
  );
  return found
    .map(presentGrant)
    .map((g) => [
      g.person.displayName,
      g.person.status,
      g.system.name,
      g.permission.name,
      g.accountType,
      g.units.map((u: { name: string }) => u.name).join('; '),
      g.expertUser ? 'yes' : 'no',
      g.validFrom,
      g.validUntil ?? '',
      g.endedOn ?? '',
      g.order?.number ?? '',
      g.endedByOrder?.number ?? '',
    ]);
}

export async function exportGrantsCsv(ctx: AppContext, f: GrantFilter) {
  return stringify(await exportGrantRows(ctx, f), {
    header: true,
    columns: GRANT_EXPORT_COLUMNS.map((c) => c[0]),
  });
}

export async function exportGrantsXlsx(ctx: AppContext, f: GrantFilter, lang: 'en' | 'sv') {
  return exportWorkbook(
    { en: 'Grants', sv: 'Behörigheter' },
    GRANT_EXPORT_COLUMNS,
    await exportGrantRows(ctx, f),
    lang,
  );
}

// ---- compliance report, notifications, my work -------------------------------------------------

/** A1, A3, G10: units with fewer than two orderers, units without an expert user, leavers still holding grants. */
export async function complianceReport(db: Db) {
  const few = await rows<any>(
    db,
    sql`select u.id, u.name, u.code, count(o.id)::int as n from org_units u
        left join (access_orderers o join persons p on p.id = o.person_id and p.status = 'active')
          on o.unit_id = u.id and o.ended_at is null
        where u.status = 'active' and u.kind not in ('organisation', 'faculty')
        group by u.id, u.name, u.code having count(o.id) < 2 order by count(o.id), u.name`,
  );
  const noExpert = await rows<any>(
    db,
    sql`select u.id, u.name, u.code from org_units u
        where u.status = 'active' and u.kind not in ('organisation', 'faculty')
          and not exists (select 1 from access_expert_users e join persons p on p.id = e.person_id
                          where e.unit_id = u.id and e.ended_at is null and p.status = 'active')
        order by u.name`,
  );
  const leavers = await rows<any>(
    db,
    sql`select p.id, ${personName('p')} as name, count(*)::int as n from access_grants g join persons p on p.id = g.person_id
        where g.ended_at is null and p.status = 'left' group by p.id, p.given_name, p.family_name, p.sort_sv
        order by p.sort_sv collate "C" limit 500`,
  );
  return {
    unitsWithFewOrderers: few.map((r) => ({ unit: { id: r.id, name: r.name, code: r.code }, orderers: r.n })),
    unitsWithoutExpertUser: noExpert.map((r) => ({ unit: { id: r.id, name: r.name, code: r.code } })),
    leaversWithGrants: leavers.map((r) => ({
      person: { id: r.id, displayName: r.name, status: 'left' as const },
      activeGrants: r.n,
    })),
  };
}

/**
 * My work (A1, A3): the units the person heads that have fewer than two orderers or no expert user; the
 * head grants ordering rights and records expert users, so it is theirs to mend.
 */
export async function unitGapsFor(db: Db, personId: string, today: string): Promise<WorkItem[]> {
  const found = await rows<{ id: string; name: string; orderers: number; experts: number }>(
    db,
    sql`select u.id, u.name,
          (select count(*) from access_orderers o join persons p on p.id = o.person_id
           where o.unit_id = u.id and o.ended_at is null and p.status = 'active')::int as orderers,
          (select count(*) from access_expert_users e join persons p on p.id = e.person_id
           where e.unit_id = u.id and e.ended_at is null and p.status = 'active')::int as experts
        from org_units u
        where ${headOfSql(sql`u.id`, personId, today)} and u.status = 'active'
          and u.kind not in ('organisation', 'faculty')
        order by u.name`,
  );
  return found.flatMap((u): WorkItem[] => [
    ...(u.orderers < 2
      ? [
          {
            kind: 'orderers.few' as const,
            subject: { id: u.id, name: u.name },
            detail: String(u.orderers),
            date: null,
          },
        ]
      : []),
    ...(u.experts === 0
      ? [{ kind: 'expert.missing' as const, subject: { id: u.id, name: u.name }, detail: null, date: null }]
      : []),
  ]);
}

export async function listNotifications(db: Db, personId: string | null) {
  if (!personId) return [];
  const found = await rows<any>(
    db,
    sql`select n.id, n.order_id, n.event, n.created_at, n.read_at, o.number, o.kind, o.state, ${personName('p')} as person,
          pe.name as permission, s.name as system
        from access_notifications n join access_orders o on o.id = n.order_id join persons p on p.id = o.person_id
        join access_permissions pe on pe.id = o.permission_id join systems s on s.id = o.system_id
        where n.person_id = ${personId} order by n.created_at desc, n.id limit 50`,
  );
  return found.map((r) => ({
    id: r.id,
    orderId: r.order_id,
    orderNumber: Number(r.number),
    orderKind: r.kind,
    event: r.event,
    state: r.state,
    person: r.person,
    permission: r.permission,
    system: r.system,
    createdAt: iso(r.created_at)!,
    read: r.read_at !== null,
  }));
}

export async function markNotificationsRead(ctx: AppContext, personId: string | null) {
  if (!personId) return;
  await ctx.db.execute(sql`update access_notifications set read_at = ${ctx.clock.now()}::timestamptz
    where person_id = ${personId} and read_at is null`);
}

/** What the signed-in person does in access rights: where they order, what waits for them. */
export async function myAccess(ctx: AppContext, actor: Actor) {
  const today = todayOf(ctx);
  const me = actor.personId ?? randomUUID();
  const units = await rows<any>(
    ctx.db,
    sql`select u.id, u.name, o.system_ids from access_orderers o join org_units u on u.id = o.unit_id
        where o.person_id = ${me} and o.ended_at is null order by u.name`,
  );
  const heads = await rows<{ id: string; name: string }>(
    ctx.db,
    sql`select id, name from org_units u where ${headOfSql(sql`u.id`, me, today)} order by name`,
  );
  const itSystems = await itStaffSystems(ctx.db, actor.personId, today);
  const isAdmin = actor.roles.includes('administrator');
  // My work counts only the systems the person handles; administrators see every order under "all".
  const [c] = await rows<any>(
    ctx.db,
    sql`select
      (select count(*)::int from access_orders where orderer_person_id = ${me} and state = 'draft') as drafts,
      (select count(*)::int from access_orders o join systems s on s.id = o.system_id
        where ${approvalQueueSql(me, today)}) as to_approve,
      (select count(*)::int from access_orders o where o.state in ('ready','in_progress')
        and o.system_id = any(${pgArray(itSystems, 'uuid')})) as to_fulfil,
      (select count(*)::int from access_notifications where person_id = ${me} and read_at is null) as unread`,
  );
  const accessRole = await hasAccessRole(ctx.db, actor.personId);
  return {
    orderingUnits: units.map((u) => ({ id: u.id, name: u.name, systemIds: normaliseArray(u.system_ids) })),
    headOfUnits: heads,
    itStaffSystemIds: itSystems,
    counts: {
      drafts: c.drafts,
      toApprove: c.to_approve,
      toFulfil: c.to_fulfil,
      unreadNotifications: c.unread,
    },
    abilities: {
      order: isAdmin || units.length > 0,
      approve: c.to_approve > 0 || heads.length > 0,
      fulfil: isAdmin || itSystems.length > 0,
      readGrants: isAdmin || actor.roles.includes('auditor') || accessRole,
      readReport: isAdmin || actor.roles.includes('auditor') || accessRole,
    },
  };
}

// ---- module consumption, read by the licences module (L1, L7) -------------------------------------------
// Triggers on access_grants and access_permissions (migration 0009_module_use) keep, per system and
// module, the persons holding an active grant that includes it (access_module_holders, L1: once per
// person however many grants) and their number (access_module_use). A permission without modules
// adds nothing (L7). The application never writes these tables.

/** L1/L7: how many people consume a licence of a module of a system. */
export async function moduleConsumerCount(tx: Db, systemId: string, moduleName: string): Promise<number> {
  const [r] = await rows<{ n: number }>(
    tx,
    sql`select coalesce((select used from access_module_use where system_id = ${systemId} and module = ${moduleName}), 0)::int as n`,
  );
  return r.n;
}

/**
 * L1/L2: for each module, whether the person already consumes it and how many people consume it, in one
 * statement. Called after the pool rows are locked, so it sees every grant committed before.
 */
export async function moduleUse(tx: Db, personId: string, systemId: string, modules: string[]) {
  return rowsPrepared<{ module: string; held: boolean; used: number }>(
    tx,
    sql`select m.module, coalesce(h.grants > 0, false) as held, coalesce(u.used, 0)::int as used
        from unnest(${pgArray(modules, 'text')}) as m(module)
        left join access_module_use u on u.system_id = ${systemId} and u.module = m.module
        left join access_module_holders h on h.system_id = ${systemId} and h.module = m.module
          and h.person_id = ${personId}`,
  );
}

/** L1: consumption of every module of the given systems (all when none are given), in one statement. */
export const moduleConsumerCountsSql = (systemIds?: string[]) =>
  sql`select system_id, module, used from access_module_use
      ${systemIds ? sql`where system_id = any(${pgArray(systemIds, 'uuid')})` : sql``}`;
export async function moduleConsumerCounts(db: Db, systemIds?: string[]) {
  const found = await rows<{ system_id: string; module: string; used: number }>(
    db,
    moduleConsumerCountsSql(systemIds),
  );
  return new Map(found.map((r) => [`${r.system_id}/${r.module}`, r.used]));
}

/** L1: the modules a person consumes (through any active grant), with their systems, by system and module name. */
export async function modulesHeldBy(db: Db, personId: string) {
  return rows<{ system_id: string; system_name: string; module: string }>(
    db,
    sql`select h.system_id, s.name as system_name, h.module
        from access_module_holders h join systems s on s.id = h.system_id
        where h.person_id = ${personId} and h.grants > 0
        order by s.sort_key collate "C", h.module`,
  );
}

/** The people consuming a module (L1: each once). */
const holdersCte = (systemId: string, moduleName: string) => sql`
  with h as (
    select person_id from access_module_holders
    where system_id = ${systemId} and module = ${moduleName} and grants > 0)`;

/** Consumers of a module by person with their primary unit, for the pool page: the first `limit` by name. */
export async function moduleConsumers(db: Db, systemId: string, moduleName: string, limit = 100_000) {
  return rows<{
    person_id: string;
    name: string;
    status: string;
    unit_id: string | null;
    unit_name: string | null;
  }>(
    db,
    sql`${holdersCte(systemId, moduleName)},
        top as (
          select pe.id, pe.given_name, pe.family_name, pe.status from h join persons pe on pe.id = h.person_id
          order by pe.family_name, pe.given_name, pe.id limit ${limit})
        select top.id as person_id, top.given_name || ' ' || top.family_name as name, top.status,
          pu.unit_id, pu.unit_name
        from top left join lateral (
          select pu.unit_id, u.name as unit_name from person_units pu join org_units u on u.id = pu.unit_id
          where pu.person_id = top.id order by pu.is_primary desc, pu.unit_id limit 1) pu on true
        order by top.family_name, top.given_name, top.id`,
  );
}

/** Consumers of a module counted by their primary unit (the chargeback's basis), in one statement. */
export async function moduleConsumersByUnit(db: Db, systemId: string, moduleName: string) {
  return rows<{ unit_id: string | null; unit_name: string | null; used: number }>(
    db,
    sql`${holdersCte(systemId, moduleName)},
        pu as (
          select distinct on (pu.person_id) pu.person_id, pu.unit_id from person_units pu join h on h.person_id = pu.person_id
          order by pu.person_id, pu.is_primary desc, pu.unit_id)
        select pu.unit_id, u.name as unit_name, count(*)::int as used
        from h left join pu on pu.person_id = h.person_id left join org_units u on u.id = pu.unit_id
        group by pu.unit_id, u.name`,
  );
}

/**
 * L1 over time: for each date, how many people held an active grant including the module on that day
 * (valid from on or before it, not ended by it). Uses the permissions' current modules.
 */
export async function moduleConsumersOn(db: Db, systemId: string, moduleName: string, dates: string[]) {
  return rows<{ at: string; used: number }>(
    db,
    // The module's grants are read once (by the system index), then counted for each date.
    sql`with g as materialized (
          select g.person_id, g.valid_from, g.ended_on from access_grants g
          join access_permissions p on p.id = g.permission_id
          where g.system_id = ${systemId} and ${moduleName} = any(p.modules))
        select a.at::text as at, (
          select count(distinct g.person_id) from g
          where g.valid_from <= a.at and (g.ended_on is null or g.ended_on > a.at))::int as used
        from unnest(${pgArray(dates, 'date')}) as a(at) order by a.at`,
  );
}

/** V2: the current orderers of each active unit (the coverage report finds the days none is present). */
export async function currentOrderers(db: Db) {
  return rows<{ unitId: string; unitName: string; personId: string; personName: string }>(
    db,
    sql`select u.id as "unitId", u.name as "unitName", p.id as "personId",
          p.given_name || ' ' || p.family_name as "personName"
        from access_orderers o join persons p on p.id = o.person_id and p.status = 'active'
          join org_units u on u.id = o.unit_id and u.status = 'active'
        where o.ended_at is null`,
  );
}

/** Audit log: what people recognise this module's objects by (see audit.labels.ts). */
export const accessAuditLabels: AuditLabelSql = {
  order: (ids) => sql`select x.id, x.number::text as label from access_orders x where x.id = any(${ids})`,
  permission: (ids) =>
    sql`select x.id, x.name || ' (' || s.name || ')' as label
        from access_permissions x join systems s on s.id = x.system_id where x.id = any(${ids})`,
  grant: (ids) =>
    sql`select x.id, ${personName('p')} || ': ' || pm.name || ' (' || s.name || ')' as label
        from access_grants x join persons p on p.id = x.person_id
        join access_permissions pm on pm.id = x.permission_id join systems s on s.id = x.system_id
        where x.id = any(${ids})`,
};
