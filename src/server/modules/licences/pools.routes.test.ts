// Rule tests of module licence pools (L1–L8), through HTTP on a real database; the races run on
// PostgreSQL, with 50 concurrent clients spread over two Steward processes sharing the database.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../db/client.ts';
import { onPostgres } from '../../testing/db.ts';
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
import { createPermission, updatePermission } from '../access/access.service.ts';
import { createAccount, createApiToken } from '../accounts/accounts.service.ts';
import { createObject } from '../systems/governance.service.ts';
import { addModule, createSystem } from '../systems/systems.service.ts';

let t: TestApp;
let adm: Awaited<ReturnType<typeof signedIn>>;
let owner: Awaited<ReturnType<typeof signedIn>>;
let unitId: string;
let systemId: string;
let n = 0;

async function permission(modules: string[], name = `Profile ${++n}`) {
  return createPermission(t.ctx, {
    actor: admin,
    systemId,
    input: {
      name,
      description: '',
      accountType: 'personal',
      modules,
      limitedToUnits: true,
      approvalSteps: [],
      active: true,
    },
  });
}
/** A sent order for a new person (or the one given), ready for IT. */
async function readyOrder(permissionId: string, personId?: string) {
  const pid = personId ?? (await makePerson(t.ctx, { unitIds: [unitId] })).id;
  return { orderId: await sentGrantOrder(t.ctx, pid, permissionId, [unitId]), personId: pid };
}
/** A sent revocation of the person's grant, ready for IT. */
const revocationOrder = (personId: string, grantId: string) => sentRevocation(t.ctx, personId, grantId);
const fulfil = (orderId: string) => adm.client.post(`/api/v1/orders/${orderId}/fulfil`, {});
async function pool(module: string, size: number, unitPrice = 1000) {
  const res = await adm.client.post('/api/v1/licence-pools', { systemId, module, size, unitPrice });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; size: number; used: number };
}
const poolNow = async (id: string) => (await adm.client.get(`/api/v1/licence-pools/${id}`)).json();
async function resize(poolId: string, newSize: number, by = adm) {
  const prepared = await by.client.post(`/api/v1/licence-pools/${poolId}/changes`, { newSize });
  if (prepared.statusCode !== 201) return prepared;
  return by.client.post(`/api/v1/licence-pools/${poolId}/changes/${prepared.json().id}/confirm`, {});
}

beforeAll(async () => {
  t = await createTestApp();
  adm = await signedIn(t, ['administrator'], { givenName: 'Ada', familyName: 'Admin' });
  owner = await signedIn(t, [], { givenName: 'Carl', familyName: 'Contractowner' });
  unitId = (await makeUnit(t.ctx, { name: 'Case handling' })).id;
  const object = await createObject(t.ctx, {
    actor: admin,
    input: { name: 'Case management', owningUnitId: unitId },
  });
  const system = await createSystem(t.ctx, {
    actor: admin,
    input: systemInput({
      name: 'Public 360',
      shortName: 'P360',
      hosting: 'vendor',
      criticality: 'high',
      governanceObjectId: object.id,
      contractOwnerPersonId: owner.person.id,
    }),
  });
  systemId = system.id;
  for (const m of [
    'Case',
    'Document',
    'Archive',
    'Race',
    'Leavers',
    'Billing',
    'Trend',
    'Extra',
    'Unpooled',
    'Seen',
    'SeenNoPool',
  ])
    await addModule(t.ctx, { actor: admin, systemId, name: m });
}, 60_000);
afterAll(() => t.close());

describe('module licence pools', () => {
  it('L1, L7: a person consumes one licence of a module however many grants include it; a profile without modules consumes none', async () => {
    const p = await pool('Archive', 10);
    const a = await permission(['Archive']);
    const b = await permission(['Archive', 'Document']);
    const none = await permission([]);
    const first = await readyOrder(a.id);
    expect((await fulfil(first.orderId)).statusCode).toBe(200);
    const second = await readyOrder(b.id, first.personId);
    expect((await fulfil(second.orderId)).statusCode).toBe(200);
    expect((await poolNow(p.id)).pool.used).toBe(1);
    const plain = await readyOrder(none.id);
    expect((await fulfil(plain.orderId)).statusCode).toBe(200);
    expect((await poolNow(p.id)).pool.used).toBe(1);
  });

  it("L1: a person's licence use lists each module they count in once, with its pool, and a module without a pool", async () => {
    const p = await pool('Seen', 5);
    const a = await permission(['Seen']);
    const b = await permission(['Seen', 'SeenNoPool']);
    const first = await readyOrder(a.id);
    expect((await fulfil(first.orderId)).statusCode).toBe(200);
    const second = await readyOrder(b.id, first.personId);
    expect((await fulfil(second.orderId)).statusCode).toBe(200);
    // Anyone who may read pools (their consumers are listed by name there) may read it: here a user.
    const res = await owner.client.get(`/api/v1/persons/${first.personId}/licence-use`);
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as {
      system: { id: string };
      module: string;
      pool: { id: string; used: number } | null;
    }[];
    expect(items.map((i) => [i.system.id, i.module, i.pool?.id ?? null, i.pool?.used ?? null])).toEqual([
      [systemId, 'Seen', p.id, 1],
      [systemId, 'SeenNoPool', null, null],
    ]);
    const nobody = await makePerson(t.ctx, { unitIds: [unitId] });
    expect((await owner.client.get(`/api/v1/persons/${nobody.id}/licence-use`)).json().items).toEqual([]);
  });

  it('L2: a fulfilment past the pool size is refused naming the full module, and the order stays open until the pool grows', async () => {
    const p = await pool('Case', 1);
    const perm = await permission(['Case']);
    const ok = await readyOrder(perm.id);
    expect((await fulfil(ok.orderId)).statusCode).toBe(200);
    const waiting = await readyOrder(perm.id);
    const refused = await fulfil(waiting.orderId);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().rule).toBe('L2');
    expect(refused.json().title).toMatch(/Case module of Public 360 is full \(1 of 1/);
    expect(refused.json().title).toMatch(/Add licences/);
    const order = (await adm.client.get(`/api/v1/orders/${waiting.orderId}`)).json();
    expect(order.state).toBe('ready');
    // Its history says why it waits (the refusal is recorded and audited, the order unchanged).
    expect(order.events.at(-1)).toMatchObject({ event: 'licences_short', reason: 'Case: 1/1' });
    const audited = await rows<{ action: string }>(
      t.ctx.db,
      sql`select action from audit_events where entity_id = ${waiting.orderId} order by id desc limit 1`,
    );
    expect(audited[0].action).toBe('order.licences-short');
    // The queue marks it as waiting for licences, until it is fulfilled.
    expect(order.waitingForLicences).toBe(true);
    const queued = async () =>
      ((await adm.client.get('/api/v1/orders?scope=all&limit=100')).json().items as any[]).find(
        (o) => o.id === waiting.orderId,
      );
    expect((await queued()).waitingForLicences).toBe(true);
    // A permission without the module still goes through (L7).
    const plain = await readyOrder((await permission([])).id);
    expect((await fulfil(plain.orderId)).statusCode).toBe(200);

    expect((await resize(p.id, 2)).statusCode).toBe(200);
    expect((await fulfil(waiting.orderId)).statusCode).toBe(200);
    expect((await queued()).waitingForLicences).toBe(false);
    expect((await poolNow(p.id)).pool).toMatchObject({ size: 2, used: 2, free: 0 });
  });

  it('L2: a permission that gains a module is refused when its holders would take that pool past its size', async () => {
    const p = await pool('Extra', 2);
    const perm = await permission([]);
    for (let i = 0; i < 3; i++)
      expect((await fulfil((await readyOrder(perm.id)).orderId)).statusCode).toBe(200);
    const edit = (modules: string[], version: number) =>
      adm.client.patch(`/api/v1/permissions/${perm.id}`, { modules }, { 'if-match': `W/"${version}"` });
    const refused = await edit(['Extra'], perm.version);
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().rule).toBe('L2');
    expect(refused.json().title).toMatch(
      /Adding the Extra module would give 3 people a licence of it.*has 2/,
    );
    expect(refused.json().errors).toEqual([expect.objectContaining({ field: 'modules' })]);
    // Nothing changed: the permission has no module and the pool no consumer.
    expect((await adm.client.get(`/api/v1/permissions/${perm.id}`)).json().modules).toEqual([]);
    expect((await poolNow(p.id)).pool.used).toBe(0);

    expect((await resize(p.id, 3)).statusCode).toBe(200);
    const ok = await edit(['Extra'], perm.version);
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await poolNow(p.id)).pool).toMatchObject({ size: 3, used: 3 });
  });

  it('L3: shrinking below consumption is refused, saying how many users to remove', async () => {
    const p = await pool('Document', 5);
    const perm = await permission(['Document']);
    for (let i = 0; i < 3; i++)
      expect((await fulfil((await readyOrder(perm.id)).orderId)).statusCode).toBe(200);
    const used = (await poolNow(p.id)).pool.used;
    const refused = await adm.client.post(`/api/v1/licence-pools/${p.id}/changes`, { newSize: used - 2 });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().rule).toBe('L3');
    expect(refused.json().title).toMatch(
      new RegExp(`${used} users hold the Document module: remove 2 of them`),
    );
    // Prepared while it fitted, confirmed after it no longer does: refused at confirmation too.
    const prepared = await adm.client.post(`/api/v1/licence-pools/${p.id}/changes`, { newSize: 9 });
    expect(prepared.statusCode).toBe(201);
    const down = await adm.client.post(`/api/v1/licence-pools/${p.id}/changes`, { newSize: used });
    expect(down.statusCode).toBe(201);
    await fulfil((await readyOrder(perm.id)).orderId);
    const late = await adm.client.post(`/api/v1/licence-pools/${p.id}/changes/${down.json().id}/confirm`, {});
    expect(late.statusCode).toBe(409);
    expect(late.json().rule).toBe('L3');
    expect((await poolNow(p.id)).pool.size).toBe(5);
  });

  it('L4: removing a user frees their licence without changing the pool size', async () => {
    const p = await pool('Race', 3);
    const perm = await permission(['Race']);
    const o = await readyOrder(perm.id);
    const res = await fulfil(o.orderId);
    expect(res.statusCode).toBe(200);
    expect((await poolNow(p.id)).pool.used).toBe(1);
    const revocation = await revocationOrder(o.personId, res.json().grantId);
    const rv = await fulfil(revocation);
    expect(rv.statusCode, rv.body).toBe(200);
    expect((await poolNow(p.id)).pool).toMatchObject({ size: 3, used: 0, free: 3 });
  });

  it("L5: sizes change by prepare and confirm, by an administrator or the system's contract owner, with a recorded history", async () => {
    const p = await pool('Case', 10, 1200).catch(async () => {
      const list = (await adm.client.get(`/api/v1/licence-pools?systemId=${systemId}`)).json().items;
      return list.find((x: { module: string }) => x.module === 'Case');
    });
    const before = (await poolNow(p.id)).pool.size;
    const someone = await signedIn(t, []);
    const refused = await someone.client.post(`/api/v1/licence-pools/${p.id}/changes`, {
      newSize: before + 5,
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().rule).toBe('L5');
    // The pool page offers the change to exactly those the policy lets change it.
    const canChange = async (who: typeof someone) =>
      (await who.client.get(`/api/v1/licence-pools/${p.id}`)).json().canChange;
    expect(await canChange(someone)).toBe(false);
    expect(await canChange(owner)).toBe(true);
    expect(await canChange(adm)).toBe(true);

    const prepared = await owner.client.post(`/api/v1/licence-pools/${p.id}/changes`, {
      newSize: before + 5,
      unitPrice: 1500,
      note: 'Five more for the new registry',
    });
    expect(prepared.statusCode, prepared.body).toBe(201);
    expect(prepared.json()).toMatchObject({
      kind: 'upgrade',
      oldSize: before,
      newSize: before + 5,
      total: 7500,
    });
    expect((await poolNow(p.id)).pool.size).toBe(before); // nothing changes until confirmed
    const confirmed = await owner.client.post(
      `/api/v1/licence-pools/${p.id}/changes/${prepared.json().id}/confirm`,
      {},
    );
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toMatchObject({ status: 'confirmed', confirmedBy: 'Carl Contractowner' });
    const detail = await poolNow(p.id);
    expect(detail.pool).toMatchObject({ size: before + 5, unitPrice: 1500 });
    expect(detail.changes.find((c: { id: string }) => c.id === prepared.json().id)).toMatchObject({
      oldSize: before,
      newSize: before + 5,
      preparedBy: 'Carl Contractowner',
      unitPrice: 1500,
      total: 7500,
    });
    const again = await owner.client.post(
      `/api/v1/licence-pools/${p.id}/changes/${prepared.json().id}/confirm`,
      {},
    );
    expect(again.statusCode).toBe(409);
  });

  it("L6: a person who left keeps their name on the pool's consumers until their grant is revoked", async () => {
    const p = await pool('Leavers', 50);
    const perm = await permission(['Leavers']);
    const leaver = await makePerson(t.ctx, { givenName: 'Lena', familyName: 'Leaver', unitIds: [unitId] });
    expect((await fulfil((await readyOrder(perm.id, leaver.id)).orderId)).statusCode).toBe(200);
    expect((await adm.client.post(`/api/v1/persons/${leaver.id}/leave`, {})).statusCode).toBe(200);
    const consumers = (await poolNow(p.id)).consumers;
    expect(consumers).toContainEqual(
      expect.objectContaining({ person: { id: leaver.id, displayName: 'Lena Leaver', status: 'left' } }),
    );
  });

  it('L8: modules are licensed separately: pools of one system differ in size and are enforced one by one', async () => {
    const pools = (await adm.client.get(`/api/v1/licence-pools?systemId=${systemId}`)).json().items;
    const sizes = Object.fromEntries(pools.map((x: { module: string; size: number }) => [x.module, x.size]));
    expect(new Set(Object.values(sizes)).size).toBeGreaterThan(1);
    // A permission with two modules needs a free licence in each: a full Case pool stops it even
    // though Document has room.
    const caseNow = (await poolNow(pools.find((x: { module: string }) => x.module === 'Case').id)).pool;
    const perm = await permission(['Case', 'Document']);
    const fill = await permission(['Case']);
    for (let i = caseNow.used; i < caseNow.size; i++) await fulfil((await readyOrder(fill.id)).orderId);
    const res = await fulfil((await readyOrder(perm.id)).orderId);
    expect(res.statusCode).toBe(409);
    expect(res.json().title).toMatch(/Case module/);
  });

  it('the chargeback per unit comes as CSV and as an Excel workbook with the same columns and rows', async () => {
    const p = await pool('Billing', 10, 1500);
    const perm = await permission(['Billing']);
    const other = (await makeUnit(t.ctx, { name: 'Archive office' })).id;
    for (const u of [unitId, unitId, unitId, other]) {
      const person = await makePerson(t.ctx, { unitIds: [u] });
      expect((await fulfil((await readyOrder(perm.id, person.id)).orderId)).statusCode).toBe(200);
    }
    const csv = await adm.client.get(`/api/v1/licence-pools/${p.id}/chargeback.csv`);
    expect(csv.statusCode).toBe(200);
    const csvRows = parse(csv.body.replace(/^\uFEFF/, '')) as string[][];
    const res = await adm.client.get(`/api/v1/licence-pools/${p.id}/chargeback.xlsx?year=2026`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/spreadsheetml/);
    expect(res.headers['content-disposition']).toContain('chargeback-2026.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('Chargeback 2026')!;
    const xlsxRows: unknown[][] = [];
    sheet.eachRow((row) => xlsxRows.push((row.values as unknown[]).slice(1)));
    // 10 licences at 1,500 a year = 15,000, shared 3:1 by consumption.
    expect(xlsxRows).toEqual([
      ['unit', 'users', 'share_percent', 'cost', 'currency'],
      ['Case handling', 3, 75, 11250, 'SEK'],
      ['Archive office', 1, 25, 3750, 'SEK'],
    ]);
    expect(csvRows).toEqual(
      xlsxRows.map((r) => r.map((v) => (v === 11250 || v === 3750 ? (v as number).toFixed(2) : String(v)))),
    );
  });

  it('the trend shows used and size at the end of each month from grant dates and confirmed size changes, with cost per used seat', async () => {
    const clock = t.ctx.clock;
    try {
      clock.set('2026-03-10T09:00:00.000Z');
      const p = await pool('Trend', 5, 1200);
      const perm = await permission(['Trend']);
      for (let i = 0; i < 2; i++)
        expect((await fulfil((await readyOrder(perm.id)).orderId)).statusCode).toBe(200);
      clock.set('2026-06-15T09:00:00.000Z');
      expect((await resize(p.id, 8)).statusCode).toBe(200);
      const later = [];
      for (let i = 0; i < 3; i++) {
        const o = await readyOrder(perm.id);
        const res = await fulfil(o.orderId);
        expect(res.statusCode).toBe(200);
        later.push({ ...o, grantId: res.json().grantId });
      }
      clock.set('2026-09-01T09:00:00.000Z');
      const revocation = await revocationOrder(later[0].personId, later[0].grantId);
      expect((await fulfil(revocation)).statusCode).toBe(200);
      clock.set('2026-11-22T09:00:00.000Z');
      const res = await adm.client.get(`/api/v1/licence-pools/${p.id}/trend`);
      expect(res.statusCode, res.body).toBe(200);
      const trend = res.json();
      const at = (d: string) => trend.points.find((x: { at: string }) => x.at === d);
      expect(trend.points).toHaveLength(12);
      expect(trend.points[0].at).toBe('2025-12-31');
      expect(at('2026-02-28')).toMatchObject({ used: 0, size: null });
      expect(at('2026-03-31')).toMatchObject({ used: 2, size: 5, costPerYear: 6000, costPerUsedSeat: 3000 });
      expect(at('2026-05-31')).toMatchObject({ used: 2, size: 5 });
      expect(at('2026-06-30')).toMatchObject({ used: 5, size: 8, costPerYear: 9600, costPerUsedSeat: 1920 });
      expect(at('2026-09-30')).toMatchObject({ used: 4, size: 8, costPerUsedSeat: 2400 });
      expect(at('2026-11-22')).toMatchObject({ used: 4, size: 8 });
      expect(trend).toMatchObject({ unitPrice: 1200, costPerUsedSeat: 2400, currency: 'SEK' });
    } finally {
      clock.set('2026-11-22T09:00:00.000Z');
    }
  });

  it('L1, L7: the consumption kept by the database equals a count over the active grants after grants, revocations and module edits', async () => {
    const direct = () =>
      rows<{ module: string; used: number }>(
        t.ctx.db,
        sql`select m.module, count(distinct g.person_id)::int as used from access_grants g
            join access_permissions p on p.id = g.permission_id cross join unnest(p.modules) as m(module)
            where g.system_id = ${systemId} and g.ended_at is null group by m.module order by m.module`,
      );
    const kept = () =>
      rows<{ module: string; used: number }>(
        t.ctx.db,
        sql`select module, used from access_module_use where system_id = ${systemId} and used > 0 order by module`,
      );
    const perm = await permission(['Archive']);
    const someone = await readyOrder(perm.id);
    expect((await fulfil(someone.orderId)).statusCode).toBe(200);
    const archiveBefore = (await kept()).find((r) => r.module === 'Archive')!.used;
    // The permission now includes a module without a pool too (no L2 limit): its holders move with it, once each.
    await updatePermission(t.ctx, {
      actor: admin,
      id: perm.id,
      ifVersion: 1,
      patch: { modules: ['Archive', 'Unpooled'] },
    });
    expect(await kept()).toEqual(await direct());
    await updatePermission(t.ctx, { actor: admin, id: perm.id, ifVersion: 2, patch: { modules: [] } });
    expect(await kept()).toEqual(await direct());
    expect((await kept()).find((r) => r.module === 'Archive')?.used ?? 0).toBe(archiveBefore - 1);
    // Leaving ends every grant through revocation orders; fulfilling them frees the licences.
    await t.ctx.db.execute(sql`update access_grants set ended_at = now(), ended_on = current_date
      where system_id = ${systemId} and ended_at is null and person_id in (
        select person_id from access_grants where system_id = ${systemId} order by created_at limit 2)`);
    expect(await kept()).toEqual(await direct());
  });
});

describe('module consumption under concurrent module edits (PostgreSQL)', () => {
  it.runIf(onPostgres)(
    'L1: a grant ended while its permission changes modules leaves the kept consumption equal to a direct count',
    async () => {
      for (const m of ['RaceA', 'RaceB']) await addModule(t.ctx, { actor: admin, systemId, name: m });
      const perm = await permission(['RaceA']);
      const o = await readyOrder(perm.id);
      expect((await fulfil(o.orderId)).statusCode).toBe(200);
      const count = (module: string) =>
        rows<{ kept: number; direct: number }>(
          t.ctx.db,
          sql`select coalesce((select used from access_module_use where system_id = ${systemId} and module = ${module}), 0)::int as kept,
            (select count(distinct g.person_id)::int from access_grants g join access_permissions p on p.id = g.permission_id
             where g.system_id = ${systemId} and g.ended_at is null and ${module} = any(p.modules)) as direct`,
        );
      const before = { a: (await count('RaceA'))[0], b: (await count('RaceB'))[0] };
      // Two separate connections: one changes the permission's modules and holds its transaction open
      // while the other ends the grant; then the first commits.
      const one = new pg.Client({ connectionString: t.ctx.databaseUrl });
      const two = new pg.Client({ connectionString: t.ctx.databaseUrl });
      await one.connect();
      await two.connect();
      try {
        await one.query('begin');
        await one.query(`update access_permissions set modules = '{RaceB}' where id = $1`, [perm.id]);
        const ending = two.query(
          `update access_grants set ended_at = now(), ended_on = current_date where permission_id = $1 and ended_at is null`,
          [perm.id],
        );
        await new Promise((r) => setTimeout(r, 300));
        await one.query('commit');
        await ending;
      } finally {
        await one.end();
        await two.end();
      }
      const after = { a: (await count('RaceA'))[0], b: (await count('RaceB'))[0] };
      expect(after.a).toEqual({ kept: before.a.kept - 1, direct: before.a.direct - 1 });
      expect(after.b).toEqual({ kept: before.b.kept, direct: before.b.direct });
      expect(after.a.kept).toBe(after.a.direct);
      expect(after.b.kept).toBe(after.b.direct);
    },
  );
});

describe('module licence pools under concurrency (PostgreSQL, two processes)', () => {
  const procs: ChildProcess[] = [];
  afterAll(() => {
    for (const p of procs) p.kill('SIGTERM');
  });

  async function startProcess(databaseUrl: string): Promise<string> {
    const port = 5200 + Math.floor(Math.random() * 700);
    const child = spawn(process.execPath, [path.resolve('bin/steward.mjs'), 'serve'], {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        STEWARD_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'steward-proc-')),
        STEWARD_SECRET: t.ctx.config.secret,
        STEWARD_LOG_LEVEL: 'silent',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    procs.push(child);
    // What the process said on stderr (the last few kilobytes), for the failure message.
    let stderr = '';
    child.stderr?.on('data', (d) => {
      stderr = (stderr + String(d)).slice(-4000);
    });
    const url = `http://127.0.0.1:${port}`;
    // Up to two minutes: a loaded CI machine compiles the server slowly.
    for (let i = 0; i < 480; i++) {
      if (child.exitCode !== null)
        throw new Error(`a Steward process exited with ${child.exitCode} before it served: ${stderr}`);
      if (
        await fetch(`${url}/api/health`).then(
          (r) => r.ok,
          () => false,
        )
      )
        return url;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`a Steward process did not start within two minutes: ${stderr}`);
  }

  /** 300 ready orders against a pool of 100, fulfilled by 50 clients spread over the processes. */
  async function race(module: string, urls: string[], token: string, shrinkTo?: number) {
    await addModule(t.ctx, { actor: admin, systemId, name: module });
    const p = await pool(module, 100);
    const perm = await permission([module]);
    const orders: string[] = [];
    for (let i = 0; i < 300; i++) orders.push((await readyOrder(perm.id)).orderId);
    const call = (url: string, method: string, p2: string, body?: unknown) =>
      fetch(`${url}/api/v1${p2}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const results: { status: number; rule?: string }[] = [];
    let next = 0;
    const clients = Array.from({ length: 50 }, async (_, c) => {
      const url = urls[c % urls.length];
      while (next < orders.length) {
        const id = orders[next++];
        const res = await call(url, 'POST', `/orders/${id}/fulfil`, {});
        const body = (await res.json()) as { rule?: string };
        results.push({ status: res.status, rule: body.rule });
      }
    });
    const shrinker = shrinkTo
      ? (async () => {
          const outcomes: number[] = [];
          for (let i = 0; i < 10; i++) {
            const prep = await call(urls[i % urls.length], 'POST', `/licence-pools/${p.id}/changes`, {
              newSize: shrinkTo,
            });
            if (prep.status !== 201) {
              outcomes.push(prep.status);
              continue;
            }
            const { id } = (await prep.json()) as { id: string };
            const conf = await call(
              urls[(i + 1) % urls.length],
              'POST',
              `/licence-pools/${p.id}/changes/${id}/confirm`,
              {},
            );
            outcomes.push(conf.status);
            if (conf.status === 200) break;
          }
          return outcomes;
        })()
      : Promise.resolve([]);
    await Promise.all([...clients, shrinker]);
    const after = (await poolNow(p.id)).pool;
    return { results, after };
  }

  it.runIf(onPostgres)(
    'L2: 300 orders, a pool of 100, 50 concurrent clients over two processes: exactly 100 fulfilled, 200 refused with L2',
    { timeout: 300_000 },
    async () => {
      const person = await makePerson(t.ctx, { givenName: 'Race', familyName: 'Admin' });
      const account = await createAccount(t.ctx, {
        actor: admin,
        personId: person.id,
        username: 'race-admin',
        roles: ['administrator'],
      });
      const { token } = await createApiToken(t.ctx, {
        actor: admin,
        accountId: account.id,
        name: 'race',
        expiresInDays: 60,
      });
      // The processes run on real time (the token is made on the test's clock, so it lasts long enough).
      const urls = await Promise.all([startProcess(t.ctx.databaseUrl!), startProcess(t.ctx.databaseUrl!)]);

      const plain = await race('Race100', urls, token);
      expect(plain.results.filter((r) => r.status === 200)).toHaveLength(100);
      expect(plain.results.filter((r) => r.status === 409 && r.rule === 'L2')).toHaveLength(200);
      expect(plain.after).toMatchObject({ size: 100, used: 100 });

      // L2 and L3 together: while the fulfilments race, another client tries to shrink the pool to 60.
      // Whichever wins, consumption never exceeds the size and ends equal to it.
      const shrinking = await race('Race60', urls, token, 60);
      const ok = shrinking.results.filter((r) => r.status === 200).length;
      expect(
        shrinking.results.filter((r) => r.status !== 200).every((r) => r.status === 409 && r.rule === 'L2'),
      ).toBe(true);
      expect([60, 100]).toContain(shrinking.after.size);
      expect(shrinking.after.used).toBe(ok);
      expect(ok).toBe(shrinking.after.size);
    },
  );
});
