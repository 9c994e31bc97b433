import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { persons } from '../org/org.tables.ts';

export const accounts = pgTable(
  'accounts',
  {
    id: uuid('id').primaryKey(),
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id)
      .unique('accounts_person_id_key'),
    username: text('username').notNull().unique('accounts_username_key'),
    passwordHash: text('password_hash'),
    oidcSubject: text('oidc_subject').unique('accounts_oidc_subject_key'),
    roles: text('roles').array().notNull().default(sql`'{}'::text[]`),
    /** L7: after this day (Europe/Stockholm) the account cannot sign in. */
    validUntil: date('valid_until', { mode: 'string' }),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    locale: text('locale'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [check('accounts_username_lower', sql`${t.username} = lower(${t.username})`)],
);

/** The columns an account has hidden in one of the UI's tables (migration 0019). */
export const accountTableColumns = pgTable(
  'account_table_columns',
  {
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    tableId: text('table_id').notNull(),
    hidden: text('hidden').array().notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ name: 'account_table_columns_pkey', columns: [t.accountId, t.tableId] })],
);

export const sessions = pgTable(
  'sessions',
  {
    /** sha256 of the cookie token: the token itself is never stored. */
    id: text('id').primaryKey(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    csrfToken: text('csrf_token').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_account_idx').on(t.accountId)],
);

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    name: text('name').notNull(),
    /** sha256 of the token; the token is shown once at creation. */
    tokenHash: text('token_hash').notNull().unique('api_tokens_hash_key'),
    prefix: text('prefix').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('api_tokens_account_idx').on(t.accountId)],
);

export const loginAttempts = pgTable(
  'login_attempts',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    username: text('username').notNull(),
    ip: text('ip').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    success: text('outcome', { enum: ['success', 'failure', 'throttled'] }).notNull(),
  },
  (t) => [
    index('login_attempts_user_idx').on(t.username, t.at),
    index('login_attempts_ip_idx').on(t.ip, t.at),
  ],
);
