import { z } from 'zod';
import { ACTIONS, ASSIGNABLE_ROLES } from '../../platform/policy.ts';

export const meSchema = z
  .object({
    id: z.uuid(),
    username: z.string(),
    personId: z.uuid(),
    displayName: z.string(),
    roles: z.array(z.string()),
    locale: z.enum(['sv', 'en']).nullable(),
    abilities: z.record(z.enum(ACTIONS), z.boolean()),
  })
  .meta({ id: 'Me' });

export const sessionSchema = z.object({ account: meSchema, csrfToken: z.string() }).meta({ id: 'Session' });

// A table of the UI and its columns, as the web names them (e.g. `grants`, `person`).
const uiName = /^[a-z][a-zA-Z0-9._-]{0,59}$/;
export const tableIdParam = z.object({
  tableId: z.string().regex(uiName, 'A table name: a lower-case letter, then letters, digits, . _ or -.'),
});
export const tableColumnsBodySchema = z
  .object({
    hidden: z
      .array(z.string().regex(uiName, 'A column name: a lower-case letter, then letters, digits, . _ or -.'))
      .max(40, 'At most 40 hidden columns.'),
  })
  .meta({ id: 'TableColumns' });
export const tableColumnsSchema = z
  .object({ tables: z.record(z.string(), z.array(z.string())) })
  .meta({ id: 'RememberedTableColumns' });

export const loginBodySchema = z.object({
  username: z.string().trim().min(1, 'Enter your username.').max(200),
  password: z.string().min(1, 'Enter your password.').max(1000),
});

export const accountSchema = z
  .object({
    id: z.uuid(),
    username: z.string(),
    personId: z.uuid(),
    displayName: z.string(),
    roles: z.array(z.string()),
    validUntil: z.string().nullable(),
    disabled: z.boolean(),
    locale: z.string().nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'Account' });

const isoDate = z.iso.date({ message: 'Use a date like 2026-12-31.' });

export const accountCreateSchema = z.object({
  personId: z.uuid(),
  username: z.string().trim().min(2).max(64),
  password: z.string().min(8, 'Use at least 8 characters.').max(1000).optional(),
  roles: z.array(z.enum(ASSIGNABLE_ROLES)).default([]),
  validUntil: isoDate.nullable().optional(),
});

export const accountPatchSchema = z
  .object({
    roles: z.array(z.enum(ASSIGNABLE_ROLES)).optional(),
    validUntil: isoDate.nullable().optional(),
    disabled: z.boolean().optional(),
    password: z.string().min(8, 'Use at least 8 characters.').max(1000).optional(),
  })
  .strict();

export const tokenSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string(),
    createdAt: z.string(),
    expiresAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .meta({ id: 'ApiToken' });

export const tokenCreateSchema = z.object({
  name: z.string().trim().min(1, 'Give the token a name.').max(100),
  expiresInDays: z.coerce
    .number()
    .int('Whole days, from 1 to 366.')
    .min(1, 'Whole days, from 1 to 366.')
    .max(366, 'Whole days, from 1 to 366.')
    .default(90),
});
