// Systems, governance objects and their roles, dependencies, integrations with information contracts,
// documents and security records (G1–G4, G8–G12, G14). Invariants live here as constraints.
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  numeric,
  pgTable,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { orgUnits, persons } from '../org/org.tables.ts';

export const LIFECYCLES = ['planned', 'in_production', 'being_phased_out', 'retired'] as const;
export const HOSTINGS = ['own', 'central_it', 'vendor'] as const;
export const CRITICALITIES = ['low', 'medium', 'high', 'critical'] as const;
export const ENVIRONMENTS = ['production', 'test'] as const;
export const MAIN_ROLES = ['system_owner', 'it_system_owner', 'system_manager', 'it_system_manager'] as const;
export const GOVERNANCE_ROLES = [
  ...MAIN_ROLES,
  'business_specialist',
  'it_specialist',
  'reference_group',
  /** Extra members of the steering group beyond system owner + IT system owner (G4). */
  'steering_group',
  /** Extra members of the management group beyond system manager + IT system manager (G4). */
  'management_group',
] as const;
export const DEPENDENCY_KINDS = ['runtime', 'data', 'authentication', 'hosting'] as const;
export const LEGAL_BASES = [
  'consent',
  'contract',
  'legal_obligation',
  'vital_interests',
  'public_task',
  'legitimate_interests',
] as const;
export const CONTRACT_STATUSES = ['proposed', 'active', 'superseded'] as const;
export const DOCUMENT_KINDS = [
  'access_rights_lifecycle',
  'configuration',
  'logging',
  'upgrade_process',
  'information_contracts',
  'change_log',
] as const;
export const RESTORE_RESULTS = ['success', 'partial', 'failed'] as const;

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(','));
const ts = (name: string) => timestamp(name, { withTimezone: true });

export const governanceObjects = pgTable(
  'governance_objects',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    owningUnitId: uuid('owning_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    budgetFrame: numeric('budget_frame', { precision: 14, scale: 2, mode: 'string' }),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    unique('governance_objects_name_key').on(t.name),
    index('governance_objects_unit_idx').on(t.owningUnitId),
  ],
);

export const systems = pgTable(
  'systems',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    shortName: text('short_name').notNull(),
    description: text('description').notNull().default(''),
    lifecycle: text('lifecycle', { enum: LIFECYCLES }).notNull().default('planned'),
    orgModel: integer('org_model').notNull(),
    vendor: text('vendor'),
    contractOwner: text('contract_owner'),
    contractOwnerPersonId: uuid('contract_owner_person_id').references(() => persons.id),
    hosting: text('hosting', { enum: HOSTINGS }).notNull(),
    criticality: text('criticality', { enum: CRITICALITIES }).notNull().default('medium'),
    confidentiality: integer('confidentiality').notNull().default(2),
    integrity: integer('integrity').notNull().default(2),
    availability: integer('availability').notNull().default(2),
    storesPersonalData: boolean('stores_personal_data').notNull().default(false),
    personalDataCategories: text('personal_data_categories').array().notNull().default(sql`'{}'::text[]`),
    environments: text('environments').array().notNull().default(sql`'{production}'::text[]`),
    serviceDeskQueue: text('service_desk_queue'),
    resolverGroup: text('resolver_group'),
    resolverMembersReviewedOn: date('resolver_members_reviewed_on', { mode: 'string' }),
    backupArrangement: text('backup_arrangement'),
    /** G1: every system belongs to exactly one governance object. */
    governanceObjectId: uuid('governance_object_id')
      .notNull()
      .references(() => governanceObjects.id),
    sortKey: text('sort_key').notNull(),
    /** Lower-cased name, short name, vendor and description, indexed with trigrams. */
    searchText: text('search_text').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    unique('systems_short_name_key').on(t.shortName),
    index('systems_object_idx').on(t.governanceObjectId),
    index('systems_sort_idx').on(sql`${t.sortKey} collate "C"`, t.id),
    index('systems_search_trgm_idx').using('gin', sql`${t.searchText} gin_trgm_ops`),
    check('systems_lifecycle_check', sql`${t.lifecycle} in (${inList(LIFECYCLES)})`),
    check('systems_org_model_check', sql`${t.orgModel} between 1 and 5`),
    check('systems_hosting_check', sql`${t.hosting} in (${inList(HOSTINGS)})`),
    check('systems_criticality_check', sql`${t.criticality} in (${inList(CRITICALITIES)})`),
    check(
      'systems_classification_check',
      sql`${t.confidentiality} between 1 and 4 and ${t.integrity} between 1 and 4 and ${t.availability} between 1 and 4`,
    ),
    check('systems_environments_check', sql`${t.environments} <@ array[${inList(ENVIRONMENTS)}]::text[]`),
  ],
);

export const systemModules = pgTable(
  'system_modules',
  {
    id: uuid('id').primaryKey(),
    systemId: uuid('system_id')
      .notNull()
      .references(() => systems.id),
    name: text('name').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [unique('system_modules_system_name_key').on(t.systemId, t.name)],
);

export const roleAssignments = pgTable(
  'role_assignments',
  {
    id: uuid('id').primaryKey(),
    objectId: uuid('object_id')
      .notNull()
      .references(() => governanceObjects.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => persons.id),
    role: text('role', { enum: GOVERNANCE_ROLES }).notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validUntil: date('valid_until', { mode: 'string' }),
    appointedByPersonId: uuid('appointed_by_person_id').references(() => persons.id),
    /** G4: reference-group members are appointed by their units. */
    appointedByUnitId: uuid('appointed_by_unit_id').references(() => orgUnits.id),
    appointedAt: ts('appointed_at').notNull(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    index('role_assignments_object_idx').on(t.objectId, t.role),
    index('role_assignments_person_idx').on(t.personId),
    check('role_assignments_role_check', sql`${t.role} in (${inList(GOVERNANCE_ROLES)})`),
    check('role_assignments_period_check', sql`${t.validUntil} is null or ${t.validUntil} >= ${t.validFrom}`),
    check(
      'role_assignments_reference_group_unit',
      sql`${t.role} <> 'reference_group' or ${t.appointedByUnitId} is not null`,
    ),
  ],
);

export const dependencies = pgTable(
  'system_dependencies',
  {
    id: uuid('id').primaryKey(),
    /** The dependent system: it needs `toSystemId` to work. */
    fromSystemId: uuid('from_system_id')
      .notNull()
      .references(() => systems.id),
    toSystemId: uuid('to_system_id')
      .notNull()
      .references(() => systems.id),
    kind: text('kind', { enum: DEPENDENCY_KINDS }).notNull(),
    description: text('description').notNull().default(''),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    unique('system_dependencies_edge_key').on(t.fromSystemId, t.toSystemId, t.kind),
    index('system_dependencies_to_idx').on(t.toSystemId),
    check('system_dependencies_no_self', sql`${t.fromSystemId} <> ${t.toSystemId}`),
    check('system_dependencies_kind_check', sql`${t.kind} in (${inList(DEPENDENCY_KINDS)})`),
  ],
);

export const integrations = pgTable(
  'integrations',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    sourceSystemId: uuid('source_system_id')
      .notNull()
      .references(() => systems.id),
    targetSystemId: uuid('target_system_id')
      .notNull()
      .references(() => systems.id),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    index('integrations_source_idx').on(t.sourceSystemId),
    index('integrations_target_idx').on(t.targetSystemId),
    check('integrations_not_self', sql`${t.sourceSystemId} <> ${t.targetSystemId}`),
  ],
);

export const informationContracts = pgTable(
  'information_contracts',
  {
    id: uuid('id').primaryKey(),
    integrationId: uuid('integration_id')
      .notNull()
      .references(() => integrations.id),
    version: integer('version').notNull(),
    status: text('status', { enum: CONTRACT_STATUSES }).notNull().default('proposed'),
    dataItems: text('data_items').array().notNull(),
    purpose: text('purpose').notNull(),
    includesPersonalData: boolean('includes_personal_data').notNull(),
    personalDataCategories: text('personal_data_categories').array().notNull().default(sql`'{}'::text[]`),
    legalBasis: text('legal_basis', { enum: LEGAL_BASES }),
    proposedByPersonId: uuid('proposed_by_person_id').references(() => persons.id),
    proposedAt: ts('proposed_at').notNull(),
    consentedByPersonId: uuid('consented_by_person_id').references(() => persons.id),
    consentedAt: ts('consented_at'),
    supersededAt: ts('superseded_at'),
  },
  (t) => [
    unique('information_contracts_version_key').on(t.integrationId, t.version),
    /** G9: at most one active contract version per integration. */
    uniqueIndex('information_contracts_one_active').on(t.integrationId).where(sql`${t.status} = 'active'`),
    index('information_contracts_categories_idx')
      .using('gin', t.personalDataCategories)
      .where(sql`${t.status} = 'active'`),
    check('information_contracts_status_check', sql`${t.status} in (${inList(CONTRACT_STATUSES)})`),
    check(
      'information_contracts_legal_basis',
      sql`(not ${t.includesPersonalData} or ${t.legalBasis} is not null) and (${t.legalBasis} is null or ${t.legalBasis} in (${inList(LEGAL_BASES)}))`,
    ),
    check(
      'information_contracts_active_consented',
      sql`${t.status} = 'proposed' or ${t.consentedByPersonId} is not null`,
    ),
  ],
);

export const systemDocuments = pgTable(
  'system_documents',
  {
    id: uuid('id').primaryKey(),
    systemId: uuid('system_id')
      .notNull()
      .references(() => systems.id),
    kind: text('kind', { enum: DOCUMENT_KINDS }).notNull(),
    link: text('link'),
    body: text('body'),
    ownerPersonId: uuid('owner_person_id')
      .notNull()
      .references(() => persons.id),
    reviewIntervalMonths: integer('review_interval_months').notNull().default(12),
    lastReviewedOn: date('last_reviewed_on', { mode: 'string' }),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    unique('system_documents_kind_key').on(t.systemId, t.kind),
    check('system_documents_kind_check', sql`${t.kind} in (${inList(DOCUMENT_KINDS)})`),
    check('system_documents_interval_check', sql`${t.reviewIntervalMonths} between 1 and 120`),
    check('system_documents_content_check', sql`${t.link} is not null or ${t.body} is not null`),
  ],
);

export const vulnerabilities = pgTable(
  'system_vulnerabilities',
  {
    id: uuid('id').primaryKey(),
    systemId: uuid('system_id')
      .notNull()
      .references(() => systems.id),
    title: text('title').notNull(),
    reference: text('reference'),
    exposureStartedOn: date('exposure_started_on', { mode: 'string' }).notNull(),
    exposureEndedOn: date('exposure_ended_on', { mode: 'string' }),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    index('system_vulnerabilities_system_idx').on(t.systemId),
    check(
      'system_vulnerabilities_period_check',
      sql`${t.exposureEndedOn} is null or ${t.exposureEndedOn} >= ${t.exposureStartedOn}`,
    ),
  ],
);

export const restoreTests = pgTable(
  'system_restore_tests',
  {
    id: uuid('id').primaryKey(),
    systemId: uuid('system_id')
      .notNull()
      .references(() => systems.id),
    testedOn: date('tested_on', { mode: 'string' }).notNull(),
    result: text('result', { enum: RESTORE_RESULTS }).notNull(),
    notes: text('notes').notNull().default(''),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    index('system_restore_tests_system_idx').on(t.systemId, t.testedOn),
    check('system_restore_tests_result_check', sql`${t.result} in (${inList(RESTORE_RESULTS)})`),
  ],
);

export const firewallRules = pgTable(
  'system_firewall_rules',
  {
    id: uuid('id').primaryKey(),
    systemId: uuid('system_id')
      .notNull()
      .references(() => systems.id),
    rule: text('rule').notNull(),
    /** G12: every firewall rule has a human-readable justification. */
    justification: text('justification').notNull(),
    reviewOn: date('review_on', { mode: 'string' }),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    index('system_firewall_rules_system_idx').on(t.systemId),
    check('system_firewall_rules_justified', sql`length(trim(${t.justification})) > 0`),
  ],
);
