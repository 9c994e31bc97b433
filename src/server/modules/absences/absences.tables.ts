import { sql } from 'drizzle-orm';
import { check, date, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { actingHeads, orgUnits, persons } from '../org/org.tables.ts';
import { governanceObjects, MAIN_ROLES, roleAssignments } from '../systems/systems.tables.ts';

/** V1, V2 (migration 0014): a person's absence (vacation, leave), registered ahead of time. */
export const absences = pgTable(
  'coverage_absences',
  {
    id: uuid('id').primaryKey(),
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    endsOn: date('ends_on', { mode: 'string' }).notNull(),
    note: text('note').notNull().default(''),
    registeredByPersonId: uuid('registered_by_person_id').references(() => persons.id),
    registeredByLabel: text('registered_by_label').notNull(),
    registeredAt: timestamp('registered_at', { withTimezone: true }).notNull(),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    cancelledByLabel: text('cancelled_by_label'),
    /** V2: when the person was e-mailed about the coverage gaps their absence leaves (once). */
    remindedAt: timestamp('reminded_at', { withTimezone: true }),
  },
  (t) => [
    index('coverage_absences_person_idx').on(t.personId, t.startsOn).where(sql`cancelled_at is null`),
    index('coverage_absences_period_idx').on(t.endsOn, t.startsOn).where(sql`cancelled_at is null`),
    check('coverage_absences_period_check', sql`${t.endsOn} >= ${t.startsOn}`),
  ],
);

/**
 * V1: who covers which of the absent person's main roles; the cover holds the role (a role assignment
 * valid for the absence only) while the delegation stands. A withdrawn delegation keeps its row.
 */
export const delegations = pgTable(
  'coverage_delegations',
  {
    id: uuid('id').primaryKey(),
    absenceId: uuid('absence_id')
      .notNull()
      .references(() => absences.id),
    /** The absent person (repeated here so that the database refuses a delegation to oneself). */
    fromPersonId: uuid('from_person_id')
      .notNull()
      .references(() => persons.id),
    /** A main role on a governance object (objectId and role), or the head of a unit (unitId). */
    objectId: uuid('object_id').references(() => governanceObjects.id),
    role: text('role', { enum: MAIN_ROLES }),
    unitId: uuid('unit_id').references(() => orgUnits.id),
    actingHeadId: uuid('acting_head_id').references(() => actingHeads.id),
    coverPersonId: uuid('cover_person_id')
      .notNull()
      .references(() => persons.id),
    assignmentId: uuid('assignment_id').references(() => roleAssignments.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('coverage_delegations_current_key')
      .on(t.absenceId, t.objectId, t.role)
      .where(sql`withdrawn_at is null`),
    index('coverage_delegations_absence_idx').on(t.absenceId),
    check('coverage_delegations_not_self', sql`${t.coverPersonId} <> ${t.fromPersonId}`),
    check(
      'coverage_delegations_kind_check',
      sql`(${t.objectId} is not null and ${t.role} is not null and ${t.unitId} is null) or (${t.unitId} is not null and ${t.objectId} is null and ${t.role} is null)`,
    ),
    uniqueIndex('coverage_delegations_current_unit_key')
      .on(t.absenceId, t.unitId)
      .where(sql`withdrawn_at is null and unit_id is not null`),
  ],
);
