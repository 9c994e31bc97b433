// Who may do what: decided here and nowhere else. Routes call `authorize`; the UI receives the
// caller's abilities from `abilities` so buttons match the rules. Later modules add their actions and
// their per-resource roles (system owner, orderer, ...) here.
import { forbidden } from './errors.ts';

export const ROLES = ['administrator', 'auditor', 'user'] as const;
export type Role = (typeof ROLES)[number];
/** Roles an account can be given; every signed-in account is also a plain `user`. */
export const ASSIGNABLE_ROLES = ['administrator', 'auditor'] as const;

export const ACTIONS = [
  'org.read',
  'org.write',
  'person.read',
  'person.write',
  'person.leave',
  'person.export',
  'person.import',
  'audit.read',
  'audit.verify',
  'account.read',
  'account.manage',
  'token.manage-own',
  'outbox.read',
] as const;
export type Action = (typeof ACTIONS)[number];

/** The subject of a check: the acting person and, for self-service actions, whose data it is. */
export type PolicySubject = { roles: readonly Role[]; personId: string | null };
export type PolicyResource = { personId?: string | null };

/** Actions each role may do on any resource. */
const GRANTS: Record<Role, readonly Action[]> = {
  administrator: ACTIONS,
  auditor: [
    'org.read',
    'person.read',
    'person.export',
    'audit.read',
    'audit.verify',
    'account.read',
    'token.manage-own',
  ],
  user: ['org.read', 'person.read', 'token.manage-own'],
};

/** Actions a person may do on a resource that is about themselves. */
const SELF: readonly Action[] = ['person.export', 'account.read'];

export function can(subject: PolicySubject, action: Action, resource: PolicyResource = {}): boolean {
  const roles: Role[] = subject.roles.includes('user') ? [...subject.roles] : [...subject.roles, 'user'];
  if (roles.some((r) => GRANTS[r]?.includes(action))) return true;
  if (SELF.includes(action) && subject.personId && resource.personId === subject.personId) return true;
  return false;
}

export function authorize(subject: PolicySubject, action: Action, resource: PolicyResource = {}): void {
  if (!can(subject, action, resource)) throw forbidden(`You are not allowed to do this (${action}).`);
}

/** What the caller may do in general, for the UI. */
export function abilities(subject: PolicySubject): Record<Action, boolean> {
  return Object.fromEntries(ACTIONS.map((a) => [a, can(subject, a)])) as Record<Action, boolean>;
}
