// The system registry (G1, G3, G8, G14): systems, their modules, search with filters and keyset paging,
// CSV export, and every system with its managers. Governance objects and roles are in
// governance.service.ts, dependencies in dependencies.service.ts, integrations in
// integrations.service.ts, documents and security records in records.service.ts.
import { randomUUID } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import { and, eq, type SQL, sql } from 'drizzle-orm';
import { type Db, rows } from '../../db/client.ts';
import { todayOf } from '../../platform/clock.ts';
import type { Actor, AppContext } from '../../platform/context.ts';
import { BAD_CURSOR, notFound, preconditionFailed, validationError } from '../../platform/errors.ts';
import type { GovernanceRole } from '../../platform/policy.ts';
import { say } from '../../platform/text.ts';
import { exportWorkbook } from '../../platform/xlsx.ts';
import type { AuditLabelSql } from '../audit/audit.labels.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { normaliseQuery, sortKeySv } from '../org/person-keys.ts';
import { guarded } from './systems.errors.ts';
import type { SystemCreate, SystemFilter, SystemPatch, SystemSort } from './systems.schema.ts';
import { governanceObjects, systemModules, systems } from './systems.tables.ts';

type SystemRow = typeof systems.$inferSelect;

/** The organisation's calendar day (Europe/Stockholm) by the injected clock. */
export { todayOf };

/** SQL: an assignment `a` joined with its person `p` holds on date `d` (the person has not left). */
export const holdsOn = (d: SQL | string) =>
  sql`a.valid_from <= ${d}::date and (a.valid_until is null or a.valid_until >= ${d}::date) and p.status = 'active'`;

/** The actor's current roles on a governance object, for policy decisions. */
export async function rolesOnObject(
  db: Db,
  personId: string | null,
  objectId: string,
  today: string,
): Promise<GovernanceRole[]> {
  if (!personId) return [];
  const found = await rows<{ role: GovernanceRole }>(
    db,
    sql`select distinct a.role from role_assignments a join persons p on p.id = a.person_id
        where a.object_id = ${objectId} and a.person_id = ${personId} and ${holdsOn(today)}`,
  );
  return found.map((r) => r.role);
}

/** G2/G8: the governance roles a person holds today or later, with their objects (the person's page). */
export async function rolesOfPerson(db: Db, personId: string, today: string) {
  const found = await rows<{
    id: string;
    role: GovernanceRole;
    valid_from: string;
    valid_until: string | null;
    object_id: string;
    object_name: string;
  }>(
    db,
    sql`select a.id, a.role, a.valid_from::text, a.valid_until::text, o.id as object_id, o.name as object_name
        from role_assignments a join governance_objects o on o.id = a.object_id
        where a.person_id = ${personId} and (a.valid_until is null or a.valid_until >= ${today}::date)
        order by o.name, a.role, a.valid_from`,
  );
  return found.map((r) => ({
    id: r.id,
    role: r.role,
    validFrom: r.valid_from,
    validUntil: r.valid_until,
    current: r.valid_from <= today,
    object: { id: r.object_id, name: r.object_name },
  }));
}

/** The actor's current roles on every governance object where they hold one (lists that link per object). */
export async function objectRolesOf(
  db: Db,
  personId: string | null,
  today: string,
): Promise<Map<string, GovernanceRole[]>> {
  const held = new Map<string, GovernanceRole[]>();
  if (!personId) return held;
  const found = await rows<{ object_id: string; role: GovernanceRole }>(
    db,
    sql`select distinct a.object_id, a.role from role_assignments a join persons p on p.id = a.person_id
        where a.person_id = ${personId} and ${holdsOn(today)}`,
  );
  for (const r of found) held.set(r.object_id, [...(held.get(r.object_id) ?? []), r.role]);
  return held;
}

/** The systems on whose governance object the person holds each of their current roles (My work). */
export async function systemRolesOf(db: Db, personId: string, today: string) {
  return rows<{ systemId: string; role: GovernanceRole }>(
    db,
    sql`select distinct s.id as "systemId", a.role from role_assignments a join persons p on p.id = a.person_id
        join systems s on s.governance_object_id = a.object_id
        where a.person_id = ${personId} and ${holdsOn(today)}`,
  );
}

/** The governance object of a system and the actor's current roles on it; 404 if no such system. */
export async function rolesOnSystem(db: Db, personId: string | null, systemId: string, today: string) {
  const [s] = await db
    .select({ objectId: systems.governanceObjectId })
    .from(systems)
    .where(eq(systems.id, systemId));
  if (!s) throw notFound('The system');
  return { objectId: s.objectId, roles: await rolesOnObject(db, personId, s.objectId, today) };
}

/** G13: what planning maintenance of a system needs to know: its name, and whether it has a test environment. */
export async function maintenanceFacts(db: Db, systemId: string) {
  const [s] = await db
    .select({ name: systems.name, environments: systems.environments })
    .from(systems)
    .where(eq(systems.id, systemId));
  if (!s) throw notFound('The system');
  return { name: s.name, hasTestEnvironment: s.environments.includes('test') };
}

function derived(s: {
  name: string;
  shortName: string;
  vendor?: string | null;
  description?: string | null;
}) {
  const search = [s.name, s.shortName, s.vendor ?? '', s.description ?? '']
    .join(' ')
    .toLocaleLowerCase('sv')
    .replace(/\s+/g, ' ')
    .trim();
  return { sortKey: sortKeySv(`${s.name}\u0001${s.shortName}`), searchText: search };
}

async function assertObject(tx: Db, id: string, field = 'governanceObjectId') {
  const [o] = await tx
    .select({ id: governanceObjects.id })
    .from(governanceObjects)
    .where(eq(governanceObjects.id, id));
  if (!o)
    throw validationError([
      { field, message: say('No such governance object (G1).', 'Förvaltningsobjektet finns inte (G1).') },
    ]);
}

async function assertPerson(tx: Db, id: string, field: string) {
  const [p] = await rows(tx, sql`select 1 from persons where id = ${id}`);
  if (!p) throw validationError([{ field, message: say('No such person.', 'Personen finns inte.') }]);
}

export async function getSystem(ctx: AppContext, id: string) {
  const [row] = await ctx.db.select().from(systems).where(eq(systems.id, id));
  if (!row) throw notFound('The system');
  const [obj] = await ctx.db
    .select({ id: governanceObjects.id, name: governanceObjects.name })
    .from(governanceObjects)
    .where(eq(governanceObjects.id, row.governanceObjectId));
  const modules = await ctx.db
    .select({ id: systemModules.id, name: systemModules.name })
    .from(systemModules)
    .where(eq(systemModules.systemId, id))
    .orderBy(systemModules.name);
  const [owner] = row.contractOwnerPersonId
    ? await rows<{ id: string; displayName: string; status: 'active' | 'left' }>(
        ctx.db,
        sql`select id, given_name || ' ' || family_name as "displayName", status from persons
            where id = ${row.contractOwnerPersonId}`,
      )
    : [];
  return presentSystem(row, obj, modules, owner ?? null, todayOf(ctx));
}

/** G14: resolver-group members are reviewed at least yearly. */
export function resolverReviewDue(reviewedOn: string | null): string | null {
  if (!reviewedOn) return null;
  const d = new Date(`${reviewedOn}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + 1);
  return d.toISOString().slice(0, 10);
}

function presentSystem(
  s: SystemRow,
  obj: { id: string; name: string },
  modules: { id: string; name: string }[],
  owner: { id: string; displayName: string; status: 'active' | 'left' } | null,
  today: string,
) {
  const due = resolverReviewDue(s.resolverMembersReviewedOn);
  return {
    id: s.id,
    name: s.name,
    shortName: s.shortName,
    description: s.description,
    lifecycle: s.lifecycle,
    orgModel: s.orgModel,
    vendor: s.vendor,
    hosting: s.hosting,
    criticality: s.criticality,
    storesPersonalData: s.storesPersonalData,
    governanceObject: obj,
    contractOwner: s.contractOwner,
    contractOwnerPerson: owner,
    confidentiality: s.confidentiality,
    integrity: s.integrity,
    availability: s.availability,
    personalDataCategories: s.personalDataCategories,
    environments: s.environments as ('production' | 'test')[],
    hasTestEnvironment: s.environments.includes('test'),
    serviceDeskQueue: s.serviceDeskQueue,
    resolverGroup: s.resolverGroup,
    resolverMembersReviewedOn: s.resolverMembersReviewedOn,
    resolverReviewOverdue: s.lifecycle !== 'retired' && (due === null || due < today),
    modules,
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
    version: s.version,
  };
}

export async function createSystem(ctx: AppContext, args: { actor: Actor; input: SystemCreate }) {
  const now = ctx.clock.now();
  const i = args.input;
  const id = randomUUID();
  await guarded(() =>
    ctx.db.transaction(async (tx) => {
      await assertObject(tx, i.governanceObjectId);
      if (i.contractOwnerPersonId) await assertPerson(tx, i.contractOwnerPersonId, 'contractOwnerPersonId');
      const [row] = await tx
        .insert(systems)
        .values({
          id,
          ...i,
          storesPersonalData: i.storesPersonalData || i.personalDataCategories.length > 0,
          vendor: i.vendor ?? null,
          contractOwner: i.contractOwner ?? null,
          contractOwnerPersonId: i.contractOwnerPersonId ?? null,
          serviceDeskQueue: i.serviceDeskQueue ?? null,
          resolverGroup: i.resolverGroup ?? null,
          resolverMembersReviewedOn: i.resolverMembersReviewedOn ?? null,
          ...derived(i),
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      await recordAudit(tx, now, args.actor, {
        action: 'system.create',
        entityType: 'system',
        entityId: id,
        after: row,
      });
    }),
  );
  return getSystem(ctx, id);
}

export async function updateSystem(
  ctx: AppContext,
  args: { actor: Actor; id: string; ifVersion: number; patch: SystemPatch },
) {
  const now = ctx.clock.now();
  await guarded(() =>
    ctx.db.transaction(async (tx) => {
      const [before] = await tx.select().from(systems).where(eq(systems.id, args.id));
      if (!before) throw notFound('The system');
      const p = args.patch;
      if (p.governanceObjectId) await assertObject(tx, p.governanceObjectId);
      if (p.contractOwnerPersonId) await assertPerson(tx, p.contractOwnerPersonId, 'contractOwnerPersonId');
      const merged = {
        name: p.name ?? before.name,
        shortName: p.shortName ?? before.shortName,
        vendor: p.vendor === undefined ? before.vendor : p.vendor,
        description: p.description ?? before.description,
      };
      const categories = p.personalDataCategories ?? before.personalDataCategories;
      const [after] = await tx
        .update(systems)
        .set({
          ...p,
          storesPersonalData: (p.storesPersonalData ?? before.storesPersonalData) || categories.length > 0,
          ...derived(merged),
          version: sql`${systems.version} + 1`,
          updatedAt: now,
        })
        .where(and(eq(systems.id, args.id), eq(systems.version, args.ifVersion)))
        .returning();
      if (!after) throw preconditionFailed();
      await recordAudit(tx, now, args.actor, {
        action: 'system.update',
        entityType: 'system',
        entityId: args.id,
        before,
        after,
      });
    }),
  );
  return getSystem(ctx, args.id);
}

export async function addModule(ctx: AppContext, args: { actor: Actor; systemId: string; name: string }) {
  const now = ctx.clock.now();
  return guarded(() =>
    ctx.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(systemModules)
        .values({ id: randomUUID(), systemId: args.systemId, name: args.name.trim(), createdAt: now })
        .returning();
      await recordAudit(tx, now, args.actor, {
        action: 'system.module.create',
        entityType: 'system',
        entityId: args.systemId,
        after: row,
      });
      return { id: row.id, name: row.name };
    }),
  );
}

// ---- search, export, managers ----------------------------------------------------------------------

type Cursor = { k: string; id: string; s?: SystemSort };
const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
function decodeCursor(s: string, sort: SystemSort = 'name'): Cursor {
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    if (
      typeof c.k === 'string' &&
      typeof c.id === 'string' &&
      /^[0-9a-f-]{36}$/.test(c.id) &&
      (c.s ?? 'name') === sort
    )
      return c;
  } catch {}
  throw validationError([{ field: 'cursor', message: BAD_CURSOR }]);
}

/** The WHERE conditions of the catalogue filters, over `systems s`. */
function filterConditions(f: SystemFilter): SQL[] {
  const conds: SQL[] = [];
  if (f.q) {
    for (const word of normaliseQuery(f.q).split(' ').filter(Boolean).slice(0, 5)) {
      conds.push(sql`s.search_text like ${`%${word.replace(/[\\%_]/g, (m) => `\\${m}`)}%`}`);
    }
  }
  if (f.lifecycle) conds.push(sql`s.lifecycle = ${f.lifecycle}`);
  if (f.orgModel) conds.push(sql`s.org_model = ${f.orgModel}`);
  if (f.hosting) conds.push(sql`s.hosting = ${f.hosting}`);
  if (f.criticality) conds.push(sql`s.criticality = ${f.criticality}`);
  if (f.personalData) conds.push(sql`s.stores_personal_data = ${f.personalData === 'true'}`);
  if (f.governanceObjectId) conds.push(sql`s.governance_object_id = ${f.governanceObjectId}`);
  if (f.unitId)
    conds.push(sql`o.owning_unit_id in (
      with recursive down(id) as (select ${f.unitId}::uuid union all
        select u.id from org_units u join down on u.parent_id = down.id)
      select id from down)`);
  return conds;
}

type ListRow = {
  id: string;
  name: string;
  short_name: string;
  description: string;
  lifecycle: SystemRow['lifecycle'];
  org_model: number;
  vendor: string | null;
  hosting: SystemRow['hosting'];
  criticality: SystemRow['criticality'];
  stores_personal_data: boolean;
  object_id: string;
  object_name: string;
  k: string;
};

const listColumns = sql`s.id, s.name, s.short_name, s.description, s.lifecycle, s.org_model, s.vendor, s.hosting,
  s.criticality, s.stores_personal_data, o.id as object_id, o.name as object_name`;

const presentListRow = (r: ListRow) => ({
  id: r.id,
  name: r.name,
  shortName: r.short_name,
  description: r.description,
  lifecycle: r.lifecycle,
  orgModel: r.org_model,
  vendor: r.vendor,
  hosting: r.hosting,
  criticality: r.criticality,
  storesPersonalData: r.stores_personal_data,
  governanceObject: { id: r.object_id, name: r.object_name },
});

/**
 * A sort as one text key and a direction, so that keyset paging is one row comparison for every
 * sort: the name's sort key, or the criticality's rank (one digit, most critical first) before it.
 */
function sortOf(sort: SystemSort = 'name') {
  const key =
    sort === '-criticality'
      ? sql`((case s.criticality when 'critical' then '0' when 'high' then '1' when 'medium' then '2' else '3' end) || s.sort_key)`
      : sql`s.sort_key`;
  const desc = sort === '-name';
  return {
    key,
    order: desc ? sql`${key} collate "C" desc, s.id desc` : sql`${key} collate "C", s.id`,
    after: (c: Cursor) =>
      sql`(${key} collate "C", s.id) ${desc ? sql`<` : sql`>`} (${c.k} collate "C", ${c.id}::uuid)`,
  };
}

/** The catalogue: search and filters, in one of its orders, keyset paging on (sort key, id). */
export async function listSystems(
  db: Db,
  a: SystemFilter & { sort?: SystemSort; limit: number; cursor?: string },
) {
  const conds = filterConditions(a);
  const order = sortOf(a.sort);
  if (a.cursor) conds.push(order.after(decodeCursor(a.cursor, a.sort)));
  const where = conds.length ? sql`where ${sql.join(conds, sql` and `)}` : sql``;
  const found = await rows<ListRow>(
    db,
    sql`select ${listColumns}, ${order.key} as k from systems s join governance_objects o on o.id = s.governance_object_id
        ${where} order by ${order.order} limit ${a.limit + 1}`,
  );
  const page = found.slice(0, a.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(presentListRow),
    nextCursor:
      found.length > a.limit
        ? encodeCursor({ k: last.k, id: last.id, ...(a.sort && a.sort !== 'name' ? { s: a.sort } : {}) })
        : null,
  };
}

const EXPORT_LIMIT = 50_000;

/** The export columns: CSV header key, English and Swedish header names. */
export const EXPORT_COLUMNS = [
  ['id', 'Id', 'Id'],
  ['name', 'Name', 'Namn'],
  ['short_name', 'Short name', 'Kortnamn'],
  ['lifecycle', 'Lifecycle', 'Livscykel'],
  ['org_model', 'Organisation model', 'Förvaltningsmodell'],
  ['governance_object', 'Governance object', 'Förvaltningsobjekt'],
  ['vendor', 'Vendor', 'Leverantör'],
  ['contract_owner', 'Contract owner', 'Avtalsägare'],
  ['hosting', 'Hosting', 'Drift'],
  ['criticality', 'Business criticality', 'Verksamhetskritikalitet'],
  ['confidentiality', 'Confidentiality', 'Konfidentialitet'],
  ['integrity', 'Integrity', 'Riktighet'],
  ['availability', 'Availability', 'Tillgänglighet'],
  ['personal_data', 'Personal data', 'Personuppgifter'],
  ['personal_data_categories', 'Personal-data categories', 'Kategorier av personuppgifter'],
  ['environments', 'Environments', 'Miljöer'],
  ['service_desk_queue', 'Service desk queue', 'Servicedeskkö'],
  ['resolver_group', 'Resolver group', 'Lösargrupp'],
  ['resolver_members_reviewed_on', 'Resolver members reviewed on', 'Lösargruppens medlemmar granskade'],
  ['description', 'Description', 'Beskrivning'],
] as const;

/** The filtered catalogue as export rows, in EXPORT_COLUMNS order. */
export async function exportSystemRows(
  db: Db,
  f: SystemFilter & { sort?: SystemSort },
): Promise<(string | number)[][]> {
  const conds = filterConditions(f);
  const where = conds.length ? sql`where ${sql.join(conds, sql` and `)}` : sql``;
  const found = await rows<ListRow & Record<string, unknown>>(
    db,
    sql`select ${listColumns}, s.contract_owner, s.confidentiality, s.integrity, s.availability,
          array_to_string(s.personal_data_categories, '; ') as categories,
          array_to_string(s.environments, '; ') as environments,
          s.service_desk_queue, s.resolver_group, s.resolver_members_reviewed_on
        from systems s join governance_objects o on o.id = s.governance_object_id
        ${where} order by ${sortOf(f.sort).order} limit ${EXPORT_LIMIT}`,
  );
  return found.map((r) => [
    r.id,
    r.name,
    r.short_name,
    r.lifecycle,
    r.org_model,
    r.object_name,
    r.vendor ?? '',
    (r.contract_owner as string | null) ?? '',
    r.hosting,
    r.criticality,
    r.confidentiality as number,
    r.integrity as number,
    r.availability as number,
    r.stores_personal_data ? 'yes' : 'no',
    r.categories as string,
    r.environments as string,
    (r.service_desk_queue as string | null) ?? '',
    (r.resolver_group as string | null) ?? '',
    (r.resolver_members_reviewed_on as string | null) ?? '',
    r.description,
  ]);
}

/** The filtered catalogue as CSV. */
export async function exportSystemsCsv(db: Db, f: SystemFilter & { sort?: SystemSort }) {
  return stringify(await exportSystemRows(db, f), {
    header: true,
    columns: EXPORT_COLUMNS.map((c) => c[0]),
  });
}

/** The filtered catalogue as an Excel workbook, with English or Swedish headers. */
export async function exportSystemsXlsx(
  db: Db,
  f: SystemFilter & { sort?: SystemSort },
  lang: 'en' | 'sv',
): Promise<Buffer> {
  return exportWorkbook(
    { en: 'Systems', sv: 'System' },
    EXPORT_COLUMNS,
    await exportSystemRows(db, f),
    lang,
    {
      id: 38,
      description: 60,
    },
  );
}

/** G8: every system with its system owner, IT system owner, system manager and IT system manager today. */
export async function systemsWithManagers(db: Db, today: string, f: SystemFilter = {}) {
  const conds = filterConditions(f);
  const where = conds.length ? sql`where ${sql.join(conds, sql` and `)}` : sql``;
  const found = await rows<{
    id: string;
    name: string;
    short_name: string;
    lifecycle: string;
    object_id: string;
    object_name: string;
    so: string[] | null;
    itso: string[] | null;
    sm: string[] | null;
    itsm: string[] | null;
  }>(
    db,
    sql`with current_roles as (
          select a.object_id, a.role, p.given_name || ' ' || p.family_name as name, p.sort_sv
          from role_assignments a join persons p on p.id = a.person_id
          where a.role in ('system_owner','it_system_owner','system_manager','it_system_manager')
            and ${holdsOn(today)}),
        per_object as (
          select object_id,
            array_agg(name order by sort_sv) filter (where role = 'system_owner') as so,
            array_agg(name order by sort_sv) filter (where role = 'it_system_owner') as itso,
            array_agg(name order by sort_sv) filter (where role = 'system_manager') as sm,
            array_agg(name order by sort_sv) filter (where role = 'it_system_manager') as itsm
          from current_roles group by object_id)
        select s.id, s.name, s.short_name, s.lifecycle, o.id as object_id, o.name as object_name,
          r.so, r.itso, r.sm, r.itsm
        from systems s join governance_objects o on o.id = s.governance_object_id
        left join per_object r on r.object_id = o.id
        ${where}
        order by s.sort_key collate "C", s.id limit ${EXPORT_LIMIT}`,
  );
  return found.map((r) => ({
    systemId: r.id,
    name: r.name,
    shortName: r.short_name,
    lifecycle: r.lifecycle,
    governanceObject: { id: r.object_id, name: r.object_name },
    systemOwners: r.so ?? [],
    itSystemOwners: r.itso ?? [],
    systemManagers: r.sm ?? [],
    itSystemManagers: r.itsm ?? [],
  }));
}

export function managersCsv(items: Awaited<ReturnType<typeof systemsWithManagers>>) {
  return stringify(
    items.map((r) => [
      r.name,
      r.shortName,
      r.lifecycle,
      r.governanceObject.name,
      r.systemOwners.join('; '),
      r.itSystemOwners.join('; '),
      r.systemManagers.join('; '),
      r.itSystemManagers.join('; '),
    ]),
    {
      header: true,
      columns: [
        'system',
        'short_name',
        'lifecycle',
        'governance_object',
        'system_owner',
        'it_system_owner',
        'system_manager',
        'it_system_manager',
      ],
    },
  );
}

/** Audit log: what people recognise this module's objects by (see audit.labels.ts). */
export const systemsAuditLabels: AuditLabelSql = {
  system: (ids) => sql`select x.id, x.name as label from systems x where x.id = any(${ids})`,
  governance_object: (ids) =>
    sql`select x.id, x.name as label from governance_objects x where x.id = any(${ids})`,
  integration: (ids) => sql`select x.id, x.name as label from integrations x where x.id = any(${ids})`,
  dependency: (ids) =>
    sql`select x.id, f.name || ' → ' || t.name as label from system_dependencies x
        join systems f on f.id = x.from_system_id join systems t on t.id = x.to_system_id
        where x.id = any(${ids})`,
};
