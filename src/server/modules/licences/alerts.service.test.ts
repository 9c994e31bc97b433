// Licence alerts: pools above 90 % and software agreements due within 90 days are e-mailed once, through
// the outbox to a real SMTP server (smtp-server, started by the test: testing/smtp.ts), by the scheduled job; re-running sends
// nothing new; a pool that falls back (to 85 %) and crosses again alerts again; an alert nobody can
// receive waits until someone can. The dashboard shows both kinds.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.ts';
import { JOBS } from '../../platform/jobs.ts';
import {
  admin,
  createTestApp,
  makePerson,
  makeUnit,
  sentGrantOrder,
  sentRevocation,
  signedIn,
  systemInput,
  type TestApp,
} from '../../testing/http.ts';
import { startSmtp } from '../../testing/smtp.ts';
import { createPermission } from '../access/access.service.ts';
import { createTitle } from '../software/software.service.ts';
import { createObject } from '../systems/governance.service.ts';
import { addModule, createSystem } from '../systems/systems.service.ts';

let smtp: Awaited<ReturnType<typeof startSmtp>>;
let t: TestApp;
let adm: Awaited<ReturnType<typeof signedIn>>;
let unitId: string;
let adminEmail: string;
let objectId: string;
let n = 0;

const job = JOBS.find((j) => j.name === 'licence-alerts')!;
const runAndDeliver = () => smtp.runAndDeliver(t.ctx, job);

async function system(name: string, contractOwnerPersonId: string | null) {
  const s = await createSystem(t.ctx, {
    actor: admin,
    input: systemInput({
      name,
      shortName: name.slice(0, 6),
      hosting: 'vendor',
      criticality: 'high',
      governanceObjectId: objectId,
      contractOwnerPersonId,
    }),
  });
  await addModule(t.ctx, { actor: admin, systemId: s.id, name: 'Case' });
  const perm = await createPermission(t.ctx, {
    actor: admin,
    systemId: s.id,
    input: {
      name: `Case ${++n}`,
      description: '',
      accountType: 'personal',
      modules: ['Case'],
      limitedToUnits: true,
      approvalSteps: [],
      active: true,
    },
  });
  return { id: s.id, permissionId: perm.id };
}

/** Grants the permission to a new person through a fulfilled order; returns the grant id. */
async function grant(permissionId: string) {
  const person = await makePerson(t.ctx, { unitIds: [unitId] });
  const orderId = await sentGrantOrder(t.ctx, person.id, permissionId, [unitId]);
  const res = await adm.client.post(`/api/v1/orders/${orderId}/fulfil`, {});
  expect(res.statusCode, res.body).toBe(200);
  return { grantId: res.json().grantId as string, personId: person.id };
}

async function revoke(g: { grantId: string; personId: string }) {
  const id = await sentRevocation(t.ctx, g.personId, g.grantId);
  expect((await adm.client.post(`/api/v1/orders/${id}/fulfil`, {})).statusCode).toBe(200);
}

beforeAll(async () => {
  smtp = await startSmtp();
  t = await createTestApp();
  adm = await signedIn(t, ['administrator']);
  adminEmail = adm.person.email!;
  unitId = (await makeUnit(t.ctx, { name: 'Licensing' })).id;
  objectId = (await createObject(t.ctx, { actor: admin, input: { name: 'Licences', owningUnitId: unitId } }))
    .id;
}, 60_000);
afterAll(async () => {
  await t.close();
  await smtp.close();
});

describe('licence alerts', () => {
  it("e-mails the system's contract owner once when a pool passes 90 %, again only after it falls back and crosses again", async () => {
    const owner = await makePerson(t.ctx, {
      givenName: 'Olga',
      familyName: 'Owner',
      email: 'olga@example.org',
    });
    const sys = await system('Diarium', owner.id);
    const pool = await adm.client.post('/api/v1/licence-pools', {
      systemId: sys.id,
      module: 'Case',
      size: 10,
    });
    expect(pool.statusCode).toBe(201);
    const grants = [];
    for (let i = 0; i < 9; i++) grants.push(await grant(sys.permissionId));
    // 9 of 10 is 90 %: not above.
    let run = await runAndDeliver();
    expect(run.mails.filter((m) => m.to.includes('olga@example.org'))).toHaveLength(0);

    grants.push(await grant(sys.permissionId));
    run = await runAndDeliver();
    const toOwner = run.mails.filter((m) => m.to.includes('olga@example.org'));
    expect(toOwner).toHaveLength(1);
    expect(toOwner[0].data).toMatch(/Subject: /);
    expect(toOwner[0].data).toContain('10 of the 10 licences of the Case module of Diarium');
    expect(run.mails.some((m) => m.to.includes(adminEmail) && m.data.includes('Diarium'))).toBe(false);

    // Re-running sends nothing new.
    run = await runAndDeliver();
    expect(run.result).toMatchObject({ poolAlerts: 0 });
    expect(run.mails.filter((m) => m.data.includes('Diarium'))).toHaveLength(0);

    // Back to 80 %: the alert clears; the next crossing alerts again.
    await revoke(grants.pop()!);
    await revoke(grants.pop()!);
    run = await runAndDeliver();
    expect(run.result).toMatchObject({ cleared: 1 });
    expect(run.mails.filter((m) => m.data.includes('Diarium'))).toHaveLength(0);
    grants.push(await grant(sys.permissionId));
    grants.push(await grant(sys.permissionId));
    run = await runAndDeliver();
    expect(run.mails.filter((m) => m.to.includes('olga@example.org'))).toHaveLength(1);
  });

  it('e-mails the administrators about a pool of a system without a contract owner', async () => {
    const sys = await system('Ownerless', null);
    await adm.client.post('/api/v1/licence-pools', { systemId: sys.id, module: 'Case', size: 1 });
    await grant(sys.permissionId);
    const run = await runAndDeliver();
    const mails = run.mails.filter((m) => m.data.includes('Ownerless'));
    expect(mails.map((m) => m.to[0])).toEqual([adminEmail]);
    expect(mails[0].data).toContain('as an administrator');
  });

  it('e-mails the administrators once per agreement due within 90 days, and the dashboard lists both kinds', async () => {
    // The test clock says 2026-11-22.
    await createTitle(t.ctx, {
      actor: admin,
      input: { name: 'Matlab', vendor: 'MathWorks', licenceModel: 'reported', renewalOn: '2027-01-15' },
    });
    await createTitle(t.ctx, {
      actor: admin,
      input: { name: 'SPSS', licenceModel: 'seat_keys', agreementEnd: '2027-02-19' },
    });
    await createTitle(t.ctx, {
      actor: admin,
      input: { name: 'Later', licenceModel: 'site', renewalOn: '2027-03-01' },
    });
    let run = await runAndDeliver();
    const toAdmin = run.mails.filter((m) => m.to.includes(adminEmail));
    expect(toAdmin.filter((m) => m.data.includes('Matlab'))).toHaveLength(1);
    expect(toAdmin.find((m) => m.data.includes('Matlab'))!.data).toContain('in 54 days');
    expect(toAdmin.filter((m) => m.data.includes('SPSS'))).toHaveLength(1);
    expect(run.mails.some((m) => m.data.includes('Later'))).toBe(false);
    run = await runAndDeliver();
    expect(run.result).toMatchObject({ agreementAlerts: 0, poolAlerts: 0 });
    expect(run.mails).toHaveLength(0);

    const someone = await signedIn(t, []);
    const watch = (await someone.client.get('/api/v1/licence-pools/watch')).json();
    expect(watch.agreementsExpiring.map((a: { name: string }) => a.name)).toEqual(['Matlab', 'SPSS']);
    expect(watch.agreementsExpiring[0]).toMatchObject({ date: '2027-01-15', daysLeft: 54 });
    expect(watch.poolsAbove.map((p: { system: { name: string } }) => p.system.name).sort()).toEqual([
      'Diarium',
      'Ownerless',
    ]);
  });
  it('alerts a pool that hovers around 90 % once: its alert clears only at 85 % or below', async () => {
    const owner = await makePerson(t.ctx, {
      givenName: 'Hugo',
      familyName: 'Hover',
      email: 'hugo@example.org',
    });
    const sys = await system('Hovering', owner.id);
    await adm.client.post('/api/v1/licence-pools', { systemId: sys.id, module: 'Case', size: 20 });
    const grants = [];
    for (let i = 0; i < 19; i++) grants.push(await grant(sys.permissionId));
    const toHugo = async () => (await runAndDeliver()).mails.filter((m) => m.to.includes('hugo@example.org'));
    expect(await toHugo()).toHaveLength(1); // 19 of 20: 95 %
    // 18 of 20 (90 %), then 19 again: the alert stays open, nothing new is sent.
    await revoke(grants.pop()!);
    let run = await runAndDeliver();
    expect(run.result).toMatchObject({ cleared: 0, poolAlerts: 0 });
    grants.push(await grant(sys.permissionId));
    expect(await toHugo()).toHaveLength(0);
    // 17 of 20 (85 %): the alert is over; 19 of 20 alerts again.
    await revoke(grants.pop()!);
    await revoke(grants.pop()!);
    run = await runAndDeliver();
    expect(run.result).toMatchObject({ cleared: 1 });
    grants.push(await grant(sys.permissionId));
    grants.push(await grant(sys.permissionId));
    expect(await toHugo()).toHaveLength(1);
  });

  it('raises no alert while nobody can be told, and sends it once someone can', async () => {
    const sys = await system('Unheard', null);
    await adm.client.post('/api/v1/licence-pools', { systemId: sys.id, module: 'Case', size: 1 });
    await grant(sys.permissionId);
    // No contract owner, and the only administrator has no e-mail address.
    await rows(t.ctx.db, sql`update persons set email = null where id = ${adm.person.id}`);
    try {
      const run = await runAndDeliver();
      expect(run.result).toMatchObject({ poolAlerts: 0 });
      expect(run.mails.filter((m) => m.data.includes('Unheard'))).toHaveLength(0);
    } finally {
      await rows(t.ctx.db, sql`update persons set email = ${adminEmail} where id = ${adm.person.id}`);
    }
    const run = await runAndDeliver();
    expect(run.result).toMatchObject({ poolAlerts: 1 });
    expect(run.mails.filter((m) => m.data.includes('Unheard')).map((m) => m.to[0])).toEqual([adminEmail]);
  });
});
