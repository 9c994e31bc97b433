// HR import of org units and persons. The whole file is validated first; the difference against
// the database is computed in memory from one read of each table; only changes are written, with
// bulk statements (whole columns as array parameters), in one transaction, each with its audit event
// (E1). Re-importing the same file writes nothing. People missing from the file are marked as left
// (E2: never deleted, their names stay on history) and their sessions end.
import { randomUUID } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import { type Db, rows as query } from '../../../db/client.ts';
import type { Actor, AppContext } from '../../../platform/context.ts';
import { say, type Text } from '../../../platform/text.ts';
import { revokeGrantsOfLeavers } from '../../access/access.service.ts';
import { endSessionsForPersons, invalidateTokenCache } from '../../accounts/accounts.service.ts';
import { type AuditInput, recordAuditMany } from '../../audit/audit.service.ts';
import { personDerived } from '../person-keys.ts';
import {
  type ImportField,
  type ImportRow,
  type ImportRowError,
  type ParsedOrgFile,
  parseOrgFile,
  type UnitKind,
} from './import.parse.ts';

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
  kind: UnitKind;
  parentId: string | null;
  headId: string | null;
};
type DbPerson = {
  id: string;
  employeeId: string;
  givenName: string;
  familyName: string;
  email: string | null;
  status: 'active' | 'left';
};
type Membership = { unitId: string; title: string | null; isPrimary: boolean };
type Current = { units: DbUnit[]; persons: DbPerson[]; memberships: Map<string, Membership[]> };

type NewPerson = Omit<DbPerson, 'status'> & { ms: Membership[] };
type PersonUpdate = { before: DbPerson; after: NewPerson; beforeMs: Membership[]; msChanged: boolean };
type Plan = {
  counts: ImportCounts;
  newUnits: DbUnit[];
  unitUpdates: { before: DbUnit; after: DbUnit }[];
  created: NewPerson[];
  updated: PersonUpdate[];
  left: DbPerson[];
  existingPersons: number;
  codeOf: Map<string, string>;
};

/** Imports an HR file; see README "HR import" for the format. Nothing is written if any row is bad. */
export async function importOrg(
  ctx: AppContext,
  args: { actor: Actor; data: Buffer; filename: string; dryRun?: boolean },
): Promise<ImportResult> {
  const parsed = await parseOrgFile(args.data, args.filename);
  if (parsed.fatal) return { ok: false, errors: parsed.errors };
  // Read, compare and write in one transaction, so the plan is applied to exactly what it was made from.
  const result = await ctx.db.transaction(async (tx): Promise<ImportResult> => {
    if (ctx.database.kind === 'postgres') {
      // One import at a time: a second one waits rather than planning from data about to change.
      await tx.execute(sql`select pg_advisory_xact_lock(726201)`);
    }
    const plan = planImport(await readCurrent(tx), parsed);
    const errors = [...parsed.errors, ...('errors' in plan ? plan.errors : [])];
    if (errors.length || 'errors' in plan)
      return { ok: false, errors: errors.sort((a, b) => a.line - b.line) };
    if (!args.dryRun) await applyPlan(tx, ctx.clock.now(), args.actor, plan, args.filename, parsed);
    return {
      ok: true,
      dryRun: Boolean(args.dryRun),
      counts: plan.counts,
      leftPersonIds: plan.left.map((p) => p.id),
    };
  });
  // Leavers and renamed people: API tokens cached in this process are read again (the commit's
  // notification clears every other process's cache).
  if (result.ok && !args.dryRun) invalidateTokenCache(ctx.database);
  return result;
}

/** All rows of a query as one JSON text: several times faster than row by row on PGlite. */
async function readAll<T extends unknown[]>(db: Db, columns: string, from: string): Promise<T[]> {
  const [r] = await query<{ j: string }>(
    db,
    sql.raw(`select coalesce(json_agg(json_build_array(${columns})), '[]')::text as j from ${from}`),
  );
  return JSON.parse(r.j) as T[];
}

async function readCurrent(db: Db): Promise<Current> {
  type U = [string, string, string, UnitKind, string | null, string | null];
  type P = [string, string, string, string, string | null, 'active' | 'left'];
  type M = [string, string, string | null, boolean];
  const units = (await readAll<U>(db, 'id, code, name, kind, parent_id, head_person_id', 'org_units')).map(
    ([id, code, name, kind, parentId, headId]) => ({ id, code, name, kind, parentId, headId }),
  );
  const persons = (
    await readAll<P>(db, 'id, employee_id, given_name, family_name, email, status', 'persons')
  ).map(([id, employeeId, givenName, familyName, email, status]) => ({
    id,
    employeeId,
    givenName,
    familyName,
    email,
    status,
  }));
  const memberships = new Map<string, Membership[]>();
  for (const [personId, unitId, title, isPrimary] of await readAll<M>(
    db,
    'person_id, unit_id, title, is_primary',
    'person_units',
  )) {
    const list = memberships.get(personId);
    const m = { unitId, title, isPrimary };
    if (list) list.push(m);
    else memberships.set(personId, [m]);
  }
  return { units, persons, memberships };
}

const membershipKey = (ms: Membership[]) =>
  ms
    .map((m) => `${m.unitId}\u0001${m.title ?? ''}\u0001${m.isPrimary ? 1 : 0}`)
    .sort()
    .join('\u0002');

/** The difference between the file and the database, or the rows that cannot be imported. Pure. */
function planImport(current: Current, parsed: ParsedOrgFile): Plan | { errors: ImportRowError[] } {
  const { rows, columns } = parsed;
  const errors: ImportRowError[] = [];
  const err = (line: number, field: ImportField, message: Text) =>
    errors.push({ line, column: columns[field], field, message });
  const unitByCode = new Map(current.units.map((u) => [u.code, u]));
  const unitById = new Map(current.units.map((u) => [u.id, u]));
  const personByEmp = new Map(current.persons.map((p) => [p.employeeId, p]));

  // ---- units: what the file says about each code ----
  type DesiredUnit = {
    code: string;
    name: string | null;
    parentCode: string | null;
    kind: UnitKind | null;
    line: number;
    parentLine: number;
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
        parentLine: r.line,
      });
    else {
      d.name ??= r.unitName;
      d.kind ??= r.unitKind;
      if (!d.parentCode && r.parentCode) {
        d.parentCode = r.parentCode;
        d.parentLine = r.line;
      }
    }
    if (r.head && r.employeeId) {
      const h = heads.get(r.unitCode);
      if (h && h.employeeId !== r.employeeId)
        err(
          r.line,
          'head',
          say(
            `Unit ${r.unitCode} already has a head on line ${h.line}`,
            `Enheten ${r.unitCode} har redan en chef på rad ${h.line}`,
          ),
        );
      else if (!h) heads.set(r.unitCode, { employeeId: r.employeeId, line: r.line });
    }
  }
  // Names given on rows that are bad for other reasons still count: only those rows are reported.
  const named = new Set(parsed.units.filter((m) => m.unitName).map((m) => m.unitCode));
  for (const d of desiredUnits.values()) {
    if (!d.name && !unitByCode.has(d.code) && !named.has(d.code))
      err(
        d.line,
        'unitName',
        say(
          `Unit ${d.code} has no name and does not exist yet`,
          `Enheten ${d.code} har inget namn och finns inte än`,
        ),
      );
    if (d.parentCode && !desiredUnits.has(d.parentCode) && !unitByCode.has(d.parentCode))
      err(
        d.parentLine,
        'parentCode',
        say(
          `Parent unit ${d.parentCode} is not in the file or in Steward`,
          `Den överordnade enheten ${d.parentCode} finns varken i filen eller i Steward`,
        ),
      );
  }
  // The tree after the import (the file's parents override the database's) must have no cycle.
  const parentCodeOf = (code: string): string | null => {
    const d = desiredUnits.get(code);
    if (d?.parentCode) return d.parentCode;
    const u = unitByCode.get(code);
    return u?.parentId ? (unitById.get(u.parentId)?.code ?? null) : null;
  };
  for (const d of desiredUnits.values()) {
    if (!d.parentCode || d.parentCode === d.code) continue; // self-parent is reported by the parser
    const seen = new Set<string>();
    for (let p: string | null = d.parentCode; p && !seen.has(p); p = parentCodeOf(p)) {
      if (p === d.code) {
        err(
          d.parentLine,
          'parentCode',
          say(
            `Unit ${d.code} would be its own ancestor`,
            `Enheten ${d.code} skulle bli överordnad sig själv`,
          ),
        );
        break;
      }
      seen.add(p);
    }
  }

  // ---- persons: what the file says about each employee id ----
  type DesiredPerson = {
    employeeId: string;
    givenName: string;
    familyName: string;
    email: string | null;
    rows: ImportRow[];
  };
  const desiredPersons = new Map<string, DesiredPerson>();
  for (const r of rows) {
    if (!r.employeeId) continue;
    const d = desiredPersons.get(r.employeeId);
    if (!d)
      desiredPersons.set(r.employeeId, {
        employeeId: r.employeeId,
        givenName: r.givenName,
        familyName: r.familyName,
        email: r.email,
        rows: [r],
      });
    else {
      d.email ??= r.email;
      d.rows.push(r);
    }
  }
  if (errors.length) return { errors };

  // New units get their ids now, so memberships and parents can refer to them.
  const unitId = new Map(current.units.map((u) => [u.code, u.id]));
  for (const d of desiredUnits.values()) if (!unitId.has(d.code)) unitId.set(d.code, randomUUID());

  const personId = new Map(current.persons.map((p) => [p.employeeId, p.id]));
  const created: NewPerson[] = [];
  const updated: PersonUpdate[] = [];
  let unchanged = 0;
  for (const d of desiredPersons.values()) {
    const explicit = d.rows.findIndex((r) => r.primary === true);
    const ms: Membership[] = d.rows.map((r, i) => ({
      unitId: unitId.get(r.unitCode)!,
      title: r.title,
      isPrimary: explicit >= 0 ? i === explicit : i === 0,
    }));
    const fields = {
      employeeId: d.employeeId,
      givenName: d.givenName,
      familyName: d.familyName,
      email: d.email,
    };
    const before = personByEmp.get(d.employeeId);
    if (!before) {
      const id = randomUUID();
      personId.set(d.employeeId, id);
      created.push({ id, ...fields, ms });
      continue;
    }
    const beforeMs = current.memberships.get(before.id) ?? [];
    const msChanged = membershipKey(beforeMs) !== membershipKey(ms);
    const changed =
      msChanged ||
      before.status !== 'active' ||
      before.givenName !== d.givenName ||
      before.familyName !== d.familyName ||
      before.email !== d.email;
    if (changed) updated.push({ before, after: { id: before.id, ...fields, ms }, beforeMs, msChanged });
    else unchanged++;
  }
  const left = current.persons.filter((p) => p.status === 'active' && !desiredPersons.has(p.employeeId));

  // ---- unit rows to insert and update (parents and heads can be new rows) ----
  const newUnits: DbUnit[] = [];
  const unitUpdates: { before: DbUnit; after: DbUnit }[] = [];
  for (const d of desiredUnits.values()) {
    const head = heads.get(d.code);
    const headId = head ? personId.get(head.employeeId)! : null;
    const parentId = d.parentCode ? unitId.get(d.parentCode)! : null;
    const before = unitByCode.get(d.code);
    if (!before) {
      newUnits.push({
        id: unitId.get(d.code)!,
        code: d.code,
        name: d.name!,
        kind: d.kind ?? 'unit',
        parentId,
        headId,
      });
      continue;
    }
    const after: DbUnit = {
      ...before,
      name: d.name ?? before.name,
      kind: d.kind ?? before.kind,
      parentId: d.parentCode ? parentId : before.parentId,
      headId: head ? headId : before.headId,
    };
    if (
      after.name !== before.name ||
      after.kind !== before.kind ||
      after.parentId !== before.parentId ||
      after.headId !== before.headId
    )
      unitUpdates.push({ before, after });
  }
  // Parents before children, so one multi-row insert satisfies the foreign key in any chunk.
  const depth = new Map<string, number>();
  const newById = new Map(newUnits.map((u) => [u.id, u]));
  const depthOf = (u: DbUnit): number => {
    let n = depth.get(u.id);
    if (n === undefined) {
      const parent = u.parentId ? newById.get(u.parentId) : undefined;
      n = parent ? depthOf(parent) + 1 : 0;
      depth.set(u.id, n);
    }
    return n;
  };
  newUnits.sort((a, b) => depthOf(a) - depthOf(b));

  const codeOf = new Map<string, string>();
  for (const [code, id] of unitId) codeOf.set(id, code);
  return {
    counts: {
      unitsCreated: newUnits.length,
      unitsUpdated: unitUpdates.length,
      personsCreated: created.length,
      personsUpdated: updated.length,
      personsLeft: left.length,
      personsUnchanged: unchanged,
    },
    newUnits,
    unitUpdates,
    created,
    updated,
    left,
    existingPersons: current.persons.length,
    codeOf,
  };
}

/**
 * A typed array parameter ($1::uuid[]) as a PostgreSQL array literal, like db/arrays.ts pgArray, but
 * escaping only the values that need it: this runs for every cell of a 60,000-person import.
 */
function pgArray(values: readonly (string | boolean | null)[], type: string): SQL {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null) parts[i] = 'NULL';
    else {
      const s = String(v);
      parts[i] = s.includes('\\') || s.includes('"') ? `"${s.replace(/[\\"]/g, '\\$&')}"` : `"${s}"`;
    }
  }
  return sql`${`{${parts.join(',')}}`}::${sql.raw(type)}[]`;
}

const CHUNK = 5000;
function chunks<T>(list: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
  return out;
}
/** Whole columns as typed array parameters, for insert … select from unnest(…). */
const cols = <T>(c: T[], spec: [(x: T) => string | boolean | null, string][]): SQL =>
  sql.join(
    spec.map(([get, type]) => pgArray(c.map(get), type)),
    sql`, `,
  );

async function applyPlan(
  tx: Db,
  now: Date,
  actor: Actor,
  plan: Plan,
  filename: string,
  parsed: ParsedOrgFile,
) {
  const { counts } = plan;
  if (Object.entries(counts).every(([k, v]) => k === 'personsUnchanged' || v === 0)) return;
  const audit: AuditInput[] = [];
  const code = (id: string | null) => (id ? (plan.codeOf.get(id) ?? null) : null);
  const unitAudit = (u: DbUnit) => ({
    code: u.code,
    name: u.name,
    kind: u.kind,
    parentId: u.parentId,
    parentCode: code(u.parentId),
    headPersonId: u.headId,
  });
  const msAudit = (ms: Membership[]) =>
    ms.map((m) => ({ unit: code(m.unitId), title: m.title, primary: m.isPrimary }));

  // A large load into a small table (a first import) builds indexes and checks foreign keys once at
  // the end (BULK_REBUILD).
  const bulk = plan.created.length >= 5000 && plan.created.length >= plan.existingPersons;
  if (bulk) for (const b of BULK_REBUILD) await tx.execute(sql.raw(b.drop));

  // 1. New persons (units refer to them as heads).
  for (const c of chunks(plan.created)) {
    const derived = c.map((p) => personDerived(p));
    await tx.execute(sql`insert into persons (id, employee_id, given_name, family_name, email, sort_sv, sort_en,
        search_text, created_at, updated_at)
      select v.*, ${now}::timestamptz, ${now}::timestamptz from unnest(${cols(c, [
        [(p) => p.id, 'uuid'],
        [(p) => p.employeeId, 'text'],
        [(p) => p.givenName, 'text'],
        [(p) => p.familyName, 'text'],
        [(p) => p.email, 'text'],
      ])}, ${pgArray(
        derived.map((d) => d.sortSv),
        'text',
      )}, ${pgArray(
        derived.map((d) => d.sortEn),
        'text',
      )}, ${pgArray(
        derived.map((d) => d.searchText),
        'text',
      )}) as v`);
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
        status: 'active',
        memberships: msAudit(p.ms),
      },
    });

  // 2. New units, parents first, with their parents and heads.
  for (const c of chunks(plan.newUnits)) {
    await tx.execute(sql`insert into org_units (id, code, name, kind, parent_id, head_person_id, created_at, updated_at)
      select v.*, ${now}::timestamptz, ${now}::timestamptz from unnest(${cols(c, [
        [(u) => u.id, 'uuid'],
        [(u) => u.code, 'text'],
        [(u) => u.name, 'text'],
        [(u) => u.kind, 'text'],
        [(u) => u.parentId, 'uuid'],
        [(u) => u.headId, 'uuid'],
      ])}) as v`);
  }
  for (const u of plan.newUnits)
    audit.push({ action: 'org_unit.create', entityType: 'org_unit', entityId: u.id, after: unitAudit(u) });

  // 3. Changed persons (a leaver who is back in the file becomes active again).
  for (const c of chunks(plan.updated)) {
    const derived = c.map((u) => personDerived(u.after));
    await tx.execute(sql`update persons p set given_name = v.given_name, family_name = v.family_name,
        email = v.email, sort_sv = v.sort_sv, sort_en = v.sort_en, search_text = v.search_text,
        status = 'active', left_at = null, version = p.version + 1, updated_at = ${now}::timestamptz
      from unnest(${cols(c, [
        [(u) => u.before.id, 'uuid'],
        [(u) => u.after.givenName, 'text'],
        [(u) => u.after.familyName, 'text'],
        [(u) => u.after.email, 'text'],
      ])}, ${pgArray(
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
  for (const u of plan.updated) {
    const { before, after } = u;
    audit.push({
      action: 'person.update',
      entityType: 'person',
      entityId: before.id,
      before: {
        employeeId: before.employeeId,
        givenName: before.givenName,
        familyName: before.familyName,
        email: before.email,
        status: before.status,
        ...(u.msChanged && { memberships: msAudit(u.beforeMs) }),
      },
      after: {
        employeeId: after.employeeId,
        givenName: after.givenName,
        familyName: after.familyName,
        email: after.email,
        status: 'active',
        ...(u.msChanged && { memberships: msAudit(after.ms) }),
      },
    });
  }

  // 4. Memberships of new persons, and of persons whose memberships changed (replaced whole).
  const changedMs = plan.updated.filter((u) => u.msChanged);
  for (const c of chunks(changedMs))
    await tx.execute(
      sql`delete from person_units where person_id = any(${pgArray(
        c.map((u) => u.before.id),
        'uuid',
      )})`,
    );
  const msRows = [
    ...plan.created.flatMap((p) => p.ms.map((m) => ({ personId: p.id, ...m }))),
    ...changedMs.flatMap((u) => u.after.ms.map((m) => ({ personId: u.before.id, ...m }))),
  ];
  for (const c of chunks(msRows)) {
    await tx.execute(sql`insert into person_units (person_id, unit_id, title, is_primary)
      select * from unnest(${cols(c, [
        [(m) => m.personId, 'uuid'],
        [(m) => m.unitId, 'uuid'],
        [(m) => m.title, 'text'],
        [(m) => m.isPrimary, 'boolean'],
      ])})`);
  }

  if (bulk) {
    for (const b of BULK_REBUILD) await tx.execute(sql.raw(b.create));
    // Fresh statistics, so the planner knows the tables are large (PGlite has no autovacuum).
    await tx.execute(sql`analyze persons, person_units, org_units`);
  }

  // 5. Changes to existing units.
  for (const c of chunks(plan.unitUpdates)) {
    await tx.execute(sql`update org_units u set name = v.name, kind = v.kind, parent_id = v.parent_id,
        head_person_id = v.head_id, version = u.version + 1, updated_at = ${now}::timestamptz
      from unnest(${cols(c, [
        [(x) => x.before.id, 'uuid'],
        [(x) => x.after.name, 'text'],
        [(x) => x.after.kind, 'text'],
        [(x) => x.after.parentId, 'uuid'],
        [(x) => x.after.headId, 'uuid'],
      ])}) as v(id, name, kind, parent_id, head_id) where u.id = v.id`);
  }
  for (const x of plan.unitUpdates)
    audit.push({
      action: 'org_unit.update',
      entityType: 'org_unit',
      entityId: x.before.id,
      before: unitAudit(x.before),
      after: unitAudit(x.after),
    });

  // 6. People missing from the file have left (E2): deactivated, never deleted, memberships kept as
  // history; their sessions end now.
  const leftIds = plan.left.map((p) => p.id);
  for (const c of chunks(leftIds))
    await tx.execute(sql`update persons set status = 'left', left_at = ${now}::timestamptz,
        version = version + 1, updated_at = ${now}::timestamptz
      where id = any(${pgArray(c, 'uuid')}) and status = 'active'`);
  await endSessionsForPersons(tx, leftIds, now);
  // A6/G10: everyone who left gets revocation orders for their grants, in this transaction.
  await revokeGrantsOfLeavers(tx, now, actor, leftIds);
  for (const p of plan.left)
    audit.push({
      action: 'person.leave',
      entityType: 'person',
      entityId: p.id,
      before: {
        employeeId: p.employeeId,
        givenName: p.givenName,
        familyName: p.familyName,
        status: 'active',
        leftAt: null,
      },
      after: {
        employeeId: p.employeeId,
        givenName: p.givenName,
        familyName: p.familyName,
        status: 'left',
        leftAt: now,
      },
    });

  audit.push({
    action: 'import.org',
    entityType: 'import',
    entityId: filename,
    after: { filename, format: parsed.format, rows: parsed.rows.length, counts },
  });
  await recordAuditMany(tx, now, actor, audit);
}
