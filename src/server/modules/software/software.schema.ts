// Request and response schemas of the software module (S1–S5).
import { z } from 'zod';
import { LICENCE_MODELS, PROCUREMENT_STATUSES, RECIPIENT_KINDS } from './software.tables.ts';

const required = (max = 200) => z.string().trim().min(1, 'Required.').max(max);
const isoDate = z.iso.date({ message: 'A date like 2026-12-31.' });
const personRef = z.object({ id: z.uuid(), displayName: z.string() });
const ref = z.object({ id: z.uuid(), name: z.string() });

const titleFields = {
  name: required(),
  vendor: z.string().trim().max(200).default(''),
  productVersion: z.string().trim().max(60).default(''),
  description: z.string().trim().max(5000).default(''),
  platforms: z.array(z.string().trim().min(1).max(40)).max(10).default([]),
  licenceModel: z
    .enum(LICENCE_MODELS)
    .describe('site (S3: no reporting), reported, seat_keys (seats and keys)'),
  agreementStart: isoDate.nullable().optional(),
  agreementEnd: isoDate.nullable().optional(),
  renewalOn: isoDate.nullable().optional(),
  reportDeadlineDays: z.number().int().min(0).max(365).default(30),
  offered: z.boolean().default(true),
};
export const titleCreateSchema = z.object(titleFields);
export const titlePatchSchema = z
  .object({
    name: required().optional(),
    vendor: z.string().trim().max(200).optional(),
    productVersion: z.string().trim().max(60).optional(),
    description: z.string().trim().max(5000).optional(),
    platforms: z.array(z.string().trim().min(1).max(40)).max(10).optional(),
    licenceModel: z.enum(LICENCE_MODELS).optional(),
    agreementStart: isoDate.nullable().optional(),
    agreementEnd: isoDate.nullable().optional(),
    renewalOn: isoDate.nullable().optional(),
    reportDeadlineDays: z.number().int().min(0).max(365).optional(),
    offered: z.boolean().optional(),
  })
  .strict();
export const titleSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    vendor: z.string(),
    productVersion: z.string(),
    description: z.string(),
    platforms: z.array(z.string()),
    licenceModel: z.enum(LICENCE_MODELS),
    requiresReporting: z.boolean(),
    agreementStart: z.string().nullable(),
    agreementEnd: z.string().nullable(),
    renewalOn: z.string().nullable(),
    reportDeadlineDays: z.number(),
    offered: z.boolean(),
    version: z.number(),
  })
  .meta({ id: 'SoftwareTitle' });
export const titleListQuerySchema = z.object({
  q: z.string().trim().max(200).optional(),
  model: z.enum(LICENCE_MODELS).optional(),
  offered: z.enum(['true', 'false']).optional(),
  expiringWithinDays: z.coerce.number().int().min(0).max(3650).optional(),
});
export const seatPoolSchema = z.object({
  unitId: z.uuid(),
  unitName: z.string(),
  seats: z.number(),
  used: z.number(),
});
export const seatPoolPutSchema = z.object({ seats: z.number().int().min(0).max(1_000_000) });
export const titleUnitParams = z.object({ id: z.uuid(), unitId: z.uuid() });

export const coordinatorSchema = z
  .object({
    id: z.uuid(),
    unit: ref,
    person: z.object({
      id: z.uuid(),
      displayName: z.string(),
      status: z.enum(['active', 'left']),
      email: z.string().nullable(),
    }),
    appointedBy: z.string(),
    appointedOn: z.string(),
    commitment: z.object({ signedOn: z.string(), signer: z.string(), document: z.string() }),
    endedOn: z.string().nullable(),
    endedReason: z.string().nullable(),
    current: z.boolean(),
  })
  .meta({ id: 'LicenceCoordinator' });
export const appointSchema = z.object({
  personId: z.uuid(),
  appointedOn: isoDate.optional(),
  commitmentSignedOn: isoDate.describe('S1: the date the commitment was signed'),
  commitmentSigner: z.string().trim().max(200).describe('S1: who signed the commitment (the head of unit)'),
  commitmentDocument: z
    .string()
    .trim()
    .max(500)
    .describe('S1: the signed commitment: a registry number or a link to the document'),
});

export const keysCreateSchema = z.object({
  titleId: z.uuid(),
  unitId: z.uuid(),
  keys: z.array(z.string().trim().max(500)).min(1, 'Give at least one licence key.').max(1000),
  note: z.string().trim().max(500).optional(),
});
export const revealSchema = z.object({ keyId: z.uuid(), key: z.string() });

export const assignmentSchema = z
  .object({
    id: z.uuid(),
    title: ref,
    unit: ref,
    person: personRef.extend({ status: z.enum(['active', 'left']) }),
    recipientKind: z.enum(RECIPIENT_KINDS),
    key: z.object({ id: z.uuid(), hint: z.string() }).nullable(),
    assignedBy: z.string(),
    assignedAt: z.string(),
    cancelledAt: z.string().nullable(),
    cancelledBy: z.string().nullable(),
    cancelReason: z.string().nullable(),
  })
  .meta({ id: 'LicenceAssignment' });
export const assignSchema = z.object({
  titleId: z.uuid(),
  unitId: z.uuid(),
  personId: z.uuid(),
  recipientKind: z.enum(RECIPIENT_KINDS).default('employee'),
  keyId: z.uuid().nullable().optional().describe('a key of the unit stock; the next free one when left out'),
});
export const cancelSchema = z.object({ reason: z.string().trim().max(500).default('') });

export const registerSchema = z.object({
  unit: ref,
  yourRoles: z.array(z.enum(['head', 'coordinator'])).describe("the caller's roles on the unit"),
  coordinators: z.array(coordinatorSchema),
  assignments: z.array(assignmentSchema),
  keys: z.array(
    z.object({
      id: z.uuid(),
      title: ref,
      hint: z.string(),
      note: z.string(),
      assignedTo: personRef.nullable(),
    }),
  ),
  seats: z.array(z.object({ title: ref, seats: z.number(), used: z.number() })),
  reports: z.array(
    z.object({
      id: z.uuid(),
      title: ref,
      periodYear: z.number(),
      users: z.number(),
      comment: z.string(),
      submittedBy: z.string(),
      submittedAt: z.string(),
    }),
  ),
  reportsDue: z
    .array(
      z.object({
        title: ref,
        periodYear: z.number(),
        deadline: z.string().describe('YYYY-MM-DD'),
        overdue: z.boolean().describe('The deadline has passed'),
      }),
    )
    .describe('S3: use reports the unit owes (deadline within 60 days or past), by deadline'),
});

export const reportCreateSchema = z.object({
  titleId: z.uuid(),
  unitId: z.uuid(),
  periodYear: z.number().int().min(2000).max(2100),
  users: z.number().int().min(0).max(10_000_000),
  comment: z.string().trim().max(2000).optional(),
});
export const reportSchema = reportCreateSchema.extend({
  comment: z.string(),
  submittedBy: z.string(),
  submittedAt: z.string(),
});
export const missingReportsQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() });
export const missingReportSchema = z.object({
  title: ref,
  unit: ref,
  periodYear: z.number(),
  deadline: z.string(),
  coordinator: z.string().nullable(),
});

export const procurementCreateSchema = z.object({
  softwareName: required(),
  vendor: z.string().trim().max(200).optional(),
  unitId: z.uuid(),
  justification: required(2000),
});
export const procurementSchema = z
  .object({
    id: z.uuid(),
    softwareName: z.string(),
    vendor: z.string(),
    unit: ref,
    requestedBy: z.string(),
    justification: z.string(),
    status: z.enum(PROCUREMENT_STATUSES),
    decisionComment: z.string().nullable(),
    decidedBy: z.string().nullable(),
    decidedAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'ProcurementRequest' });
export const procurementListQuery = z.object({
  status: z.enum(PROCUREMENT_STATUSES).optional(),
  mine: z.enum(['true', 'false']).optional(),
});
export const decisionSchema = z.object({
  decision: z.enum(['approved', 'rejected']),
  comment: z.string().trim().max(2000).default(''),
});

export const announcementCreateSchema = z.object({ subject: required(200), body: required(10_000) });
export const announcementSchema = z.object({
  id: z.uuid(),
  subject: z.string(),
  body: z.string(),
  sentBy: z.string(),
  sentAt: z.string(),
  recipients: z.number(),
  unreachable: z.number(),
});
