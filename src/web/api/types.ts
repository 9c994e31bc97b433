// Response types of the Steward API, written by hand until `npm run openapi:types` generates
// schema.d.ts; then these can become aliases of components['schemas'][...].

export type Locale = 'sv' | 'en';

export type Ability =
  | 'org.read'
  | 'org.write'
  | 'person.read'
  | 'person.write'
  | 'person.leave'
  | 'person.export'
  | 'person.import'
  | 'identity-editor.appoint'
  | 'audit.read'
  | 'audit.verify'
  | 'account.read'
  | 'account.manage'
  | 'token.manage-own'
  | 'outbox.read'
  | 'system.read'
  | 'system.create'
  | 'system.write'
  | 'governance-object.create'
  | 'governance-object.write'
  | 'role.assign'
  | 'dependency.write'
  | 'integration.write'
  | 'contract.consent'
  | 'document.write'
  | 'security.read'
  | 'security.write'
  | 'systems-report.read'
  | 'order.read'
  | 'grant.read'
  | 'software.read'
  | 'software.write'
  | 'coordinator.appoint'
  | 'licence.read-unit'
  | 'licence.assign'
  | 'licence.report'
  | 'licence-key.write'
  | 'licence-key.reveal'
  | 'procurement.request'
  | 'procurement.decide'
  | 'announcement.send'
  | 'software-report.read'
  | 'absence.read'
  | 'absence.write'
  | 'coverage.read'
  | 'maintenance.read'
  | 'maintenance.write'
  | 'maintenance.cab'
  | 'changelog.read'
  | 'changelog.write'
  | 'system-message.write';

export interface Me {
  id: string;
  username: string;
  personId: string;
  displayName: string;
  roles: string[];
  locale: Locale | null;
  abilities: Partial<Record<Ability, boolean>>;
}

export interface Session {
  account: Me;
  csrfToken: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ListOf<T> {
  items: T[];
}

export type UnitKind = 'organisation' | 'faculty' | 'administration' | 'department' | 'provider' | 'unit';

export interface UnitTreeItem {
  id: string;
  code: string;
  name: string;
  kind: UnitKind | string;
  parentId: string | null;
  headPersonId: string | null;
  headName: string | null;
  memberCount: number;
  status: string;
}

export interface UnitDetail {
  id: string;
  code: string;
  name: string;
  kind: UnitKind | string;
  parentId: string | null;
  parent: { id: string; name: string } | null;
  head: { id: string; displayName: string } | null;
  children: { id: string; code: string; name: string; kind: string }[];
  memberCount: number;
  status: 'active' | 'closed' | string;
}

export type PersonStatus = 'active' | 'left';

export interface UnitRef {
  id: string;
  code: string;
  name: string;
  isPrimary: boolean;
}

export interface PersonSummary {
  id: string;
  employeeId: string;
  givenName: string;
  familyName: string;
  displayName: string;
  email: string | null;
  status: PersonStatus;
  units: UnitRef[];
}

export interface Person extends PersonSummary {
  leftAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
  account: {
    id: string;
    username: string;
    roles: string[];
    validUntil: string | null;
    disabled: boolean;
  } | null;
  headOf: { id: string; name: string }[];
}

export interface AuditEvent {
  id: number;
  occurredAt: string;
  actorLabel: string;
  actorPersonId: string | null;
  onBehalfOfPersonId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  via: string | null;
  ip: string | null;
}

export interface AuditVerifyResult {
  ok: boolean;
  checked: number;
  brokenAt?: { seq: number; eventId: number | null; reason: string };
}

export interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface CreatedToken {
  token: string;
  item: ApiToken;
}

export interface Account {
  id: string;
  username: string;
  personId: string;
  displayName: string;
  roles: string[];
  validUntil: string | null;
  disabled: boolean;
  version: number;
}

export interface ImportCounts {
  unitsCreated: number;
  unitsUpdated: number;
  personsCreated: number;
  personsUpdated: number;
  personsLeft: number;
  personsUnchanged: number;
}

export interface ImportResult {
  dryRun: boolean;
  counts: ImportCounts;
}

export interface OutboxItem {
  id: number;
  recipient: string;
  subject: string;
  body: string;
  status: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

// ---- systems and governance (issue 3) ----------------------------------------------------------------

export const LIFECYCLES = ['planned', 'in_production', 'being_phased_out', 'retired'] as const;
export type Lifecycle = (typeof LIFECYCLES)[number];
export const HOSTINGS = ['own', 'central_it', 'vendor'] as const;
export type Hosting = (typeof HOSTINGS)[number];
export const CRITICALITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Criticality = (typeof CRITICALITIES)[number];
export const ORG_MODELS = [1, 2, 3, 4, 5] as const;
export type Environment = 'production' | 'test';
export const MAIN_ROLES = ['system_owner', 'it_system_owner', 'system_manager', 'it_system_manager'] as const;
export type MainRole = (typeof MAIN_ROLES)[number];
export type GovernanceRole =
  | MainRole
  | 'business_specialist'
  | 'it_specialist'
  | 'reference_group'
  | 'steering_group'
  | 'management_group';
export type DependencyKind = 'runtime' | 'data' | 'authentication' | 'hosting';
export type ContractStatus = 'proposed' | 'active' | 'superseded';
export type DocumentKind =
  | 'access_rights_lifecycle'
  | 'configuration'
  | 'logging'
  | 'upgrade_process'
  | 'information_contracts'
  | 'change_log';

export interface Ref {
  id: string;
  name: string;
}

export interface PersonRef {
  id: string;
  displayName: string;
  status: PersonStatus;
}

export interface SystemSummary {
  id: string;
  name: string;
  shortName: string;
  description: string;
  lifecycle: Lifecycle;
  orgModel: number;
  vendor: string | null;
  hosting: Hosting;
  criticality: Criticality;
  storesPersonalData: boolean;
  governanceObject: Ref;
}

export interface SystemDetail extends SystemSummary {
  /** Only on GET /systems/:id: what the caller may do beyond reading. */
  abilities?: { readSecurity: boolean };
  contractOwner: string | null;
  contractOwnerPerson: PersonRef | null;
  confidentiality: number;
  integrity: number;
  availability: number;
  personalDataCategories: string[];
  environments: Environment[];
  hasTestEnvironment: boolean;
  serviceDeskQueue: string | null;
  resolverGroup: string | null;
  resolverMembersReviewedOn: string | null;
  resolverReviewOverdue: boolean;
  modules: Ref[];
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface ManagersRow {
  systemId: string;
  name: string;
  shortName: string;
  lifecycle: Lifecycle;
  governanceObject: Ref;
  systemOwners: string[];
  itSystemOwners: string[];
  systemManagers: string[];
  itSystemManagers: string[];
}

export interface RoleAssignment {
  id: string;
  objectId: string;
  role: GovernanceRole;
  person: PersonRef;
  validFrom: string;
  validUntil: string | null;
  current: boolean;
  appointedBy: PersonRef | null;
  appointedByUnit: Ref | null;
  appointedAt: string;
  version: number;
}

export interface GroupMember {
  personId: string;
  displayName: string;
  role: GovernanceRole;
}

export interface GovernanceObject {
  id: string;
  name: string;
  description: string;
  owningUnit: Ref;
  budgetFrame: string | null;
  systems: { id: string; name: string; shortName: string; orgModel: number }[];
  roles: RoleAssignment[];
  steeringGroup: GroupMember[];
  managementGroup: GroupMember[];
  referenceGroup: GroupMember[];
  expectedRoles: MainRole[];
  missingRoles: MainRole[];
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface GovernanceObjectSummary {
  id: string;
  name: string;
  owningUnit: Ref;
  systemCount: number;
}

export interface Dependency {
  id: string;
  fromSystemId: string;
  toSystemId: string;
  kind: DependencyKind;
  description: string;
  createdAt: string;
}

export interface Impact {
  system: Ref;
  affected: { id: string; name: string; shortName: string; depth: number; path: Ref[] }[];
}

export interface GraphNode {
  id: string;
  name: string;
  shortName: string;
  lifecycle: Lifecycle | string;
  criticality: string;
  governanceObjectId: string;
  /** On a filtered map: outside the filter, shown because it is connected to a system inside. */
  outside: boolean;
}

export interface GraphEdge {
  id: string;
  type: 'dependency' | 'integration';
  from: string;
  to: string;
  kind: string;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export interface InformationContract {
  id: string;
  integrationId: string;
  version: number;
  status: ContractStatus;
  dataItems: string[];
  purpose: string;
  includesPersonalData: boolean;
  personalDataCategories: string[];
  legalBasis: string | null;
  proposedBy: string | null;
  proposedAt: string;
  consentedBy: string | null;
  consentedAt: string | null;
  supersededAt: string | null;
}

export interface Integration {
  id: string;
  name: string;
  description: string;
  source: Ref;
  target: Ref;
  activeVersion: number | null;
  contracts: InformationContract[];
  createdAt: string;
}

export interface SystemDocument {
  kind: DocumentKind;
  present: boolean;
  link: string | null;
  body: string | null;
  owner: PersonRef | null;
  reviewIntervalMonths: number | null;
  lastReviewedOn: string | null;
  nextReviewOn: string | null;
  overdue: boolean;
}

export interface SecurityRecords {
  systemId: string;
  backupArrangement: string | null;
  hasTestEnvironment: boolean;
  vulnerabilities: {
    id: string;
    title: string;
    reference: string | null;
    exposureStartedOn: string;
    exposureEndedOn: string | null;
    exposed: boolean;
    version: number;
  }[];
  restoreTests: { id: string; testedOn: string; result: 'success' | 'partial' | 'failed'; notes: string }[];
  lastRestoreTest: { testedOn: string; result: 'success' | 'partial' | 'failed' } | null;
  firewallRules: { id: string; rule: string; justification: string; reviewOn: string | null }[];
}

export interface RoleGap {
  objectId: string;
  objectName: string;
  role: MainRole;
  firstGapOn: string;
  reason: 'not_staffed' | 'assignment_ends' | 'person_left';
}

export interface RoleGapReport {
  from: string;
  to: string;
  items: RoleGap[];
}

export interface OverdueDocument {
  system: Ref;
  kind: DocumentKind;
  reason: 'missing' | 'never_reviewed' | 'overdue';
  dueOn: string | null;
  owner: string | null;
}

export interface Lineage {
  category: string;
  holders: { system: Ref; holds: 'source' | 'copy'; path: Ref[] | null; viaIntegrations: string[] }[];
}

export interface PersonalDataHoldings {
  system: Ref;
  categories: { category: string; holds: 'source' | 'copy'; receivedFrom: Ref[] }[];
}

/** V3: an identity editor of an org unit. */
export interface IdentityEditor {
  id: string;
  unit: { id: string; name: string };
  person: { id: string; displayName: string; status: PersonStatus };
  appointedBy: string;
  appointedAt: string;
}

// ---- absences and cover (V1, V2) --------------------------------------------------------------------

export interface Absence {
  id: string;
  person: { id: string; displayName: string };
  startsOn: string;
  endsOn: string;
  note: string;
  registeredBy: string;
  registeredAt: string;
  cancelled: boolean;
  delegations: {
    id: string;
    object: Ref | null;
    role: MainRole | null;
    unit: Ref | null;
    cover: { id: string; displayName: string };
    withdrawn: boolean;
  }[];
}

export interface HandoverRole {
  object: Ref;
  role: MainRole;
  validFrom: string;
  validUntil: string | null;
}

export interface CoverageGap {
  kind: 'system_role' | 'unit_orderers';
  subject: Ref;
  role: MainRole | null;
  from: string;
  to: string;
  absent: { id: string; displayName: string }[];
}

export interface CoverageReport {
  from: string;
  to: string;
  items: CoverageGap[];
}

// ---- upgrades, maintenance and incidents (G13) ------------------------------------------------------

export interface Maintenance {
  id: string;
  system: Ref;
  kind: 'upgrade' | 'maintenance' | 'incident';
  title: string;
  description: string;
  startsAt: string;
  endsAt: string;
  disturbsUsers: boolean;
  state: 'planned' | 'cab_approved' | 'done' | 'cancelled';
  cab: { reference: string; approvedBy: string; approvedAt: string } | null;
  rehearsedOn: string | null;
  needsRehearsal: boolean;
  createdBy: string;
  version: number;
  items: {
    id: string;
    key: string;
    phase: 'before' | 'after';
    channel: string;
    responsible: string;
    dueAt: string;
    done: boolean;
    doneBy: string | null;
    doneAt: string | null;
  }[];
}

// ---- the change log (G11, G7) -----------------------------------------------------------------------

export const CHANGE_KINDS = [
  'upgrade',
  'maintenance',
  'incident',
  'configuration',
  'integration',
  'access',
  'other',
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export interface Change {
  id: string;
  system: Ref;
  changedOn: string;
  kind: ChangeKind;
  summary: string;
  details: string;
  maintenance: { id: string } | null;
  recordedBy: string;
  recordedAt: string;
}

// ---- system messages (G13) --------------------------------------------------------------------------

export interface SystemMessage {
  id: string;
  system: Ref;
  maintenance: { id: string; title: string } | null;
  severity: 'info' | 'warning' | 'disruption';
  textEn: string;
  textSv: string;
  shownFrom: string;
  shownUntil: string;
  state: 'scheduled' | 'shown' | 'ended' | 'withdrawn';
  publishedBy: string;
  publishedAt: string;
  withdrawnBy: string | null;
  withdrawnAt: string | null;
}
