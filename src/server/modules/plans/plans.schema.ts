// Request and response schemas of the plans module, one per endpoint.
import { z } from 'zod';
import {
  ACTIVITY_KINDS,
  ACTIVITY_ORIGINS,
  ACTIVITY_SIDES,
  ACTIVITY_STATUSES,
  ANSWERS,
  CHECKLIST_STATES,
  PLAN_LANGUAGES,
  PLAN_STATES,
  SIGNING_ROLES,
} from './plans.tables.ts';

const isoDate = z.iso.date({ message: 'A date like 2026-12-31.' });
// As the database keeps them (numeric(14,2) and numeric(10,1)): more decimals are refused, not rounded.
const money = z
  .union([z.number(), z.string().regex(/^\d+(\.\d{1,2})?$/, 'A non-negative amount like 12500.50.')])
  .transform((v) => String(v))
  .refine((v) => Number(v) >= 0 && Number(v) < 1e12, 'A non-negative amount.')
  .refine((v) => /^-?\d+(\.\d{1,2})?$/.test(v), 'A non-negative amount like 12500.50.');
const hours = z
  .union([z.number(), z.string().regex(/^\d+(\.\d)?$/, 'Hours like 40 or 12.5.')])
  .transform((v) => String(v))
  .refine((v) => Number(v) >= 0 && Number(v) < 1e9, 'Hours cannot be negative.')
  .refine((v) => /^-?\d+(\.\d)?$/.test(v), 'Hours like 40 or 12.5.');
export const yearSchema = z.coerce.number().int().min(2000).max(2200).describe('Calendar year of the plan');

const person = z.object({ id: z.uuid(), displayName: z.string() });

export const planCreateSchema = z.object({
  year: yearSchema,
  language: z.enum(PLAN_LANGUAGES).default('sv').describe('Language of the plan and its PDF'),
});

export const versionPatchSchema = z
  .object({
    goals: z.string().max(20000).optional().describe('Goals of the year (main part)'),
    scopeSystemIds: z.array(z.uuid()).max(500).optional().describe('Systems in scope (the object’s systems)'),
    budgetNotes: z.string().max(10000).optional().describe('Notes to the budget appendix'),
    language: z.enum(PLAN_LANGUAGES).optional().describe('Language of the plan'),
  })
  .strict();

const activityFields = {
  title: z.string().trim().min(1, 'Required.').max(300).describe('What is to be done'),
  description: z.string().max(5000).default('').describe('Details'),
  side: z.enum(ACTIVITY_SIDES).describe('Business side or IT side (G7)'),
  kind: z.enum(ACTIVITY_KINDS).describe('Maintenance or development (G7)'),
  startOn: isoDate.nullable().optional().describe('Planned start'),
  endOn: isoDate.nullable().optional().describe('Planned end'),
  quarter: z
    .number()
    .int()
    .min(1, 'A quarter from 1 to 4.')
    .max(4, 'A quarter from 1 to 4.')
    .nullable()
    .optional(),
  responsiblePersonId: z.uuid().nullable().optional().describe('Responsible person'),
  estimatedHours: hours.default('0').describe('Estimated hours'),
  estimatedCost: money.default('0').describe('Estimated cost (SEK)'),
  status: z.enum(ACTIVITY_STATUSES).default('planned').describe('Follow-up status (G7)'),
  followUp: z.string().max(5000).default('').describe('Follow-up comment'),
};
export const activityCreateSchema = z.object(activityFields).strict();
export const activityPatchSchema = z
  .object({
    title: activityFields.title.optional(),
    description: z.string().max(5000).optional(),
    side: z.enum(ACTIVITY_SIDES).optional(),
    kind: z.enum(ACTIVITY_KINDS).optional(),
    startOn: activityFields.startOn,
    endOn: activityFields.endOn,
    quarter: activityFields.quarter,
    responsiblePersonId: activityFields.responsiblePersonId,
    estimatedHours: hours.optional(),
    estimatedCost: money.optional(),
    status: z.enum(ACTIVITY_STATUSES).optional(),
    followUp: z.string().max(5000).optional(),
  })
  .strict();

export const activitySchema = z.object({
  id: z.uuid(),
  lineageId: z.uuid(),
  position: z.number().int(),
  title: z.string(),
  description: z.string(),
  side: z.enum(ACTIVITY_SIDES),
  kind: z.enum(ACTIVITY_KINDS),
  startOn: z.string().nullable(),
  endOn: z.string().nullable(),
  quarter: z.number().int().nullable(),
  effectiveQuarter: z.number().int().describe('Quarter from `quarter` or the start date'),
  responsible: person.nullable(),
  estimatedHours: z.number(),
  estimatedCost: z.number(),
  status: z.enum(ACTIVITY_STATUSES),
  followUp: z.string(),
  origin: z.enum(ACTIVITY_ORIGINS),
  originRef: z.string().nullable(),
  version: z.number().int(),
});

const totals = z.object({ hours: z.number(), cost: z.number() });
export const budgetSchema = z.object({
  frame: z.number().nullable().describe('The object’s budget frame'),
  total: totals,
  difference: z.number().nullable().describe('Frame minus total cost'),
  bySide: z.object({ business: totals, it: totals }),
  byKind: z.object({ maintenance: totals, development: totals }),
  byQuarter: z.array(totals.extend({ quarter: z.number().int() })),
});

const answerView = z.object({
  key: z.string(),
  en: z.string(),
  sv: z.string(),
  answer: z.enum(ANSWERS).nullable(),
  comment: z.string(),
});
export const appendixSchema = z.object({
  system: z.object({ id: z.uuid(), name: z.string(), shortName: z.string() }),
  checklist: z
    .object({
      responseId: z.uuid(),
      templateVersion: z.number().int(),
      attestedAt: z.string(),
      attestedBy: z.string(),
      answers: z.array(answerView),
    })
    .nullable(),
  deviations: z.number().int(),
});

export const signatureSchema = z.object({
  role: z.enum(SIGNING_ROLES),
  person: person,
  signedAt: z.string(),
  contentHash: z.string(),
});

export const versionSchema = z.object({
  id: z.uuid(),
  planId: z.uuid(),
  number: z.number().int(),
  state: z.enum(PLAN_STATES),
  object: z.object({ id: z.uuid(), name: z.string() }),
  year: z.number().int(),
  language: z.enum(PLAN_LANGUAGES),
  goals: z.string(),
  budgetNotes: z.string(),
  scope: z.array(z.object({ id: z.uuid(), name: z.string(), shortName: z.string() })),
  availableSystems: z.array(z.object({ id: z.uuid(), name: z.string(), shortName: z.string() })),
  organisation: z.array(z.object({ role: z.string(), personId: z.uuid(), displayName: z.string() })),
  organisationFrozen: z.boolean(),
  activities: z.array(activitySchema),
  budget: budgetSchema,
  appendices: z.array(appendixSchema),
  basedOnVersion: z.number().int().nullable(),
  proposedAt: z.string().nullable(),
  approvedAt: z.string().nullable(),
  approvedBy: person.nullable(),
  contentHash: z.string().nullable(),
  signatures: z.array(signatureSchema),
  signedAt: z.string().nullable(),
  abilities: z.object({
    edit: z.boolean(),
    propose: z.boolean(),
    approve: z.boolean(),
    returnToDraft: z.boolean(),
    sign: z.array(z.enum(SIGNING_ROLES)),
    revise: z.boolean(),
  }),
  rowVersion: z.number().int(),
});

export const planSummarySchema = z.object({
  id: z.uuid(),
  objectId: z.uuid(),
  objectName: z.string(),
  year: z.number().int(),
  language: z.enum(PLAN_LANGUAGES),
  versions: z.array(
    z.object({
      id: z.uuid(),
      number: z.number().int(),
      state: z.enum(PLAN_STATES),
      createdAt: z.string(),
      approvedAt: z.string().nullable(),
      signedAt: z.string().nullable(),
      contentHash: z.string().nullable(),
    }),
  ),
  currentVersionId: z.uuid().describe('The open version if any, else the latest'),
});

export const diffSchema = z.object({
  from: z.number().int(),
  to: z.number().int(),
  fields: z.array(z.object({ field: z.string(), before: z.unknown(), after: z.unknown() })),
  activities: z.object({
    added: z.array(z.object({ lineageId: z.string(), title: z.string() })),
    removed: z.array(z.object({ lineageId: z.string(), title: z.string() })),
    changed: z.array(
      z.object({
        lineageId: z.string(),
        title: z.string(),
        fields: z.array(z.object({ field: z.string(), before: z.unknown(), after: z.unknown() })),
      }),
    ),
  }),
});

export const signBodySchema = z
  .object({ role: z.enum(SIGNING_ROLES).describe('The role you sign in') })
  .strict();

export const dashboardQuerySchema = z.object({
  year: yearSchema,
  status: z.enum(['none', ...PLAN_STATES]).optional(),
  q: z.string().max(200).optional(),
});
// Response ids are plain strings here: the rows come from our own query, and checking 600 UUID
// formats per response was a fifth of the endpoint's time (bench/plans.ts).
export const dashboardRowSchema = z.object({
  objectId: z.string().describe('Governance object id (uuid)'),
  objectName: z.string(),
  planId: z.string().nullable().describe('Plan id (uuid), null when the object has no plan for the year'),
  status: z.enum(['none', ...PLAN_STATES]),
  versionNumber: z.number().int().nullable(),
  signedVersion: z.number().int().nullable(),
  activities: z.number().int(),
  totalCost: z.number(),
  budgetFrame: z.number().nullable(),
  openDeviations: z.number().int(),
  systemManagers: z.array(z.string()),
  itSystemManagers: z.array(z.string()),
  mayRead: z
    .boolean()
    .describe('G5: the caller may open this plan (the governance organisation, or by role)'),
});
export const dashboardSchema = z.object({
  year: z.number().int(),
  counts: z.record(z.string(), z.number().int()),
  items: z.array(dashboardRowSchema),
  nextCycle: z
    .object({
      year: z.number().int().describe('The year to prepare plans for'),
      from: z.number().int().describe('The year whose plans they are prepared from'),
    })
    .nullable()
    .describe(
      'G7: the plans worth preparing next (the year after the latest year that has plans, at most next year), or null',
    ),
  deviationsOn: z
    .string()
    .describe(
      'The day openDeviations are counted on (YYYY-MM-DD): the last day of a past year, otherwise today',
    ),
});
export const objectPlanAbilitiesSchema = z
  .object({
    readPlans: z.boolean().describe('G5: may read the object’s plans'),
    createPlan: z.boolean().describe('G5: may start a plan for the object'),
    readChecklist: z.boolean().describe('G6: may read its systems’ checklists and their deviations'),
  })
  .describe('Asked of the policy without trying (nothing is refused or audited)');

export const cycleBodySchema = z
  .object({ year: yearSchema.describe('The year to draft plans for') })
  .strict();
export const cycleResultSchema = z.object({
  year: z.number().int(),
  created: z.number().int(),
  skipped: z.number().int(),
  activitiesCarriedOver: z.number().int(),
  deviationActivities: z.number().int(),
  documentActivities: z.number().int(),
  notified: z.number().int(),
});
export const remindBodySchema = z.object({ year: yearSchema }).strict();
export const settingsSchema = z.object({
  cycleMonthDay: z.string().describe('Month-day of the annual cycle, default 11-01'),
  lastCycleYear: z.number().int().nullable(),
});
export const settingsPutSchema = z
  .object({
    cycleMonthDay: z
      .string()
      .regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/, 'A date like 11-01 (month-day).'),
  })
  .strict();

// ---- checklist ------------------------------------------------------------------------------------
export const questionSchema = z.object({
  key: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,59}$/, 'Lower-case letters, digits and _ (like restore_test).')
    .describe('Stable key of the question'),
  en: z.string().trim().min(1, 'Required.').max(1000),
  sv: z.string().trim().min(1, 'Required.').max(1000),
});
export const templateSchema = z.object({
  id: z.uuid(),
  version: z.number().int(),
  questions: z.array(questionSchema),
  createdAt: z.string(),
});
export const templatePutSchema = z
  .object({
    questions: z
      .array(questionSchema)
      .min(1)
      .max(100)
      .refine((q) => new Set(q.map((x) => x.key)).size === q.length, 'Each question needs its own key.'),
  })
  .strict();

export const answersPutSchema = z
  .object({
    answers: z
      .array(
        z.object({
          questionKey: z.string().max(60),
          answer: z.enum(ANSWERS).describe('YES, NO, PARTLY or NOT_APPLICABLE'),
          comment: z.string().max(2000).default(''),
        }),
      )
      .max(100),
  })
  .strict();

const responseSchema = z.object({
  id: z.uuid(),
  state: z.enum(CHECKLIST_STATES),
  templateVersion: z.number().int(),
  answers: z.array(answerView),
  answeredBy: z.string().nullable(),
  attestedBy: z.string().nullable(),
  attestedAt: z.string().nullable(),
  rowVersion: z.number().int(),
  updatedAt: z.string(),
});
export const deviationSchema = z.object({
  system: z.object({ id: z.uuid(), name: z.string() }),
  object: z.object({ id: z.uuid(), name: z.string() }),
  questionKey: z.string(),
  en: z.string(),
  sv: z.string(),
  answer: z.enum(ANSWERS),
  comment: z.string(),
  since: z.string(),
});
export const checklistSchema = z.object({
  system: z.object({ id: z.uuid(), name: z.string(), objectId: z.uuid() }),
  template: templateSchema,
  draft: responseSchema.nullable(),
  latestAttested: responseSchema.nullable(),
  history: z.array(
    responseSchema.pick({ id: true, attestedAt: true, attestedBy: true, templateVersion: true }),
  ),
  deviations: z.array(deviationSchema),
  abilities: z.object({ answer: z.boolean(), attest: z.boolean() }),
});
