// HR import of org units and persons. The whole file is validated first; the difference against
// the database is computed in memory from one read of each table; only changes are written, with
// bulk statements, in one transaction, each with its audit event. Re-importing the same file
// writes nothing. People missing from the file are marked as left (E2: never deleted).
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { pgArray } from '../../../db/arrays.ts';
import { type Db, rows as query } from '../../../db/client.ts';
import type { Actor, AppContext } from '../../../platform/context.ts';
import { endSessionsForPersons } from '../../accounts/accounts.service.ts';
import { type AuditInput, recordAudit, recordAuditMany } from '../../audit/audit.service.ts';
import type { UNIT_KINDS } from '../org.tables.ts';
import { personDerived } from '../person-keys.ts';
import { type ImportRow, type ImportRowError, parseOrgFile, type UnitMention } from './import.parse.ts';

export type { ImportRowError };
export type ImportCounts = {
  unitsCreated: number;
  unitsUpdated: number;
  personsCreated: number;
  personsUpdated: number;
  personsLeft: number;
  personsUnchanged: number;
};
export type ImportResult =
  | { ok: true; dryRun: boolean; counts: ImportCounts; leftPersonIds: string[] }
  | { ok: false; errors: ImportRowError[] };

type Kind = (typeof UNIT_KINDS)[number];

/**
 * What a bulk load drops first and rebuilds at the end, exactly as the migrations create it (a test
 * checks that pg_indexes and pg_constraint are the same before and after a bulk import). Rebuilding
 * an index, or validating a foreign key with one join, is several times faster than maintaining it
 * row by row (the trigram index above all).
 */
export const BULK_REBUILD: { drop: string; create: string }[] = [
  {
    drop: 'drop index persons_sort_sv_idx',
    create: 'CREATE INDEX "persons_sort_sv_idx" ON "persons" USING btree ("sort_sv" collate "C","id")',
  },
  {
    drop: 'drop index persons_sort_en_idx',
    create: 'CREATE INDEX "persons_sort_en_idx" ON "persons" USING btree ("sort_en" collate "C","id")',
  },
  {
    drop: 'drop index persons_search_trgm_idx',
    create: 'CREATE INDEX "persons_search_trgm_idx" ON "persons" USING gin ("search_text" gin_trgm_ops)',
  },
  {
    drop: 'drop index person_units_unit_idx',
    create: 'CREATE INDEX "person_units_unit_idx" ON "person_units" USING btree ("unit_id")',
  },
  {
    drop: 'alter table person_units drop constraint person_units_person_id_unit_id_pk',
    create:
      'ALTER TABLE "person_units" ADD CONSTRAINT "person_units_person_id_unit_id_pk" PRIMARY KEY("person_id","unit_id")',
  },
  {
    drop: 'alter table person_units drop constraint person_units_person_id_persons_id_fk',
    create:
      'ALTER TABLE "person_units" ADD CONSTRAINT "person_units_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action',
  },
  {
    drop: 'alter table person_units drop constraint person_units_unit_id_org_units_id_fk',
    create:
      'ALTER TABLE "person_units" ADD CONSTRAINT "person_units_unit_id_org_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action',
  },
];
type DbUnit = {
  id: string;
  code: string;
  name: string;
  kind: Kind;
  parent_id: string | null;
  head_person_id: string | null;
};
type DbPerson = {
  id: string;
  employee_id: string;
  given_name: string;
  family_name: string;
  email: string | null;
  status: 'active' | 'left';
};
type Membership = { unitId: string; title: string | null; isPrimary: boolean };
type DesiredPerson = {
  employeeId: string;
  givenName: string;
  familyName: string;
  email: string | null;
  memberships: { unitCode: string; title: string | null; primary: boolean | null }[];
  line: number;
};

const membershipKey = (ms: Membership[]) =>
  ms
    .map((m) => `${m.unitId}|${m.title ?? ''}|${m.isPrimary ? 1 : 0}`)
    .sort()
    .join(';');

export async function importOrg(
  ctx: AppContext,
  args: { actor: Actor; data: Buffer; filename: string; dryRun?: boolean },
): Promise<ImportResult> {
  const parsed = await parseOrgFile(args.data, args.filename);
  if (parsed.errors.some((e) => e.field === 'file' || e.line === 1))
    return { ok: false, errors: parsed.errors };
  const run = async (tx: Db): Promise<ImportResult> => {
    const plan = await planImport(tx, parsed.rows, parsed.units);
    const errors = [...parsed.errors, ...(plan.ok ? [] : plan.errors)];
    if (errors.length) return { ok: false, errors: errors.sort((a, b) => a.line - b.line) };
    if (!plan.ok) return plan;
    if (!args.dryRun) await applyPlan(tx, ctx.clock.now(), args.actor, plan, args.filename);
    return {
      ok: true as const,
      dryRun: Boolean(args.dryRun),
      counts: plan.counts,
      leftPersonIds: plan.left.map((p) => p.id),
    };
  };
  // Read and write in one transaction, so the plan is applied to exactly what it was computed from.
  return ctx.db.transaction(async (tx) => {
    if (ctx.database.kind === 'postgres') {
      // One import at a time: a second one waits rather than computing a plan from stale data.
      await tx.execute(sql`select pg_advisory_xact_lock(726201)`);
    }
    return run(tx);
  });
}

type Plan = Awaited<ReturnType<typeof planImport>> & { ok: true };

async function planImport(db: Db, rows: ImportRow[], mentions: UnitMention[]) {
  const errors: ImportRowError[] = [];
  const units = await query<DbUnit>(
    db,
    sql`select id, code, name, kind, parent_id, head_person_id from org_units`,
  );
  const persons = await query<DbPerson>(
    db,
    sql`select id, employee_id, given_name, family_name, email, status from persons`,
  );
  const memberships = await query<{
    person_id: string;
    unit_id: string;
    title: string | null;
    is_primary: boolean;
  }>(db, sql`select person_id, unit_id, title, is_primary from person_units`);
  const unitByCode = new Map(units.map((u) => [u.code, u]));
  const personByEmp = new Map(persons.map((p) => [p.employee_id, p]));

  // ---- units ----
  type DesiredUnit = {
    code: string;
    name: string | null;
    parentCode: string | null;
    kind: Kind | null;
    line: number;
  };
  const desiredUnits = new Map<string, DesiredUnit>();
  const heads = new Map<string, { employeeId: string; line: number }>();
  for (const r of rows) {
    const d = desiredUnits.get(r.unitCode);
    if (!d)
      desiredUnits.set(r.unitCode, {
        code: r.unitCode,
        name: r.unitName,
        parentCode: r.parentCode,
        kind: r.unitKind,
        line: r.line,
      });
    else {
      d.name ??= r.unitName;
      d.parentCode ??= r.parentCode;
      d.kind ??= r.unitKind;
    }
    if (r.head) {
      const h = heads.get(r.unitCode);
      if (h && h.employeeId !== r.employeeId)
        errors.push({
          line: r.line,
          column: 'head',
          field: 'head',
          message: `Unit ${r.unitCode} already has a head on line ${h.line}.`,
        });
      else heads.set(r.unitCode, { employeeId: r.employeeId, line: r.line });
    }
  }
  // Names and parents given on rows that are bad for other reasons still count here.
  const named = new Set(mentions.filter((m) => m.unitName).map((m) => m.unitCode));
  for (const d of desiredUnits.values()) {
    if (!d.name && !unitByCode.has(d.code) && !named.has(d.code))
      errors.push({
        line: d.line,
        column: 'unit_name',
        field: 'unitName',
        message: `Unit ${d.code} has no name and does not exist yet.`,
      });
    if (d.parentCode && !desiredUnits.has(d.parentCode) && !unitByCode.has(d.parentCode))
      errors.push({
        line: d.line,
        column: 'parent_unit_code',
        field: 'parentCode',
        message: `Parent unit ${d.parentCode} is not in the file or in Steward.`,
      });
    if (d.parentCode === d.code)
      errors.push({
        line: d.line,
        column: 'parent_unit_code',
        field: 'parentCode',
        message: `Unit ${d.code} cannot be its own parent.`,
      });
  }
  // Cycle check over the resulting tree (file values override the database).
  const unitById = new Map(units.map((u) => [u.id, u]));
  const parentCodeOf = (code: string): string | null => {
    const d = desiredUnits.get(code);
    if (d?.parentCode) return d.parentCode;
    const u = unitByCode.get(code);
    return u?.parent_id ? (unitById.get(u.parent_id)?.code ?? null) : null;
  };
  for (const d of desiredUnits.values()) {
    const seen = new Set([d.code]);
    let p = parentCodeOf(d.code);
    while (p) {
      if (seen.has(p)) {
        errors.push({
          line: d.line,
          column: 'parent_unit_code',
          field: 'parentCode',
          message: `Unit ${d.code} would be its own ancestor.`,
        });
        break;
      }
      seen.add(p);
      p = parentCodeOf(p);
    }
  }

  // ---- persons ----
  const desiredPersons = new Map<string, DesiredPerson>();
  for (const r of rows) {
    let d = desiredPersons.get(r.employeeId);
    if (!d) {
      d = {
        employeeId: r.employeeId,
        givenName: r.givenName,
        familyName: r.familyName,
        email: r.email,
        memberships: [],
        line: r.line,
      };
      desiredPersons.set(r.employeeId, d);
    }
    d.email ??= r.email;
    d.memberships.push({ unitCode: r.unitCode, title: r.title, primary: r.primary });
  }
  if (errors.length) return { ok: false as const, errors: errors.sort((a, b) => a.line - b.line) };

  // Units to create and update; new ids are made now so persons can refer to them.
  const unitId = new Map<string, string>(units.map((u) => [u.code, u.id]));
  const newUnits: { id: string; code: string; name: string; kind: Kind }[] = [];
  for (const d of desiredUnits.values()) {
    if (!unitByCode.has(d.code)) {
      const id = randomUUID();
      unitId.set(d.code, id);
      newUnits.push({ id, code: d.code, name: d.name!, kind: d.kind ?? 'unit' });
    }
  }
  // Persons to create and update.
  const personId = new Map<string, string>(persons.map((p) => [p.employee_id, p.id]));
  const currentMemberships = new Map<string, Membership[]>();
  for (const m of memberships) {
    const list = currentMemberships.get(m.person_id) ?? [];
    list.push({ unitId: m.unit_id, title: m.title, isPrimary: m.is_primary });
    currentMemberships.set(m.person_id, list);
  }
  const created: (DesiredPerson & { id: string; ms: Membership[] })[] = [];
  const updated: {
    before: DbPerson;
    after: DesiredPerson;
    ms: Membership[];
    msChanged: boolean;
    beforeMs: Membership[];
  }[] = [];
  let unchanged = 0;
  for (const d of desiredPersons.values()) {
    const explicit = d.memberships.findIndex((m) => m.primary === true);
    const ms: Membership[] = d.memberships.map((m, i) => ({
      unitId: unitId.get(m.unitCode)!,
      title: m.title,
      isPrimary: explicit >= 0 ? i === explicit : i === 0,
    }));
    const existing = personByEmp.get(d.employeeId);
    if (!existing) {
      const id = randomUUID();
      personId.set(d.employeeId, id);
      created.push({ ...d, id, ms });
      continue;
    }
    const beforeMs = currentMemberships.get(existing.id) ?? [];
    const msChanged = membershipKey(beforeMs) !== membershipKey(ms);
    const fieldsChanged =
      existing.given_name !== d.givenName ||
      existing.family_name !== d.familyName ||
      (existing.email ?? null) !== (d.email ?? null) ||
      existing.status !== 'active';
    if (fieldsChanged || msChanged) updated.push({ before: existing, after: d, ms, msChanged, beforeMs });
    else unchanged++;
  }
  const left = persons.filter((p) => p.status === 'active' && !desiredPersons.has(p.employee_id));

  // Unit changes: name, kind, parent and head.
  const unitUpdates: {
    before: DbUnit;
    name: string;
    kind: Kind;
    parentId: string | null;
    headId: string | null;
  }[] = [];
  const newUnitLinks: { id: string; parentId: string | null; headId: string | null }[] = [];
  for (const d of desiredUnits.values()) {
    const parentId = d.parentCode ? unitId.get(d.parentCode)! : null;
    const head = heads.get(d.code);
    const headId = head ? personId.get(head.employeeId)! : null;
    const u = unitByCode.get(d.code);
    if (!u) {
      newUnitLinks.push({ id: unitId.get(d.code)!, parentId, headId });
      continue;
    }
    const next = {
      name: d.name ?? u.name,
      kind: d.kind ?? u.kind,
      parentId: d.parentCode ? parentId : u.parent_id,
      headId: head ? headId : u.head_person_id,
    };
    if (
      next.name !== u.name ||
      next.kind !== u.kind ||
      next.parentId !== u.parent_id ||
      next.headId !== u.head_person_id
    )
      unitUpdates.push({ before: u, ...next });
  }
  const counts: ImportCounts = {
    unitsCreated: newUnits.length,
    unitsUpdated: unitUpdates.length,
    personsCreated: created.length,
    personsUpdated: updated.length,
    personsLeft: left.length,
    personsUnchanged: unchanged,
  };
  return {
    ok: true as const,
    counts,
    newUnits,
    newUnitLinks,
    unitUpdates,
    created,
    updated,
    left,
    existingPersons: persons.length,
  };
}

async function applyPlan(tx: Db, now: Date, actor: Actor, plan: Plan, filename: string) {
  const { counts } = plan;
  const nothing = Object.entries(counts).every(([k, v]) => k === 'personsUnchanged' || v === 0);
  if (nothing) return;
  const audit: AuditInput[] = [];
  const CHUNK = 5000;
  const chunks = <T>(list: T[]) => {
    const out: T[][] = [];
    for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
    return out;
  };

  // A large load into a small table (a first import) builds indexes and checks foreign keys once at
  // the end (BULK_REBUILD).
  const bulk = plan.created.length >= 5000 && plan.created.length >= plan.existingPersons;
  if (bulk) for (const b of BULK_REBUILD) await tx.execute(sql.raw(b.drop));

  // 1. New units (without parent/head: those refer to rows created below).
  for (const c of chunks(plan.newUnits)) {
    await tx.execute(sql`insert into org_units (id, code, name, kind, created_at, updated_at)
      select id, code, name, kind, ${now}::timestamptz, ${now}::timestamptz
      from unnest(${pgArray(
        c.map((u) => u.id),
        'uuid',
      )}, ${pgArray(
        c.map((u) => u.code),
        'text',
      )}, ${pgArray(
        c.map((u) => u.name),
        'text',
      )}, ${pgArray(
        c.map((u) => u.kind),
        'text',
      )}) as v(id, code, name, kind)`);
  }
  for (const u of plan.newUnits)
    audit.push({ action: 'org_unit.create', entityType: 'org_unit', entityId: u.id, after: u });

  // 2. New persons.
  for (const c of chunks(plan.created)) {
    const derived = c.map((p) => personDerived(p));
    await tx.execute(sql`insert into persons (id, employee_id, given_name, family_name, email, sort_sv, sort_en, search_text, created_at, updated_at)
      select id, employee_id, given_name, family_name, email, sort_sv, sort_en, search_text, ${now}::timestamptz, ${now}::timestamptz
      from unnest(${pgArray(
        c.map((p) => p.id),
        'uuid',
      )}, ${pgArray(
        c.map((p) => p.employeeId),
        'text',
      )}, ${pgArray(
        c.map((p) => p.givenName),
        'text',
      )}, ${pgArray(
        c.map((p) => p.familyName),
        'text',
      )}, ${pgArray(
        c.map((p) => p.email),
        'text',
      )}, ${pgArray(
        derived.map((d) => d.sortSv),
        'text',
      )}, ${pgArray(
        derived.map((d) => d.sortEn),
        'text',
      )}, ${pgArray(
        derived.map((d) => d.searchText),
        'text',
      )}) as v(id, employee_id, given_name, family_name, email, sort_sv, sort_en, search_text)`);
  }
  for (const p of plan.created)
    audit.push({
      action: 'person.create',
      entityType: 'person',
      entityId: p.id,
      after: {
        employeeId: p.employeeId,
        givenName: p.givenName,
        familyName: p.familyName,
        email: p.email,
        units: p.memberships.map((m) => m.unitCode),
      },
    });

  // 3. Changed persons (fields; a leaver who reappears becomes active again).
  for (const c of chunks(plan.updated)) {
    const derived = c.map((u) => personDerived({ ...u.after, employeeId: u.before.employee_id }));
    await tx.execute(sql`update persons p set given_name = v.given_name, family_name = v.family_name, email = v.email,
        sort_sv = v.sort_sv, sort_en = v.sort_en, search_text = v.search_text,
        status = 'active', left_at = null, version = p.version + 1, updated_at = ${now}::timestamptz
      from unnest(${pgArray(
        c.map((u) => u.before.id),
        'uuid',
      )}, ${pgArray(
        c.map((u) => u.after.givenName),
        'text',
      )}, ${pgArray(
        c.map((u) => u.after.familyName),
        'text',
      )}, ${pgArray(
        c.map((u) => u.after.email),
        'text',
      )}, ${pgArray(
        derived.map((d) => d.sortSv),
        'text',
      )}, ${pgArray(
        derived.map((d) => d.sortEn),
        'text',
      )}, ${pgArray(
        derived.map((d) => d.searchText),
        'text',
      )}) as v(id, given_name, family_name, email, sort_sv, sort_en, search_text)
      where p.id = v.id`);
  }
  for (const u of plan.updated)
    audit.push({
      action: 'person.update',
      entityType: 'person',
      entityId: u.before.id,
      before: {
        givenName: u.before.given_name,
        familyName: u.before.family_name,
        email: u.before.email,
        status: u.before.status,
        ...(u.msChanged && { memberships: u.beforeMs }),
      },
      after: {
        givenName: u.after.givenName,
        familyName: u.after.familyName,
        email: u.after.email,
        status: 'active',
        ...(u.msChanged && { memberships: u.ms }),
      },
    });

  // 4. Memberships of new persons and of persons whose memberships changed.
  const changedMs = plan.updated.filter((u) => u.msChanged);
  for (const c of chunks(changedMs)) {
    await tx.execute(
      sql`delete from person_units where person_id = any(${pgArray(
        c.map((u) => u.before.id),
        'uuid',
      )})`,
    );
  }
  const msRows = [
    ...plan.created.flatMap((p) => p.ms.map((m) => ({ personId: p.id, ...m }))),
    ...changedMs.flatMap((u) => u.ms.map((m) => ({ personId: u.before.id, ...m }))),
  ];
  for (const c of chunks(msRows)) {
    await tx.execute(sql`insert into person_units (person_id, unit_id, title, is_primary)
      select * from unnest(${pgArray(
        c.map((m) => m.personId),
        'uuid',
      )}, ${pgArray(
        c.map((m) => m.unitId),
        'uuid',
      )}, ${pgArray(
        c.map((m) => m.title),
        'text',
      )}, ${pgArray(
        c.map((m) => m.isPrimary),
        'boolean',
      )})`);
  }

  if (bulk) for (const b of BULK_REBUILD) await tx.execute(sql.raw(b.create));

  // 5. Parents and heads of new units, and changes to existing units.
  const links = plan.newUnitLinks.filter((l) => l.parentId || l.headId);
  for (const c of chunks(links)) {
    await tx.execute(sql`update org_units u set parent_id = v.parent_id, head_person_id = v.head_id
      from unnest(${pgArray(
        c.map((l) => l.id),
        'uuid',
      )}, ${pgArray(
        c.map((l) => l.parentId),
        'uuid',
      )}, ${pgArray(
        c.map((l) => l.headId),
        'uuid',
      )}) as v(id, parent_id, head_id) where u.id = v.id`);
  }
  for (const c of chunks(plan.unitUpdates)) {
    await tx.execute(sql`update org_units u set name = v.name, kind = v.kind, parent_id = v.parent_id,
        head_person_id = v.head_id, version = u.version + 1, updated_at = ${now}::timestamptz
      from unnest(${pgArray(
        c.map((x) => x.before.id),
        'uuid',
      )}, ${pgArray(
        c.map((x) => x.name),
        'text',
      )}, ${pgArray(
        c.map((x) => x.kind),
        'text',
      )}, ${pgArray(
        c.map((x) => x.parentId),
        'uuid',
      )}, ${pgArray(
        c.map((x) => x.headId),
        'uuid',
      )}) as v(id, name, kind, parent_id, head_id) where u.id = v.id`);
  }
  for (const x of plan.unitUpdates)
    audit.push({
      action: 'org_unit.update',
      entityType: 'org_unit',
      entityId: x.before.id,
      before: {
        name: x.before.name,
        kind: x.before.kind,
        parentId: x.before.parent_id,
        headPersonId: x.before.head_person_id,
      },
      after: { name: x.name, kind: x.kind, parentId: x.parentId, headPersonId: x.headId },
    });

  // 6. People missing from the file have left: deactivated, never deleted; their sessions end.
  const leftIds = plan.left.map((p) => p.id);
  for (const c of chunks(leftIds)) {
    await tx.execute(sql`update persons set status = 'left', left_at = ${now}::timestamptz, version = version + 1,
      updated_at = ${now}::timestamptz where id = any(${pgArray(c, 'uuid')}) and status = 'active'`);
  }
  await endSessionsForPersons(tx, leftIds, now);
  for (const p of plan.left)
    audit.push({
      action: 'person.leave',
      entityType: 'person',
      entityId: p.id,
      before: { status: 'active' },
      after: { status: 'left' },
    });

  await recordAuditMany(tx, now, actor, audit);
  await recordAudit(tx, now, actor, {
    action: 'import.org',
    entityType: 'import',
    entityId: filename,
    after: { filename, counts },
  });
}
