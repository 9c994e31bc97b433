// Software distribution (S1–S5): titles offered with their licence model, seat pools per unit, the
// licence coordinator of each unit (appointed by its head with a signed commitment), licence keys kept
// encrypted, assignments to people of the unit, yearly use reports, procurement requests for software
// not offered, and announcements to all coordinators through the outbox. Every write is audited in the
// same transaction; the seat limit and the one-current-coordinator rule hold in SQL.
import { randomUUID } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import { pgArray } from '../../db/arrays.ts';
import { type Db, rows } from '../../db/client.ts';
import { todayOf } from '../../platform/clock.ts';
import type { Actor, AppContext } from '../../platform/context.ts';
import { constraintTranslator } from '../../platform/db-errors.ts';
import {
  conflict,
  type FieldError,
  notFound,
  preconditionFailed,
  ruleViolation,
  validationError,
} from '../../platform/errors.ts';
import { enqueueEmail } from '../../platform/outbox/outbox.service.ts';
import type { UnitRole } from '../../platform/policy.ts';
import { decryptSecret, encryptSecret } from '../../platform/secrets.ts';
import { say } from '../../platform/text.ts';
import type { WorkItem } from '../../platform/work.ts';
import type { AuditLabelSql } from '../audit/audit.labels.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { headOfSql } from '../org/org.service.ts';
import type { LICENCE_MODELS, RECIPIENT_KINDS } from './software.tables.ts';

const KEY_PURPOSE = 'licence-keys';
type LicenceModel = (typeof LICENCE_MODELS)[number];

const UNIQUE: Record<string, FieldError> = {
  software_titles_name_key: {
    field: 'name',
    message: say(
      'A title with this name and version already exists.',
      'Det finns redan en programvara med detta namn och denna version.',
    ),
  },
  licence_assignments_one_active_key: {
    field: 'personId',
    message: say(
      'This person already has this software assigned.',
      'Programvaran är redan utdelad till personen.',
    ),
  },
  licence_assignments_key_once_key: {
    field: 'keyId',
    message: say('This key is already assigned to someone.', 'Licenskoden är redan utdelad till någon.'),
  },
  licence_coordinators_current_key: {
    field: 'personId',
    message: say(
      'Someone else appointed a coordinator for this unit at the same time. Reload.',
      'Någon annan utsåg samtidigt en licensansvarig för enheten. Läs in sidan igen.',
    ),
  },
};
const CHECKS: Record<string, FieldError> = {
  software_titles_period_check: {
    field: 'agreementEnd',
    message: say('The agreement ends before it starts.', 'Avtalet slutar innan det börjar.'),
  },
  software_titles_deadline_check: {
    field: 'reportDeadlineDays',
    message: say('Use 0–365 days.', 'Ange 0–365 dagar.'),
  },
  software_seat_pools_seats_check: {
    field: 'seats',
    message: say('Seats cannot be negative.', 'Antalet platser kan inte vara negativt.'),
  },
  licence_reports_users_check: {
    field: 'users',
    message: say('Users cannot be negative.', 'Antalet användare kan inte vara negativt.'),
  },
};

const { guarded } = constraintTranslator({ unique: UNIQUE, checks: CHECKS });

const NO_PERSON = say('No such person.', 'Personen finns inte.');
const PERSON_LEFT = say('This person has left the organisation.', 'Personen har lämnat organisationen.');
const KEYS_ONLY_SEATS = say(
  'Only seat-limited titles have licence keys.',
  'Endast platsbegränsad programvara har licenskoder.',
);

// ---- titles (S2, S3) ---------------------------------------------------------------------------------

type TitleRow = {
  id: string;
  name: string;
  vendor: string;
  product_version: string;
  description: string;
  platforms: string[];
  licence_model: LicenceModel;
  agreement_start: string | null;
  agreement_end: string | null;
  renewal_on: string | null;
  report_deadline_days: number;
  offered: boolean;
  version: number;
};
const presentTitle = (t: TitleRow) => ({
  id: t.id,
  name: t.name,
  vendor: t.vendor,
  productVersion: t.product_version,
  description: t.description,
  platforms: t.platforms,
  licenceModel: t.licence_model,
  /** S3: a centrally funded site licence needs no reporting. */
  requiresReporting: t.licence_model !== 'site',
  agreementStart: t.agreement_start,
  agreementEnd: t.agreement_end,
  renewalOn: t.renewal_on,
  reportDeadlineDays: t.report_deadline_days,
  offered: t.offered,
  version: t.version,
});
export type Title = ReturnType<typeof presentTitle>;

export type TitleInput = {
  name: string;
  vendor?: string;
  productVersion?: string;
  description?: string;
  platforms?: string[];
  licenceModel: LicenceModel;
  agreementStart?: string | null;
  agreementEnd?: string | null;
  renewalOn?: string | null;
  reportDeadlineDays?: number;
  offered?: boolean;
};

export async function getTitle(db: Db, id: string) {
  const [t] = await rows<TitleRow>(db, sql`select * from software_titles where id = ${id}`);
  if (!t) throw notFound('The software title');
  return presentTitle(t);
}

export async function listTitles(
  db: Db,
  f: { q?: string; model?: LicenceModel; offered?: boolean; expiringWithinDays?: number; today: string },
) {
  const conds = [sql`true`];
  if (f.q) {
    const like = `%${f.q.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    conds.push(
      sql`(lower(name) like ${like} or lower(vendor) like ${like} or lower(description) like ${like})`,
    );
  }
  if (f.model) conds.push(sql`licence_model = ${f.model}`);
  if (f.offered !== undefined) conds.push(sql`offered = ${f.offered}`);
  if (f.expiringWithinDays !== undefined)
    conds.push(
      sql`coalesce(renewal_on, agreement_end) between ${f.today}::date and ${f.today}::date + ${f.expiringWithinDays}::int`,
    );
  const found = await rows<TitleRow>(
    db,
    sql`select * from software_titles where ${sql.join(conds, sql` and `)} order by lower(name), product_version, id`,
  );
  return found.map(presentTitle);
}

export async function createTitle(ctx: AppContext, args: { actor: Actor; input: TitleInput }) {
  const now = ctx.clock.now();
  const id = randomUUID();
  const i = args.input;
  return guarded(() =>
    ctx.db.transaction(async (tx) => {
      await tx.execute(sql`insert into software_titles (id, name, vendor, product_version, description, platforms,
          licence_model, agreement_start, agreement_end, renewal_on, report_deadline_days, offered, created_at, updated_at)
        values (${id}, ${i.name}, ${i.vendor ?? ''}, ${i.productVersion ?? ''}, ${i.description ?? ''},
          ${pgArray(i.platforms ?? [], 'text')},
          ${i.licenceModel}, ${i.agreementStart ?? null}, ${i.agreementEnd ?? null}, ${i.renewalOn ?? null},
          ${i.reportDeadlineDays ?? 30}, ${i.offered ?? true}, ${now}, ${now})`);
      const title = await getTitle(tx, id);
      await recordAudit(tx, now, args.actor, {
        action: 'software.create',
        entityType: 'software_title',
        entityId: id,
        after: title,
      });
      return title;
    }),
  );
}

export async function updateTitle(
  ctx: AppContext,
  args: { actor: Actor; id: string; expectedVersion: number; patch: Partial<TitleInput> },
) {
  const now = ctx.clock.now();
  return guarded(() =>
    ctx.db.transaction(async (tx) => {
      const before = await getTitle(tx, args.id);
      if (before.version !== args.expectedVersion) throw preconditionFailed();
      const next = { ...before, ...args.patch };
      const updated = await rows<{ id: string }>(
        tx,
        sql`update software_titles set name = ${next.name}, vendor = ${next.vendor},
            product_version = ${next.productVersion}, description = ${next.description},
            platforms = ${pgArray(next.platforms, 'text')},
            licence_model = ${next.licenceModel}, agreement_start = ${next.agreementStart},
            agreement_end = ${next.agreementEnd}, renewal_on = ${next.renewalOn},
            report_deadline_days = ${next.reportDeadlineDays}, offered = ${next.offered},
            version = version + 1, updated_at = ${now}
          where id = ${args.id} and version = ${args.expectedVersion} returning id`,
      );
      if (!updated.length) throw preconditionFailed();
      const after = await getTitle(tx, args.id);
      await recordAudit(tx, now, args.actor, {
        action: 'software.update',
        entityType: 'software_title',
        entityId: args.id,
        before,
        after,
      });
      return after;
    }),
  );
}

/** Seat pools of a seat-limited title, per unit, with the seats in use. */
export async function listSeatPools(db: Db, titleId: string) {
  await getTitle(db, titleId);
  return (
    await rows<{ unit_id: string; unit_name: string; seats: number; used: number }>(
      db,
      sql`select p.unit_id, u.name as unit_name, p.seats,
            (select count(*)::int from licence_assignments a
             where a.title_id = p.title_id and a.unit_id = p.unit_id and a.cancelled_at is null) as used
          from software_seat_pools p join org_units u on u.id = p.unit_id
          where p.title_id = ${titleId} order by u.name, u.id`,
    )
  ).map((r) => ({ unitId: r.unit_id, unitName: r.unit_name, seats: r.seats, used: r.used }));
}

export async function setSeatPool(
  ctx: AppContext,
  args: { actor: Actor; titleId: string; unitId: string; seats: number },
) {
  const now = ctx.clock.now();
  return guarded(() =>
    ctx.db.transaction(async (tx) => {
      const title = await getTitle(tx, args.titleId);
      if (title.licenceModel !== 'seat_keys')
        throw validationError([
          {
            field: 'seats',
            message: say(
              'Only seat-limited titles have seat pools.',
              'Endast platsbegränsad programvara har platser.',
            ),
          },
        ]);
      await unitRef(tx, args.unitId);
      const [prev] = await rows<{ seats: number }>(
        tx,
        sql`select seats from software_seat_pools where title_id = ${args.titleId} and unit_id = ${args.unitId} for update`,
      );
      const [{ used }] = await rows<{ used: number }>(
        tx,
        sql`select count(*)::int as used from licence_assignments
            where title_id = ${args.titleId} and unit_id = ${args.unitId} and cancelled_at is null`,
      );
      if (args.seats < used)
        throw conflict(
          say(
            `The unit uses ${used} seats; cancel ${used - args.seats} assignment(s) before lowering the pool to ${args.seats}.`,
            `Enheten använder ${used} platser; avsluta ${used - args.seats} av de utdelade licenserna innan platserna minskas till ${args.seats}.`,
          ),
          { errors: [{ field: 'seats', message: say(`At least ${used}.`, `Minst ${used}.`) }] },
        );
      await tx.execute(sql`insert into software_seat_pools (title_id, unit_id, seats)
        values (${args.titleId}, ${args.unitId}, ${args.seats})
        on conflict (title_id, unit_id) do update set seats = excluded.seats`);
      await recordAudit(tx, now, args.actor, {
        action: 'software.seats',
        entityType: 'software_title',
        entityId: args.titleId,
        before: prev ? { unitId: args.unitId, seats: prev.seats } : null,
        after: { unitId: args.unitId, seats: args.seats },
      });
      return { unitId: args.unitId, seats: args.seats, used };
    }),
  );
}

async function unitRef(db: Db, unitId: string) {
  const [u] = await rows<{ id: string; name: string; head_person_id: string | null }>(
    db,
    sql`select id, name, head_person_id from org_units where id = ${unitId}`,
  );
  if (!u) throw notFound('The org unit');
  return u;
}

// ---- coordinators (S1) ----------------------------------------------------------------------------------

/** The caller's roles on a unit for the policy: head of the unit, its current licence coordinator. */
export async function unitRolesOf(
  db: Db,
  personId: string | null,
  unitId: string,
  today: string,
): Promise<Extract<UnitRole, 'head' | 'coordinator'>[]> {
  return (await unitRolesOfMany(db, personId, [unitId], today)).get(unitId) ?? [];
}

/** The caller's roles on many units in one statement, by unit (a unit with none is absent). */
export async function unitRolesOfMany(
  db: Db,
  personId: string | null,
  unitIds: Iterable<string>,
  today: string,
): Promise<Map<string, Extract<UnitRole, 'head' | 'coordinator'>[]>> {
  const ids = [...new Set(unitIds)];
  const result = new Map<string, Extract<UnitRole, 'head' | 'coordinator'>[]>();
  if (!personId || ids.length === 0) return result;
  const found = await rows<{ id: string; head: boolean; coordinator: boolean }>(
    db,
    sql`select x.id, ${headOfSql(sql`x.id`, personId, today)} as head,
          exists (select 1 from licence_coordinators where unit_id = x.id and person_id = ${personId}
                  and ended_on is null) as coordinator
        from unnest(${`{${ids.join(',')}}`}::uuid[]) as x(id)`,
  );
  for (const r of found) {
    const roles: Extract<UnitRole, 'head' | 'coordinator'>[] = [];
    if (r.head) roles.push('head');
    if (r.coordinator) roles.push('coordinator');
    result.set(r.id, roles);
  }
  return result;
}

type CoordinatorRow = {
  id: string;
  unit_id: string;
  unit_name: string;
  person_id: string;
  person_name: string;
  person_status: 'active' | 'left';
  person_email: string | null;
  appointed_by_label: string;
  appointed_on: string;
  commitment_signed_on: string;
  commitment_signer: string;
  commitment_document: string;
  ended_on: string | null;
  ended_reason: string | null;
};
const presentCoordinator = (c: CoordinatorRow) => ({
  id: c.id,
  unit: { id: c.unit_id, name: c.unit_name },
  person: { id: c.person_id, displayName: c.person_name, status: c.person_status, email: c.person_email },
  appointedBy: c.appointed_by_label,
  appointedOn: c.appointed_on,
  commitment: {
    signedOn: c.commitment_signed_on,
    signer: c.commitment_signer,
    document: c.commitment_document,
  },
  endedOn: c.ended_on,
  endedReason: c.ended_reason,
  current: c.ended_on === null,
});

const coordinatorSelect = sql`select c.id, c.unit_id, u.name as unit_name, c.person_id,
    p.given_name || ' ' || p.family_name as person_name, p.status as person_status, p.email as person_email,
    c.appointed_by_label, c.appointed_on::text, c.commitment_signed_on::text, c.commitment_signer,
    c.commitment_document, c.ended_on::text, c.ended_reason
  from licence_coordinators c join org_units u on u.id = c.unit_id join persons p on p.id = c.person_id`;

/** A unit's coordinators, the current one first, then the history (S1: the history stays). */
export async function coordinatorHistory(db: Db, unitId: string) {
  await unitRef(db, unitId);
  const found = await rows<CoordinatorRow>(
    db,
    sql`${coordinatorSelect} where c.unit_id = ${unitId}
        order by c.ended_on is null desc, c.appointed_on desc, c.created_at desc`,
  );
  return found.map(presentCoordinator);
}

/** Every current coordinator, by unit. */
export async function currentCoordinators(db: Db) {
  const found = await rows<CoordinatorRow>(
    db,
    sql`${coordinatorSelect} where c.ended_on is null order by u.name, u.id`,
  );
  return found.map(presentCoordinator);
}

/**
 * S1: the head of the unit appoints a coordinator with a signed commitment. A new appointment ends the
 * current one (kept in the history) and always needs its own commitment.
 */
export async function appointCoordinator(
  ctx: AppContext,
  args: {
    actor: Actor;
    unitId: string;
    input: {
      personId: string;
      appointedOn?: string;
      commitmentSignedOn: string;
      commitmentSigner: string;
      commitmentDocument: string;
    };
  },
) {
  const now = ctx.clock.now();
  const today = todayOf(ctx);
  const i = args.input;
  const errors: FieldError[] = [];
  if (!i.commitmentSigner.trim())
    errors.push({
      field: 'commitmentSigner',
      message: say('Name who signed the commitment.', 'Ange vem som undertecknade förbindelsen.'),
    });
  if (!i.commitmentDocument.trim())
    errors.push({
      field: 'commitmentDocument',
      message: say(
        'Reference the signed commitment (S1).',
        'Hänvisa till den undertecknade förbindelsen (S1).',
      ),
    });
  if (i.commitmentSignedOn > today)
    errors.push({
      field: 'commitmentSignedOn',
      message: say(
        'The commitment cannot be signed in the future.',
        'Förbindelsen kan inte undertecknas i framtiden.',
      ),
    });
  if (errors.length) {
    const e = validationError(errors);
    e.extra.rule = 'S1';
    throw e;
  }
  return guarded(() =>
    ctx.db.transaction(async (tx) => {
      const unit = await unitRef(tx, args.unitId);
      const [person] = await rows<{ status: string }>(
        tx,
        sql`select status from persons where id = ${i.personId}`,
      );
      if (!person) throw validationError([{ field: 'personId', message: NO_PERSON }]);
      if (person.status === 'left') throw validationError([{ field: 'personId', message: PERSON_LEFT }]);
      // Serialise appointments per unit: the unit row is the lock.
      await tx.execute(sql`select id from org_units where id = ${unit.id} for update`);
      const ended = await rows<{ id: string; person_id: string }>(
        tx,
        sql`update licence_coordinators set ended_on = ${today}, ended_reason = 'replaced'
            where unit_id = ${unit.id} and ended_on is null returning id, person_id`,
      );
      const id = randomUUID();
      await tx.execute(sql`insert into licence_coordinators (id, unit_id, person_id, appointed_by_person_id,
          appointed_by_label, appointed_on, commitment_signed_on, commitment_signer, commitment_document, created_at)
        values (${id}, ${unit.id}, ${i.personId}, ${args.actor.personId}, ${args.actor.label},
          ${i.appointedOn ?? today}, ${i.commitmentSignedOn}, ${i.commitmentSigner.trim()},
          ${i.commitmentDocument.trim()}, ${now})`);
      const [created] = await rows<CoordinatorRow>(tx, sql`${coordinatorSelect} where c.id = ${id}`);
      const after = presentCoordinator(created);
      await recordAudit(tx, now, args.actor, {
        action: 'coordinator.appoint',
        entityType: 'org_unit',
        entityId: unit.id,
        before: ended.length ? { coordinatorId: ended[0].id, personId: ended[0].person_id } : null,
        after,
      });
      return after;
    }),
  );
}

// ---- keys (S2) -------------------------------------------------------------------------------------------

export async function addKeys(
  ctx: AppContext,
  args: { actor: Actor; titleId: string; unitId: string; keys: string[]; note?: string },
) {
  const now = ctx.clock.now();
  const keys = args.keys.map((k) => k.trim()).filter(Boolean);
  if (!keys.length)
    throw validationError([
      { field: 'keys', message: say('Give at least one licence key.', 'Ange minst en licenskod.') },
    ]);
  return guarded(() =>
    ctx.db.transaction(async (tx) => {
      const title = await getTitle(tx, args.titleId);
      if (title.licenceModel !== 'seat_keys')
        throw validationError([{ field: 'titleId', message: KEYS_ONLY_SEATS }]);
      await unitRef(tx, args.unitId);
      const ids: string[] = [];
      for (const key of keys) {
        const id = randomUUID();
        ids.push(id);
        await tx.execute(sql`insert into licence_keys (id, title_id, unit_id, key_ciphertext, key_hint, note, created_at)
          values (${id}, ${args.titleId}, ${args.unitId}, ${encryptSecret(ctx.config.secret, KEY_PURPOSE, key)},
            ${`…${key.slice(-4)}`}, ${args.note ?? ''}, ${now})`);
      }
      await recordAudit(tx, now, args.actor, {
        action: 'licence-key.add',
        entityType: 'software_title',
        entityId: args.titleId,
        // Never the keys themselves: only how many and their hints.
        after: { unitId: args.unitId, count: ids.length, keyIds: ids },
      });
      return { added: ids.length, keyIds: ids };
    }),
  );
}

/** Who a key is about: its unit (for the coordinator) and the person it is assigned to now. */
export async function keyFacts(db: Db, keyId: string) {
  const [k] = await rows<{ unit_id: string; assignee: string | null }>(
    db,
    sql`select k.unit_id, (select a.person_id from licence_assignments a
          where a.key_id = k.id and a.cancelled_at is null) as assignee
        from licence_keys k where k.id = ${keyId}`,
  );
  if (!k) throw notFound('The licence key');
  return { unitId: k.unit_id, assigneePersonId: k.assignee };
}

/** S2: shows a key in clear to its unit's coordinator or its assignee (checked by the caller); audited. */
export async function revealKey(ctx: AppContext, args: { actor: Actor; keyId: string }) {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [k] = await rows<{ key_ciphertext: string; title_id: string; unit_id: string }>(
      tx,
      sql`select key_ciphertext, title_id, unit_id from licence_keys where id = ${args.keyId}`,
    );
    if (!k) throw notFound('The licence key');
    await recordAudit(tx, now, args.actor, {
      action: 'licence-key.reveal',
      entityType: 'licence_key',
      entityId: args.keyId,
      after: { titleId: k.title_id, unitId: k.unit_id },
    });
    return { keyId: args.keyId, key: decryptSecret(ctx.config.secret, KEY_PURPOSE, k.key_ciphertext) };
  });
}

// ---- assignments (S2) -------------------------------------------------------------------------------------

type AssignmentRow = {
  id: string;
  title_id: string;
  title_name: string;
  unit_id: string;
  unit_name: string;
  person_id: string;
  person_name: string;
  person_status: 'active' | 'left';
  recipient_kind: (typeof RECIPIENT_KINDS)[number];
  key_id: string | null;
  key_hint: string | null;
  assigned_by_label: string;
  assigned_at: Date;
  cancelled_at: Date | null;
  cancelled_by_label: string | null;
  cancel_reason: string | null;
};
const presentAssignment = (a: AssignmentRow) => ({
  id: a.id,
  title: { id: a.title_id, name: a.title_name },
  unit: { id: a.unit_id, name: a.unit_name },
  person: { id: a.person_id, displayName: a.person_name, status: a.person_status },
  recipientKind: a.recipient_kind,
  key: a.key_id ? { id: a.key_id, hint: a.key_hint! } : null,
  assignedBy: a.assigned_by_label,
  assignedAt: new Date(a.assigned_at).toISOString(),
  cancelledAt: a.cancelled_at ? new Date(a.cancelled_at).toISOString() : null,
  cancelledBy: a.cancelled_by_label,
  cancelReason: a.cancel_reason,
});
const assignmentSelect = sql`select a.id, a.title_id, t.name as title_name, a.unit_id, u.name as unit_name,
    a.person_id, p.given_name || ' ' || p.family_name as person_name, p.status as person_status,
    a.recipient_kind, a.key_id, k.key_hint, a.assigned_by_label, a.assigned_at, a.cancelled_at,
    a.cancelled_by_label, a.cancel_reason
  from licence_assignments a join software_titles t on t.id = a.title_id join org_units u on u.id = a.unit_id
  join persons p on p.id = a.person_id left join licence_keys k on k.id = a.key_id`;

/**
 * S2: the coordinator assigns a title (and for seat-limited titles a key of the unit's stock) to a
 * person. Employees must belong to the unit. Seat-limited titles stay within the unit's seat pool: the
 * pool row is locked, so concurrent assignments cannot pass the limit.
 */
export async function assignLicence(
  ctx: AppContext,
  args: {
    actor: Actor;
    input: {
      titleId: string;
      unitId: string;
      personId: string;
      recipientKind?: (typeof RECIPIENT_KINDS)[number];
      keyId?: string | null;
      /** When registering an assignment made earlier (moving a unit's register into Steward). */
      assignedAt?: Date;
    };
  },
) {
  const now = ctx.clock.now();
  const i = args.input;
  if (i.assignedAt && i.assignedAt > now)
    throw validationError([
      {
        field: 'assignedAt',
        message: say(
          'An assignment cannot be made in the future.',
          'En licens kan inte delas ut i framtiden.',
        ),
      },
    ]);
  return guarded(() =>
    ctx.db.transaction(async (tx) => {
      const title = await getTitle(tx, i.titleId);
      if (!title.offered)
        throw validationError([
          {
            field: 'titleId',
            message: say('This title is no longer offered.', 'Programvaran erbjuds inte längre.'),
          },
        ]);
      await unitRef(tx, i.unitId);
      const [person] = await rows<{ status: string; member: boolean }>(
        tx,
        sql`select p.status, exists (select 1 from person_units pu where pu.person_id = p.id
              and pu.unit_id = ${i.unitId}) as member from persons p where p.id = ${i.personId}`,
      );
      if (!person) throw validationError([{ field: 'personId', message: NO_PERSON }]);
      if (person.status === 'left') throw validationError([{ field: 'personId', message: PERSON_LEFT }]);
      const kind = i.recipientKind ?? 'employee';
      if (kind === 'employee' && !person.member)
        throw ruleViolation(
          'S2',
          say(
            'The coordinator hands out software to people of their own unit.',
            'Den licensansvarige delar ut programvara till personer på den egna enheten.',
          ),
          {
            errors: [
              {
                field: 'personId',
                message: say('Not a member of this unit.', 'Personen hör inte till enheten.'),
              },
            ],
          },
        );
      let keyId: string | null = null;
      if (title.licenceModel === 'seat_keys') {
        const [pool] = await rows<{ seats: number }>(
          tx,
          sql`select seats from software_seat_pools where title_id = ${i.titleId} and unit_id = ${i.unitId} for update`,
        );
        const [{ used }] = await rows<{ used: number }>(
          tx,
          sql`select count(*)::int as used from licence_assignments
              where title_id = ${i.titleId} and unit_id = ${i.unitId} and cancelled_at is null`,
        );
        if (!pool || used >= pool.seats)
          throw conflict(
            pool
              ? say(
                  `All ${pool.seats} seats of ${title.name} for this unit are in use. Cancel an assignment or ask central IT for more seats.`,
                  `Alla ${pool.seats} platser för ${title.name} på enheten används. Avsluta en licens eller be central IT om fler platser.`,
                )
              : say(
                  `This unit has no seats of ${title.name}. Ask central IT for seats.`,
                  `Enheten har inga platser för ${title.name}. Be central IT om platser.`,
                ),
            {
              code: 'seats-exhausted',
              errors: [{ field: 'titleId', message: say('No free seat.', 'Ingen ledig plats.') }],
            },
          );
        if (i.keyId) {
          const [k] = await rows<{ id: string }>(
            tx,
            sql`select id from licence_keys where id = ${i.keyId} and title_id = ${i.titleId} and unit_id = ${i.unitId}`,
          );
          if (!k)
            throw validationError([
              {
                field: 'keyId',
                message: say(
                  "Not a key of this title in the unit's stock.",
                  'Inte en av enhetens licenskoder för programvaran.',
                ),
              },
            ]);
          keyId = k.id;
        } else {
          const [free] = await rows<{ id: string }>(
            tx,
            sql`select k.id from licence_keys k where k.title_id = ${i.titleId} and k.unit_id = ${i.unitId}
                and not exists (select 1 from licence_assignments a where a.key_id = k.id and a.cancelled_at is null)
                order by k.created_at, k.id limit 1 for update skip locked`,
          );
          if (!free)
            throw conflict(
              say(
                `No free licence key of ${title.name} in this unit's stock. Ask central IT for keys.`,
                `Enheten har ingen ledig licenskod för ${title.name}. Be central IT om licenskoder.`,
              ),
              {
                errors: [{ field: 'keyId', message: say('No free key.', 'Ingen ledig licenskod.') }],
              },
            );
          keyId = free.id;
        }
      } else if (i.keyId) {
        throw validationError([{ field: 'keyId', message: KEYS_ONLY_SEATS }]);
      }
      const id = randomUUID();
      await tx.execute(sql`insert into licence_assignments (id, title_id, unit_id, person_id, recipient_kind, key_id,
          assigned_by_label, assigned_at)
        values (${id}, ${i.titleId}, ${i.unitId}, ${i.personId}, ${kind}, ${keyId}, ${args.actor.label},
          ${i.assignedAt ?? now})`);
      const [row] = await rows<AssignmentRow>(tx, sql`${assignmentSelect} where a.id = ${id}`);
      const after = presentAssignment(row);
      await recordAudit(tx, now, args.actor, {
        action: 'licence.assign',
        entityType: 'licence_assignment',
        entityId: id,
        after,
      });
      return after;
    }),
  );
}

export async function assignmentUnit(db: Db, id: string) {
  const [a] = await rows<{ unit_id: string }>(
    db,
    sql`select unit_id from licence_assignments where id = ${id}`,
  );
  if (!a) throw notFound('The assignment');
  return a.unit_id;
}

/** S2: the coordinator cancels an assignment; its seat and key become free, the record stays. */
export async function cancelAssignment(ctx: AppContext, args: { actor: Actor; id: string; reason: string }) {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const done = await rows<{ id: string }>(
      tx,
      sql`update licence_assignments set cancelled_at = ${now}, cancelled_by_label = ${args.actor.label},
            cancel_reason = ${args.reason} where id = ${args.id} and cancelled_at is null returning id`,
    );
    if (!done.length)
      throw conflict(say('This assignment is already cancelled.', 'Licensen är redan avslutad.'));
    const [row] = await rows<AssignmentRow>(tx, sql`${assignmentSelect} where a.id = ${args.id}`);
    const after = presentAssignment(row);
    await recordAudit(tx, now, args.actor, {
      action: 'licence.cancel',
      entityType: 'licence_assignment',
      entityId: args.id,
      after,
    });
    return after;
  });
}

/** The unit's register: coordinator history, active and cancelled assignments, keys, seats, reports. */
export async function unitRegister(db: Db, unitId: string, today: string) {
  const unit = await unitRef(db, unitId);
  const assignments = (
    await rows<AssignmentRow>(
      db,
      sql`${assignmentSelect} where a.unit_id = ${unitId}
          order by a.cancelled_at is null desc, t.name, p.family_name, p.given_name, a.id`,
    )
  ).map(presentAssignment);
  const keys = await rows<{
    id: string;
    title_id: string;
    title_name: string;
    key_hint: string;
    note: string;
    assignee_id: string | null;
    assignee_name: string | null;
  }>(
    db,
    sql`select k.id, k.title_id, t.name as title_name, k.key_hint, k.note, p.id as assignee_id,
          p.given_name || ' ' || p.family_name as assignee_name
        from licence_keys k join software_titles t on t.id = k.title_id
        left join licence_assignments a on a.key_id = k.id and a.cancelled_at is null
        left join persons p on p.id = a.person_id
        where k.unit_id = ${unitId} order by t.name, k.created_at, k.id`,
  );
  const seats = await rows<{ title_id: string; title_name: string; seats: number; used: number }>(
    db,
    sql`select s.title_id, t.name as title_name, s.seats,
          (select count(*)::int from licence_assignments a where a.title_id = s.title_id and a.unit_id = s.unit_id
           and a.cancelled_at is null) as used
        from software_seat_pools s join software_titles t on t.id = s.title_id
        where s.unit_id = ${unitId} order by t.name`,
  );
  const reports = await rows<{
    id: string;
    title_id: string;
    title_name: string;
    period_year: number;
    users: number;
    comment: string;
    submitted_by_label: string;
    submitted_at: Date;
  }>(
    db,
    sql`select r.id, r.title_id, t.name as title_name, r.period_year, r.users, r.comment, r.submitted_by_label,
          r.submitted_at from licence_reports r join software_titles t on t.id = r.title_id
        where r.unit_id = ${unitId} order by r.period_year desc, t.name`,
  );
  return {
    unit: { id: unit.id, name: unit.name },
    coordinators: await coordinatorHistory(db, unitId),
    assignments,
    keys: keys.map((k) => ({
      id: k.id,
      title: { id: k.title_id, name: k.title_name },
      hint: k.key_hint,
      note: k.note,
      assignedTo: k.assignee_id ? { id: k.assignee_id, displayName: k.assignee_name! } : null,
    })),
    seats: seats.map((s) => ({
      title: { id: s.title_id, name: s.title_name },
      seats: s.seats,
      used: s.used,
    })),
    reports: reports.map((r) => ({
      id: r.id,
      title: { id: r.title_id, name: r.title_name },
      periodYear: r.period_year,
      users: r.users,
      comment: r.comment,
      submittedBy: r.submitted_by_label,
      submittedAt: new Date(r.submitted_at).toISOString(),
    })),
    reportsDue: await reportsDueOfUnit(db, unitId, today),
  };
}

/** A person's own software and keys ("my software"). */
export async function assignmentsOfPerson(db: Db, personId: string) {
  return (
    await rows<AssignmentRow>(
      db,
      sql`${assignmentSelect} where a.person_id = ${personId} and a.cancelled_at is null order by t.name, a.id`,
    )
  ).map(presentAssignment);
}

// ---- reporting (S2, S3) -----------------------------------------------------------------------------------

/**
 * S2: the coordinator reports the unit's use of a title for a calendar year, once the year has begun;
 * a second report for the same year replaces the first (both are in the audit trail). S3: site
 * licences need no reporting and a report for one is refused.
 */
export async function submitReport(
  ctx: AppContext,
  args: {
    actor: Actor;
    input: { titleId: string; unitId: string; periodYear: number; users: number; comment?: string };
  },
) {
  const now = ctx.clock.now();
  const i = args.input;
  const year = Number(todayOf(ctx).slice(0, 4));
  if (i.periodYear > year)
    throw validationError([
      {
        field: 'periodYear',
        message: say('Report a year that has begun.', 'Rapportera för ett år som har börjat.'),
      },
    ]);
  return guarded(() =>
    ctx.db.transaction(async (tx) => {
      const title = await getTitle(tx, i.titleId);
      if (!title.requiresReporting)
        throw ruleViolation(
          'S3',
          say(
            `${title.name} is under a centrally funded site licence and needs no reporting.`,
            `${title.name} omfattas av en centralt finansierad campuslicens och behöver inte rapporteras.`,
          ),
          {
            errors: [
              {
                field: 'titleId',
                message: say('Site licence: no reporting.', 'Campuslicens: ingen rapportering.'),
              },
            ],
          },
        );
      await unitRef(tx, i.unitId);
      const [prev] = await rows<{ users: number }>(
        tx,
        sql`select users from licence_reports where title_id = ${i.titleId} and unit_id = ${i.unitId}
            and period_year = ${i.periodYear} for update`,
      );
      const id = randomUUID();
      await tx.execute(sql`insert into licence_reports (id, title_id, unit_id, period_year, users, comment,
          submitted_by_label, submitted_at)
        values (${id}, ${i.titleId}, ${i.unitId}, ${i.periodYear}, ${i.users}, ${i.comment ?? ''},
          ${args.actor.label}, ${now})
        on conflict (title_id, unit_id, period_year) do update set users = excluded.users,
          comment = excluded.comment, submitted_by_label = excluded.submitted_by_label,
          submitted_at = excluded.submitted_at`);
      const after = { ...i, comment: i.comment ?? '' };
      await recordAudit(tx, now, args.actor, {
        action: 'licence.report',
        entityType: 'software_title',
        entityId: i.titleId,
        before: prev ? { users: prev.users } : null,
        after,
      });
      return { ...after, submittedBy: args.actor.label, submittedAt: now.toISOString() };
    }),
  );
}

/**
 * For central IT: units that used a title needing reporting during a year (an assignment active at some
 * time in it) and have not reported it although the deadline (the days after the year's end that the
 * title gives) has passed. Site licences never appear (S3).
 */
export async function missingReports(ctx: AppContext, periodYear: number) {
  const today = todayOf(ctx);
  const found = await rows<{
    title_id: string;
    title_name: string;
    unit_id: string;
    unit_name: string;
    deadline: string;
    coordinator: string | null;
  }>(
    ctx.db,
    sql`with used as (
          select distinct a.title_id, a.unit_id from licence_assignments a
          where a.assigned_at < make_date(${periodYear}::int + 1, 1, 1)
            and (a.cancelled_at is null or a.cancelled_at >= make_date(${periodYear}::int, 1, 1)))
        select t.id as title_id, t.name as title_name, u.id as unit_id, u.name as unit_name,
          (make_date(${periodYear}::int, 12, 31) + t.report_deadline_days)::text as deadline,
          (select p.given_name || ' ' || p.family_name from licence_coordinators c join persons p on p.id = c.person_id
           where c.unit_id = u.id and c.ended_on is null) as coordinator
        from used join software_titles t on t.id = used.title_id join org_units u on u.id = used.unit_id
        where t.licence_model <> 'site'
          and make_date(${periodYear}::int, 12, 31) + t.report_deadline_days < ${today}::date
          and not exists (select 1 from licence_reports r where r.title_id = t.id and r.unit_id = u.id
                          and r.period_year = ${periodYear})
        order by t.name, u.name, u.id`,
  );
  return found.map((r) => ({
    title: { id: r.title_id, name: r.title_name },
    unit: { id: r.unit_id, name: r.unit_name },
    periodYear,
    deadline: r.deadline,
    coordinator: r.coordinator,
  }));
}

/**
 * S3: the use reports owed by the given units (an SQL list of unit ids): last year's and this year's, once
 * the deadline is within 60 days or past, until the report is submitted; by deadline.
 */
async function reportsOwed(db: Db, units: SQL, today: string) {
  const year = Number(today.slice(0, 4));
  return rows<{
    unit_id: string;
    unit_name: string;
    title_id: string;
    title_name: string;
    period_year: number;
    deadline: string;
  }>(
    db,
    sql`with mine as (${units}),
        used as (
          select distinct a.title_id, a.unit_id, y.y from licence_assignments a join mine on mine.unit_id = a.unit_id
          cross join (values (${year - 1}::int), (${year}::int)) as y(y)
          where a.assigned_at < make_date(y.y + 1, 1, 1)
            and (a.cancelled_at is null or a.cancelled_at >= make_date(y.y, 1, 1)))
        select u.id as unit_id, u.name as unit_name, t.id as title_id, t.name as title_name, used.y as period_year,
          (make_date(used.y, 12, 31) + t.report_deadline_days)::text as deadline
        from used join software_titles t on t.id = used.title_id join org_units u on u.id = used.unit_id
        where t.licence_model <> 'site'
          and make_date(used.y, 12, 31) + t.report_deadline_days < ${today}::date + 60
          and not exists (select 1 from licence_reports r where r.title_id = t.id and r.unit_id = u.id
                          and r.period_year = used.y)
        order by deadline, t.name, u.name
        limit 500`,
  );
}

/** My work (S3): the use reports owed by the units the person is the current licence coordinator of. */
export async function reportsDueFor(db: Db, personId: string, today: string): Promise<WorkItem[]> {
  const found = await reportsOwed(
    db,
    sql`select unit_id from licence_coordinators where person_id = ${personId} and ended_on is null`,
    today,
  );
  return found.map((r) => ({
    kind: 'report.due',
    subject: { id: r.unit_id, name: r.unit_name },
    detail: r.title_name,
    date: r.deadline,
  }));
}

/** The unit's register (S3): the use reports it owes, with whether the deadline has passed. */
async function reportsDueOfUnit(db: Db, unitId: string, today: string) {
  return (await reportsOwed(db, sql`select ${unitId}::uuid as unit_id`, today)).map((r) => ({
    title: { id: r.title_id, name: r.title_name },
    periodYear: r.period_year,
    deadline: r.deadline,
    overdue: r.deadline < today,
  }));
}

// ---- procurement (S4) ---------------------------------------------------------------------------------------

type ProcurementRow = {
  id: string;
  software_name: string;
  vendor: string;
  unit_id: string;
  unit_name: string;
  requested_by_label: string;
  justification: string;
  status: 'open' | 'approved' | 'rejected';
  decision_comment: string | null;
  decided_by_label: string | null;
  decided_at: Date | null;
  created_at: Date;
};
const presentProcurement = (r: ProcurementRow) => ({
  id: r.id,
  softwareName: r.software_name,
  vendor: r.vendor,
  unit: { id: r.unit_id, name: r.unit_name },
  requestedBy: r.requested_by_label,
  justification: r.justification,
  status: r.status,
  decisionComment: r.decision_comment,
  decidedBy: r.decided_by_label,
  decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null,
  createdAt: new Date(r.created_at).toISOString(),
});
const procurementSelect = sql`select r.*, u.name as unit_name from procurement_requests r
  join org_units u on u.id = r.unit_id`;

/** S4: software that is not offered can be requested from procurement; offered software cannot. */
export async function requestProcurement(
  ctx: AppContext,
  args: {
    actor: Actor;
    input: { softwareName: string; vendor?: string; unitId: string; justification: string };
  },
) {
  const now = ctx.clock.now();
  const i = args.input;
  return ctx.db.transaction(async (tx) => {
    const [offered] = await rows<{ id: string; name: string }>(
      tx,
      sql`select id, name from software_titles where offered and lower(name) = lower(${i.softwareName.trim()}) limit 1`,
    );
    if (offered)
      throw ruleViolation(
        'S4',
        say(
          `${offered.name} is already offered: ask your unit's licence coordinator for it.`,
          `${offered.name} erbjuds redan: be din enhets licensansvarige om den.`,
        ),
        {
          errors: [{ field: 'softwareName', message: say('Already offered.', 'Erbjuds redan.') }],
          titleId: offered.id,
        },
      );
    await unitRef(tx, i.unitId);
    const id = randomUUID();
    await tx.execute(sql`insert into procurement_requests (id, software_name, vendor, unit_id, requested_by_person_id,
        requested_by_label, justification, created_at)
      values (${id}, ${i.softwareName.trim()}, ${i.vendor ?? ''}, ${i.unitId}, ${args.actor.personId},
        ${args.actor.label}, ${i.justification}, ${now})`);
    const [row] = await rows<ProcurementRow>(tx, sql`${procurementSelect} where r.id = ${id}`);
    const after = presentProcurement(row);
    await recordAudit(tx, now, args.actor, {
      action: 'procurement.request',
      entityType: 'procurement_request',
      entityId: id,
      after,
    });
    return after;
  });
}

export async function listProcurement(db: Db, f: { status?: string; personId?: string | null }) {
  const conds = [sql`true`];
  if (f.status) conds.push(sql`r.status = ${f.status}`);
  if (f.personId !== undefined) conds.push(sql`r.requested_by_person_id = ${f.personId}`);
  return (
    await rows<ProcurementRow>(
      db,
      sql`${procurementSelect} where ${sql.join(conds, sql` and `)} order by r.created_at desc, r.id`,
    )
  ).map(presentProcurement);
}

export async function decideProcurement(
  ctx: AppContext,
  args: { actor: Actor; id: string; decision: 'approved' | 'rejected'; comment: string },
) {
  const now = ctx.clock.now();
  if (args.decision === 'rejected' && !args.comment.trim())
    throw validationError([
      {
        field: 'comment',
        message: say('Give the reason for the rejection.', 'Ange varför önskemålet avslås.'),
      },
    ]);
  return ctx.db.transaction(async (tx) => {
    const done = await rows<{ id: string }>(
      tx,
      sql`update procurement_requests set status = ${args.decision}, decision_comment = ${args.comment},
            decided_by_label = ${args.actor.label}, decided_at = ${now}
          where id = ${args.id} and status = 'open' returning id`,
    );
    if (!done.length) {
      const [exists] = await rows<{ id: string }>(
        tx,
        sql`select id from procurement_requests where id = ${args.id}`,
      );
      if (!exists) throw notFound('The procurement request');
      throw conflict(say('This request has already been decided.', 'Önskemålet har redan avgjorts.'));
    }
    const [row] = await rows<ProcurementRow & { email: string | null }>(
      tx,
      sql`select r.*, u.name as unit_name, p.email from procurement_requests r join org_units u on u.id = r.unit_id
          left join persons p on p.id = r.requested_by_person_id where r.id = ${args.id}`,
    );
    const after = presentProcurement(row);
    if (row.email)
      await enqueueEmail(tx, now, {
        to: row.email,
        subject: `Procurement request for ${row.software_name}: ${args.decision}`,
        body: `Your request for ${row.software_name} was ${args.decision} by ${args.actor.label}.\n\n${args.comment}`,
        meta: { kind: 'procurement-decision', requestId: args.id },
      });
    await recordAudit(tx, now, args.actor, {
      action: 'procurement.decide',
      entityType: 'procurement_request',
      entityId: args.id,
      after,
    });
    return after;
  });
}

// ---- announcements (S5) ---------------------------------------------------------------------------------------

/** S5: central IT messages every current coordinator through the outbox, one e-mail each. */
export async function announce(ctx: AppContext, args: { actor: Actor; subject: string; body: string }) {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const coordinators = await rows<{ email: string | null; name: string; unit_name: string }>(
      tx,
      sql`select p.email, p.given_name || ' ' || p.family_name as name, u.name as unit_name
          from licence_coordinators c join persons p on p.id = c.person_id join org_units u on u.id = c.unit_id
          where c.ended_on is null and p.status = 'active' order by u.name`,
    );
    const id = randomUUID();
    const reachable = coordinators.filter((c) => c.email);
    for (const c of reachable)
      await enqueueEmail(tx, now, {
        to: c.email!,
        subject: args.subject,
        body: `${args.body}\n\n— Sent to the licence coordinators (you: ${c.unit_name}).`,
        meta: { kind: 'coordinator-announcement', announcementId: id },
      });
    const unreachable = coordinators
      .filter((c) => !c.email)
      .map((c) => ({ name: c.name, unit: c.unit_name }));
    await tx.execute(sql`insert into coordinator_announcements (id, subject, body, sent_by_label, sent_at, recipients, unreachable)
      values (${id}, ${args.subject}, ${args.body}, ${args.actor.label}, ${now}, ${reachable.length}, ${unreachable.length})`);
    await recordAudit(tx, now, args.actor, {
      action: 'announcement.send',
      entityType: 'coordinator_announcement',
      entityId: id,
      after: { subject: args.subject, recipients: reachable.length, unreachable },
    });
    return { id, recipients: reachable.length, unreachable };
  });
}

export async function listAnnouncements(db: Db) {
  return (
    await rows<{
      id: string;
      subject: string;
      body: string;
      sent_by_label: string;
      sent_at: Date;
      recipients: number;
      unreachable: number;
    }>(db, sql`select * from coordinator_announcements order by sent_at desc, id limit 100`)
  ).map((a) => ({
    id: a.id,
    subject: a.subject,
    body: a.body,
    sentBy: a.sent_by_label,
    sentAt: new Date(a.sent_at).toISOString(),
    recipients: a.recipients,
    unreachable: a.unreachable,
  }));
}

/** Audit log: what people recognise this module's objects by (see audit.labels.ts). */
export const softwareAuditLabels: AuditLabelSql = {
  software_title: (ids) => sql`select x.id, x.name as label from software_titles x where x.id = any(${ids})`,
  licence_assignment: (ids) =>
    sql`select x.id, coalesce(t.name || ': ' || p.given_name || ' ' || p.family_name, t.name) as label
        from licence_assignments x join software_titles t on t.id = x.title_id
        left join persons p on p.id = x.person_id where x.id = any(${ids})`,
  licence_key: (ids) =>
    sql`select x.id, t.name as label from licence_keys x join software_titles t on t.id = x.title_id
        where x.id = any(${ids})`,
  procurement_request: (ids) =>
    sql`select x.id, x.software_name as label from procurement_requests x where x.id = any(${ids})`,
  coordinator_announcement: (ids) =>
    sql`select x.id, x.subject as label from coordinator_announcements x where x.id = any(${ids})`,
};
