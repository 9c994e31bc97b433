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
  // systems and governance (issue 3)
  'system.read',
  'system.create',
  'system.write',
  'governance-object.create',
  'governance-object.write',
  'role.assign',
  'dependency.write',
  'integration.write',
  'contract.consent',
  'document.write',
  'security.read',
  'security.write',
  'systems-report.read',
  'backstage.import',
  // management plans (issue 6)
  'plan.read',
  'plan.create',
  'plan.write',
  'plan.approve',
  'plan.sign',
  'plan.dashboard',
  'plan.cycle',
  'checklist.read',
  'checklist.answer',
  'checklist.attest',
  'checklist-template.write',
] as const;
export type Action = (typeof ACTIONS)[number];

/** The subject of a check: the acting person and, for self-service actions, whose data it is. */
export type PolicySubject = { roles: readonly Role[]; personId: string | null };
/**
 * The resource of a check. `objectRoles` are the actor's current roles on the governance object the
 * resource belongs to (computed by the systems service); `role` is the role being appointed.
 */
export type PolicyResource = {
  personId?: string | null;
  objectRoles?: readonly GovernanceRole[];
  role?: GovernanceRole;
};

export type GovernanceRole =
  | 'system_owner'
  | 'it_system_owner'
  | 'system_manager'
  | 'it_system_manager'
  | 'business_specialist'
  | 'it_specialist'
  | 'reference_group'
  | 'steering_group'
  | 'management_group';
const MAIN: readonly GovernanceRole[] = [
  'system_owner',
  'it_system_owner',
  'system_manager',
  'it_system_manager',
];

/** Actions only the holder of a role on the resource may do (not an administrator as such). */
const PERSONAL_ACTIONS: readonly Action[] = [
  'contract.consent',
  'plan.write',
  'plan.approve',
  'plan.sign',
  'checklist.answer',
  'checklist.attest',
];

/** Actions each role may do on any resource. */
const GRANTS: Record<Role, readonly Action[]> = {
  // G9: only the source system's owner consents to an information contract, never an administrator.
  // G5, G6: plans are edited, approved and signed, and checklists answered and attested, by the
  // people holding the roles on the object, never by an administrator as such.
  administrator: ACTIONS.filter((a) => !PERSONAL_ACTIONS.includes(a)),
  auditor: [
    'org.read',
    'person.read',
    'person.export',
    'audit.read',
    'audit.verify',
    'account.read',
    'token.manage-own',
    'system.read',
    'security.read',
    'systems-report.read',
    'plan.read',
    'plan.dashboard',
    'checklist.read',
  ],
  user: [
    'org.read',
    'person.read',
    'token.manage-own',
    'system.read',
    'systems-report.read',
    'plan.dashboard',
  ],
};

/** Actions allowed by a current role on the governance object of the resource (G2, G4, G12). */
const OBJECT_ROLE_GRANTS: Partial<Record<Action, readonly GovernanceRole[]>> = {
  'system.create': MAIN,
  'system.write': MAIN,
  'governance-object.write': MAIN,
  'dependency.write': MAIN,
  'integration.write': MAIN,
  'document.write': [...MAIN, 'business_specialist', 'it_specialist'],
  // G12: security records are seen by anyone with a role on the object, edited by the main roles and IT specialists.
  'security.read': [
    ...MAIN,
    'business_specialist',
    'it_specialist',
    'reference_group',
    'steering_group',
    'management_group',
  ],
  'security.write': [...MAIN, 'it_specialist'],
  // G9: the source system's owner consents.
  'contract.consent': ['system_owner'],
  // G5: the governance organisation reads the plan; system manager and IT system manager edit it; the
  // system owner approves; system owner and IT system owner sign. G6: the IT system owner attests.
  'plan.read': [
    ...MAIN,
    'business_specialist',
    'it_specialist',
    'reference_group',
    'steering_group',
    'management_group',
  ],
  'plan.create': ['system_manager', 'it_system_manager'],
  'plan.write': ['system_manager', 'it_system_manager'],
  'plan.approve': ['system_owner'],
  'plan.sign': ['system_owner', 'it_system_owner'],
  'checklist.read': [
    ...MAIN,
    'business_specialist',
    'it_specialist',
    'reference_group',
    'steering_group',
    'management_group',
  ],
  'checklist.answer': ['system_manager', 'it_system_manager', 'it_system_owner'],
  'checklist.attest': ['it_system_owner'],
};

/**
 * Who may appoint whom on an object, besides administrators. Only administrators appoint system owners;
 * G4: the IT system owner appoints the IT system manager.
 */
const APPOINTERS: Record<GovernanceRole, readonly GovernanceRole[]> = {
  system_owner: [],
  it_system_owner: ['system_owner'],
  system_manager: ['system_owner'],
  it_system_manager: ['it_system_owner'],
  business_specialist: MAIN,
  it_specialist: MAIN,
  reference_group: MAIN,
  steering_group: ['system_owner', 'it_system_owner'],
  management_group: MAIN,
};

/** The rule a refusal cites, where a domain rule decides the action. */
const RULE_OF: Partial<Record<Action, string>> = {
  'contract.consent': 'G9',
  'role.assign': 'G4',
  'security.read': 'G12',
  'security.write': 'G12',
  'plan.read': 'G5',
  'plan.create': 'G5',
  'plan.write': 'G5',
  'plan.approve': 'G5',
  'plan.sign': 'G5',
  'checklist.read': 'G6',
  'checklist.answer': 'G6',
  'checklist.attest': 'G6',
  'checklist-template.write': 'G6',
};

/** Actions a person may do on a resource that is about themselves. */
const SELF: readonly Action[] = ['person.export', 'account.read'];

/** The rule's sentence when a plan or checklist action is refused (G5, G6). */
const PLAN_REFUSALS: Partial<Record<Action, string>> = {
  'plan.write':
    'Only the system manager and the IT system manager edit the management plan; the IT system owner and others in the governance organisation read it.',
  'plan.create': 'Only the system manager and the IT system manager start a management plan.',
  'plan.approve': 'Only the system owner approves the management plan.',
  'plan.sign': 'Only the system owner and the IT system owner sign the approved management plan.',
  'plan.read': 'Only the governance organisation of the object reads its management plan.',
  'checklist.attest': 'Only the IT system owner attests the security and continuity checklist.',
  'checklist.answer':
    'The system manager, IT system manager or IT system owner answers the security and continuity checklist.',
};

export function can(subject: PolicySubject, action: Action, resource: PolicyResource = {}): boolean {
  const roles: Role[] = subject.roles.includes('user') ? [...subject.roles] : [...subject.roles, 'user'];
  if (roles.some((r) => GRANTS[r]?.includes(action))) return true;
  if (SELF.includes(action) && subject.personId && resource.personId === subject.personId) return true;
  const held = resource.objectRoles ?? [];
  if (held.length && OBJECT_ROLE_GRANTS[action]?.some((r) => held.includes(r))) return true;
  if (action === 'role.assign' && resource.role && APPOINTERS[resource.role].some((r) => held.includes(r)))
    return true;
  return false;
}

export function authorize(subject: PolicySubject, action: Action, resource: PolicyResource = {}): void {
  if (!can(subject, action, resource))
    throw forbidden(
      action === 'contract.consent'
        ? 'Only the owner of the source system can consent to an information contract.'
        : (PLAN_REFUSALS[action] ?? `You are not allowed to do this (${action}).`),
      RULE_OF[action],
    );
}

/** What the caller may do in general, for the UI. */
export function abilities(subject: PolicySubject): Record<Action, boolean> {
  return Object.fromEntries(ACTIONS.map((a) => [a, can(subject, a)])) as Record<Action, boolean>;
}
