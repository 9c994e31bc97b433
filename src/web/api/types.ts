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
  | 'audit.read'
  | 'audit.verify'
  | 'account.read'
  | 'account.manage'
  | 'token.manage-own'
  | 'outbox.read';

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
  id: string;
  recipient: string;
  subject: string;
  status: string;
  createdAt: string;
  sentAt: string | null;
}
