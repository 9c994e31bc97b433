// Request and response schemas of the access-rights module (A1–A6, G10), one per endpoint.
import { z } from 'zod';
import { ACCOUNT_TYPES, APPROVER_KINDS, FIELD_TYPES, ORDER_KINDS, ORDER_STATES } from './access.tables.ts';

const required = (max = 200) => z.string().trim().min(1, 'Required.').max(max);
export const isoDate = z.iso.date({ message: 'A date like 2026-12-31.' });
const ref = z.object({ id: z.uuid(), name: z.string() });
const personRef = z.object({ id: z.uuid(), displayName: z.string(), status: z.enum(['active', 'left']) });

// ---- permission catalogue and order forms --------------------------------------------------------

const permissionFields = {
  name: required().describe('The role or profile in the target system, e.g. "Handläggare"'),
  description: z.string().trim().max(2000).default('').describe('Shown to orderers'),
  accountType: z
    .enum(ACCOUNT_TYPES)
    .default('personal')
    .describe('personal, administrator, or system (integration) account (G10)'),
  modules: z
    .array(z.string().trim().min(1).max(100))
    .max(50)
    .default([])
    .transform((a) => [...new Set(a)])
    .describe("Names of the system's modules this permission includes"),
  limitedToUnits: z.boolean().default(true).describe('The permission applies only to the units ordered for'),
  approvalSteps: z
    .array(z.enum(APPROVER_KINDS))
    .max(5)
    .default([])
    .describe('Approvals in sequence before IT sees an order: system_owner or unit_head'),
  active: z.boolean().default(true).describe('Inactive permissions cannot be ordered'),
};
export const permissionCreateSchema = z.object(permissionFields);
export type PermissionCreate = z.infer<typeof permissionCreateSchema>;
export const permissionPatchSchema = z
  .object({
    name: permissionFields.name,
    description: z.string().trim().max(2000),
    accountType: z.enum(ACCOUNT_TYPES),
    modules: z
      .array(z.string().trim().min(1).max(100))
      .max(50)
      .transform((a) => [...new Set(a)]),
    limitedToUnits: z.boolean(),
    approvalSteps: z.array(z.enum(APPROVER_KINDS)).max(5),
    active: z.boolean(),
  })
  .partial()
  .strict();
export type PermissionPatch = z.infer<typeof permissionPatchSchema>;

export const permissionSchema = z
  .object({
    id: z.uuid(),
    system: ref.extend({ shortName: z.string() }),
    name: z.string(),
    description: z.string(),
    accountType: z.enum(ACCOUNT_TYPES),
    modules: z.array(z.string()),
    limitedToUnits: z.boolean(),
    approvalSteps: z.array(z.enum(APPROVER_KINDS)),
    active: z.boolean(),
    version: z.number().int(),
  })
  .meta({ id: 'Permission' });

export const permissionListQuerySchema = z.object({
  systemId: z.uuid().optional(),
  q: z.string().max(200).optional(),
  includeInactive: z.enum(['true', 'false']).optional(),
});

export const formFieldSchema = z
  .object({
    key: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,39}$/, 'Lower-case letters, digits and _, starting with a letter.')
      .describe('Stable key of the field, e.g. "title"'),
    type: z.enum(FIELD_TYPES),
    labelSv: required(200),
    labelEn: required(200),
    mandatory: z.boolean().default(false),
    options: z.array(z.string().trim().min(1).max(200)).max(100).optional(),
  })
  .meta({ id: 'OrderFormField' });
export const orderFormPutSchema = z.object({
  fields: z
    .array(formFieldSchema)
    .max(30)
    .refine((f) => new Set(f.map((x) => x.key)).size === f.length, 'Each field needs its own key.')
    .refine(
      (f) => f.every((x) => x.type !== 'choice' || (x.options?.length ?? 0) > 0),
      'A choice field needs options.',
    ),
});
export const orderFormSchema = z
  .object({ systemId: z.uuid(), fields: z.array(formFieldSchema), version: z.number().int() })
  .meta({ id: 'OrderForm' });

// ---- orderers, expert users, fulfillers ---------------------------------------------------------

export const ordererCreateSchema = z.object({
  personId: z.uuid().describe('Who gets ordering rights'),
  systemIds: z.array(z.uuid()).max(100).default([]).describe('Limit to these systems; empty = every system'),
});
export const ordererSchema = z
  .object({
    id: z.uuid(),
    person: personRef,
    unit: ref,
    systems: z.array(ref),
    grantedBy: z.string(),
    grantedAt: z.string(),
  })
  .meta({ id: 'Orderer' });
export const ordererListQuerySchema = z.object({
  unitId: z.uuid().optional(),
  personId: z.uuid().optional(),
});

export const expertUserCreateSchema = z.object({ personId: z.uuid(), systemId: z.uuid() });
export const expertUserSchema = z
  .object({ id: z.uuid(), person: personRef, unit: ref, system: ref, createdAt: z.string() })
  .meta({ id: 'ExpertUser' });
export const expertUserListQuerySchema = z.object({
  unitId: z.uuid().optional(),
  systemId: z.uuid().optional(),
  personId: z.uuid().optional(),
});

export const fulfillerCreateSchema = z.object({ personId: z.uuid() });
export const fulfillerSchema = z.object({ id: z.uuid(), person: personRef }).meta({ id: 'Fulfiller' });

// ---- orders -------------------------------------------------------------------------------------

export const orderCreateSchema = z
  .object({
    kind: z.enum(ORDER_KINDS).default('grant').describe('grant, or revocation of an existing grant (A6)'),
    personId: z
      .uuid({ error: 'Choose the person the order is for.' })
      .describe('The one person the order is for (A4)'),
    permissionId: z.uuid().optional().describe('Exactly one permission (A4)'),
    permissionIds: z
      .array(z.uuid())
      .max(50)
      .optional()
      .describe('Accepted only with one element: several permissions mean several orders (A4)'),
    unitIds: z.array(z.uuid()).max(50).default([]).describe('One or more units the permission applies to'),
    fields: z
      .record(z.string().max(40), z.string().max(2000))
      .default({})
      .describe("Values of the system's order-form fields, by key"),
    expertUser: z
      .boolean()
      .default(false)
      .describe('Mark the person as expert user (A3: needs their e-mail)'),
    personEmail: z.string().trim().max(320).optional().describe("The person's e-mail address"),
    validUntil: isoDate.optional().describe('Last day of a temporary permission'),
    message: z.string().trim().max(2000).default('').describe('Free text to IT'),
    grantId: z.uuid().optional().describe('For a revocation: the grant to end'),
    submit: z.boolean().default(false).describe('Send at once instead of saving to My orders'),
  })
  .strict();
export type OrderCreate = z.infer<typeof orderCreateSchema>;
/** A saved grant order's new content (the whole order, as when it was created); `submit` sends it too. */
export const orderEditSchema = orderCreateSchema.omit({ kind: true, grantId: true });
export type OrderEdit = z.infer<typeof orderEditSchema>;

export const reasonSchema = z.object({
  reason: z.string().trim().min(1, 'Give a reason.').max(2000).describe('Why (required)'),
});
export const stepSchema = z.object({
  reason: z.string().trim().max(2000).optional(),
});

const eventSchema = z.object({
  id: z.uuid(),
  at: z.string(),
  event: z.string(),
  fromState: z.string().nullable(),
  toState: z.string(),
  actor: z.string(),
  step: z.number().int().nullable(),
  reason: z.string().nullable(),
});

export const orderSummarySchema = z
  .object({
    id: z.uuid(),
    number: z.number().int(),
    kind: z.enum(ORDER_KINDS),
    state: z.enum(ORDER_STATES),
    person: personRef,
    permission: ref.extend({ accountType: z.enum(ACCOUNT_TYPES) }),
    system: ref.extend({ shortName: z.string() }),
    units: z.array(ref),
    orderer: z.string(),
    ordererPersonId: z.uuid().nullable(),
    createdAt: z.string(),
    submittedAt: z.string().nullable(),
    closedAt: z.string().nullable(),
    waitingForLicences: z
      .boolean()
      .describe(
        'L2: the last fulfilment was refused for want of licences; the order waits for the pool to grow',
      ),
  })
  .meta({ id: 'OrderSummary' });

export const orderSchema = orderSummarySchema
  .extend({
    formSnapshot: z.array(formFieldSchema),
    fieldValues: z.record(z.string(), z.string()),
    expertUser: z.boolean(),
    personEmail: z.string().nullable(),
    validUntil: z.string().nullable(),
    message: z.string(),
    approvalSteps: z.array(z.enum(APPROVER_KINDS)),
    approvalStep: z.number().int(),
    approvers: z
      .array(z.string())
      .describe('A5: who decides the current approval step, by name (empty unless awaiting approval)'),
    grantId: z.uuid().nullable(),
    takenBy: z.string().nullable(),
    reason: z.string().nullable(),
    version: z.number().int(),
    events: z.array(eventSchema),
    /** What the caller may do with this order now, so buttons match the rules. */
    can: z.object({
      submit: z.boolean(),
      /** A saved grant order's content can be changed (PUT /orders/{id}). */
      edit: z.boolean(),
      cancel: z.boolean(),
      approve: z.boolean(),
      take: z.boolean(),
      fulfil: z.boolean(),
      reject: z.boolean(),
    }),
  })
  .meta({ id: 'Order' });

export const orderListQuerySchema = z.object({
  scope: z
    .enum(['mine', 'approval', 'fulfilment', 'all'])
    .default('mine')
    .describe('mine: orders I made; approval: waiting for my approval; fulfilment: my IT queue; all'),
  state: z.enum(ORDER_STATES).optional(),
  kind: z.enum(ORDER_KINDS).optional(),
  personId: z.uuid().optional(),
  systemId: z.uuid().optional(),
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(50).optional(),
});

// ---- grants -------------------------------------------------------------------------------------

export const grantFilterSchema = z.object({
  personId: z.uuid().optional(),
  systemId: z.uuid().optional(),
  unitId: z.uuid().optional(),
  accountType: z.enum(ACCOUNT_TYPES).optional(),
  expiringWithinDays: z.coerce.number().int().min(0).max(3650).optional().describe('Ends within N days'),
  personLeft: z.enum(['true', 'false']).optional().describe('Holder has left the organisation'),
  status: z.enum(['active', 'ended', 'all']).default('active'),
  q: z.string().max(200).optional().describe('Person, permission or system'),
});
export type GrantFilter = z.infer<typeof grantFilterSchema>;
export const grantListQuerySchema = grantFilterSchema.extend({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export const grantSchema = z
  .object({
    id: z.uuid(),
    person: personRef,
    permission: ref,
    system: ref.extend({ shortName: z.string() }),
    units: z.array(ref),
    accountType: z.enum(ACCOUNT_TYPES),
    expertUser: z.boolean(),
    validFrom: z.string(),
    validUntil: z.string().nullable(),
    endedOn: z.string().nullable(),
    order: z.object({ id: z.uuid(), number: z.number().int() }).nullable(),
    endedByOrder: z.object({ id: z.uuid(), number: z.number().int() }).nullable(),
    openRevocation: z.object({ id: z.uuid(), number: z.number().int() }).nullable(),
  })
  .meta({ id: 'Grant' });

// ---- reports, notifications, my work -------------------------------------------------------------

export const complianceSchema = z.object({
  unitsWithFewOrderers: z.array(
    z.object({ unit: ref.extend({ code: z.string() }), orderers: z.number().int() }),
  ),
  unitsWithoutExpertUser: z.array(z.object({ unit: ref.extend({ code: z.string() }) })),
  leaversWithGrants: z.array(z.object({ person: personRef, activeGrants: z.number().int() })),
});

export const notificationSchema = z.object({
  id: z.uuid(),
  orderId: z.uuid(),
  orderNumber: z.number().int(),
  orderKind: z.enum(ORDER_KINDS),
  event: z.string(),
  state: z.enum(ORDER_STATES),
  person: z.string(),
  permission: z.string(),
  system: z.string(),
  createdAt: z.string(),
  read: z.boolean(),
});

export const myAccessSchema = z.object({
  orderingUnits: z.array(ref.extend({ systemIds: z.array(z.uuid()) })),
  headOfUnits: z.array(ref),
  itStaffSystemIds: z.array(z.uuid()),
  counts: z.object({
    drafts: z.number().int(),
    toApprove: z.number().int(),
    toFulfil: z.number().int(),
    unreadNotifications: z.number().int(),
  }),
  abilities: z.object({
    order: z.boolean(),
    approve: z.boolean(),
    fulfil: z.boolean(),
    readGrants: z.boolean(),
    readReport: z.boolean(),
  }),
});
