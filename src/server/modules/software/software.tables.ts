// Software titles offered for distribution, licence coordinators per unit with their commitments,
// licence keys (encrypted at rest), assignments, use reports, procurement requests and announcements
// (S1–S5). The SQL migration 0005_software holds the same definitions and the invariants.
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { orgUnits, persons } from '../org/org.tables.ts';

export const LICENCE_MODELS = ['site', 'reported', 'seat_keys'] as const;
export const RECIPIENT_KINDS = ['employee', 'student'] as const;
export const PROCUREMENT_STATUSES = ['open', 'approved', 'rejected'] as const;
const ts = (name: string) => timestamp(name, { withTimezone: true });

export const softwareTitles = pgTable(
  'software_titles',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    vendor: text('vendor').notNull().default(''),
    productVersion: text('product_version').notNull().default(''),
    description: text('description').notNull().default(''),
    platforms: text('platforms').array().notNull().default(sql`'{}'`),
    licenceModel: text('licence_model', { enum: LICENCE_MODELS }).notNull(),
    agreementStart: date('agreement_start', { mode: 'string' }),
    agreementEnd: date('agreement_end', { mode: 'string' }),
    renewalOn: date('renewal_on', { mode: 'string' }),
    reportDeadlineDays: integer('report_deadline_days').notNull().default(30),
    offered: boolean('offered').notNull().default(true),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    unique('software_titles_name_key').on(t.name, t.productVersion),
    check('software_titles_model_check', sql`${t.licenceModel} in ('site','reported','seat_keys')`),
  ],
);

export const softwareSeatPools = pgTable(
  'software_seat_pools',
  {
    titleId: uuid('title_id')
      .notNull()
      .references(() => softwareTitles.id),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => orgUnits.id),
    seats: integer('seats').notNull(),
  },
  (t) => [primaryKey({ name: 'software_seat_pools_pkey', columns: [t.titleId, t.unitId] })],
);

export const licenceCoordinators = pgTable(
  'licence_coordinators',
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
    appointedOn: date('appointed_on', { mode: 'string' }).notNull(),
    commitmentSignedOn: date('commitment_signed_on', { mode: 'string' }).notNull(),
    commitmentSigner: text('commitment_signer').notNull(),
    commitmentDocument: text('commitment_document').notNull(),
    endedOn: date('ended_on', { mode: 'string' }),
    endedReason: text('ended_reason'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [uniqueIndex('licence_coordinators_current_key').on(t.unitId).where(sql`ended_on is null`)],
);

export const licenceKeys = pgTable('licence_keys', {
  id: uuid('id').primaryKey(),
  titleId: uuid('title_id')
    .notNull()
    .references(() => softwareTitles.id),
  unitId: uuid('unit_id')
    .notNull()
    .references(() => orgUnits.id),
  /** AES-256-GCM under a key derived from STEWARD_SECRET; never sent except by the audited reveal. */
  keyCiphertext: text('key_ciphertext').notNull(),
  keyHint: text('key_hint').notNull(),
  note: text('note').notNull().default(''),
  createdAt: ts('created_at').notNull(),
});

export const licenceAssignments = pgTable('licence_assignments', {
  id: uuid('id').primaryKey(),
  titleId: uuid('title_id')
    .notNull()
    .references(() => softwareTitles.id),
  unitId: uuid('unit_id')
    .notNull()
    .references(() => orgUnits.id),
  personId: uuid('person_id')
    .notNull()
    .references(() => persons.id),
  recipientKind: text('recipient_kind', { enum: RECIPIENT_KINDS }).notNull().default('employee'),
  keyId: uuid('key_id').references(() => licenceKeys.id),
  assignedByLabel: text('assigned_by_label').notNull(),
  assignedAt: ts('assigned_at').notNull(),
  cancelledAt: ts('cancelled_at'),
  cancelledByLabel: text('cancelled_by_label'),
  cancelReason: text('cancel_reason'),
});

export const licenceReports = pgTable(
  'licence_reports',
  {
    id: uuid('id').primaryKey(),
    titleId: uuid('title_id')
      .notNull()
      .references(() => softwareTitles.id),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => orgUnits.id),
    periodYear: integer('period_year').notNull(),
    users: integer('users').notNull(),
    comment: text('comment').notNull().default(''),
    submittedByLabel: text('submitted_by_label').notNull(),
    submittedAt: ts('submitted_at').notNull(),
  },
  (t) => [unique('licence_reports_period_key').on(t.titleId, t.unitId, t.periodYear)],
);

export const procurementRequests = pgTable('procurement_requests', {
  id: uuid('id').primaryKey(),
  softwareName: text('software_name').notNull(),
  vendor: text('vendor').notNull().default(''),
  unitId: uuid('unit_id')
    .notNull()
    .references(() => orgUnits.id),
  requestedByPersonId: uuid('requested_by_person_id').references(() => persons.id),
  requestedByLabel: text('requested_by_label').notNull(),
  justification: text('justification').notNull(),
  status: text('status', { enum: PROCUREMENT_STATUSES }).notNull().default('open'),
  decisionComment: text('decision_comment'),
  decidedByLabel: text('decided_by_label'),
  decidedAt: ts('decided_at'),
  createdAt: ts('created_at').notNull(),
});

export const coordinatorAnnouncements = pgTable('coordinator_announcements', {
  id: uuid('id').primaryKey(),
  subject: text('subject').notNull(),
  body: text('body').notNull(),
  sentByLabel: text('sent_by_label').notNull(),
  sentAt: ts('sent_at').notNull(),
  recipients: integer('recipients').notNull(),
  unreachable: integer('unreachable').notNull(),
});
