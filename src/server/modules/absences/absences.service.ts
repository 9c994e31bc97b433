// Absences and cover (V1, V2; source 004): a person registers their absence ahead of time and names,
// for each main role they hold, who covers it; the cover holds the role for the days of the absence
// only (a role assignment the systems service makes in the same transaction). The coverage report
// finds the days on which nobody with a system's or a unit's needed rights is present, before they come.
import { randomUUID } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import { pgArray } from '../../db/arrays.ts';
import { type Db, rows } from '../../db/client.ts';
import { addDays, localDate, todayOf } from '../../platform/clock.ts';
import { type Actor, type AppContext, systemActor } from '../../platform/context.ts';
import { constraintTranslator } from '../../platform/db-errors.ts';
import { BAD_CURSOR, conflict, notFound, ruleViolation, validationError } from '../../platform/errors.ts';
import { enqueueEmail } from '../../platform/outbox/outbox.service.ts';
import { say, type Text } from '../../platform/text.ts';
import type { WorkItem } from '../../platform/work.ts';
import { currentOrderers } from '../access/access.service.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { appointActingHead, endActingHead, unitsHeadedBy } from '../org/org.service.ts';
import {
  delegateRole,
  endDelegatedRole,
  mainRolesHeld,
  roleHolderIntervals,
} from '../systems/governance.service.ts';
import type { MAIN_ROLES } from '../systems/systems.tables.ts';
import type { AbsenceInput, CoverageGap } from './absences.schema.ts';

type MainRole = (typeof MAIN_ROLES)[number];

/** V2: the roles whose holders a system needs present: the system manager and the IT system manager. */
export const NEEDED_ROLES: readonly MainRole[] = ['system_manager', 'it_system_manager'];
/** The longest period one coverage report looks at. */
export const MAX_REPORT_DAYS = 366;

const DAY = 86_400_000;
const dayNumber = (d: string) => Date.parse(`${d}T00:00:00Z`) / DAY;
const dayText = (n: number) => new Date(n * DAY).toISOString().slice(0, 10);
const later = (a: string, b: string) => (a > b ? a : b);
const earlier = (a: string, b: string | null) => (b !== null && b < a ? b : a);

const NO_PERSON = say('No such person.', 'Personen finns inte.');
const PERSON_LEFT = say('This person has left the organisation.', 'Personen har lämnat organisationen.');
const ONLY_HELD_ROLES = say(
  'Only a role the absent person holds during the absence can be handed over.',
  'Bara en roll som den frånvarande har under frånvaron kan lämnas över.',
);

const { guarded } = constraintTranslator({
  unique: {
    coverage_delegations_current_unit_key: {
      field: 'actingHeads',
      message: say(
        'Each unit has one acting head: the same unit appears twice.',
        'Varje enhet har en tillförordnad chef: samma enhet förekommer två gånger.',
      ),
    },
    coverage_delegations_current_key: {
      field: 'covers',
      message: say(
        'Each role is handed over to one cover: the same role on the same object appears twice.',
        'Varje roll lämnas över till en ersättare: samma roll för samma förvaltningsobjekt förekommer två gånger.',
      ),
    },
  },
  checks: {
    coverage_delegations_not_self: {
      field: 'covers',
      message: say(
        'Nobody covers for themselves: name someone else.',
        'Ingen kan ersätta sig själv: ange någon annan.',
      ),
      rule: 'V1',
    },
    coverage_absences_period_check: {
      field: 'endsOn',
      message: say('The absence ends before it starts.', 'Frånvaron slutar innan den börjar.'),
    },
  },
});

// ---- reading ----------------------------------------------------------------------------------------

export type Absence = {
  id: string;
  person: { id: string; displayName: string };
  startsOn: string;
  endsOn: string;
  note: string;
  registeredBy: string;
  registeredAt: string;
  cancelled: boolean;
  delegations: {
    id: string;
    /** A main role on a governance object, or (unit set, object and role null) the head of a unit. */
    object: { id: string; name: string } | null;
    role: MainRole | null;
    unit: { id: string; name: string } | null;
    cover: { id: string; displayName: string };
    withdrawn: boolean;
  }[];
};

type AbsenceCursor = { k: string; id: string };
function decodeCursor(s: string): AbsenceCursor {
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    if (/^\d{4}-\d{2}-\d{2}$/.test(c.k) && /^[0-9a-f-]{36}$/.test(c.id)) return c;
  } catch {}
  throw validationError([{ field: 'cursor', message: BAD_CURSOR }]);
}

/** Absences, earliest first: those not over by `from` (default today), optionally of one person. */
export async function listAbsences(
  ctx: AppContext,
  f: {
    personId?: string;
    from?: string;
    to?: string;
    includeCancelled?: boolean;
    id?: string;
    limit: number;
    cursor?: string;
  },
) {
  const conds: SQL[] = [];
  if (f.id) conds.push(sql`a.id = ${f.id}`);
  else conds.push(sql`a.ends_on >= ${f.from ?? todayOf(ctx)}::date`);
  if (f.to) conds.push(sql`a.starts_on <= ${f.to}::date`);
  if (f.personId) conds.push(sql`a.person_id = ${f.personId}`);
  if (!f.includeCancelled && !f.id) conds.push(sql`a.cancelled_at is null`);
  if (f.cursor) {
    const c = decodeCursor(f.cursor);
    conds.push(sql`(a.starts_on, a.id) > (${c.k}::date, ${c.id}::uuid)`);
  }
  const found = await rows<{
    id: string;
    person_id: string;
    person_name: string;
    starts_on: string;
    ends_on: string;
    note: string;
    registered_by_label: string;
    registered_at: Date | string;
    cancelled_at: Date | string | null;
    delegations: string | Absence['delegations'];
  }>(
    ctx.db,
    sql`select a.id, a.person_id, p.given_name || ' ' || p.family_name as person_name, a.starts_on::text,
          a.ends_on::text, a.note, a.registered_by_label, a.registered_at, a.cancelled_at,
          coalesce((select json_agg(json_build_object('id', d.id,
              'object', case when o.id is not null then json_build_object('id', o.id, 'name', o.name) end,
              'role', d.role,
              'unit', case when u.id is not null then json_build_object('id', u.id, 'name', u.name) end,
              'cover', json_build_object('id', c.id, 'displayName', c.given_name || ' ' || c.family_name),
              'withdrawn', d.withdrawn_at is not null) order by u.name nulls last, o.name, d.role)
            from coverage_delegations d left join governance_objects o on o.id = d.object_id
              left join org_units u on u.id = d.unit_id
              join persons c on c.id = d.cover_person_id
            where d.absence_id = a.id), '[]') as delegations
        from coverage_absences a join persons p on p.id = a.person_id
        where ${sql.join(conds, sql` and `)}
        order by a.starts_on, a.id limit ${f.limit + 1}`,
  );
  const page = found.slice(0, f.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(
      (r): Absence => ({
        id: r.id,
        person: { id: r.person_id, displayName: r.person_name },
        startsOn: r.starts_on,
        endsOn: r.ends_on,
        note: r.note,
        registeredBy: r.registered_by_label,
        registeredAt: new Date(r.registered_at).toISOString(),
        cancelled: r.cancelled_at !== null,
        delegations: typeof r.delegations === 'string' ? JSON.parse(r.delegations) : r.delegations,
      }),
    ),
    nextCursor:
      found.length > f.limit
        ? Buffer.from(JSON.stringify({ k: last.starts_on, id: last.id })).toString('base64url')
        : null,
  };
}

export async function getAbsence(ctx: AppContext, id: string) {
  const [a] = (await listAbsences(ctx, { id, limit: 1 })).items;
  if (!a) throw notFound('The absence');
  return a;
}

/** V1: what a person hands over while away: the main roles they hold during a period, and the units they head. */
export async function handoverRoles(db: Db, personId: string, from: string, to: string) {
  return {
    items: (await mainRolesHeld(db, personId, from, to)).map((r) => ({
      object: { id: r.objectId, name: r.objectName },
      role: r.role,
      validFrom: r.validFrom,
      validUntil: r.validUntil,
    })),
    units: await unitsHeadedBy(db, personId),
  };
}

// ---- writing ----------------------------------------------------------------------------------------

/**
 * V1: registers an absence and hands each named role over to its cover for the days of the absence
 * (and of the absent person's own assignment) only. One transaction: the absence, the delegations,
 * the covers' role assignments and the audit events are written together or not at all.
 */
export async function registerAbsence(ctx: AppContext, args: { actor: Actor; input: AbsenceInput }) {
  const now = ctx.clock.now();
  const today = todayOf(ctx);
  const i = args.input;
  if (i.endsOn < today)
    throw validationError([
      {
        field: 'endsOn',
        message: say(
          'The absence is already over. Absences are registered ahead of time.',
          'Frånvaron har redan tagit slut. Frånvaro registreras i förväg.',
        ),
      },
    ]);
  const id = randomUUID();
  await guarded(() =>
    ctx.db.transaction(async (tx) => {
      // The person's row is locked, so two registrations for the same person cannot both pass the
      // overlap check below.
      const [person] = await rows<{ status: string }>(
        tx,
        sql`select status from persons where id = ${i.personId} for update`,
      );
      if (!person) throw validationError([{ field: 'personId', message: NO_PERSON }]);
      if (person.status !== 'active') throw validationError([{ field: 'personId', message: PERSON_LEFT }]);
      const [overlap] = await rows<{ starts_on: string; ends_on: string }>(
        tx,
        sql`select starts_on::text, ends_on::text from coverage_absences
            where person_id = ${i.personId} and cancelled_at is null
              and starts_on <= ${i.endsOn}::date and ends_on >= ${i.startsOn}::date limit 1`,
      );
      if (overlap)
        throw conflict(
          say(
            'The person is already registered as away during these days.',
            'Personen är redan registrerad som frånvarande under dessa dagar.',
          ),
          {
            errors: [
              {
                field: 'startsOn',
                message: say(
                  `Overlaps the absence ${overlap.starts_on} – ${overlap.ends_on}. Cancel it first, or choose other days.`,
                  `Överlappar frånvaron ${overlap.starts_on} – ${overlap.ends_on}. Avboka den först, eller välj andra dagar.`,
                ),
              },
            ],
          },
        );
      await tx.execute(
        sql`insert into coverage_absences (id, person_id, starts_on, ends_on, note, registered_by_person_id,
              registered_by_label, registered_at)
            values (${id}, ${i.personId}, ${i.startsOn}::date, ${i.endsOn}::date, ${i.note}, ${args.actor.personId},
              ${args.actor.label}, ${now})`,
      );
      const held = await mainRolesHeld(tx, i.personId, i.startsOn, i.endsOn);
      for (const [n, c] of i.covers.entries()) {
        const field = `covers.${n}`;
        const mine = held.filter((h) => h.objectId === c.objectId && h.role === c.role);
        if (!mine.length)
          throw ruleViolation('V1', ONLY_HELD_ROLES, {
            errors: [
              {
                field: `${field}.role`,
                message: say(
                  'The absent person does not hold this role then.',
                  'Den frånvarande har inte rollen då.',
                ),
              },
            ],
          });
        const [cover] = await rows<{ status: string }>(
          tx,
          sql`select status from persons where id = ${c.personId}`,
        );
        if (!cover) throw validationError([{ field: `${field}.personId`, message: NO_PERSON }]);
        if (cover.status !== 'active')
          throw validationError([{ field: `${field}.personId`, message: PERSON_LEFT }]);
        // (Covering for oneself is refused by the delegation's check below, with rule V1.)
        if (
          c.personId !== i.personId &&
          (await mainRolesHeld(tx, c.personId, i.startsOn, i.endsOn)).some(
            (h) => h.objectId === c.objectId && h.role === c.role,
          )
        )
          throw validationError([
            {
              field: `${field}.personId`,
              message: say(
                'This person already holds the role during the absence: name someone else, or no cover.',
                'Personen har redan rollen under frånvaron: ange någon annan, eller ingen ersättare.',
              ),
            },
          ]);
        // The days of the absence on which the absent person holds the role (from today on).
        const from = mine.map((h) => later(later(i.startsOn, today), h.validFrom)).sort()[0];
        const until = mine
          .map((h) => earlier(i.endsOn, h.validUntil))
          .sort()
          .reverse()[0];
        if (from > until)
          throw ruleViolation('V1', ONLY_HELD_ROLES, {
            errors: [
              {
                field: `${field}.role`,
                message: say(
                  'The absent person no longer holds this role then.',
                  'Den frånvarande har inte längre rollen då.',
                ),
              },
            ],
          });
        const delegationId = randomUUID();
        // The delegation row first: its check refuses a cover who is the absent person (V1).
        await tx.execute(
          sql`insert into coverage_delegations (id, absence_id, from_person_id, object_id, role, cover_person_id,
                created_at)
              values (${delegationId}, ${id}, ${i.personId}, ${c.objectId}, ${c.role}, ${c.personId}, ${now})`,
        );
        const assignmentId = await delegateRole(tx, now, args.actor, {
          objectId: c.objectId,
          role: c.role,
          personId: c.personId,
          fromPersonId: i.personId,
          validFrom: from,
          validUntil: until,
        });
        await tx.execute(
          sql`update coverage_delegations set assignment_id = ${assignmentId} where id = ${delegationId}`,
        );
      }
      // The head of a unit hands the head's tasks to an acting head (the org module keeps who acts).
      const headed = new Set((await unitsHeadedBy(tx, i.personId)).map((u) => u.id));
      for (const [n, h] of i.actingHeads.entries()) {
        const field = `actingHeads.${n}`;
        if (!headed.has(h.unitId))
          throw ruleViolation(
            'V1',
            say(
              'Only the head of a unit hands over its head’s tasks.',
              'Bara chefen för en enhet kan lämna över enhetens chefsuppgifter.',
            ),
            {
              errors: [
                {
                  field: `${field}.unitId`,
                  message: say(
                    'The absent person is not the head of this unit.',
                    'Den frånvarande är inte chef för enheten.',
                  ),
                },
              ],
            },
          );
        const [acting] = await rows<{ status: string }>(
          tx,
          sql`select status from persons where id = ${h.personId}`,
        );
        if (!acting) throw validationError([{ field: `${field}.personId`, message: NO_PERSON }]);
        if (acting.status !== 'active')
          throw validationError([{ field: `${field}.personId`, message: PERSON_LEFT }]);
        const delegationId = randomUUID();
        await tx.execute(
          sql`insert into coverage_delegations (id, absence_id, from_person_id, unit_id, cover_person_id, created_at)
              values (${delegationId}, ${id}, ${i.personId}, ${h.unitId}, ${h.personId}, ${now})`,
        );
        const actingHeadId = await appointActingHead(tx, now, args.actor, {
          unitId: h.unitId,
          personId: h.personId,
          forPersonId: i.personId,
          validFrom: later(i.startsOn, today),
          validUntil: i.endsOn,
        });
        await tx.execute(
          sql`update coverage_delegations set acting_head_id = ${actingHeadId} where id = ${delegationId}`,
        );
      }
      await recordAudit(tx, now, args.actor, {
        action: 'absence.register',
        entityType: 'person',
        entityId: i.personId,
        after: {
          id,
          startsOn: i.startsOn,
          endsOn: i.endsOn,
          note: i.note,
          covers: i.covers,
          actingHeads: i.actingHeads,
        },
      });
    }),
  );
  return getAbsence(ctx, id);
}

/** The absent person of an absence (for the policy), or 404. */
export async function absencePerson(db: Db, id: string) {
  const [a] = await rows<{ person_id: string }>(
    db,
    sql`select person_id from coverage_absences where id = ${id}`,
  );
  if (!a) throw notFound('The absence');
  return a.person_id;
}

/** V1: cancels an absence; the covers' roles are taken back with it. The absence stays as history. */
export async function cancelAbsence(ctx: AppContext, args: { actor: Actor; id: string }) {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const cancelled = await rows<{ person_id: string }>(
      tx,
      sql`update coverage_absences set cancelled_at = ${now}, cancelled_by_label = ${args.actor.label}
          where id = ${args.id} and cancelled_at is null returning person_id`,
    );
    if (!cancelled.length) throw notFound('The absence');
    const withdrawn = await rows<{ assignment_id: string | null; acting_head_id: string | null }>(
      tx,
      sql`update coverage_delegations set withdrawn_at = ${now}
          where absence_id = ${args.id} and withdrawn_at is null returning assignment_id, acting_head_id`,
    );
    // The covers' rights end at once: their last day was yesterday (one not begun is removed).
    await endHandovers(tx, now, args.actor, withdrawn, addDays(todayOf(ctx), -1));
    await recordAudit(tx, now, args.actor, {
      action: 'absence.cancel',
      entityType: 'person',
      entityId: cancelled[0].person_id,
      before: { id: args.id },
    });
  });
}

/**
 * V1: the absent person comes back early: the absence now ends on `lastDay` (at the earliest
 * yesterday, so that nobody's past is rewritten), and so does every cover's role and acting head.
 */
export async function endAbsenceEarly(ctx: AppContext, args: { actor: Actor; id: string; lastDay: string }) {
  const now = ctx.clock.now();
  const today = todayOf(ctx);
  const { lastDay } = args;
  await ctx.db.transaction(async (tx) => {
    const [a] = await rows<{ person_id: string; starts_on: string; ends_on: string }>(
      tx,
      sql`select person_id, starts_on::text, ends_on::text from coverage_absences
          where id = ${args.id} and cancelled_at is null for update`,
    );
    if (!a) throw notFound('The absence');
    const refuse = (message: Text) => validationError([{ field: 'lastDay', message }]);
    if (lastDay >= a.ends_on)
      throw refuse(
        say(
          `The absence already ends on ${a.ends_on}. To be away longer, register another absence.`,
          `Frånvaron slutar redan ${a.ends_on}. Registrera en ny frånvaro för att vara borta längre.`,
        ),
      );
    if (lastDay < a.starts_on)
      throw refuse(
        say(
          `The absence begins on ${a.starts_on}. To not be away at all, cancel it.`,
          `Frånvaron börjar ${a.starts_on}. Avboka den om det inte blir någon frånvaro alls.`,
        ),
      );
    if (lastDay < addDays(today, -1))
      throw refuse(
        say(
          'The last day away can be yesterday at the earliest: the days before are history.',
          'Sista dagen borta kan tidigast vara i går: dagarna före det är historik.',
        ),
      );
    await tx.execute(sql`update coverage_absences set ends_on = ${lastDay}::date where id = ${args.id}`);
    const live = await rows<{ assignment_id: string | null; acting_head_id: string | null }>(
      tx,
      sql`select assignment_id, acting_head_id from coverage_delegations
          where absence_id = ${args.id} and withdrawn_at is null`,
    );
    await endHandovers(tx, now, args.actor, live, lastDay);
    await recordAudit(tx, now, args.actor, {
      action: 'absence.end-early',
      entityType: 'person',
      entityId: a.person_id,
      before: { id: args.id, endsOn: a.ends_on },
      after: { id: args.id, endsOn: lastDay },
    });
  });
  return getAbsence(ctx, args.id);
}

/** The covers' roles and acting heads of an absence end on `lastDay` at the latest. */
async function endHandovers(
  tx: Db,
  now: Date,
  actor: Actor,
  handovers: { assignment_id: string | null; acting_head_id: string | null }[],
  lastDay: string,
) {
  for (const d of handovers) {
    if (d.assignment_id) await endDelegatedRole(tx, now, actor, d.assignment_id, lastDay);
    if (d.acting_head_id) await endActingHead(tx, now, actor, d.acting_head_id, lastDay);
  }
}

// ---- the coverage report (V2) -------------------------------------------------------------------------

type Holder = { personId: string; personName: string; from: number; until: number };
type Subject = {
  kind: CoverageGap['kind'];
  subject: { id: string; name: string };
  role: MainRole | null;
  holders: Holder[];
};

/**
 * V2: the periods in [from, to] during which a system's needed role (system manager, IT system
 * manager) or a unit's ordering rights have holders, but every one of them is away. (Days with no
 * holder at all are G2's role gaps and A1's units without orderers, reported there.) A cover holds the
 * role during the absence, so a handed-over role shows no gap.
 */
export async function coverageGaps(db: Db, from: string, to: string): Promise<CoverageGap[]> {
  const first = dayNumber(from);
  const last = dayNumber(to);
  const subjects = new Map<string, Subject>();
  const add = (key: string, s: Omit<Subject, 'holders'>, h: Holder) => {
    const found = subjects.get(key) ?? { ...s, holders: [] };
    found.holders.push(h);
    subjects.set(key, found);
  };
  for (const r of await roleHolderIntervals(db, from, to, NEEDED_ROLES))
    add(
      `o:${r.objectId}:${r.role}`,
      { kind: 'system_role', subject: { id: r.objectId, name: r.objectName }, role: r.role },
      {
        personId: r.personId,
        personName: r.personName,
        from: dayNumber(r.from),
        until: r.until === null ? last : dayNumber(r.until),
      },
    );
  for (const r of await currentOrderers(db))
    add(
      `u:${r.unitId}`,
      { kind: 'unit_orderers', subject: { id: r.unitId, name: r.unitName }, role: null },
      { personId: r.personId, personName: r.personName, from: first, until: last },
    );
  const away = new Map<string, [number, number][]>();
  for (const a of await rows<{ person_id: string; starts_on: string; ends_on: string }>(
    db,
    sql`select person_id, starts_on::text, ends_on::text from coverage_absences
        where cancelled_at is null and ends_on >= ${from}::date and starts_on <= ${to}::date`,
  )) {
    const list = away.get(a.person_id) ?? [];
    list.push([dayNumber(a.starts_on), dayNumber(a.ends_on)]);
    away.set(a.person_id, list);
  }
  const isAway = (personId: string, d: number) =>
    away.get(personId)?.some(([s, e]) => s <= d && d <= e) ?? false;

  const gaps: CoverageGap[] = [];
  for (const s of subjects.values()) {
    // Only subjects with someone away can have a gap: skip the rest without walking their days.
    if (!s.holders.some((h) => away.has(h.personId))) continue;
    let open: { from: number; to: number; absent: Map<string, string> } | null = null;
    const close = () => {
      if (open)
        gaps.push({
          kind: s.kind,
          subject: s.subject,
          role: s.role,
          from: dayText(open.from),
          to: dayText(open.to),
          absent: [...open.absent].map(([id, displayName]) => ({ id, displayName })),
        });
      open = null;
    };
    for (let d = first; d <= last; d++) {
      const holding = s.holders.filter((h) => h.from <= d && d <= h.until);
      const gap = holding.length > 0 && holding.every((h) => isAway(h.personId, d));
      if (!gap) {
        close();
        continue;
      }
      open ??= { from: d, to: d, absent: new Map() };
      open.to = d;
      for (const h of holding) open.absent.set(h.personId, h.personName);
    }
    close();
  }
  const order = (g: CoverageGap) => `${g.from}|${g.subject.name}|${g.role ?? ''}`;
  return gaps.sort((a, b) => order(a).localeCompare(order(b), 'sv'));
}

/**
 * My work (V2): coverage gaps starting within `days` days among which the person is away (it is theirs
 * to find a cover before they go); every gap for an administrator.
 */
export async function coverageGapsFor(
  db: Db,
  who: { personId: string | null; everything: boolean },
  today: string,
  days = 60,
): Promise<WorkItem[]> {
  if (!who.everything && !who.personId) return [];
  const until = addDays(today, days);
  // The home page asks this on every visit: without an absence in the window (the person's own, or
  // anyone's for an administrator) there is no gap, and the report's reads are skipped.
  const [any] = await rows(
    db,
    sql`select 1 from coverage_absences where cancelled_at is null and ends_on >= ${today}::date
          and starts_on <= ${until}::date ${who.everything ? sql`` : sql`and person_id = ${who.personId}`} limit 1`,
  );
  if (!any) return [];
  const gaps = await coverageGaps(db, today, until);
  return gaps
    .filter((g) => who.everything || g.absent.some((p) => p.id === who.personId))
    .map((g) => ({
      kind: g.kind === 'system_role' ? ('coverage.role' as const) : ('coverage.orderers' as const),
      subject: g.subject,
      detail: g.role,
      date: g.from,
      youAreAway: g.absent.some((p) => p.id === who.personId),
    }));
}

/** V2: how far ahead the reminder job looks for gaps an absence leaves. */
export const REMINDER_DAYS = 14;

/**
 * V2, the scheduled job `coverage-reminders`: an absence that leaves a coverage gap within the next
 * REMINDER_DAYS days gets one e-mail (through the outbox) to the person away, naming each gap, so that
 * they name a cover before they go. Each absence is reminded once; re-running at once sends nothing.
 */
export async function runCoverageReminders(ctx: AppContext) {
  const now = ctx.clock.now();
  const today = localDate(now);
  const gaps = await coverageGaps(ctx.db, today, addDays(today, REMINDER_DAYS));
  const result = { reminded: 0 };
  if (!gaps.length) return result;
  const actor = systemActor('Steward coverage reminders', 'job');
  const absent = [...new Set(gaps.flatMap((g) => g.absent.map((p) => p.id)))];
  await ctx.db.transaction(async (tx) => {
    // The absences not yet reminded of the people away in some gap, with their e-mail addresses.
    const due = await rows<{
      id: string;
      person_id: string;
      name: string;
      email: string | null;
      starts_on: string;
      ends_on: string;
    }>(
      tx,
      sql`select a.id, a.person_id, p.given_name || ' ' || p.family_name as name, p.email, a.starts_on::text,
            a.ends_on::text
          from coverage_absences a join persons p on p.id = a.person_id
          where a.cancelled_at is null and a.reminded_at is null and a.person_id = any(${pgArray(absent, 'uuid')})
            and a.ends_on >= ${today}::date
          for update of a`,
    );
    for (const a of due) {
      const mine = gaps.filter(
        (g) => g.absent.some((p) => p.id === a.person_id) && g.from <= a.ends_on && g.to >= a.starts_on,
      );
      if (!mine.length || !a.email) continue;
      const line = (g: CoverageGap, lang: 'en' | 'sv') =>
        `- ${g.subject.name}: ${
          g.kind === 'unit_orderers'
            ? lang === 'en'
              ? 'no orderer'
              : 'ingen beställare'
            : `${lang === 'en' ? 'no' : 'ingen'} ${ROLE_NAMES[g.role ?? 'system_manager'][lang]}`
        } ${lang === 'en' ? 'present' : 'på plats'} ${g.from} – ${g.to}`;
      await enqueueEmail(tx, now, {
        to: a.email,
        subject: `Name a cover before you go (${a.starts_on} – ${a.ends_on}) / Utse en ersättare innan du går`,
        body: [
          `${a.name},`,
          '',
          `While you are away (${a.starts_on} – ${a.ends_on}), nobody else with the needed rights is present for:`,
          ...mine.map((g) => line(g, 'en')),
          '',
          'Name a cover for these roles in Steward (Absences: cancel and register the absence again with a cover), or ask a colleague to take over ordering.',
          '',
          `Medan du är borta (${a.starts_on} – ${a.ends_on}) finns ingen annan med de behörigheter som behövs på plats för:`,
          ...mine.map((g) => line(g, 'sv')),
          '',
          'Utse en ersättare för rollerna i Steward (Frånvaro: avboka och registrera frånvaron igen med en ersättare), eller be en kollega ta över beställningarna.',
          '',
        ].join('\n'),
        meta: { kind: 'coverage.reminder', absenceId: a.id },
      });
      await tx.execute(sql`update coverage_absences set reminded_at = ${now} where id = ${a.id}`);
      await recordAudit(tx, now, actor, {
        action: 'absence.remind',
        entityType: 'person',
        entityId: a.person_id,
        after: {
          absenceId: a.id,
          gaps: mine.map((g) => ({ subject: g.subject.id, role: g.role, from: g.from, to: g.to })),
        },
      });
      result.reminded++;
    }
  });
  return result;
}

const ROLE_NAMES: Record<MainRole, { en: string; sv: string }> = {
  system_owner: { en: 'system owner', sv: 'systemägare' },
  it_system_owner: { en: 'IT system owner', sv: 'IT-systemägare' },
  system_manager: { en: 'system manager', sv: 'systemförvaltare' },
  it_system_manager: { en: 'IT system manager', sv: 'IT-systemförvaltare' },
};
