import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  check,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

export const UNIT_KINDS = [
  'organisation',
  'faculty',
  'administration',
  'department',
  'provider',
  'unit',
] as const;
export const PERSON_STATUSES = ['active', 'left'] as const;

export const orgUnits = pgTable(
  'org_units',
  {
    id: uuid('id').primaryKey(),
    code: text('code').notNull().unique('org_units_code_key'),
    name: text('name').notNull(),
    kind: text('kind', { enum: UNIT_KINDS }).notNull().default('unit'),
    parentId: uuid('parent_id').references((): AnyPgColumn => orgUnits.id),
    headPersonId: uuid('head_person_id').references((): AnyPgColumn => persons.id),
    status: text('status', { enum: ['active', 'closed'] })
      .notNull()
      .default('active'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('org_units_parent_idx').on(t.parentId),
    check(
      'org_units_kind_check',
      sql`${t.kind} in ('organisation','faculty','administration','department','provider','unit')`,
    ),
    check('org_units_not_own_parent', sql`${t.parentId} is null or ${t.parentId} <> ${t.id}`),
  ],
);

export const persons = pgTable(
  'persons',
  {
    id: uuid('id').primaryKey(),
    employeeId: text('employee_id').notNull().unique('persons_employee_id_key'),
    givenName: text('given_name').notNull(),
    familyName: text('family_name').notNull(),
    email: text('email'),
    status: text('status', { enum: PERSON_STATUSES }).notNull().default('active'),
    leftAt: timestamp('left_at', { withTimezone: true }),
    /** Sort keys computed in JS so both engines sort the same way, whatever their collations. */
    sortSv: text('sort_sv').notNull(),
    sortEn: text('sort_en').notNull(),
    /** Lower-cased searchable text (names, employee id, e-mail), indexed with trigrams. */
    searchText: text('search_text').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('persons_sort_sv_idx').on(sql`${t.sortSv} collate "C"`, t.id),
    index('persons_sort_en_idx').on(sql`${t.sortEn} collate "C"`, t.id),
    index('persons_search_trgm_idx').using('gin', sql`${t.searchText} gin_trgm_ops`),
    check('persons_status_check', sql`${t.status} in ('active','left')`),
    check('persons_left_has_date', sql`(${t.status} = 'left') = (${t.leftAt} is not null)`),
  ],
);

export const personUnits = pgTable(
  'person_units',
  {
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => orgUnits.id),
    isPrimary: boolean('is_primary').notNull().default(false),
    title: text('title'),
  },
  (t) => [primaryKey({ columns: [t.personId, t.unitId] }), index('person_units_unit_idx').on(t.unitId)],
);

/** V3: identity editors of an org unit (migration 0013): they create and edit its persons. */
export const identityEditors = pgTable(
  'org_identity_editors',
  {
    id: uuid('id').primaryKey(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => orgUnits.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id),
    appointedByPersonId: uuid('appointed_by_person_id').references(() => persons.id),
    appointedByLabel: text('appointed_by_label').notNull(),
    appointedAt: timestamp('appointed_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    endedByLabel: text('ended_by_label'),
  },
  (t) => [
    uniqueIndex('org_identity_editors_current_key').on(t.unitId, t.personId).where(sql`ended_at is null`),
    index('org_identity_editors_person_idx').on(t.personId).where(sql`ended_at is null`),
    check(
      'org_identity_editors_not_self',
      sql`${t.appointedByPersonId} is null or ${t.appointedByPersonId} <> ${t.personId}`,
    ),
  ],
);

/** V1 (migration 0014): an acting head holds a unit head's rights for the days of the head's absence. */
export const actingHeads = pgTable(
  'org_acting_heads',
  {
    id: uuid('id').primaryKey(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => orgUnits.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id),
    forPersonId: uuid('for_person_id')
      .notNull()
      .references(() => persons.id),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validUntil: date('valid_until', { mode: 'string' }).notNull(),
    appointedByLabel: text('appointed_by_label').notNull(),
    appointedAt: timestamp('appointed_at', { withTimezone: true }).notNull(),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
  },
  (t) => [
    index('org_acting_heads_person_idx').on(t.personId, t.unitId).where(sql`withdrawn_at is null`),
    check('org_acting_heads_not_self', sql`${t.personId} <> ${t.forPersonId}`),
    check('org_acting_heads_period_check', sql`${t.validUntil} >= ${t.validFrom}`),
  ],
);
