import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { systems } from '../systems/systems.tables.ts';

export const MAINTENANCE_KINDS = ['upgrade', 'maintenance', 'incident'] as const;
export const MAINTENANCE_STATES = ['planned', 'cab_approved', 'done', 'cancelled'] as const;
export const CHECKLIST_PHASES = ['before', 'after'] as const;

/**
 * G13 (migration 0015): an upgrade or maintenance of a system, planned and communicated ahead, approved
 * by the CAB, rehearsed in the test environment and done in a service window; or an acute incident.
 */
export const maintenanceEvents = pgTable(
  'maintenance_events',
  {
    id: uuid('id').primaryKey(),
    systemId: uuid('system_id')
      .notNull()
      .references(() => systems.id),
    kind: text('kind', { enum: MAINTENANCE_KINDS }).notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    disturbsUsers: boolean('disturbs_users').notNull(),
    state: text('state', { enum: MAINTENANCE_STATES }).notNull().default('planned'),
    cabReference: text('cab_reference'),
    cabApprovedByLabel: text('cab_approved_by_label'),
    cabApprovedAt: timestamp('cab_approved_at', { withTimezone: true }),
    rehearsedOn: date('rehearsed_on', { mode: 'string' }),
    createdByLabel: text('created_by_label').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    index('maintenance_events_system_idx').on(t.systemId, t.startsAt),
    index('maintenance_events_starts_idx').on(t.startsAt),
    check('maintenance_events_period_check', sql`${t.endsAt} > ${t.startsAt}`),
    check('maintenance_events_kind_check', sql`${t.kind} in ('upgrade', 'maintenance', 'incident')`),
    check(
      'maintenance_events_state_check',
      sql`${t.state} in ('planned', 'cab_approved', 'done', 'cancelled')`,
    ),
    // G13: planned work moves on only with the CAB's approval (an acute incident needs none).
    check(
      'maintenance_events_cab_check',
      sql`${t.kind} = 'incident' or ${t.state} in ('planned', 'cancelled') or ${t.cabApprovedAt} is not null`,
    ),
  ],
);

/** G13: the communication checklist of one event: what is communicated, when, how and by whom. */
export const maintenanceItems = pgTable(
  'maintenance_checklist_items',
  {
    id: uuid('id').primaryKey(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => maintenanceEvents.id),
    position: integer('position').notNull(),
    key: text('key').notNull(),
    phase: text('phase', { enum: CHECKLIST_PHASES }).notNull(),
    channel: text('channel').notNull(),
    responsible: text('responsible').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    doneAt: timestamp('done_at', { withTimezone: true }),
    doneByLabel: text('done_by_label'),
  },
  (t) => [index('maintenance_checklist_items_event_idx').on(t.eventId, t.position)],
);

export const CHANGE_KINDS = [
  'upgrade',
  'maintenance',
  'incident',
  'configuration',
  'integration',
  'access',
  'other',
] as const;

/**
 * G11, G7 (migration 0016): a system's change log, the dated record of changes made to it
 * (configuration, upgrades, integrations, …). Append-only: a trigger refuses updates and deletes, so a
 * correction is a new entry. Completed maintenance writes its entry itself (maintenance_event_id).
 */
export const changeLog = pgTable(
  'maintenance_change_log',
  {
    id: uuid('id').primaryKey(),
    /** The order entries were recorded in (the clock may repeat; this does not). */
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity().notNull(),
    systemId: uuid('system_id')
      .notNull()
      .references(() => systems.id),
    changedOn: date('changed_on', { mode: 'string' }).notNull(),
    kind: text('kind', { enum: CHANGE_KINDS }).notNull(),
    summary: text('summary').notNull(),
    details: text('details').notNull().default(''),
    maintenanceEventId: uuid('maintenance_event_id').references(() => maintenanceEvents.id),
    recordedByLabel: text('recorded_by_label').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('maintenance_change_log_system_idx').on(t.systemId, t.changedOn, t.seq),
    index('maintenance_change_log_changed_idx').on(t.changedOn, t.seq),
    uniqueIndex('maintenance_change_log_event_key')
      .on(t.maintenanceEventId)
      .where(sql`maintenance_event_id is not null`),
    check(
      'maintenance_change_log_kind_check',
      sql`${t.kind} in ('upgrade', 'maintenance', 'incident', 'configuration', 'integration', 'access', 'other')`,
    ),
    check('maintenance_change_log_summary_check', sql`length(btrim(${t.summary})) > 0`),
  ],
);

export const MESSAGE_SEVERITIES = ['info', 'warning', 'disruption'] as const;

/**
 * G13 (migration 0017): a system message, shown to users from one moment to another (a week before
 * planned work; at once for an incident), in English and Swedish. Linked to the work it announces, it
 * ticks that work's checklist item when published, and its "remove the message" item when withdrawn.
 */
export const systemMessages = pgTable(
  'maintenance_system_messages',
  {
    id: uuid('id').primaryKey(),
    systemId: uuid('system_id')
      .notNull()
      .references(() => systems.id),
    maintenanceEventId: uuid('maintenance_event_id').references(() => maintenanceEvents.id),
    severity: text('severity', { enum: MESSAGE_SEVERITIES }).notNull(),
    textEn: text('text_en').notNull().default(''),
    textSv: text('text_sv').notNull().default(''),
    shownFrom: timestamp('shown_from', { withTimezone: true }).notNull(),
    shownUntil: timestamp('shown_until', { withTimezone: true }).notNull(),
    publishedByLabel: text('published_by_label').notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull(),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
    withdrawnByLabel: text('withdrawn_by_label'),
  },
  (t) => [
    index('maintenance_system_messages_system_idx').on(t.systemId, t.shownUntil),
    index('maintenance_system_messages_current_idx').on(t.shownUntil).where(sql`withdrawn_at is null`),
    check('maintenance_system_messages_period_check', sql`${t.shownUntil} > ${t.shownFrom}`),
    check(
      'maintenance_system_messages_severity_check',
      sql`${t.severity} in ('info', 'warning', 'disruption')`,
    ),
    check(
      'maintenance_system_messages_text_check',
      sql`length(btrim(${t.textEn})) > 0 or length(btrim(${t.textSv})) > 0`,
    ),
  ],
);
