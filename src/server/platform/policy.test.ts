// Walks the whole matrix of roles × actions. The expected table is written out here, by hand: any
// cell where the policy module decides differently fails the test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, makeUser, signedIn, type TestApp } from '../testing/http.ts';
import { ACTIONS, type Action, can, ROLES, type Role } from './policy.ts';

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
  'audit.read': { administrator: Y, auditor: Y, user: N },
  'audit.verify': { administrator: Y, auditor: Y, user: N },
  'account.read': { administrator: Y, auditor: Y, user: N },
  'account.manage': { administrator: Y, auditor: N, user: N },
  'token.manage-own': { administrator: Y, auditor: Y, user: Y },
  'outbox.read': { administrator: Y, auditor: N, user: N },
};
/** Actions a plain user may do on their own data. */
const SELF_SERVICE: Action[] = ['person.export', 'account.read'];

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

describe('policy through HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  // One request per action, so a route that forgot to ask the policy shows up here.
  const probes: Record<Action, (id: { personId: string; accountId: string }) => [string, string, unknown?]> =
    {
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
      'audit.read': () => ['GET', '/api/v1/audit?limit=1'],
      'audit.verify': () => ['POST', '/api/v1/audit/verify'],
      'account.read': ({ accountId }) => ['GET', `/api/v1/accounts/${accountId}`],
      'account.manage': () => ['GET', '/api/v1/accounts?limit=1'],
      'token.manage-own': () => ['GET', '/api/v1/me/tokens'],
      'outbox.read': () => ['GET', '/api/v1/outbox'],
    };

  for (const role of ROLES) {
    it(`${role}: every action's endpoint answers 403 exactly where the table refuses`, async () => {
      const { client } = await signedIn(t, role === 'user' ? [] : [role]);
      const mismatches: string[] = [];
      for (const action of ACTIONS) {
        const target = await makeUser(t.ctx);
        const [method, url, body] = probes[action]({
          personId: target.person.id,
          accountId: target.account.id,
        });
        const res = await client.request(method, url, body);
        const refused = res.statusCode === 403;
        if (refused === EXPECTED[action][role])
          mismatches.push(`${action}: ${res.statusCode} ${res.body.slice(0, 120)}`);
      }
      expect(mismatches).toEqual([]);
    });
  }
});
