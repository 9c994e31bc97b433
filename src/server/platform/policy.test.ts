// Walks the whole matrix of roles × actions. The expected table is written out here, by hand: any
// cell where the policy module decides differently fails the test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrder, createPermission } from '../modules/access/access.service.ts';
import { createPool } from '../modules/licences/pools.service.ts';
import { planMaintenance } from '../modules/maintenance/maintenance.service.ts';
import { createPlan } from '../modules/plans/plans.service.ts';
import { addKeys, createTitle, requestProcurement } from '../modules/software/software.service.ts';
import { createObject } from '../modules/systems/governance.service.ts';
import { createIntegration } from '../modules/systems/integrations.service.ts';
import { addModule, createSystem } from '../modules/systems/systems.service.ts';
import {
  admin,
  createTestApp,
  makeUnit,
  makeUser,
  signedIn,
  systemInput,
  type TestApp,
} from '../testing/http.ts';
import { ACTIONS, type Action, can, type GovernanceRole, ROLES, type Role } from './policy.ts';

const Y = true;
const N = false;
// prettier-ignore
const EXPECTED: Record<Action, Record<Role, boolean>> = {
  //                    administrator auditor user
  'org.read': { administrator: Y, auditor: Y, user: Y },
  'org.write': { administrator: Y, auditor: N, user: N },
  'person.read': { administrator: Y, auditor: Y, user: Y },
  'person.write': { administrator: Y, auditor: N, user: N },
  'person.leave': { administrator: Y, auditor: N, user: N },
  'person.export': { administrator: Y, auditor: Y, user: N },
  'person.import': { administrator: Y, auditor: N, user: N },
  // V3: without a role on the unit (unit roles are tested below)
  'identity-editor.appoint': { administrator: Y, auditor: N, user: N },
  'audit.read': { administrator: Y, auditor: Y, user: N },
  'audit.verify': { administrator: Y, auditor: Y, user: N },
  'account.read': { administrator: Y, auditor: Y, user: N },
  'account.manage': { administrator: Y, auditor: N, user: N },
  'token.manage-own': { administrator: Y, auditor: Y, user: Y },
  'outbox.read': { administrator: Y, auditor: N, user: N },
  // systems (issue 3); without a role on the object (object roles are tested below)
  'system.read': { administrator: Y, auditor: Y, user: Y },
  'system.create': { administrator: Y, auditor: N, user: N },
  'system.write': { administrator: Y, auditor: N, user: N },
  'governance-object.create': { administrator: Y, auditor: N, user: N },
  'governance-object.write': { administrator: Y, auditor: N, user: N },
  'role.assign': { administrator: Y, auditor: N, user: N },
  'dependency.write': { administrator: Y, auditor: N, user: N },
  'integration.write': { administrator: Y, auditor: N, user: N },
  'contract.consent': { administrator: N, auditor: N, user: N },
  'document.write': { administrator: Y, auditor: N, user: N },
  'security.read': { administrator: Y, auditor: Y, user: N },
  'security.write': { administrator: Y, auditor: N, user: N },
  'systems-report.read': { administrator: Y, auditor: Y, user: Y },
  'backstage.import': { administrator: Y, auditor: N, user: N },
  // access rights (issue 4); without facts about the resource (tested below)
  'permission.read': { administrator: Y, auditor: Y, user: Y },
  'permission.write': { administrator: Y, auditor: N, user: N },
  'orderer.grant': { administrator: Y, auditor: N, user: N },
  'expert-user.write': { administrator: Y, auditor: N, user: N },
  'fulfiller.write': { administrator: Y, auditor: N, user: N },
  'order.create': { administrator: Y, auditor: N, user: N },
  'order.change': { administrator: Y, auditor: N, user: N },
  'order.read': { administrator: Y, auditor: Y, user: N },
  'order.approve': { administrator: N, auditor: N, user: N },
  'order.fulfil': { administrator: Y, auditor: N, user: N },
  'grant.read': { administrator: Y, auditor: Y, user: N },
  'access-report.read': { administrator: Y, auditor: Y, user: N },
  // software distribution (issue 5); without a role on the unit (unit roles are tested below)
  'software.read': { administrator: Y, auditor: Y, user: Y },
  'software.write': { administrator: Y, auditor: N, user: N },
  'coordinator.appoint': { administrator: Y, auditor: N, user: N },
  'licence.read-unit': { administrator: Y, auditor: Y, user: N },
  'licence.assign': { administrator: Y, auditor: N, user: N },
  'licence.report': { administrator: Y, auditor: N, user: N },
  'licence-key.write': { administrator: Y, auditor: N, user: N },
  // S2: keys are shown only to the unit's coordinator and the assignee, never by role alone.
  'licence-key.reveal': { administrator: N, auditor: N, user: N },
  'procurement.request': { administrator: Y, auditor: Y, user: Y },
  'procurement.decide': { administrator: Y, auditor: N, user: N },
  'announcement.send': { administrator: Y, auditor: N, user: N },
  'software-report.read': { administrator: Y, auditor: Y, user: N },
  // module licence pools; without being the system's contract owner (tested below)
  'pool.read': { administrator: Y, auditor: Y, user: Y },
  'pool.write': { administrator: Y, auditor: N, user: N },
  'pool.change': { administrator: Y, auditor: N, user: N },
  // management plans (issue 6); without a role on the object
  'plan.read': { administrator: Y, auditor: Y, user: N },
  'plan.create': { administrator: Y, auditor: N, user: N },
  'plan.write': { administrator: N, auditor: N, user: N },
  'plan.approve': { administrator: N, auditor: N, user: N },
  'plan.sign': { administrator: N, auditor: N, user: N },
  'plan.dashboard': { administrator: Y, auditor: Y, user: Y },
  'plan.cycle': { administrator: Y, auditor: N, user: N },
  'checklist.read': { administrator: Y, auditor: Y, user: N },
  'checklist.answer': { administrator: N, auditor: N, user: N },
  'checklist.attest': { administrator: N, auditor: N, user: N },
  'checklist-template.write': { administrator: Y, auditor: N, user: N },
  'work.read-own': { administrator: Y, auditor: Y, user: Y },
  // absences and cover (V1, V2); without being the person or their unit's head (tested below)
  'absence.read': { administrator: Y, auditor: Y, user: Y },
  'absence.write': { administrator: Y, auditor: N, user: N },
  'coverage.read': { administrator: Y, auditor: Y, user: Y },
  // G13; without a role on the system (object roles are tested below)
  'maintenance.read': { administrator: Y, auditor: Y, user: Y },
  'maintenance.write': { administrator: Y, auditor: N, user: N },
  'maintenance.cab': { administrator: Y, auditor: N, user: N },
  // G11; without a role on the system
  'changelog.read': { administrator: Y, auditor: Y, user: Y },
  'changelog.write': { administrator: Y, auditor: N, user: N },
  'system-message.write': { administrator: Y, auditor: N, user: N },
};
/**
 * Actions whose refusal may be a 404 rather than a 403, so a caller who may not even read the records
 * does not learn they exist (G12).
 */
const HIDDEN_WHEN_REFUSED: Action[] = ['security.read', 'security.write'];
/** Actions a plain user may do on their own data. */
const SELF_SERVICE: Action[] = [
  'person.export',
  'account.read',
  'grant.read',
  'licence-key.reveal',
  'absence.write',
];

describe('policy matrix', () => {
  it('the expected table names every action and role', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...ACTIONS].sort());
    for (const a of ACTIONS) expect(Object.keys(EXPECTED[a]).sort()).toEqual([...ROLES].sort());
  });

  for (const role of ROLES) {
    for (const action of ACTIONS) {
      it(`${role} × ${action} → ${EXPECTED[action][role] ? 'allowed' : 'refused'}`, () => {
        expect(can({ roles: [role], personId: 'p-1' }, action, { personId: 'p-2' })).toBe(
          EXPECTED[action][role],
        );
      });
    }
  }

  for (const action of ACTIONS) {
    it(`user × ${action} on their own data → ${SELF_SERVICE.includes(action) || EXPECTED[action].user ? 'allowed' : 'refused'}`, () => {
      expect(can({ roles: ['user'], personId: 'p-1' }, action, { personId: 'p-1' })).toBe(
        SELF_SERVICE.includes(action) || EXPECTED[action].user,
      );
    });
  }
});

describe('policy: roles on a governance object (the resource)', () => {
  const user = { roles: ['user'] as Role[], personId: 'p-1' };
  const on = (action: Action, objectRoles: GovernanceRole[], role?: GovernanceRole) =>
    can(user, action, { objectRoles, role });

  it('the main roles edit systems and the object; specialists and reference group do not', () => {
    for (const r of ['system_owner', 'it_system_owner', 'system_manager', 'it_system_manager'] as const) {
      expect(on('system.write', [r])).toBe(true);
      expect(on('governance-object.write', [r])).toBe(true);
    }
    for (const r of ['business_specialist', 'it_specialist', 'reference_group'] as const) {
      expect(on('system.write', [r])).toBe(false);
      expect(on('governance-object.write', [r])).toBe(false);
    }
    expect(on('governance-object.create', ['system_owner'])).toBe(false);
  });

  it('G4: only administrators appoint system owners; the IT system owner appoints the IT system manager', () => {
    expect(on('role.assign', ['system_owner', 'it_system_owner'], 'system_owner')).toBe(false);
    expect(can({ roles: ['administrator'], personId: 'p-1' }, 'role.assign', { role: 'system_owner' })).toBe(
      true,
    );
    expect(on('role.assign', ['it_system_owner'], 'it_system_manager')).toBe(true);
    expect(on('role.assign', ['system_owner', 'system_manager'], 'it_system_manager')).toBe(false);
    expect(on('role.assign', ['system_owner'], 'system_manager')).toBe(true);
  });

  it('G9: only the source system owner consents, not even an administrator', () => {
    expect(on('contract.consent', ['system_owner'])).toBe(true);
    expect(on('contract.consent', ['it_system_owner', 'system_manager', 'it_system_manager'])).toBe(false);
    expect(can({ roles: ['administrator'], personId: 'p-1' }, 'contract.consent', {})).toBe(false);
  });

  it('G12: any role on the object reads security records; the main roles and IT specialists edit them', () => {
    expect(on('security.read', ['reference_group'])).toBe(true);
    expect(on('security.read', [])).toBe(false);
    expect(on('security.write', ['it_specialist'])).toBe(true);
    expect(on('security.write', ['business_specialist'])).toBe(false);
    expect(can({ roles: ['auditor'], personId: 'p-1' }, 'security.write', {})).toBe(false);
  });
});

describe('policy: facts about an access-rights resource (A1, A2, A5)', () => {
  const user = { roles: ['user'] as Role[], personId: 'p-1' };
  const adminSubject = { roles: ['administrator'] as Role[], personId: 'p-1' };
  it('A1: the unit head grants ordering rights; an orderer orders; IT staff fulfil; the approver approves', () => {
    expect(can(user, 'orderer.grant', { accessFacts: ['unitHead'], personId: 'p-2' })).toBe(true);
    expect(can(user, 'orderer.grant', { accessFacts: ['orderer'], personId: 'p-2' })).toBe(false);
    expect(can(user, 'order.create', { accessFacts: ['orderer'], personId: 'p-2' })).toBe(true);
    expect(can(user, 'order.create', { accessFacts: ['itStaff'], personId: 'p-2' })).toBe(false);
    expect(can(user, 'order.fulfil', { accessFacts: ['itStaff'] })).toBe(true);
    expect(can(user, 'order.fulfil', { accessFacts: ['orderer', 'approver'] })).toBe(false);
    expect(can(user, 'order.approve', { accessFacts: ['approver'], personId: 'p-2' })).toBe(true);
    expect(can(user, 'grant.read', { accessFacts: ['accessRole'] })).toBe(true);
    // A saved order is changed or sent by the one who saved it: being an orderer, or reading all
    // orders (an auditor), is not enough.
    expect(can(user, 'order.change', { accessFacts: ['draftOwner'] })).toBe(true);
    expect(can(user, 'order.change', { accessFacts: ['orderer', 'orderParty'] })).toBe(false);
    expect(can({ roles: ['auditor'], personId: 'p-1' }, 'order.change', { accessFacts: ['orderer'] })).toBe(
      false,
    );
  });
  it('A2: nobody orders for themselves or grants themselves ordering rights, whatever their roles and facts', () => {
    expect(can(user, 'order.create', { accessFacts: ['orderer'], personId: 'p-1' })).toBe(false);
    expect(can(adminSubject, 'order.create', { personId: 'p-1' })).toBe(false);
    expect(can(user, 'orderer.grant', { accessFacts: ['unitHead'], personId: 'p-1' })).toBe(false);
    expect(can(adminSubject, 'orderer.grant', { personId: 'p-1' })).toBe(false);
    expect(can(user, 'order.approve', { accessFacts: ['approver'], personId: 'p-1' })).toBe(false);
  });
});

describe('policy: the contract owner of a system (L5)', () => {
  it("L5: the system's contract owner changes its pool sizes; others do not", () => {
    const user = { roles: ['user'] as Role[], personId: 'p-1' };
    expect(can(user, 'pool.change', { contractOwner: true })).toBe(true);
    expect(can(user, 'pool.change', { contractOwner: false })).toBe(false);
    expect(can(user, 'pool.write', { contractOwner: true })).toBe(false);
  });
});

describe('policy: roles on an org unit (the resource)', () => {
  const user = { roles: ['user'] as Role[], personId: 'p-1' };
  it('S1: the head of the unit appoints its licence coordinator; the coordinator does not', () => {
    expect(can(user, 'coordinator.appoint', { unitRoles: ['head'] })).toBe(true);
    expect(can(user, 'coordinator.appoint', { unitRoles: ['coordinator'] })).toBe(false);
    expect(can(user, 'coordinator.appoint', { unitRoles: [] })).toBe(false);
  });
  it('V3: identity editors of the unit write its persons; its head appoints them, never oneself', () => {
    expect(can(user, 'person.write', { unitRoles: ['identity_editor'] })).toBe(true);
    expect(can(user, 'person.write', { unitRoles: ['head', 'coordinator'] })).toBe(false);
    expect(can(user, 'person.leave', { unitRoles: ['identity_editor'] })).toBe(false);
    expect(can(user, 'person.import', { unitRoles: ['identity_editor'] })).toBe(false);
    expect(can(user, 'identity-editor.appoint', { unitRoles: ['head'] })).toBe(true);
    expect(can(user, 'identity-editor.appoint', { unitRoles: ['identity_editor'] })).toBe(false);
    expect(can(user, 'identity-editor.appoint', { unitRoles: ['head'], personId: 'p-1' })).toBe(false);
    expect(
      can({ roles: ['administrator'], personId: 'p-1' }, 'identity-editor.appoint', { personId: 'p-1' }),
    ).toBe(false);
  });
  it("V1: the head of one of the person's units registers their absence; a coordinator does not", () => {
    expect(can(user, 'absence.write', { unitRoles: ['head'], personId: 'p-2' })).toBe(true);
    expect(
      can(user, 'absence.write', { unitRoles: ['coordinator', 'identity_editor'], personId: 'p-2' }),
    ).toBe(false);
    expect(can({ roles: ['auditor'], personId: 'p-1' }, 'absence.write', { personId: 'p-2' })).toBe(false);
  });
  it('S2: the coordinator assigns, reports and sees keys; the head reads the register but sees no keys', () => {
    for (const a of ['licence.assign', 'licence.report', 'licence-key.reveal', 'licence.read-unit'] as const)
      expect(can(user, a, { unitRoles: ['coordinator'] })).toBe(true);
    expect(can(user, 'licence.read-unit', { unitRoles: ['head'] })).toBe(true);
    for (const a of ['licence.assign', 'licence.report', 'licence-key.reveal'] as const)
      expect(can(user, a, { unitRoles: ['head'] })).toBe(false);
    expect(can({ roles: ['administrator'], personId: 'p-1' }, 'licence-key.reveal', {})).toBe(false);
  });
});

type Fixtures = {
  personId: string;
  accountId: string;
  unitId: string;
  objectId: string;
  systemId: string;
  otherSystemId: string;
  integrationId: string;
  permissionId: string;
  readyOrderId: string;
  awaitingOrderId: string;
  titleId: string;
  keyId: string;
  procurementId: string;
  poolId: string;
  planId: string;
  versionId: string;
  maintenanceId: string;
};

describe('policy through HTTP', () => {
  let t: TestApp;
  let fx: Omit<Fixtures, 'personId' | 'accountId'>;
  beforeAll(async () => {
    t = await createTestApp();
    const unit = await makeUnit(t.ctx);
    const object = await createObject(t.ctx, {
      actor: admin,
      input: { name: 'Probe object', owningUnitId: unit.id },
    });
    const a = await createSystem(t.ctx, {
      actor: admin,
      input: systemInput({ name: 'Probe A', shortName: 'PRA', governanceObjectId: object.id }),
    });
    const b = await createSystem(t.ctx, {
      actor: admin,
      input: systemInput({ name: 'Probe B', shortName: 'PRB', governanceObjectId: object.id }),
    });
    const i = await createIntegration(t.ctx, {
      actor: admin,
      input: {
        name: 'Probe flow',
        description: '',
        sourceSystemId: a.id,
        targetSystemId: b.id,
        contract: {
          dataItems: ['x'],
          purpose: 'probe',
          includesPersonalData: false,
          personalDataCategories: [],
        },
      },
    });
    const permission = await createPermission(t.ctx, {
      actor: admin,
      systemId: a.id,
      input: {
        name: 'Probe permission',
        description: '',
        accountType: 'personal',
        modules: [],
        limitedToUnits: true,
        approvalSteps: [],
        active: true,
      },
    });
    const withApproval = await createPermission(t.ctx, {
      actor: admin,
      systemId: a.id,
      input: {
        name: 'Probe admin permission',
        description: '',
        accountType: 'administrator',
        modules: [],
        limitedToUnits: true,
        approvalSteps: ['system_owner'],
        active: true,
      },
    });
    const subject = await makeUser(t.ctx);
    const order = (permissionId: string) =>
      createOrder(t.ctx, {
        actor: admin,
        input: {
          kind: 'grant',
          personId: subject.person.id,
          permissionId,
          unitIds: [unit.id],
          fields: {},
          expertUser: false,
          message: '',
          submit: true,
        },
      });
    const title = await createTitle(t.ctx, {
      actor: admin,
      input: { name: 'Probe title', licenceModel: 'seat_keys' },
    });
    const keys = await addKeys(t.ctx, {
      actor: admin,
      titleId: title.id,
      unitId: unit.id,
      keys: ['PROBE-KEY'],
    });
    const procurement = await requestProcurement(t.ctx, {
      actor: admin,
      input: { softwareName: 'Probe software', unitId: unit.id, justification: 'probe' },
    });
    const plan = await createPlan(t.ctx, { actor: admin, objectId: object.id, year: 2026, language: 'en' });
    fx = {
      unitId: unit.id,
      objectId: object.id,
      systemId: a.id,
      otherSystemId: b.id,
      integrationId: i.id,
      permissionId: permission.id,
      readyOrderId: await order(permission.id),
      awaitingOrderId: await order(withApproval.id),
      titleId: title.id,
      keyId: keys.keyIds[0],
      procurementId: procurement.id,
      poolId: (
        await (async () => {
          await addModule(t.ctx, { actor: admin, systemId: a.id, name: 'Probe module' });
          return createPool(t.ctx, {
            actor: admin,
            input: { systemId: a.id, module: 'Probe module', size: 3 },
          });
        })()
      ).id,
      planId: plan.id,
      versionId: plan.currentVersionId,
      maintenanceId: (
        await planMaintenance(t.ctx, {
          actor: admin,
          systemId: a.id,
          input: {
            kind: 'upgrade',
            title: 'Probe upgrade',
            description: '',
            startsAt: '2099-01-03T08:00:00Z',
            endsAt: '2099-01-03T12:00:00Z',
            disturbsUsers: true,
          },
        })
      ).id,
    };
  });
  afterAll(() => t.close());

  // One request per action, so a route that forgot to ask the policy shows up here.
  const probes: Record<Action, (id: Fixtures) => [string, string, unknown?]> = {
    'org.read': () => ['GET', '/api/v1/org-units/tree'],
    'org.write': () => ['POST', '/api/v1/org-units', { code: `C${Math.random()}`, name: 'Probe unit' }],
    'person.read': () => ['GET', '/api/v1/persons?limit=1'],
    'person.write': () => [
      'POST',
      '/api/v1/persons',
      { employeeId: `P${Math.random()}`, givenName: 'P', familyName: 'Q' },
    ],
    'person.leave': ({ personId }) => ['POST', `/api/v1/persons/${personId}/leave`],
    'person.export': ({ personId }) => ['GET', `/api/v1/persons/${personId}/export`],
    'person.import': () => ['POST', '/api/v1/imports/org?dryRun=true', {}],
    'identity-editor.appoint': (f) => [
      'POST',
      `/api/v1/org-units/${f.unitId}/identity-editors`,
      { personId: f.personId },
    ],
    'audit.read': () => ['GET', '/api/v1/audit?limit=1'],
    'audit.verify': () => ['POST', '/api/v1/audit/verify'],
    'account.read': ({ accountId }) => ['GET', `/api/v1/accounts/${accountId}`],
    'account.manage': () => ['GET', '/api/v1/accounts?limit=1'],
    'token.manage-own': () => ['GET', '/api/v1/me/tokens'],
    'outbox.read': () => ['GET', '/api/v1/outbox'],
    'system.read': () => ['GET', '/api/v1/systems?limit=1'],
    'system.create': (f) => [
      'POST',
      '/api/v1/systems',
      {
        name: `Probe ${Math.random()}`,
        shortName: `P${Math.random()}`.slice(0, 12),
        orgModel: 1,
        hosting: 'vendor',
        governanceObjectId: f.objectId,
      },
    ],
    'system.write': (f) => ['PATCH', `/api/v1/systems/${f.systemId}`, { description: 'probe' }],
    'governance-object.create': (f) => [
      'POST',
      '/api/v1/governance-objects',
      { name: `Object ${Math.random()}`, owningUnitId: f.unitId },
    ],
    'governance-object.write': (f) => [
      'PATCH',
      `/api/v1/governance-objects/${f.objectId}`,
      { description: 'probe' },
    ],
    'role.assign': (f) => [
      'POST',
      `/api/v1/governance-objects/${f.objectId}/roles`,
      { personId: f.personId, role: 'business_specialist' },
    ],
    'dependency.write': (f) => [
      'POST',
      '/api/v1/dependencies',
      { fromSystemId: f.systemId, toSystemId: f.otherSystemId, kind: 'runtime' },
    ],
    'integration.write': (f) => [
      'POST',
      '/api/v1/integrations',
      { name: 'Probe', sourceSystemId: f.systemId, targetSystemId: f.otherSystemId },
    ],
    'contract.consent': (f) => ['POST', `/api/v1/integrations/${f.integrationId}/contracts/1/consent`],
    'document.write': (f) => [
      'PUT',
      `/api/v1/systems/${f.systemId}/documents/configuration`,
      { body: 'probe', ownerPersonId: f.personId },
    ],
    'security.read': (f) => ['GET', `/api/v1/systems/${f.systemId}/security`],
    'security.write': (f) => [
      'POST',
      `/api/v1/systems/${f.systemId}/firewall-rules`,
      { rule: 'allow 443', justification: 'web' },
    ],
    'systems-report.read': () => ['GET', '/api/v1/reports/overdue-documents'],
    'backstage.import': () => ['POST', '/api/v1/backstage/import', { yaml: '' }],
    'permission.read': () => ['GET', '/api/v1/permissions'],
    'permission.write': (f) => [
      'POST',
      `/api/v1/systems/${f.systemId}/permissions`,
      { name: `Probe ${Math.random()}` },
    ],
    'orderer.grant': (f) => ['POST', `/api/v1/org-units/${f.unitId}/orderers`, { personId: f.personId }],
    'expert-user.write': (f) => [
      'POST',
      `/api/v1/org-units/${f.unitId}/expert-users`,
      { personId: f.personId, systemId: f.systemId },
    ],
    'fulfiller.write': (f) => ['POST', `/api/v1/systems/${f.systemId}/fulfillers`, { personId: f.personId }],
    'order.create': (f) => [
      'POST',
      '/api/v1/orders',
      { personId: f.personId, permissionId: f.permissionId, unitIds: [f.unitId] },
    ],
    'order.change': (f) => [
      'PUT',
      `/api/v1/orders/${f.readyOrderId}`,
      { personId: f.personId, permissionId: f.permissionId, unitIds: [f.unitId] },
    ],
    'order.read': (f) => ['GET', `/api/v1/orders/${f.readyOrderId}`],
    'order.approve': (f) => ['POST', `/api/v1/orders/${f.awaitingOrderId}/approve`, {}],
    'order.fulfil': (f) => ['POST', `/api/v1/orders/${f.readyOrderId}/fulfil`, {}],
    'grant.read': () => ['GET', '/api/v1/grants'],
    'access-report.read': () => ['GET', '/api/v1/reports/access-compliance'],
    'software.read': () => ['GET', '/api/v1/software'],
    'software.write': () => [
      'POST',
      '/api/v1/software',
      { name: `Probe ${Math.random()}`, licenceModel: 'site' },
    ],
    'coordinator.appoint': (f) => [
      'POST',
      `/api/v1/org-units/${f.unitId}/licence-coordinators`,
      {
        personId: f.personId,
        commitmentSignedOn: '2026-11-01',
        commitmentSigner: 'Probe Head',
        commitmentDocument: 'Dnr probe',
      },
    ],
    'licence.read-unit': (f) => ['GET', `/api/v1/org-units/${f.unitId}/licences`],
    'licence.assign': (f) => [
      'POST',
      '/api/v1/licence-assignments',
      { titleId: f.titleId, unitId: f.unitId, personId: f.personId },
    ],
    'licence.report': (f) => [
      'POST',
      '/api/v1/licence-reports',
      { titleId: f.titleId, unitId: f.unitId, periodYear: 2026, users: 1 },
    ],
    'licence-key.write': (f) => [
      'POST',
      '/api/v1/licence-keys',
      { titleId: f.titleId, unitId: f.unitId, keys: ['PROBE-2'] },
    ],
    'licence-key.reveal': (f) => ['POST', `/api/v1/licence-keys/${f.keyId}/reveal`],
    'procurement.request': (f) => [
      'POST',
      '/api/v1/procurement-requests',
      { softwareName: `Probe ${Math.random()}`, unitId: f.unitId, justification: 'probe' },
    ],
    'procurement.decide': (f) => [
      'POST',
      `/api/v1/procurement-requests/${f.procurementId}/decision`,
      { decision: 'approved' },
    ],
    'announcement.send': () => [
      'POST',
      '/api/v1/licence-coordinators/announcements',
      { subject: 'p', body: 'p' },
    ],
    'software-report.read': () => ['GET', '/api/v1/reports/missing-licence-reports'],
    'pool.read': () => ['GET', '/api/v1/licence-pools'],
    'pool.write': (f) => ['POST', '/api/v1/licence-pools', { systemId: f.systemId, module: 'Nope', size: 1 }],
    'pool.change': (f) => [
      'POST',
      `/api/v1/licence-pools/${f.poolId}/changes`,
      { newSize: 4 + Math.floor(Math.random() * 90) },
    ],
    'plan.read': (id) => ['GET', `/api/v1/plans/${id.planId}`],
    'plan.create': (id) => [
      'POST',
      `/api/v1/governance-objects/${id.objectId}/plans`,
      { year: 2100 + Math.floor(Math.random() * 99) },
    ],
    'plan.write': (id) => ['PATCH', `/api/v1/plan-versions/${id.versionId}`, { goals: 'x' }],
    'plan.approve': (id) => ['POST', `/api/v1/plan-versions/${id.versionId}/approve`, {}],
    'plan.sign': (id) => ['POST', `/api/v1/plan-versions/${id.versionId}/sign`, { role: 'system_owner' }],
    'plan.dashboard': () => ['GET', '/api/v1/plans/dashboard?year=2026'],
    'work.read-own': () => ['GET', '/api/v1/me/work'],
    'plan.cycle': () => ['PUT', '/api/v1/plans/settings', { cycleMonthDay: '11-01' }],
    'checklist.read': (id) => ['GET', `/api/v1/systems/${id.systemId}/checklist`],
    'checklist.answer': (id) => ['PUT', `/api/v1/systems/${id.systemId}/checklist`, { answers: [] }],
    'checklist.attest': (id) => ['POST', `/api/v1/systems/${id.systemId}/checklist/attest`, {}],
    'checklist-template.write': () => [
      'PUT',
      '/api/v1/checklist-template',
      { questions: [{ key: 'probe', en: 'Probe?', sv: 'Prov?' }] },
    ],
    'absence.read': () => ['GET', '/api/v1/absences'],
    'absence.write': (f) => [
      'POST',
      '/api/v1/absences',
      { personId: f.personId, startsOn: '2099-07-01', endsOn: '2099-07-14' },
    ],
    'coverage.read': () => ['GET', '/api/v1/reports/coverage'],
    'maintenance.read': (f) => ['GET', `/api/v1/systems/${f.systemId}/maintenance`],
    'maintenance.write': (f) => [
      'POST',
      `/api/v1/systems/${f.systemId}/maintenance`,
      {
        kind: 'maintenance',
        title: 'Probe',
        startsAt: '2099-01-01T10:00:00Z',
        endsAt: '2099-01-01T11:00:00Z',
        disturbsUsers: false,
      },
    ],
    'maintenance.cab': (f) => [
      'POST',
      `/api/v1/maintenance/${f.maintenanceId}/cab-approval`,
      { reference: 'CAB probe' },
    ],
    'changelog.read': (f) => ['GET', `/api/v1/systems/${f.systemId}/change-log`],
    'changelog.write': (f) => [
      'POST',
      `/api/v1/systems/${f.systemId}/change-log`,
      { changedOn: '2026-11-20', kind: 'configuration', summary: 'Probe' },
    ],
    'system-message.write': (f) => [
      'POST',
      `/api/v1/systems/${f.systemId}/system-messages`,
      { severity: 'info', textEn: 'Probe', shownUntil: '2099-01-01T00:00:00Z' },
    ],
  };

  for (const role of ROLES) {
    it(`${role}: every action's endpoint answers 403 exactly where the table refuses`, async () => {
      const { client } = await signedIn(t, role === 'user' ? [] : [role]);
      const mismatches: string[] = [];
      for (const action of ACTIONS) {
        const target = await makeUser(t.ctx);
        const [method, url, body] = probes[action]({
          ...fx,
          personId: target.person.id,
          accountId: target.account.id,
        });
        const res = await client.request(method, url, body);
        const refused =
          res.statusCode === 403 || (HIDDEN_WHEN_REFUSED.includes(action) && res.statusCode === 404);
        if (refused === EXPECTED[action][role])
          mismatches.push(`${action}: ${res.statusCode} ${res.body.slice(0, 120)}`);
      }
      expect(mismatches).toEqual([]);
    });
  }
});
