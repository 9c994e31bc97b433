// Who may do what: decided here and nowhere else. Routes call `authorize`; the UI receives the
// caller's abilities from `abilities` so buttons match the rules. Later modules add their actions and
// their per-resource roles (system owner, orderer, ...) here.
import { forbidden, notPermitted } from './errors.ts';
import { say, type Text } from './text.ts';

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
  'identity-editor.appoint',
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
  // access rights (issue 4)
  'permission.read',
  'permission.write',
  'orderer.grant',
  'expert-user.write',
  'fulfiller.write',
  'order.create',
  'order.change',
  'order.read',
  'order.approve',
  'order.fulfil',
  'grant.read',
  'access-report.read',
  // software titles and licence coordinators (issue 5: S1–S5)
  'software.read',
  'software.write',
  'coordinator.appoint',
  'licence.read-unit',
  'licence.assign',
  'licence.report',
  'licence-key.write',
  'licence-key.reveal',
  'procurement.request',
  'procurement.decide',
  'announcement.send',
  'software-report.read',
  // module licence pools (issue 5: L1–L8)
  'pool.read',
  'pool.write',
  'pool.change',
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
  // My work: the signed-in person's own tasks across modules
  'work.read-own',
  // absences and cover (V1, V2)
  'absence.read',
  'absence.write',
  'coverage.read',
  // upgrades, maintenance and incidents (G13)
  'maintenance.read',
  'maintenance.write',
  'maintenance.cab',
  // the change log (G11, G7)
  'changelog.read',
  'changelog.write',
  // system messages (G13)
  'system-message.write',
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
  /** The actor's current roles on the org unit of the resource (head of unit, licence coordinator). */
  unitRoles?: readonly UnitRole[];
  objectRoles?: readonly GovernanceRole[];
  role?: GovernanceRole;
  /** L5: the actor is the contract owner of the system the resource (a licence pool) belongs to. */
  contractOwner?: boolean;
  /** The actor's standing towards an access-rights resource, computed by the access service. */
  accessFacts?: readonly AccessFact[];
};

/**
 * Facts about the actor and an access-rights resource (A1–A6): `orderer` holds ordering rights for
 * every unit of the order and its system; `unitHead` heads the unit; `itStaff` is IT system manager,
 * IT specialist or named fulfiller of the system; `approver` decides the order's current approval
 * step; `orderParty` ordered it, is its subject or handles it; `accessRole` holds any of these roles
 * somewhere (may read the grants register and the compliance report).
 */
export type AccessFact =
  | 'orderer'
  | 'unitHead'
  | 'itStaff'
  | 'approver'
  | 'orderParty'
  | 'accessRole'
  /** The orderer who saved the (draft) order. */
  | 'draftOwner';
export type UnitRole = 'head' | 'coordinator' | 'identity_editor';

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
  // A5: approval belongs to the system owner or the unit's head, never to an administrator as such.
  'order.approve',
  // S2: a licence key is shown only to the unit's coordinator and the person it is assigned to.
  'licence-key.reveal',
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
    'permission.read',
    'order.read',
    'grant.read',
    'access-report.read',
    'software.read',
    'licence.read-unit',
    'software-report.read',
    'plan.read',
    'plan.dashboard',
    'checklist.read',
    'work.read-own',
    'absence.read',
    'coverage.read',
    'maintenance.read',
    'changelog.read',
  ],
  user: [
    'org.read',
    'person.read',
    'token.manage-own',
    'system.read',
    'systems-report.read',
    'permission.read',
    'software.read',
    'procurement.request',
    'pool.read',
    'plan.dashboard',
    'work.read-own',
    // V2: who is away when, and the gaps it leaves, are open to colleagues (they plan around them).
    'absence.read',
    'coverage.read',
    // G13: planned work and incidents are announced to everyone.
    'maintenance.read',
    // G11: what changed in a system, and when, is open to everyone (troubleshooting starts there).
    'changelog.read',
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
  // The permission catalogue, order form and fulfillers of a system are kept by its main roles.
  'permission.write': MAIN,
  'fulfiller.write': MAIN,
  // G13: the main roles (above all the IT system manager) plan and carry out upgrades and maintenance.
  'maintenance.write': MAIN,
  // G11: the main roles keep the system's change log.
  'changelog.write': MAIN,
  // G13: the main roles (above all the IT system manager) post and take down the system's messages.
  'system-message.write': MAIN,
};

/** Actions allowed by a fact about the actor and an access-rights resource (A1–A6, G10). */
const ACCESS_FACT_GRANTS: Partial<Record<Action, readonly AccessFact[]>> = {
  // A1: ordering rights are granted by the unit's head (or an administrator); expert users likewise.
  'orderer.grant': ['unitHead'],
  'expert-user.write': ['unitHead'],
  'order.create': ['orderer'],
  // A saved order is changed or sent by the one who saved it (or an administrator).
  'order.change': ['draftOwner'],
  'order.read': ['orderParty'],
  'order.approve': ['approver'],
  'order.fulfil': ['itStaff'],
  'grant.read': ['accessRole', 'orderer', 'unitHead', 'itStaff'],
  'access-report.read': ['accessRole', 'unitHead'],
};

/** A2: actions nobody may do about themselves, whatever their roles. */
const NEVER_SELF: Partial<Record<Action, Text>> = {
  'identity-editor.appoint': say(
    'You cannot appoint yourself identity editor. Ask the head of the unit or an administrator.',
    'Du kan inte utse dig själv till identitetsredigerare. Be enhetens chef eller en administratör.',
  ),
  'order.create': say(
    'You cannot order a permission for yourself. Ask another orderer in your unit.',
    'Du kan inte beställa en behörighet åt dig själv. Be en annan beställare i din enhet.',
  ),
  'orderer.grant': say(
    'You cannot grant yourself ordering rights. Ask the head of the unit or an administrator.',
    'Du kan inte ge dig själv beställningsrätt. Be enhetens chef eller en administratör.',
  ),
  'order.approve': say(
    'You cannot approve an order for yourself.',
    'Du kan inte godkänna en beställning som gäller dig själv.',
  ),
};

/** Actions allowed by a current role on the org unit of the resource (S1, S2, V3). */
const UNIT_ROLE_GRANTS: Partial<Record<Action, readonly UnitRole[]>> = {
  // V3: the unit's identity editors create and edit its persons; its head appoints them.
  'person.write': ['identity_editor'],
  'identity-editor.appoint': ['head'],
  // S1: the head of the unit appoints its licence coordinator.
  'coordinator.appoint': ['head'],
  'licence.read-unit': ['head', 'coordinator'],
  'licence.assign': ['coordinator'],
  'licence.report': ['coordinator'],
  'licence-key.reveal': ['coordinator'],
  // V1: the head of one of the person's units registers their absence and its cover.
  'absence.write': ['head'],
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
  'orderer.grant': 'A1',
  'order.create': 'A1',
  'order.approve': 'A5',
  'order.fulfil': 'A5',
  'grant.read': 'G10',
  'coordinator.appoint': 'S1',
  'identity-editor.appoint': 'V3',
  'licence.assign': 'S2',
  'licence.report': 'S2',
  'licence-key.reveal': 'S2',
  'pool.change': 'L5',
  'plan.read': 'G5',
  'plan.create': 'G5',
  'plan.write': 'G5',
  'plan.approve': 'G5',
  'plan.sign': 'G5',
  'checklist.read': 'G6',
  'checklist.answer': 'G6',
  'checklist.attest': 'G6',
  'checklist-template.write': 'G6',
  'absence.write': 'V1',
  'maintenance.write': 'G13',
  'maintenance.cab': 'G13',
  'changelog.write': 'G11',
  'system-message.write': 'G13',
};

/** Actions a person may do on a resource that is about themselves. */
const SELF: readonly Action[] = [
  'person.export',
  'account.read',
  'grant.read',
  'licence-key.reveal',
  // V1: one registers one's own absence and names who covers.
  'absence.write',
];

/** The A2 refusal of an action about oneself, or null. */
export function selfRefusal(subject: PolicySubject, action: Action, resource: PolicyResource = {}) {
  const message = NEVER_SELF[action];
  return message && subject.personId && resource.personId === subject.personId ? message : null;
}

/** The rule's sentence when a plan or checklist action is refused (G5, G6). */
const PLAN_REFUSALS: Partial<Record<Action, Text>> = {
  'plan.write': say(
    'Only the system manager and the IT system manager edit the management plan; the IT system owner and others in the governance organisation read it.',
    'Bara systemförvaltaren och IT-systemförvaltaren redigerar förvaltningsplanen; IT-systemägaren och andra i förvaltningsorganisationen läser den.',
  ),
  'plan.create': say(
    'Only the system manager and the IT system manager start a management plan.',
    'Bara systemförvaltaren och IT-systemförvaltaren påbörjar en förvaltningsplan.',
  ),
  'plan.approve': say(
    'Only the system owner approves the management plan.',
    'Bara systemägaren fastställer förvaltningsplanen.',
  ),
  'plan.sign': say(
    'Only the system owner and the IT system owner sign the approved management plan.',
    'Bara systemägaren och IT-systemägaren undertecknar den fastställda förvaltningsplanen.',
  ),
  'plan.read': say(
    'Only the governance organisation of the object reads its management plan.',
    'Bara objektets förvaltningsorganisation läser dess förvaltningsplan.',
  ),
  'checklist.attest': say(
    'Only the IT system owner attests the security and continuity checklist.',
    'Bara IT-systemägaren attesterar säkerhets- och kontinuitetschecklistan.',
  ),
  'checklist.answer': say(
    'The system manager, IT system manager or IT system owner answers the security and continuity checklist.',
    'Systemförvaltaren, IT-systemförvaltaren eller IT-systemägaren besvarar säkerhets- och kontinuitetschecklistan.',
  ),
};

/** The sentence a refusal gives, where a rule says who may (the rest: a generic one naming the action). */
const REFUSALS: Partial<Record<Action, Text>> = {
  ...PLAN_REFUSALS,
  'contract.consent': say(
    'Only the owner of the source system can consent to an information contract.',
    'Bara källsystemets ägare kan godkänna ett informationskontrakt.',
  ),
  'coordinator.appoint': say(
    "Only the unit's head (or an administrator) appoints its licence coordinator.",
    'Bara enhetens chef (eller en administratör) utser enhetens licensansvarige.',
  ),
  'identity-editor.appoint': say(
    "Only the unit's head (or an administrator) appoints its identity editors.",
    'Bara enhetens chef (eller en administratör) utser enhetens identitetsredigerare.',
  ),
  'absence.write': say(
    'An absence is registered by the person who is away, the head of one of their units or an administrator.',
    'En frånvaro registreras av den som är borta, chefen för en av personens enheter eller en administratör.',
  ),
  'maintenance.cab': say(
    'The CAB approves upgrades and maintenance; an administrator records its decision.',
    'CAB godkänner uppgraderingar och underhåll; en administratör registrerar beslutet.',
  ),
  'maintenance.write': say(
    'The main roles of the system plan and carry out its upgrades and maintenance.',
    'Systemets huvudroller planerar och genomför dess uppgraderingar och underhåll.',
  ),
  'changelog.write': say(
    'The main roles of the system keep its change log.',
    'Systemets huvudroller för dess ändringslogg.',
  ),
  'system-message.write': say(
    'The main roles of the system post and take down its messages.',
    'Systemets huvudroller publicerar och tar ner dess driftmeddelanden.',
  ),
  'licence-key.reveal': say(
    "A licence key is shown only to the unit's licence coordinator and the person it is assigned to.",
    'En licenskod visas bara för enhetens licensansvarige och den person den är tilldelad.',
  ),
};

export function can(subject: PolicySubject, action: Action, resource: PolicyResource = {}): boolean {
  if (selfRefusal(subject, action, resource)) return false;
  const roles: Role[] = subject.roles.includes('user') ? [...subject.roles] : [...subject.roles, 'user'];
  if (roles.some((r) => GRANTS[r]?.includes(action))) return true;
  if (SELF.includes(action) && subject.personId && resource.personId === subject.personId) return true;
  const held = resource.objectRoles ?? [];
  if (held.length && OBJECT_ROLE_GRANTS[action]?.some((r) => held.includes(r))) return true;
  if (UNIT_ROLE_GRANTS[action]?.some((r) => resource.unitRoles?.includes(r))) return true;
  // L5: the system's contract owner changes its pool sizes.
  if (action === 'pool.change' && resource.contractOwner) return true;
  if (action === 'role.assign' && resource.role && APPOINTERS[resource.role].some((r) => held.includes(r)))
    return true;
  const facts = resource.accessFacts ?? [];
  if (facts.length && ACCESS_FACT_GRANTS[action]?.some((f) => facts.includes(f))) return true;
  return false;
}

export function authorize(subject: PolicySubject, action: Action, resource: PolicyResource = {}): void {
  const self = selfRefusal(subject, action, resource);
  if (self) throw forbidden(self, action === 'identity-editor.appoint' ? 'V3' : 'A2');
  if (!can(subject, action, resource))
    throw REFUSALS[action]
      ? forbidden(REFUSALS[action], RULE_OF[action])
      : notPermitted(action, RULE_OF[action]);
}

/** What the caller may do in general, for the UI. */
export function abilities(subject: PolicySubject): Record<Action, boolean> {
  return Object.fromEntries(ACTIONS.map((a) => [a, can(subject, a)])) as Record<Action, boolean>;
}
