// Request and response schemas of the systems module, one per endpoint (shared with the UI later).
import { z } from 'zod';
import { personalDataCategoryKeys } from '../../../shared/personal-data.ts';
import {
  CONTRACT_STATUSES,
  CRITICALITIES,
  DEPENDENCY_KINDS,
  DOCUMENT_KINDS,
  ENVIRONMENTS,
  GOVERNANCE_ROLES,
  HOSTINGS,
  LEGAL_BASES,
  LIFECYCLES,
  MAIN_ROLES,
  RESTORE_RESULTS,
} from './systems.tables.ts';

const required = (max = 200) => z.string().trim().min(1, 'Required.').max(max);
const optionalText = (max = 2000) => z.string().trim().max(max).nullable().optional();
export const isoDate = z.iso.date({ message: 'A date like 2026-12-31.' });
const level = z.number().int().min(1, 'A level from 1 to 4.').max(4, 'A level from 1 to 4.');
const categories = z
  .array(z.string().trim().min(1).max(100))
  .max(50)
  // G9: one key per category, whatever language it was typed in ("Studenter" → "students").
  .transform(personalDataCategoryKeys);

// ---- systems ------------------------------------------------------------------------------------

const systemFields = {
  name: required(),
  shortName: required(40),
  description: z.string().trim().max(5000).default(''),
  lifecycle: z.enum(LIFECYCLES).default('planned'),
  orgModel: z
    .number()
    .int()
    .min(1, 'An organisation model from 1 to 5.')
    .max(5, 'An organisation model from 1 to 5.'),
  vendor: optionalText(200),
  contractOwner: optionalText(200),
  contractOwnerPersonId: z.uuid().nullable().optional(),
  hosting: z.enum(HOSTINGS),
  criticality: z.enum(CRITICALITIES).default('medium'),
  confidentiality: level.default(2),
  integrity: level.default(2),
  availability: level.default(2),
  storesPersonalData: z.boolean().default(false),
  personalDataCategories: categories.default([]),
  environments: z
    .array(z.enum(ENVIRONMENTS))
    .max(2)
    .default(['production'])
    .transform((a) => [...new Set(a)]),
  serviceDeskQueue: optionalText(200),
  resolverGroup: optionalText(200),
  resolverMembersReviewedOn: isoDate.nullable().optional(),
  /** G1: required; a system without a governance object is refused. */
  governanceObjectId: z.uuid({ message: 'Every system belongs to a governance object (G1).' }),
};

export const systemCreateSchema = z.object(systemFields);
export type SystemCreate = z.infer<typeof systemCreateSchema>;

export const systemPatchSchema = z
  .object({
    name: systemFields.name,
    shortName: systemFields.shortName,
    description: z.string().trim().max(5000),
    lifecycle: z.enum(LIFECYCLES),
    orgModel: systemFields.orgModel,
    vendor: systemFields.vendor,
    contractOwner: systemFields.contractOwner,
    contractOwnerPersonId: systemFields.contractOwnerPersonId,
    hosting: z.enum(HOSTINGS),
    criticality: z.enum(CRITICALITIES),
    confidentiality: level,
    integrity: level,
    availability: level,
    storesPersonalData: z.boolean(),
    personalDataCategories: categories,
    environments: z
      .array(z.enum(ENVIRONMENTS))
      .max(2)
      .transform((a) => [...new Set(a)]),
    serviceDeskQueue: systemFields.serviceDeskQueue,
    resolverGroup: systemFields.resolverGroup,
    resolverMembersReviewedOn: systemFields.resolverMembersReviewedOn,
    governanceObjectId: systemFields.governanceObjectId,
  })
  .partial()
  .strict();
export type SystemPatch = z.infer<typeof systemPatchSchema>;

const ref = z.object({ id: z.uuid(), name: z.string() });
const personRef = z.object({ id: z.uuid(), displayName: z.string(), status: z.enum(['active', 'left']) });

export const systemSummarySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    shortName: z.string(),
    description: z.string(),
    lifecycle: z.enum(LIFECYCLES),
    orgModel: z.number().int(),
    vendor: z.string().nullable(),
    hosting: z.enum(HOSTINGS),
    criticality: z.enum(CRITICALITIES),
    storesPersonalData: z.boolean(),
    governanceObject: ref,
  })
  .meta({ id: 'SystemSummary' });

export const systemSchema = systemSummarySchema
  .extend({
    contractOwner: z.string().nullable(),
    contractOwnerPerson: personRef.nullable(),
    confidentiality: z.number().int(),
    integrity: z.number().int(),
    availability: z.number().int(),
    personalDataCategories: z.array(z.string()),
    environments: z.array(z.enum(ENVIRONMENTS)),
    hasTestEnvironment: z.boolean(),
    serviceDeskQueue: z.string().nullable(),
    resolverGroup: z.string().nullable(),
    resolverMembersReviewedOn: z.string().nullable(),
    /** G14: resolver-group members not reviewed within a year. */
    resolverReviewOverdue: z.boolean(),
    modules: z.array(z.object({ id: z.uuid(), name: z.string() })),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'System' });

export const systemFilterSchema = z.object({
  q: z.string().max(200).optional(),
  lifecycle: z.enum(LIFECYCLES).optional(),
  orgModel: z.coerce.number().int().min(1).max(5).optional(),
  hosting: z.enum(HOSTINGS).optional(),
  criticality: z.enum(CRITICALITIES).optional(),
  personalData: z.enum(['true', 'false']).optional(),
  governanceObjectId: z.uuid().optional(),
  unitId: z.uuid().optional(),
});
export type SystemFilter = z.infer<typeof systemFilterSchema>;
/** The catalogue's orders: by name either way, or the most critical first (then by name). */
export const SYSTEM_SORTS = ['name', '-name', '-criticality'] as const;
export type SystemSort = (typeof SYSTEM_SORTS)[number];
/** The catalogue's (and its exports') filters and order. */
export const systemListFilterSchema = systemFilterSchema.extend({
  sort: z.enum(SYSTEM_SORTS).default('name'),
});
export const systemListQuerySchema = systemListFilterSchema.extend({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export const moduleCreateSchema = z.object({ name: required(100) });

export const managersRowSchema = z.object({
  systemId: z.uuid(),
  name: z.string(),
  shortName: z.string(),
  lifecycle: z.string(),
  governanceObject: ref,
  systemOwners: z.array(z.string()),
  itSystemOwners: z.array(z.string()),
  systemManagers: z.array(z.string()),
  itSystemManagers: z.array(z.string()),
});

// ---- governance objects and roles ------------------------------------------------------------------

export const objectCreateSchema = z.object({
  name: required(),
  description: z.string().trim().max(5000).default(''),
  owningUnitId: z.uuid(),
  budgetFrame: z
    .string()
    .regex(/^\d{1,12}(\.\d{1,2})?$/, 'An amount like 250000 or 250000.50.')
    .nullable()
    .optional(),
});
export const objectPatchSchema = objectCreateSchema.partial().strict();

export const roleAssignmentSchema = z
  .object({
    id: z.uuid(),
    objectId: z.uuid(),
    role: z.enum(GOVERNANCE_ROLES),
    person: personRef,
    validFrom: z.string(),
    validUntil: z.string().nullable(),
    current: z.boolean(),
    appointedBy: personRef.nullable(),
    appointedByUnit: ref.nullable(),
    appointedAt: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'RoleAssignment' });

const groupMember = z.object({ personId: z.uuid(), displayName: z.string(), role: z.enum(GOVERNANCE_ROLES) });

export const objectSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string(),
    owningUnit: ref,
    budgetFrame: z.string().nullable(),
    systems: z.array(
      z.object({ id: z.uuid(), name: z.string(), shortName: z.string(), orgModel: z.number() }),
    ),
    roles: z.array(roleAssignmentSchema),
    /** G4: system owner(s) + IT system owner(s) + extra members. */
    steeringGroup: z.array(groupMember),
    /** G4: system manager(s) + IT system manager(s) + extra members. */
    managementGroup: z.array(groupMember),
    referenceGroup: z.array(groupMember),
    /** G3: the main roles the organisation models of its systems expect. */
    expectedRoles: z.array(z.enum(MAIN_ROLES)),
    missingRoles: z.array(z.enum(MAIN_ROLES)),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'GovernanceObject' });

export const objectSummarySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  owningUnit: ref,
  systemCount: z.number().int(),
});

export const objectListQuerySchema = z.object({
  q: z.string().max(200).optional(),
  unitId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export const roleCreateSchema = z
  .object({
    personId: z.uuid(),
    role: z.enum(GOVERNANCE_ROLES),
    validFrom: isoDate.optional(),
    validUntil: isoDate.nullable().optional(),
    /** Who made the appointment; defaults to the caller. G4: for an IT system manager, the IT system owner. */
    appointedByPersonId: z.uuid().nullable().optional(),
    /** G4: reference-group members are appointed by their unit. */
    appointedByUnitId: z.uuid().nullable().optional(),
  })
  .superRefine((v, c) => {
    if (v.role === 'reference_group' && !v.appointedByUnitId)
      c.addIssue({
        code: 'custom',
        path: ['appointedByUnitId'],
        message: 'Reference-group members are appointed by their unit: name the unit (G4).',
      });
    if (v.validFrom && v.validUntil && v.validUntil < v.validFrom)
      c.addIssue({ code: 'custom', path: ['validUntil'], message: 'Valid until is before valid from.' });
  });
export type RoleCreate = z.infer<typeof roleCreateSchema>;

export const rolePatchSchema = z.object({ validUntil: isoDate.nullable() }).strict();

export const roleParams = z.object({ id: z.uuid(), assignmentId: z.uuid() });

export const gapQuerySchema = z
  .object({ from: isoDate.optional(), to: isoDate.optional() })
  .refine((v) => !v.from || !v.to || v.from <= v.to, {
    path: ['to'],
    message: 'The period ends before it starts.',
  })
  .refine((v) => !v.from || !v.to || (Date.parse(v.to) - Date.parse(v.from)) / 86_400_000 <= 3 * 366, {
    path: ['to'],
    message: 'A period of at most three years.',
  });

export const gapSchema = z.object({
  objectId: z.uuid(),
  objectName: z.string(),
  role: z.enum(MAIN_ROLES),
  firstGapOn: z.string(),
  reason: z.enum(['not_staffed', 'assignment_ends', 'person_left']),
});

// ---- dependencies and graph --------------------------------------------------------------------------

export const dependencyCreateSchema = z
  .object({
    fromSystemId: z.uuid(),
    toSystemId: z.uuid(),
    kind: z.enum(DEPENDENCY_KINDS),
    description: z.string().trim().max(2000).default(''),
  })
  .refine((v) => v.fromSystemId !== v.toSystemId, {
    path: ['toSystemId'],
    message: 'A system cannot depend on itself.',
  });

export const dependencySchema = z.object({
  id: z.uuid(),
  fromSystemId: z.uuid(),
  toSystemId: z.uuid(),
  kind: z.enum(DEPENDENCY_KINDS),
  description: z.string(),
  createdAt: z.string(),
});

export const impactSchema = z.object({
  system: z.object({ id: z.uuid(), name: z.string() }),
  affected: z.array(
    z.object({
      id: z.uuid(),
      name: z.string(),
      shortName: z.string(),
      depth: z.number().int(),
      /** From the system that is down to the affected one: each depends on the one before it. */
      path: z.array(z.object({ id: z.uuid(), name: z.string() })),
    }),
  ),
});

export const graphSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.uuid(),
      name: z.string(),
      shortName: z.string(),
      lifecycle: z.string(),
      criticality: z.string(),
      governanceObjectId: z.uuid(),
      outside: z
        .boolean()
        .describe(
          'On a filtered map: a system outside the filter, shown because it is connected to one inside',
        ),
    }),
  ),
  edges: z.array(
    z.object({
      id: z.uuid(),
      type: z.enum(['dependency', 'integration']),
      from: z.uuid(),
      to: z.uuid(),
      kind: z.string(),
    }),
  ),
});
export const graphQuerySchema = z.object({ depth: z.coerce.number().int().min(1).max(5).default(2) });
export const orgGraphQuerySchema = z.object({
  governanceObjectId: z.uuid().optional(),
  unitId: z.uuid().optional(),
});

// ---- integrations and contracts ----------------------------------------------------------------------

const contractFields = {
  dataItems: z
    .array(z.string().trim().min(1).max(200))
    .min(1, 'Name at least one data item.')
    .max(200)
    .transform((a) => [...new Set(a)]),
  purpose: required(2000),
  includesPersonalData: z.boolean(),
  personalDataCategories: categories.default([]),
  legalBasis: z.enum(LEGAL_BASES).nullable().optional(),
};
const contractRefine = (
  v: { includesPersonalData: boolean; legalBasis?: string | null },
  c: z.RefinementCtx,
) => {
  if (v.includesPersonalData && !v.legalBasis)
    c.addIssue({
      code: 'custom',
      path: ['legalBasis'],
      message: 'A contract that includes personal data must state its legal basis (GDPR art. 6).',
    });
};
export const contractCreateSchema = z.object(contractFields).superRefine(contractRefine);
export type ContractCreate = z.infer<typeof contractCreateSchema>;

export const integrationCreateSchema = z
  .object({
    name: required(),
    description: z.string().trim().max(5000).default(''),
    sourceSystemId: z.uuid(),
    targetSystemId: z.uuid(),
    contract: z.object(contractFields).superRefine(contractRefine).optional(),
  })
  .refine((v) => v.sourceSystemId !== v.targetSystemId, {
    path: ['targetSystemId'],
    message: 'Source and target must be different systems.',
  });

export const contractSchema = z
  .object({
    id: z.uuid(),
    integrationId: z.uuid(),
    version: z.number().int(),
    status: z.enum(CONTRACT_STATUSES),
    dataItems: z.array(z.string()),
    purpose: z.string(),
    includesPersonalData: z.boolean(),
    personalDataCategories: z.array(z.string()),
    legalBasis: z.enum(LEGAL_BASES).nullable(),
    proposedBy: z.string().nullable(),
    proposedAt: z.string(),
    consentedBy: z.string().nullable(),
    consentedAt: z.string().nullable(),
    supersededAt: z.string().nullable(),
  })
  .meta({ id: 'InformationContract' });

export const integrationSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string(),
    source: ref,
    target: ref,
    activeVersion: z.number().int().nullable(),
    contracts: z.array(contractSchema),
    createdAt: z.string(),
  })
  .meta({ id: 'Integration' });

export const integrationListQuerySchema = z.object({ systemId: z.uuid().optional() });
export const contractParams = z.object({ id: z.uuid(), version: z.coerce.number().int().min(1) });

export const categoriesInUseSchema = z.object({
  items: z.array(
    z.object({
      category: z.string().describe('As recorded: the key of the shared vocabulary (lower case)'),
      systems: z.number().int().describe('Systems that record it'),
      integrations: z.number().int().describe('Integrations whose active contract carries it'),
    }),
  ),
});
export const lineageQuerySchema = z.object({ category: z.string().trim().min(1, 'Required.').max(100) });
export const lineageSchema = z.object({
  category: z.string(),
  holders: z.array(
    z.object({
      system: ref,
      holds: z.enum(['source', 'copy']),
      /** From the source system to this one, along active contracts carrying the category. */
      path: z.array(ref).nullable(),
      viaIntegrations: z.array(z.uuid()),
    }),
  ),
});
export const personalDataSchema = z.object({
  system: ref,
  categories: z.array(
    z.object({ category: z.string(), holds: z.enum(['source', 'copy']), receivedFrom: z.array(ref) }),
  ),
});

// ---- documents and security ---------------------------------------------------------------------------

export const documentKindParams = z.object({ id: z.uuid(), kind: z.enum(DOCUMENT_KINDS) });
export const documentPutSchema = z
  .object({
    link: z.url({ message: 'A web address.' }).max(2000).nullable().optional(),
    body: z.string().max(100_000).nullable().optional(),
    ownerPersonId: z.uuid(),
    reviewIntervalMonths: z.number().int().min(1).max(120).default(12),
    lastReviewedOn: isoDate.nullable().optional(),
  })
  .refine((v) => v.link || v.body, { path: ['link'], message: 'Give a link or the text of the document.' });
export const documentSchema = z.object({
  kind: z.enum(DOCUMENT_KINDS),
  present: z.boolean(),
  link: z.string().nullable(),
  body: z.string().nullable(),
  owner: personRef.nullable(),
  reviewIntervalMonths: z.number().int().nullable(),
  lastReviewedOn: z.string().nullable(),
  nextReviewOn: z.string().nullable(),
  overdue: z.boolean(),
});

export const vulnerabilityCreateSchema = z
  .object({
    title: required(500),
    reference: optionalText(200),
    exposureStartedOn: isoDate,
    exposureEndedOn: isoDate.nullable().optional(),
  })
  .refine((v) => !v.exposureEndedOn || v.exposureEndedOn >= v.exposureStartedOn, {
    path: ['exposureEndedOn'],
    message: 'Exposure cannot end before it started.',
  });
export const vulnerabilityPatchSchema = z
  .object({ title: required(500), reference: optionalText(200), exposureEndedOn: isoDate.nullable() })
  .partial()
  .strict();
export const restoreTestCreateSchema = z.object({
  testedOn: isoDate,
  result: z.enum(RESTORE_RESULTS),
  notes: z.string().trim().max(5000).default(''),
});
export const firewallRuleCreateSchema = z.object({
  rule: required(2000),
  justification: z
    .string({ message: 'Every firewall rule needs a justification (G12).' })
    .trim()
    .min(1, 'Every firewall rule needs a justification (G12).')
    .max(5000),
  reviewOn: isoDate.nullable().optional(),
});
export const backupPutSchema = z.object({ backupArrangement: z.string().trim().max(10_000).nullable() });
export const subParams = z.object({ id: z.uuid(), recordId: z.uuid() });

export const securitySchema = z.object({
  systemId: z.uuid(),
  backupArrangement: z.string().nullable(),
  hasTestEnvironment: z.boolean(),
  vulnerabilities: z.array(
    z.object({
      id: z.uuid(),
      title: z.string(),
      reference: z.string().nullable(),
      exposureStartedOn: z.string(),
      exposureEndedOn: z.string().nullable(),
      exposed: z.boolean(),
      version: z.number().int(),
    }),
  ),
  restoreTests: z.array(
    z.object({
      id: z.uuid(),
      testedOn: z.string(),
      result: z.enum(RESTORE_RESULTS),
      notes: z.string(),
    }),
  ),
  lastRestoreTest: z.object({ testedOn: z.string(), result: z.enum(RESTORE_RESULTS) }).nullable(),
  firewallRules: z.array(
    z.object({
      id: z.uuid(),
      rule: z.string(),
      justification: z.string(),
      reviewOn: z.string().nullable(),
    }),
  ),
});

export const overdueDocumentSchema = z.object({
  system: ref,
  kind: z.enum(DOCUMENT_KINDS),
  reason: z.enum(['missing', 'never_reviewed', 'overdue']),
  dueOn: z.string().nullable(),
  owner: z.string().nullable(),
});
export const resolverReviewSchema = z.object({
  system: ref,
  resolverGroup: z.string().nullable(),
  reviewedOn: z.string().nullable(),
  dueOn: z.string().nullable(),
});
