// Org units and persons. A person is never deleted: leaving deactivates them, their name stays on
// every record they took part in (E2, L6), and their account's sessions end at once.
import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { type Db, rows } from '../../db/client.ts';
import type { Actor, AppContext } from '../../platform/context.ts';
import { constraintTranslator } from '../../platform/db-errors.ts';
import {
  BAD_CURSOR,
  conflict,
  notFound,
  preconditionFailed,
  validationError,
} from '../../platform/errors.ts';
import { say } from '../../platform/text.ts';
import { revokeGrantsOfLeavers } from '../access/access.service.ts';
import {
  endSessionsForPersons,
  findAccountByPerson,
  invalidateTokenCache,
} from '../accounts/accounts.service.ts';
import type { AuditLabelSql } from '../audit/audit.labels.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { orgUnits, persons, personUnits, type UNIT_KINDS } from './org.tables.ts';
import { normaliseQuery, personDerived } from './person-keys.ts';

type PersonRow = typeof persons.$inferSelect;
type UnitRow = typeof orgUnits.$inferSelect;

// ---- units ------------------------------------------------------------------------------------

export async function unitTree(db: Db) {
  return rows<{
    id: string;
    code: string;
    name: string;
    kind: string;
    parentId: string | null;
    headPersonId: string | null;
    headName: string | null;
    memberCount: number;
    status: string;
  }>(
    db,
    sql`select u.id, u.code, u.name, u.kind, u.parent_id as "parentId", u.head_person_id as "headPersonId",
          case when h.id is null then null else h.given_name || ' ' || h.family_name end as "headName",
          coalesce(m.n, 0)::int as "memberCount", u.status
        from org_units u
        left join persons h on h.id = u.head_person_id
        left join (select pu.unit_id, count(*) as n from person_units pu join persons p on p.id = pu.person_id
                   where p.status = 'active' group by pu.unit_id) m on m.unit_id = u.id
        order by u.name, u.code`,
  );
}

export async function getUnit(db: Db, id: string) {
  const [u] = await db.select().from(orgUnits).where(eq(orgUnits.id, id));
  if (!u) throw notFound('The org unit');
  const [parent] = u.parentId
    ? await db
        .select({ id: orgUnits.id, name: orgUnits.name })
        .from(orgUnits)
        .where(eq(orgUnits.id, u.parentId))
    : [];
  const [head] = u.headPersonId ? await db.select().from(persons).where(eq(persons.id, u.headPersonId)) : [];
  const children = await db
    .select({ id: orgUnits.id, code: orgUnits.code, name: orgUnits.name, kind: orgUnits.kind })
    .from(orgUnits)
    .where(eq(orgUnits.parentId, id))
    .orderBy(asc(orgUnits.name));
  const [{ n }] = await rows<{ n: number }>(
    db,
    sql`select count(*)::int as n from person_units pu join persons p on p.id = pu.person_id
        where pu.unit_id = ${id} and p.status = 'active'`,
  );
  return {
    ...presentUnit(u),
    parent: parent ?? null,
    head: head ? { id: head.id, displayName: displayName(head) } : null,
    children,
    memberCount: n,
  };
}

export function presentUnit(u: UnitRow) {
  return {
    id: u.id,
    code: u.code,
    name: u.name,
    kind: u.kind,
    parentId: u.parentId,
    headPersonId: u.headPersonId,
    status: u.status,
    version: u.version,
  };
}

export type UnitInput = {
  code: string;
  name: string;
  kind?: (typeof UNIT_KINDS)[number];
  parentId?: string | null;
  headPersonId?: string | null;
};

export async function createUnit(ctx: AppContext, args: { actor: Actor; input: UnitInput }) {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    if (args.input.parentId) await assertUnitExists(tx, args.input.parentId, 'parentId');
    const [row] = await tx
      .insert(orgUnits)
      .values({
        id: randomUUID(),
        code: args.input.code.trim(),
        name: args.input.name.trim(),
        kind: args.input.kind ?? 'unit',
        parentId: args.input.parentId ?? null,
        headPersonId: args.input.headPersonId ?? null,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await recordAudit(tx, now, args.actor, {
      action: 'org_unit.create',
      entityType: 'org_unit',
      entityId: row.id,
      after: row,
    });
    return presentUnit(row);
  });
}

async function assertUnitExists(tx: Db, id: string, field: string) {
  const [u] = await tx.select({ id: orgUnits.id }).from(orgUnits).where(eq(orgUnits.id, id));
  if (!u) throw validationError([{ field, message: say('No such org unit.', 'Enheten finns inte.') }]);
}

export async function updateUnit(
  ctx: AppContext,
  args: { actor: Actor; id: string; ifVersion: number; patch: Partial<UnitInput> },
) {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(orgUnits).where(eq(orgUnits.id, args.id));
    if (!before) throw notFound('The org unit');
    const p = args.patch;
    if (p.parentId) {
      await assertUnitExists(tx, p.parentId, 'parentId');
      const [cycle] = await rows<{ found: boolean }>(
        tx,
        sql`with recursive up(id, parent_id) as (
              select id, parent_id from org_units where id = ${p.parentId}
              union all select u.id, u.parent_id from org_units u join up on u.id = up.parent_id)
            select exists(select 1 from up where id = ${args.id}) as found`,
      );
      if (cycle.found)
        throw validationError([
          {
            field: 'parentId',
            message: say(
              'A unit cannot be placed under itself.',
              'En enhet kan inte placeras under sig själv.',
            ),
          },
        ]);
    }
    const [after] = await tx
      .update(orgUnits)
      .set({
        ...(p.code !== undefined && { code: p.code.trim() }),
        ...(p.name !== undefined && { name: p.name.trim() }),
        ...(p.kind !== undefined && { kind: p.kind }),
        ...(p.parentId !== undefined && { parentId: p.parentId }),
        ...(p.headPersonId !== undefined && { headPersonId: p.headPersonId }),
        version: sql`${orgUnits.version} + 1`,
        updatedAt: now,
      })
      .where(and(eq(orgUnits.id, args.id), eq(orgUnits.version, args.ifVersion)))
      .returning();
    if (!after) throw preconditionFailed();
    await recordAudit(tx, now, args.actor, {
      action: 'org_unit.update',
      entityType: 'org_unit',
      entityId: args.id,
      before,
      after,
    });
    return presentUnit(after);
  });
}

// ---- persons ----------------------------------------------------------------------------------

export const displayName = (p: { givenName: string; familyName: string }) => `${p.givenName} ${p.familyName}`;

export type PersonListArgs = {
  q?: string;
  unitId?: string;
  status?: 'active' | 'left' | 'all';
  sort?: 'name' | '-name' | 'employeeId';
  lang?: 'sv' | 'en';
  limit: number;
  cursor?: string;
};

type Cursor = { k: string; id: string };
const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
function decodeCursor(s: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    if (typeof c.k === 'string' && typeof c.id === 'string') return c;
  } catch {}
  throw validationError([{ field: 'cursor', message: BAD_CURSOR }]);
}

/**
 * Lists persons with keyset paging on (sort key, id): the same cost on page 1 and page 1,000.
 * Search uses the trigram index on search_text; every word of the query must match. With a search
 * term the matches are found first (the trigram index, behind an OFFSET 0 fence) and then sorted:
 * otherwise the planner may walk the whole name index filtering rows, which is 50–100× slower for
 * common fragments like "lind".
 */
export async function listPersons(db: Db, a: PersonListArgs) {
  const sortCol =
    a.sort === 'employeeId' ? sql`p.employee_id` : a.lang === 'en' ? sql`p.sort_en` : sql`p.sort_sv`;
  const desc = a.sort === '-name';
  const conds: SQL[] = [];
  const status = a.status ?? 'active';
  if (status !== 'all') conds.push(sql`p.status = ${status}`);
  const words = a.q ? normaliseQuery(a.q).split(' ').filter(Boolean).slice(0, 5) : [];
  const matches = words.map(
    (word) => sql`search_text like ${`%${word.replace(/[\\%_]/g, (m) => `\\${m}`)}%`}`,
  );
  const source = matches.length
    ? sql`(select * from persons where ${sql.join(matches, sql` and `)} offset 0) p`
    : sql`persons p`;
  if (a.unitId)
    conds.push(
      sql`exists (select 1 from person_units pu where pu.person_id = p.id and pu.unit_id = ${a.unitId})`,
    );
  if (a.cursor) {
    const c = decodeCursor(a.cursor);
    conds.push(
      desc
        ? sql`(${sortCol} collate "C", p.id) < (${c.k} collate "C", ${c.id}::uuid)`
        : sql`(${sortCol} collate "C", p.id) > (${c.k} collate "C", ${c.id}::uuid)`,
    );
  }
  const where = conds.length ? sql`where ${sql.join(conds, sql` and `)}` : sql``;
  const dir = desc ? sql`desc` : sql`asc`;
  const found = await rows<{
    id: string;
    employee_id: string;
    given_name: string;
    family_name: string;
    email: string | null;
    status: 'active' | 'left';
    k: string;
  }>(
    db,
    sql`select p.id, p.employee_id, p.given_name, p.family_name, p.email, p.status, ${sortCol} as k
        from ${source} ${where}
        order by ${sortCol} collate "C" ${dir}, p.id ${dir}
        limit ${a.limit + 1}`,
  );
  const page = found.slice(0, a.limit);
  const units = await unitsOf(
    db,
    page.map((p) => p.id),
  );
  return {
    items: page.map((p) => ({
      id: p.id,
      employeeId: p.employee_id,
      givenName: p.given_name,
      familyName: p.family_name,
      displayName: `${p.given_name} ${p.family_name}`,
      email: p.email,
      status: p.status,
      units: units.get(p.id) ?? [],
    })),
    nextCursor:
      found.length > a.limit
        ? encodeCursor({ k: page[page.length - 1].k, id: page[page.length - 1].id })
        : null,
  };
}

export const PERSON_EXPORT_COLUMNS = [
  ['family_name', 'Family name', 'Efternamn'],
  ['given_name', 'Given name', 'Förnamn'],
  ['employee_id', 'Employee id', 'Anställningsnummer'],
  ['email', 'E-mail', 'E-post'],
  ['primary_unit', 'Primary unit', 'Huvudenhet'],
  ['units', 'Units', 'Enheter'],
  ['status', 'Status', 'Status'],
] as const;

/** Exactly the persons of a list (search, unit, status and order as listPersons), every page, as rows. */
export async function exportPersonRows(db: Db, a: Omit<PersonListArgs, 'limit' | 'cursor'>) {
  const out: (string | null)[][] = [];
  let cursor: string | undefined;
  do {
    const page = await listPersons(db, { ...a, limit: 1000, cursor });
    for (const p of page.items)
      out.push([
        p.familyName,
        p.givenName,
        p.employeeId,
        p.email,
        p.units.find((u) => u.isPrimary)?.name ?? '',
        p.units.map((u) => u.name).join('; '),
        p.status,
      ]);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && out.length < 200_000);
  return out;
}

async function unitsOf(db: Db, personIds: string[]) {
  const out = new Map<string, { id: string; code: string; name: string; isPrimary: boolean }[]>();
  if (!personIds.length) return out;
  const list = await db
    .select({
      personId: personUnits.personId,
      id: orgUnits.id,
      code: orgUnits.code,
      name: orgUnits.name,
      isPrimary: personUnits.isPrimary,
    })
    .from(personUnits)
    .innerJoin(orgUnits, eq(orgUnits.id, personUnits.unitId))
    .where(inArray(personUnits.personId, personIds))
    .orderBy(sql`${personUnits.isPrimary} desc`, orgUnits.name);
  for (const { personId, ...u } of list) {
    const arr = out.get(personId) ?? [];
    arr.push(u);
    out.set(personId, arr);
  }
  return out;
}

export async function getPersonRow(db: Db, id: string): Promise<PersonRow> {
  const [p] = await db.select().from(persons).where(eq(persons.id, id));
  if (!p) throw notFound('The person');
  return p;
}

export async function getPerson(db: Db, id: string) {
  const p = await getPersonRow(db, id);
  const units = (await unitsOf(db, [id])).get(id) ?? [];
  const acc = await findAccountByPerson(db, id);
  const headOf = await db
    .select({ id: orgUnits.id, name: orgUnits.name })
    .from(orgUnits)
    .where(eq(orgUnits.headPersonId, id));
  return {
    id: p.id,
    employeeId: p.employeeId,
    givenName: p.givenName,
    familyName: p.familyName,
    displayName: displayName(p),
    email: p.email,
    status: p.status,
    units,
    leftAt: p.leftAt?.toISOString() ?? null,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
    version: p.version,
    account: acc
      ? {
          id: acc.id,
          username: acc.username,
          roles: acc.roles,
          validUntil: acc.validUntil,
          disabled: acc.disabledAt !== null,
        }
      : null,
    headOf,
  };
}

export type PersonInput = {
  employeeId: string;
  givenName: string;
  familyName: string;
  email?: string | null;
  unitIds?: string[];
};

export async function createPerson(ctx: AppContext, args: { actor: Actor; input: PersonInput }) {
  const now = ctx.clock.now();
  const i = args.input;
  const id = randomUUID();
  await ctx.db.transaction(async (tx) => {
    const base = {
      employeeId: i.employeeId.trim(),
      givenName: i.givenName.trim(),
      familyName: i.familyName.trim(),
      email: i.email?.trim() || null,
    };
    const [row] = await tx
      .insert(persons)
      .values({ id, ...base, ...personDerived(base), createdAt: now, updatedAt: now })
      .returning();
    const unitIds = [...new Set(i.unitIds ?? [])];
    if (unitIds.length) {
      const found = await tx.select({ id: orgUnits.id }).from(orgUnits).where(inArray(orgUnits.id, unitIds));
      if (found.length !== unitIds.length)
        throw validationError([
          {
            field: 'unitIds',
            message: say('One of the units does not exist.', 'En av enheterna finns inte.'),
          },
        ]);
      await tx
        .insert(personUnits)
        .values(unitIds.map((unitId, n) => ({ personId: id, unitId, isPrimary: n === 0 })));
    }
    await recordAudit(tx, now, args.actor, {
      action: 'person.create',
      entityType: 'person',
      entityId: id,
      after: { ...row, unitIds },
    });
  });
  return getPerson(ctx.db, id);
}

export async function updatePerson(
  ctx: AppContext,
  args: {
    actor: Actor;
    id: string;
    ifVersion: number;
    patch: Partial<Pick<PersonInput, 'givenName' | 'familyName' | 'email' | 'employeeId'>>;
  },
) {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(persons).where(eq(persons.id, args.id));
    if (!before) throw notFound('The person');
    const merged = {
      employeeId: args.patch.employeeId?.trim() ?? before.employeeId,
      givenName: args.patch.givenName?.trim() ?? before.givenName,
      familyName: args.patch.familyName?.trim() ?? before.familyName,
      email: args.patch.email === undefined ? before.email : args.patch.email?.trim() || null,
    };
    const [after] = await tx
      .update(persons)
      .set({ ...merged, ...personDerived(merged), version: sql`${persons.version} + 1`, updatedAt: now })
      .where(and(eq(persons.id, args.id), eq(persons.version, args.ifVersion)))
      .returning();
    if (!after) throw preconditionFailed();
    await recordAudit(tx, now, args.actor, {
      action: 'person.update',
      entityType: 'person',
      entityId: args.id,
      before,
      after,
    });
  });
  invalidateTokenCache(ctx.database); // the name is part of a cached API token's account
  return getPerson(ctx.db, args.id);
}

/** E2: a person who leaves is deactivated, never deleted; their account's sessions end at once. */
export async function markPersonLeft(ctx: AppContext, args: { actor: Actor; id: string }) {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(persons).where(eq(persons.id, args.id));
    if (!before) throw notFound('The person');
    const [after] = await tx
      .update(persons)
      .set({ status: 'left', leftAt: now, version: sql`${persons.version} + 1`, updatedAt: now })
      .where(and(eq(persons.id, args.id), eq(persons.status, 'active')))
      .returning();
    if (!after) throw conflict(say('This person has already left.', 'Personen har redan slutat.'));
    await endSessionsForPersons(tx, [args.id], now);
    // A6/G10: their grants get revocation orders, in this transaction.
    await revokeGrantsOfLeavers(tx, now, args.actor, [args.id]);
    await recordAudit(tx, now, args.actor, {
      action: 'person.leave',
      entityType: 'person',
      entityId: args.id,
      before,
      after,
    });
  });
  invalidateTokenCache(ctx.database); // their API tokens stop working in this process at once
  return getPerson(ctx.db, args.id);
}

/** Whether the person is the head of the unit (for the policy). */
export async function isHeadOfUnit(db: Db, personId: string | null, unitId: string, today: string) {
  if (!personId) return false;
  const [r] = await rows(db, sql`select 1 where ${headOfSql(sql`${unitId}::uuid`, personId, today)}`);
  return Boolean(r);
}

/**
 * SQL: whether the person heads the unit `unit` (an SQL expression of its id) on `today`: as its head,
 * or as its acting head during the head's absence (V1). Every check of "the unit's head" goes through
 * this, so an acting head has the head's rights for those days and no others.
 */
export const headOfSql = (unit: SQL, personId: string | null | SQL, today: string | SQL) =>
  sql`(exists (select 1 from org_units hx where hx.id = ${unit} and hx.head_person_id = ${personId}::uuid)
    or exists (select 1 from org_acting_heads ah where ah.unit_id = ${unit} and ah.person_id = ${personId}::uuid
      and ah.withdrawn_at is null and ah.valid_from <= ${today}::date and ah.valid_until >= ${today}::date))`;

/** The active units the person heads (not as acting head): what they hand over while away (V1). */
export async function unitsHeadedBy(db: Db, personId: string) {
  return rows<{ id: string; name: string }>(
    db,
    sql`select id, name from org_units where head_person_id = ${personId} and status = 'active' order by name`,
  );
}

/**
 * V1: the acting head of a unit for the days of its head's absence. Written in the caller's
 * transaction (the coverage service's), audited there; nobody acts for themselves (a check in SQL).
 */
export async function appointActingHead(
  tx: Db,
  now: Date,
  actor: Actor,
  a: { unitId: string; personId: string; forPersonId: string; validFrom: string; validUntil: string },
) {
  const id = randomUUID();
  await tx.execute(
    sql`insert into org_acting_heads (id, unit_id, person_id, for_person_id, valid_from, valid_until,
          appointed_by_label, appointed_at)
        values (${id}, ${a.unitId}, ${a.personId}, ${a.forPersonId}, ${a.validFrom}::date, ${a.validUntil}::date,
          ${actor.label}, ${now})`,
  );
  await recordAudit(tx, now, actor, {
    action: 'org_unit.acting-head.appoint',
    entityType: 'org_unit',
    entityId: a.unitId,
    after: { id, ...a },
  });
  return id;
}

/**
 * V1: an acting head acts through `lastDay` at most (the absence was cancelled or ended early). An
 * appointment that would begin after that day is withdrawn at once; the row stays as history.
 */
export async function endActingHead(tx: Db, now: Date, actor: Actor, id: string, lastDay: string) {
  const [before] = await rows<{ unit_id: string; valid_from: string; valid_until: string }>(
    tx,
    sql`select unit_id, valid_from::text, valid_until::text from org_acting_heads
        where id = ${id} and withdrawn_at is null`,
  );
  if (!before || before.valid_until <= lastDay) return;
  if (before.valid_from > lastDay)
    await tx.execute(sql`update org_acting_heads set withdrawn_at = ${now} where id = ${id}`);
  else await tx.execute(sql`update org_acting_heads set valid_until = ${lastDay}::date where id = ${id}`);
  await recordAudit(tx, now, actor, {
    action: 'org_unit.acting-head.withdraw',
    entityType: 'org_unit',
    entityId: before.unit_id,
    before: { id, validFrom: before.valid_from, validUntil: before.valid_until },
    after: before.valid_from > lastDay ? undefined : { id, validUntil: lastDay },
  });
}

/** Whether `headPersonId` heads one of the units `personId` belongs to (V1: they register the absence). */
export async function headsUnitOf(db: Db, headPersonId: string | null, personId: string, today: string) {
  if (!headPersonId) return false;
  const [r] = await rows(
    db,
    sql`select 1 from person_units pu where pu.person_id = ${personId}
          and ${headOfSql(sql`pu.unit_id`, headPersonId, today)} limit 1`,
  );
  return Boolean(r);
}

export async function findPersonByEmployeeId(db: Db, employeeId: string) {
  const [p] = await db.select().from(persons).where(eq(persons.employeeId, employeeId));
  return p ?? null;
}

// ---- identity editors (V3) -------------------------------------------------------------------------

export type IdentityEditor = {
  id: string;
  unit: { id: string; name: string };
  person: { id: string; displayName: string; status: string };
  appointedBy: string;
  appointedAt: string;
};

/** V3: the current identity editors of a unit (or one appointment), by name. */
export async function listIdentityEditors(db: Db, f: { unitId?: string; id?: string }) {
  const conds: SQL[] = [sql`e.ended_at is null`];
  if (f.unitId) conds.push(sql`e.unit_id = ${f.unitId}`);
  if (f.id) conds.push(sql`e.id = ${f.id}`);
  const found = await rows<{
    id: string;
    unit_id: string;
    unit_name: string;
    person_id: string;
    person_name: string;
    person_status: string;
    appointed_by_label: string;
    appointed_at: Date | string;
  }>(
    db,
    sql`select e.id, u.id as unit_id, u.name as unit_name, p.id as person_id,
          p.given_name || ' ' || p.family_name as person_name, p.status as person_status,
          e.appointed_by_label, e.appointed_at
        from org_identity_editors e join org_units u on u.id = e.unit_id join persons p on p.id = e.person_id
        where ${sql.join(conds, sql` and `)}
        order by p.sort_sv collate "C", e.id`,
  );
  return found.map(
    (r): IdentityEditor => ({
      id: r.id,
      unit: { id: r.unit_id, name: r.unit_name },
      person: { id: r.person_id, displayName: r.person_name, status: r.person_status },
      appointedBy: r.appointed_by_label,
      appointedAt: new Date(r.appointed_at).toISOString(),
    }),
  );
}

/** V3: the units whose persons the person may create and edit as identity editor. */
export async function identityEditorUnitIds(db: Db, personId: string | null): Promise<string[]> {
  if (!personId) return [];
  const found = await rows<{ unit_id: string }>(
    db,
    sql`select e.unit_id from org_identity_editors e join persons p on p.id = e.person_id
        where e.person_id = ${personId} and e.ended_at is null and p.status = 'active'`,
  );
  return found.map((r) => r.unit_id);
}

/**
 * V3: whether the person writes as identity editor: a new person (`unitIds`: every unit they are to
 * belong to, at least one, must be one of the editor's) or an existing one (`personId`: they belong to
 * one of the editor's units, and are not an administrator, whose identity stays with administrators).
 */
export async function writesAsIdentityEditor(
  db: Db,
  editorPersonId: string | null,
  target: { unitIds: string[] } | { personId: string },
) {
  const mine = new Set(await identityEditorUnitIds(db, editorPersonId));
  if (!mine.size) return false;
  if ('unitIds' in target) return target.unitIds.length > 0 && target.unitIds.every((u) => mine.has(u));
  const theirs = await rows<{ unit_id: string }>(
    db,
    sql`select unit_id from person_units where person_id = ${target.personId}`,
  );
  if (!theirs.some((r) => mine.has(r.unit_id))) return false;
  const account = await findAccountByPerson(db, target.personId);
  return !account?.roles.includes('administrator');
}

/** V3 in the database: one current appointment per unit and person, and nobody appoints themselves. */
const { guarded: guardedEditors } = constraintTranslator({
  unique: {
    org_identity_editors_current_key: {
      field: 'personId',
      message: say(
        'The person is already an identity editor of this unit.',
        'Personen är redan identitetsredigerare för enheten.',
      ),
    },
  },
  checks: {
    org_identity_editors_not_self: {
      field: 'personId',
      message: say(
        'You cannot appoint yourself identity editor. Ask the head of the unit or an administrator.',
        'Du kan inte utse dig själv till identitetsredigerare. Be enhetens chef eller en administratör.',
      ),
      rule: 'V3',
      status: 403,
    },
  },
});

/** V3: appoints an identity editor of a unit (by its head or an administrator; the policy refuses oneself). */
export async function appointIdentityEditor(
  ctx: AppContext,
  args: { actor: Actor; unitId: string; personId: string },
) {
  const now = ctx.clock.now();
  const id = randomUUID();
  await guardedEditors(() =>
    ctx.db.transaction(async (tx) => {
      const [unit] = await tx.select({ id: orgUnits.id }).from(orgUnits).where(eq(orgUnits.id, args.unitId));
      if (!unit) throw notFound('The org unit');
      const [p] = await tx
        .select({ status: persons.status })
        .from(persons)
        .where(eq(persons.id, args.personId));
      if (!p)
        throw validationError([
          { field: 'personId', message: say('No such person.', 'Personen finns inte.') },
        ]);
      if (p.status !== 'active')
        throw validationError([
          {
            field: 'personId',
            message: say('The person has left the organisation.', 'Personen har lämnat organisationen.'),
          },
        ]);
      await tx.execute(
        sql`insert into org_identity_editors (id, unit_id, person_id, appointed_by_person_id, appointed_by_label,
            appointed_at)
          values (${id}, ${args.unitId}, ${args.personId}, ${args.actor.personId}, ${args.actor.label}, ${now})`,
      );
      await recordAudit(tx, now, args.actor, {
        action: 'identity-editor.appoint',
        entityType: 'org_unit',
        entityId: args.unitId,
        after: { id, personId: args.personId },
      });
    }),
  );
  return (await listIdentityEditors(ctx.db, { id }))[0];
}

/** The unit of a current appointment (for the policy), or 404. */
export async function identityEditorRef(db: Db, id: string) {
  const [e] = await listIdentityEditors(db, { id });
  if (!e) throw notFound('The identity editor appointment');
  return e;
}

/** V3: ends an appointment; it stays as history. */
export async function endIdentityEditor(ctx: AppContext, args: { actor: Actor; id: string }) {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const ended = await rows<{ unit_id: string; person_id: string }>(
      tx,
      sql`update org_identity_editors set ended_at = ${now}, ended_by_label = ${args.actor.label}
          where id = ${args.id} and ended_at is null returning unit_id, person_id`,
    );
    if (!ended.length) throw notFound('The identity editor appointment');
    await recordAudit(tx, now, args.actor, {
      action: 'identity-editor.end',
      entityType: 'org_unit',
      entityId: ended[0].unit_id,
      before: { id: args.id, personId: ended[0].person_id },
    });
  });
}

const auditPersonName = (alias: string) => sql.raw(`${alias}.given_name || ' ' || ${alias}.family_name`);

/** Audit log: what people recognise this module's objects by (see audit.labels.ts). */
export const orgAuditLabels: AuditLabelSql = {
  person: (ids) => sql`select x.id, ${auditPersonName('x')} as label from persons x where x.id = any(${ids})`,
  org_unit: (ids) => sql`select x.id, x.name as label from org_units x where x.id = any(${ids})`,
};
