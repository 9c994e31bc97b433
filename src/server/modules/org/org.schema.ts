import { z } from 'zod';
import { UNIT_KINDS } from './org.tables.ts';

export const unitRefSchema = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  isPrimary: z.boolean(),
});

export const personSummarySchema = z
  .object({
    id: z.uuid(),
    employeeId: z.string(),
    givenName: z.string(),
    familyName: z.string(),
    displayName: z.string(),
    email: z.string().nullable(),
    status: z.enum(['active', 'left']),
    units: z.array(unitRefSchema),
  })
  .meta({ id: 'PersonSummary' });

export const personSchema = personSummarySchema
  .extend({
    leftAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number().int(),
    account: z
      .object({
        id: z.uuid(),
        username: z.string(),
        roles: z.array(z.string()),
        validUntil: z.string().nullable(),
        disabled: z.boolean(),
      })
      .nullable(),
    headOf: z.array(z.object({ id: z.uuid(), name: z.string() })),
  })
  .meta({ id: 'Person' });

export const personListQuerySchema = z.object({
  q: z.string().max(200).optional(),
  unitId: z.uuid().optional(),
  status: z.enum(['active', 'left', 'all']).default('active'),
  sort: z.enum(['name', '-name', 'employeeId']).default('name'),
  lang: z.enum(['sv', 'en']).default('sv'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

const name = z.string().trim().min(1, 'Required.').max(200);
const email = z.email({ message: 'Not an e-mail address.' }).max(320);

export const personCreateSchema = z.object({
  employeeId: z.string().trim().min(1, 'Required.').max(64),
  givenName: name,
  familyName: name,
  email: email.nullable().optional(),
  unitIds: z.array(z.uuid()).max(50).optional(),
});

export const personPatchSchema = z
  .object({
    employeeId: z.string().trim().min(1).max(64).optional(),
    givenName: name.optional(),
    familyName: name.optional(),
    email: email.nullable().optional(),
  })
  .strict();

export const unitSchema = z
  .object({
    id: z.uuid(),
    code: z.string(),
    name: z.string(),
    kind: z.enum(UNIT_KINDS),
    parentId: z.uuid().nullable(),
    headPersonId: z.uuid().nullable(),
    status: z.enum(['active', 'closed']),
    version: z.number().int(),
  })
  .meta({ id: 'OrgUnit' });

export const unitDetailSchema = unitSchema
  .extend({
    parent: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    head: z.object({ id: z.uuid(), displayName: z.string() }).nullable(),
    children: z.array(z.object({ id: z.uuid(), code: z.string(), name: z.string(), kind: z.string() })),
    memberCount: z.number().int(),
  })
  .meta({ id: 'OrgUnitDetail' });

export const unitTreeItemSchema = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  kind: z.string(),
  parentId: z.uuid().nullable(),
  headPersonId: z.uuid().nullable(),
  headName: z.string().nullable(),
  memberCount: z.number().int(),
  status: z.string(),
});

export const unitCreateSchema = z.object({
  code: z.string().trim().min(1, 'Required.').max(64),
  name: z.string().trim().min(1, 'Required.').max(200),
  kind: z.enum(UNIT_KINDS).default('unit'),
  parentId: z.uuid().nullable().optional(),
  headPersonId: z.uuid().nullable().optional(),
});
export const unitPatchSchema = unitCreateSchema.partial().strict();

export const importCountsSchema = z.object({
  unitsCreated: z.number().int(),
  unitsUpdated: z.number().int(),
  personsCreated: z.number().int(),
  personsUpdated: z.number().int(),
  personsLeft: z.number().int(),
  personsUnchanged: z.number().int(),
});

/** V3: an identity editor of an org unit. */
export const identityEditorSchema = z.object({
  id: z.uuid(),
  unit: z.object({ id: z.uuid(), name: z.string() }),
  person: z.object({ id: z.uuid(), displayName: z.string(), status: z.string() }),
  appointedBy: z.string(),
  appointedAt: z.string().describe('ISO 8601'),
});
export const identityEditorCreateSchema = z.object({
  personId: z.uuid().describe('The person who is to create and edit the unit’s persons'),
});
