// Tables of the plans module (issue 6), in step with migrations/0004_plans.sql. The triggers that keep
// approved versions and attested checklists immutable (G5, G6) are in the SQL only.
import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { persons } from '../org/org.tables.ts';
import { governanceObjects, systems } from '../systems/systems.tables.ts';

export const PLAN_STATES = ['draft', 'proposed', 'approved', 'signed'] as const;
export const PLAN_LANGUAGES = ['sv', 'en'] as const;
export const ACTIVITY_SIDES = ['business', 'it'] as const;
export const ACTIVITY_KINDS = ['maintenance', 'development'] as const;
export const ACTIVITY_STATUSES = ['planned', 'ongoing', 'done', 'postponed', 'cancelled'] as const;
export const ACTIVITY_ORIGINS = ['manual', 'carried_over', 'deviation', 'document_review'] as const;
export const SIGNING_ROLES = ['system_owner', 'it_system_owner'] as const;
export const ANSWERS = ['yes', 'no', 'partly', 'not_applicable'] as const;
export const CHECKLIST_STATES = ['draft', 'attested'] as const;

const ts = (name: string) => timestamp(name, { withTimezone: true });
const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(','));

export const planSettings = pgTable(
  'plan_settings',
  {
    id: integer('id').primaryKey().default(1),
    cycleMonthDay: text('cycle_month_day').notNull().default('11-01'),
    lastCycleYear: integer('last_cycle_year'),
    version: integer('version').notNull().default(1),
  },
  (t) => [check('plan_settings_singleton', sql`${t.id} = 1`)],
);

export const plans = pgTable(
  'plans',
  {
    id: uuid('id').primaryKey(),
    objectId: uuid('object_id')
      .notNull()
      .references(() => governanceObjects.id),
    year: integer('year').notNull(),
    language: text('language', { enum: PLAN_LANGUAGES }).notNull().default('sv'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    /** G1: at most one plan per governance object and calendar year. */
    unique('plans_object_year_key').on(t.objectId, t.year),
    index('plans_year_idx').on(t.year, t.objectId),
    check('plans_year_check', sql`${t.year} between 2000 and 2200`),
    check('plans_language_check', sql`${t.language} in (${inList(PLAN_LANGUAGES)})`),
  ],
);

export const planVersions = pgTable(
  'plan_versions',
  {
    id: uuid('id').primaryKey(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => plans.id),
    number: integer('number').notNull(),
    state: text('state', { enum: PLAN_STATES }).notNull().default('draft'),
    goals: text('goals').notNull().default(''),
    scopeSystemIds: uuid('scope_system_ids').array().notNull().default(sql`'{}'::uuid[]`),
    budgetNotes: text('budget_notes').notNull().default(''),
    basedOnVersionId: uuid('based_on_version_id'),
    proposedAt: ts('proposed_at'),
    proposedByPersonId: uuid('proposed_by_person_id').references(() => persons.id),
    approvedAt: ts('approved_at'),
    approvedByPersonId: uuid('approved_by_person_id').references(() => persons.id),
    snapshot: jsonb('snapshot'),
    contentHash: text('content_hash'),
    signedAt: ts('signed_at'),
    /** Kept in step with the activities by a trigger (for the year dashboard). */
    activityCount: integer('activity_count').notNull().default(0),
    activityCost: numeric('activity_cost', { precision: 14, scale: 2, mode: 'string' })
      .notNull()
      .default('0'),
    rowVersion: integer('row_version').notNull().default(1),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    unique('plan_versions_number_key').on(t.planId, t.number),
    uniqueIndex('plan_versions_one_open').on(t.planId).where(sql`${t.state} in ('draft','proposed')`),
    check('plan_versions_state_check', sql`${t.state} in (${inList(PLAN_STATES)})`),
  ],
);

export const planActivities = pgTable(
  'plan_activities',
  {
    id: uuid('id').primaryKey(),
    versionId: uuid('version_id')
      .notNull()
      .references(() => planVersions.id),
    /** The same activity across versions of a plan (for the diff) keeps its lineage id. */
    lineageId: uuid('lineage_id').notNull(),
    position: integer('position').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    side: text('side', { enum: ACTIVITY_SIDES }).notNull(),
    kind: text('kind', { enum: ACTIVITY_KINDS }).notNull(),
    startOn: date('start_on', { mode: 'string' }),
    endOn: date('end_on', { mode: 'string' }),
    quarter: integer('quarter'),
    responsiblePersonId: uuid('responsible_person_id').references(() => persons.id),
    estimatedHours: numeric('estimated_hours', { precision: 10, scale: 1, mode: 'string' })
      .notNull()
      .default('0'),
    estimatedCost: numeric('estimated_cost', { precision: 14, scale: 2, mode: 'string' })
      .notNull()
      .default('0'),
    status: text('status', { enum: ACTIVITY_STATUSES }).notNull().default('planned'),
    followUp: text('follow_up').notNull().default(''),
    origin: text('origin', { enum: ACTIVITY_ORIGINS }).notNull().default('manual'),
    originRef: text('origin_ref'),
    rowVersion: integer('row_version').notNull().default(1),
  },
  (t) => [
    unique('plan_activities_lineage_key').on(t.versionId, t.lineageId),
    index('plan_activities_version_idx').on(t.versionId, t.position),
  ],
);

export const planSignatures = pgTable(
  'plan_signatures',
  {
    id: uuid('id').primaryKey(),
    versionId: uuid('version_id')
      .notNull()
      .references(() => planVersions.id),
    role: text('role', { enum: SIGNING_ROLES }).notNull(),
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id),
    personName: text('person_name').notNull(),
    signedAt: ts('signed_at').notNull(),
    contentHash: text('content_hash').notNull(),
  },
  (t) => [unique('plan_signatures_role_key').on(t.versionId, t.role)],
);

export const checklistTemplates = pgTable(
  'checklist_templates',
  {
    id: uuid('id').primaryKey(),
    version: integer('version').notNull(),
    questions: jsonb('questions').notNull(),
    createdAt: ts('created_at').notNull(),
    createdByPersonId: uuid('created_by_person_id').references(() => persons.id),
  },
  (t) => [unique('checklist_templates_version_key').on(t.version)],
);

export const checklistResponses = pgTable(
  'checklist_responses',
  {
    id: uuid('id').primaryKey(),
    systemId: uuid('system_id')
      .notNull()
      .references(() => systems.id),
    templateId: uuid('template_id')
      .notNull()
      .references(() => checklistTemplates.id),
    state: text('state', { enum: CHECKLIST_STATES }).notNull().default('draft'),
    answeredByPersonId: uuid('answered_by_person_id').references(() => persons.id),
    attestedByPersonId: uuid('attested_by_person_id').references(() => persons.id),
    attestedAt: ts('attested_at'),
    /** Order of responses per system (one draft at a time, so also the order of attestation). */
    seq: bigint('seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    rowVersion: integer('row_version').notNull().default(1),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('checklist_responses_one_draft').on(t.systemId).where(sql`${t.state} = 'draft'`),
    index('checklist_responses_system_idx').on(t.systemId, t.attestedAt).where(sql`${t.state} = 'attested'`),
  ],
);

export const checklistAnswers = pgTable(
  'checklist_answers',
  {
    responseId: uuid('response_id')
      .notNull()
      .references(() => checklistResponses.id),
    questionKey: text('question_key').notNull(),
    answer: text('answer', { enum: ANSWERS }).notNull(),
    comment: text('comment').notNull().default(''),
  },
  (t) => [primaryKey({ name: 'checklist_answers_pk', columns: [t.responseId, t.questionKey] })],
);
