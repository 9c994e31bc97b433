// Module licence pools and their size changes (L1–L8). The SQL migration 0006_pools holds the same
// definitions and the invariants.
import { sql } from 'drizzle-orm';
import { integer, jsonb, numeric, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { systems } from '../systems/systems.tables.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true });

export const licencePools = pgTable(
  'licence_pools',
  {
    id: uuid('id').primaryKey(),
    systemId: uuid('system_id')
      .notNull()
      .references(() => systems.id),
    moduleName: text('module_name').notNull(),
    size: integer('size').notNull(),
    unitPrice: numeric('unit_price', { precision: 12, scale: 2 }).notNull().default('0'),
    currency: text('currency').notNull().default('SEK'),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [unique('licence_pools_module_key').on(t.systemId, t.moduleName)],
);

export const licencePoolChanges = pgTable('licence_pool_changes', {
  id: uuid('id').primaryKey(),
  poolId: uuid('pool_id')
    .notNull()
    .references(() => licencePools.id),
  status: text('status', { enum: ['prepared', 'confirmed', 'cancelled'] })
    .notNull()
    .default('prepared'),
  oldSize: integer('old_size').notNull(),
  newSize: integer('new_size').notNull(),
  unitPrice: numeric('unit_price', { precision: 12, scale: 2 }).notNull(),
  total: numeric('total', { precision: 14, scale: 2 }).notNull(),
  note: text('note').notNull().default(''),
  preparedByLabel: text('prepared_by_label').notNull(),
  preparedAt: ts('prepared_at').notNull(),
  confirmedByLabel: text('confirmed_by_label'),
  confirmedAt: ts('confirmed_at'),
});

/** Alerts e-mailed by the licence-alerts job: one open row per subject and period (migration 0010_licence_alerts). */
export const licenceAlerts = pgTable('licence_alerts', {
  id: uuid('id').primaryKey(),
  kind: text('kind', { enum: ['pool-utilisation', 'agreement-expiry'] }).notNull(),
  subjectId: uuid('subject_id').notNull(),
  period: text('period').notNull().default(''),
  raisedAt: ts('raised_at').notNull(),
  clearedAt: ts('cleared_at'),
  recipients: text('recipients').array().notNull().default(sql`'{}'::text[]`),
  detail: jsonb('detail').notNull().default(sql`'{}'::jsonb`),
});
