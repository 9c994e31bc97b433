// Access rights (A1–A6, G10): the permission catalogue and order forms per system, orderers and expert
// users per unit, named fulfillers per system, orders with their history, grants and in-app
// notifications. Invariants live here as constraints: nobody orders for themselves or grants
// themselves ordering rights (A2), an order names one permission and at least one unit (A4), an
// expert-user order carries the person's e-mail (A3), one open revocation per grant (A6).
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { orgUnits, persons } from '../org/org.tables.ts';
import { systems } from '../systems/systems.tables.ts';

export const ACCOUNT_TYPES = ['personal', 'administrator', 'system'] as const;
export const APPROVER_KINDS = ['system_owner', 'unit_head'] as const;
export const FIELD_TYPES = ['text', 'choice', 'email', 'date'] as const;
export const ORDER_KINDS = ['grant', 'revocation'] as const;
export const ORDER_STATES = [
  'draft',
  'awaiting_approval',
  'ready',
  'in_progress',
  'fulfilled',
  'rejected',
  'cancelled',
] as const;

export type AccountType = (typeof ACCOUNT_TYPES)[number];
export type ApproverKind = (typeof APPROVER_KINDS)[number];
export type OrderState = (typeof ORDER_STATES)[number];
export type OrderKind = (typeof ORDER_KINDS)[number];
/** One field of a system's order form (A4). `key` is stable; labels are shown in the user's language. */
export type FormField = {
  key: string;
  type: (typeof FIELD_TYPES)[number];
  labelSv: string;
  labelEn: string;
  mandatory: boolean;
  options?: string[];
};

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(','));
const ts = (name: string) => timestamp(name, { withTimezone: true });

export const accessPermissions = pgTable(
  'access_permissions',
  {
    id: uuid('id').primaryKey(),
    systemId: uuid('system_id')
      .notNull()
      .references(() => systems.id),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    accountType: text('account_type', { enum: ACCOUNT_TYPES }).notNull().default('personal'),
    /** Names of the system's modules this permission includes (licences count them later). */
    modules: text('modules').array().notNull().default(sql`'{}'::text[]`),
    limitedToUnits: boolean('limited_to_units').notNull().default(true),
    /** Approval steps in sequence before IT sees an order; empty = straight to IT. */
    approvalSteps: text('approval_steps').array().notNull().default(sql`'{}'::text[]`),
    active: boolean('active').notNull().default(true),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    unique('access_permissions_system_name_key').on(t.systemId, t.name),
    check('access_permissions_account_type_check', sql`${t.accountType} in (${inList(ACCOUNT_TYPES)})`),
    check(
      'access_permissions_steps_check',
      sql`${t.approvalSteps} <@ array[${inList(APPROVER_KINDS)}]::text[] and cardinality(${t.approvalSteps}) <= 5`,
    ),
  ],
);

/** The order form of a system (A4): extra fields in order; orders keep a snapshot of it. */
export const accessOrderForms = pgTable('access_order_forms', {
  systemId: uuid('system_id')
    .primaryKey()
    .references(() => systems.id),
  fields: jsonb('fields').$type<FormField[]>().notNull(),
  version: integer('version').notNull().default(1),
  updatedAt: ts('updated_at').notNull(),
});

/** A1: ordering rights per unit, optionally limited to some systems (empty = every system). */
export const accessOrderers = pgTable(
  'access_orderers',
  {
    id: uuid('id').primaryKey(),
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => orgUnits.id),
    systemIds: uuid('system_ids').array().notNull().default(sql`'{}'::uuid[]`),
    grantedByPersonId: uuid('granted_by_person_id').references(() => persons.id),
    grantedByLabel: text('granted_by_label').notNull(),
    grantedAt: ts('granted_at').notNull(),
    endedAt: ts('ended_at'),
  },
  (t) => [
    uniqueIndex('access_orderers_current_key').on(t.personId, t.unitId).where(sql`ended_at is null`),
    index('access_orderers_unit_idx').on(t.unitId),
    // A2: nobody grants themselves ordering rights.
    check(
      'access_orderers_not_self',
      sql`${t.grantedByPersonId} is null or ${t.grantedByPersonId} <> ${t.personId}`,
    ),
  ],
);

/** A3: expert users per unit and system. */
export const accessExpertUsers = pgTable(
  'access_expert_users',
  {
    id: uuid('id').primaryKey(),
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => orgUnits.id),
    systemId: uuid('system_id')
      .notNull()
      .references(() => systems.id),
    orderId: uuid('order_id'),
    createdAt: ts('created_at').notNull(),
    endedAt: ts('ended_at'),
  },
  (t) => [
    uniqueIndex('access_expert_users_current_key')
      .on(t.personId, t.unitId, t.systemId)
      .where(sql`ended_at is null`),
    index('access_expert_users_unit_idx').on(t.unitId),
  ],
);

/** Named fulfillers of a system besides its IT system manager and IT specialists (A5). */
export const accessFulfillers = pgTable(
  'access_fulfillers',
  {
    id: uuid('id').primaryKey(),
    systemId: uuid('system_id')
      .notNull()
      .references(() => systems.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [unique('access_fulfillers_key').on(t.systemId, t.personId)],
);

export const accessOrders = pgTable(
  'access_orders',
  {
    id: uuid('id').primaryKey(),
    /** A short human number, e.g. 1042. */
    number: integer('number').notNull().generatedAlwaysAsIdentity(),
    kind: text('kind', { enum: ORDER_KINDS }).notNull(),
    state: text('state', { enum: ORDER_STATES }).notNull(),
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id),
    /** A4: exactly one permission. */
    permissionId: uuid('permission_id')
      .notNull()
      .references(() => accessPermissions.id),
    systemId: uuid('system_id')
      .notNull()
      .references(() => systems.id),
    unitIds: uuid('unit_ids').array().notNull(),
    /** The system's form as it was when the order was made; later edits do not change it. */
    formSnapshot: jsonb('form_snapshot').$type<FormField[]>().notNull(),
    fieldValues: jsonb('field_values').$type<Record<string, string>>().notNull(),
    expertUser: boolean('expert_user').notNull().default(false),
    personEmail: text('person_email'),
    validUntil: date('valid_until', { mode: 'string' }),
    message: text('message').notNull().default(''),
    /** Approval steps copied from the permission; `approvalStep` is the index of the next one. */
    approvalSteps: text('approval_steps').array().notNull().default(sql`'{}'::text[]`),
    approvalStep: integer('approval_step').notNull().default(0),
    /** For a revocation: the grant it ends. For a fulfilled grant order: the grant it created. */
    grantId: uuid('grant_id'),
    /** Null when Steward made the order itself (a person left). */
    ordererPersonId: uuid('orderer_person_id').references(() => persons.id),
    ordererLabel: text('orderer_label').notNull(),
    takenByPersonId: uuid('taken_by_person_id').references(() => persons.id),
    decidedByLabel: text('decided_by_label'),
    reason: text('reason'),
    createdAt: ts('created_at').notNull(),
    submittedAt: ts('submitted_at'),
    closedAt: ts('closed_at'),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    unique('access_orders_number_key').on(t.number),
    index('access_orders_orderer_idx').on(t.ordererPersonId, t.createdAt),
    index('access_orders_person_idx').on(t.personId),
    index('access_orders_queue_idx').on(t.systemId, t.state),
    index('access_orders_state_idx').on(t.state, t.submittedAt),
    uniqueIndex('access_orders_open_revocation_key')
      .on(t.grantId)
      .where(sql`kind = 'revocation' and state in ('draft','awaiting_approval','ready','in_progress')`),
    check('access_orders_kind_check', sql`${t.kind} in (${inList(ORDER_KINDS)})`),
    check('access_orders_state_check', sql`${t.state} in (${inList(ORDER_STATES)})`),
    // A2: an orderer never orders for themselves.
    check(
      'access_orders_not_self',
      sql`${t.ordererPersonId} is null or ${t.ordererPersonId} <> ${t.personId}`,
    ),
    // A4: one or more units.
    check('access_orders_units_check', sql`cardinality(${t.unitIds}) >= 1`),
    // A3: an expert-user order gives the person's e-mail.
    check(
      'access_orders_expert_email',
      sql`not ${t.expertUser} or (${t.personEmail} is not null and ${t.personEmail} like '%_@_%')`,
    ),
    check('access_orders_revocation_grant', sql`${t.kind} <> 'revocation' or ${t.grantId} is not null`),
    check(
      'access_orders_reject_reason',
      sql`${t.state} <> 'rejected' or length(trim(coalesce(${t.reason}, ''))) > 0`,
    ),
  ],
);

/** The history of an order: every step, who took it and when, with the reason where one is given. */
export const accessOrderEvents = pgTable(
  'access_order_events',
  {
    id: uuid('id').primaryKey(),
    /** Order of events, also within one instant. */
    seq: bigint('seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => accessOrders.id),
    at: ts('at').notNull(),
    event: text('event').notNull(),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    actorPersonId: uuid('actor_person_id').references(() => persons.id),
    actorLabel: text('actor_label').notNull(),
    step: integer('step'),
    reason: text('reason'),
  },
  (t) => [index('access_order_events_order_idx').on(t.orderId, t.seq)],
);

/** G10: who holds which permission, for which units, from when until when, by which order. */
export const accessGrants = pgTable(
  'access_grants',
  {
    id: uuid('id').primaryKey(),
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id),
    permissionId: uuid('permission_id')
      .notNull()
      .references(() => accessPermissions.id),
    systemId: uuid('system_id')
      .notNull()
      .references(() => systems.id),
    unitIds: uuid('unit_ids').array().notNull(),
    accountType: text('account_type', { enum: ACCOUNT_TYPES }).notNull(),
    expertUser: boolean('expert_user').notNull().default(false),
    orderId: uuid('order_id').references(() => accessOrders.id),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validUntil: date('valid_until', { mode: 'string' }),
    endedAt: ts('ended_at'),
    endedOn: date('ended_on', { mode: 'string' }),
    endedByOrderId: uuid('ended_by_order_id').references(() => accessOrders.id),
    createdAt: ts('created_at').notNull(),
    /** The holder's sort key and the search text (holder, permission, system), kept by triggers (0011). */
    personSort: text('person_sort').notNull().default(''),
    searchText: text('search_text').notNull().default(''),
  },
  (t) => [
    index('access_grants_person_idx').on(t.personId),
    index('access_grants_system_idx').on(t.systemId),
    index('access_grants_units_idx').using('gin', t.unitIds),
    index('access_grants_valid_until_idx').on(t.validUntil).where(sql`ended_at is null`),
    check('access_grants_account_type_check', sql`${t.accountType} in (${inList(ACCOUNT_TYPES)})`),
    check('access_grants_ended_check', sql`(${t.endedAt} is null) = (${t.endedOn} is null)`),
  ],
);

/** In-app notices to the orderer at each step of their orders. */
export const accessNotifications = pgTable(
  'access_notifications',
  {
    id: uuid('id').primaryKey(),
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id),
    orderId: uuid('order_id')
      .notNull()
      .references(() => accessOrders.id),
    event: text('event').notNull(),
    createdAt: ts('created_at').notNull(),
    readAt: ts('read_at'),
  },
  (t) => [index('access_notifications_person_idx').on(t.personId, t.createdAt)],
);

/**
 * L1: module consumption derived by triggers (migration 0009_module_use) from active grants and the
 * permissions' modules; never written by the application. A person consumes a module while `grants` > 0.
 */
export const accessModuleHolders = pgTable(
  'access_module_holders',
  {
    systemId: uuid('system_id').notNull(),
    module: text('module').notNull(),
    personId: uuid('person_id').notNull(),
    grants: integer('grants').notNull(),
  },
  (t) => [primaryKey({ name: 'access_module_holders_pkey', columns: [t.systemId, t.module, t.personId] })],
);

/** L1, L2: how many persons consume each module of a system (kept by the same triggers). */
export const accessModuleUse = pgTable(
  'access_module_use',
  {
    systemId: uuid('system_id').notNull(),
    module: text('module').notNull(),
    used: integer('used').notNull(),
  },
  (t) => [primaryKey({ name: 'access_module_use_pkey', columns: [t.systemId, t.module] })],
);
