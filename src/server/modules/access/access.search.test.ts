// G10: the grants register's search and order at scale (migration 0011). The service searches a
// search text and a sort key kept on each grant by triggers, driven by the first word through persons
// and through permissions/systems; these tests check that it returns exactly what the plain
// definition (every word in the holder's, the permission's or the system's text) returns, in the
// same order, across pages, and that renames re-key the grants in the same transaction.
import { type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgArray } from '../../db/arrays.ts';
import { rows } from '../../db/client.ts';
import { admin, createTestApp, makePerson, makeUnit, systemInput, type TestApp } from '../../testing/http.ts';
import { updatePerson } from '../org/org.service.ts';
import { normaliseQuery } from '../org/person-keys.ts';
import { createObject } from '../systems/governance.service.ts';
import { createSystem } from '../systems/systems.service.ts';
import { createPermission, listGrants, updatePermission } from './access.service.ts';

let t: TestApp;
const personIds: string[] = [];

/** The definition the register's search keeps: every word in one of the three texts. */
async function reference(q: string, status: 'active' | 'all') {
  const words = normaliseQuery(q).split(' ').filter(Boolean);
  const conds: SQL[] = words.map((w) => {
    const like = `%${w.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    return sql`(p.search_text like ${like} or lower(pe.name) like ${like} or s.search_text like ${like})`;
  });
  if (status === 'active') conds.push(sql`g.ended_at is null`);
  const found = await rows<{ id: string }>(
    t.ctx.db,
    sql`select g.id from access_grants g join persons p on p.id = g.person_id
      join access_permissions pe on pe.id = g.permission_id join systems s on s.id = g.system_id
      where ${sql.join(conds, sql` and `)} order by p.sort_sv collate "C", g.id`,
  );
  return found.map((r) => r.id);
}

/** A new permission of the system, with no modules and no approval steps; its id. */
async function permissionOn(
  systemId: string,
  name: string,
  accountType: 'personal' | 'administrator' = 'personal',
) {
  const perm = await createPermission(t.ctx, {
    actor: admin,
    systemId,
    input: {
      name,
      description: '',
      accountType,
      modules: [],
      limitedToUnits: true,
      approvalSteps: [],
      active: true,
    },
  });
  return perm.id;
}

/** Every page of the service's answer, two at a time. */
async function searched(q: string, status: 'active' | 'all') {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 200; i++) {
    const page = await listGrants(t.ctx, { q, status, limit: 2, cursor });
    ids.push(...page.items.map((g) => g.id));
    if (!page.nextCursor) return ids;
    cursor = page.nextCursor;
  }
  throw new Error('too many pages');
}

beforeAll(async () => {
  t = await createTestApp();
  const unit = await makeUnit(t.ctx, { name: 'Search unit' });
  const object = await createObject(t.ctx, {
    actor: admin,
    input: { name: 'Search object', owningUnitId: unit.id },
  });
  const names = [
    ['Anna', 'Lind'],
    ['Karl', 'Berg'],
    ['Lina', 'Andersson'],
    ['Bo', 'Lindqvist'],
    ['Åsa', 'Öberg'],
    ['Per', 'Hansson'],
    ['Eva', 'Ek'],
  ];
  for (const [givenName, familyName] of names)
    personIds.push((await makePerson(t.ctx, { givenName, familyName, unitIds: [unit.id] })).id);
  const permissionIds: string[] = [];
  for (const [name, shortName, perms] of [
    ['Lindy payroll', 'LPAY', ['Reader', 'Annual editor']],
    ['Case system 1', 'CASE1', ['Reader', 'Administrator']],
  ] as const) {
    const sys = await createSystem(t.ctx, {
      actor: admin,
      input: systemInput({ name, shortName, governanceObjectId: object.id }),
    });
    for (const p of perms)
      permissionIds.push(await permissionOn(sys.id, p, p === 'Administrator' ? 'administrator' : 'personal'));
  }
  // Every person holds most permissions; some grants have ended.
  await t.ctx.db.execute(sql`
    insert into access_grants (id, person_id, permission_id, system_id, unit_ids, account_type, valid_from,
      ended_at, ended_on, created_at)
    select gen_random_uuid(), p.id, pe.id, pe.system_id, array[${unit.id}::uuid], pe.account_type, current_date,
      case when (p.n + pe.n) % 4 = 0 then now() end, case when (p.n + pe.n) % 4 = 0 then current_date end, now()
    from (select id, row_number() over (order by id) as n from persons where id = any(${pgArray(personIds, 'uuid')})) p
      cross join (select id, system_id, account_type, row_number() over (order by id) as n from access_permissions) pe
    where (p.n * 3 + pe.n) % 5 <> 0`);
});

afterAll(async () => {
  await t?.close();
});

describe('G10: grants search', () => {
  const queries = [
    'lind', // family names and a system name
    'ann', // given names, family names, a permission name
    'reader', // a permission of two systems
    'berg', // clustered family names, and å/ö folded in search text
    'oberg',
    'karl berg',
    'case 1', // system words, one of them a single character
    'reader lind',
    'lpay anna',
    'a',
    'zzz',
    '50%',
    'annual_editor',
    'example annual', // every holder (their e-mail), few grants each: later holders are searched too
    'org administrator',
  ];
  for (const status of ['active', 'all'] as const)
    it(`G10: the search returns what the definition returns, in the register's order, over every page (${status})`, async () => {
      for (const q of queries) {
        const expected = await reference(q, status);
        expect(await searched(q, status), q).toEqual(expected);
      }
      // The test data is not trivial: several terms match many grants, one none.
      expect((await reference('reader', status)).length).toBeGreaterThan(6);
      expect(await reference('zzz', status)).toEqual([]);
    });

  it('G10: when the first holders a word matches hold less than a page of matching grants, the later holders are searched too', async () => {
    // The service takes the first page-size holders in name order, then their grants; a page of
    // listGrants with limit 2 asks for 3. Five holders match "fallback": the first three hold no
    // grant, the last two hold two each, so every grant comes from holders after the first three.
    const [unit] = await rows<{ id: string }>(t.ctx.db, sql`select id from org_units limit 1`);
    const ids: string[] = [];
    for (const familyName of ['Zfa', 'Zfb', 'Zfc', 'Zfd', 'Zfe'])
      ids.push((await makePerson(t.ctx, { givenName: 'Fallback', familyName, unitIds: [unit.id] })).id);
    await t.ctx.db.execute(sql`
      insert into access_grants (id, person_id, permission_id, system_id, unit_ids, account_type, valid_from, created_at)
      select gen_random_uuid(), p.id, pe.id, pe.system_id, array[${unit.id}::uuid], pe.account_type, current_date, now()
      from persons p cross join (select * from access_permissions order by name limit 2) pe
      where p.id = any(${pgArray(ids.slice(3), 'uuid')})`);
    for (const status of ['active', 'all'] as const) {
      const expected = await reference('fallback', status);
      expect(expected).toHaveLength(4);
      const [held] = await rows<{ n: number }>(
        t.ctx.db,
        sql`select count(*)::int as n from access_grants where person_id = any(${pgArray(ids.slice(0, 3), 'uuid')})`,
      );
      expect(held.n).toBe(0);
      expect(await searched('fallback', status)).toEqual(expected);
      const one = await listGrants(t.ctx, { q: 'fallback', status, limit: 3 });
      expect(one.items.map((g) => g.id)).toEqual(expected.slice(0, 3));
      expect(one.nextCursor).not.toBeNull();
    }
  });

  it('G10: renaming a person, a permission or a system re-keys their grants in the same transaction', async () => {
    const [eva] = await rows<{ version: number }>(
      t.ctx.db,
      sql`select version from persons where id = ${personIds[6]}`,
    );
    await updatePerson(t.ctx, {
      actor: admin,
      id: personIds[6],
      ifVersion: eva.version,
      patch: { familyName: 'Aalto' },
    });
    expect(await searched('aalto', 'all')).toEqual(await reference('aalto', 'all'));
    expect((await searched('aalto', 'all')).length).toBeGreaterThan(0);
    expect(await searched('ek', 'all')).toEqual(await reference('ek', 'all'));
    // The renamed person now sorts first.
    const first = await listGrants(t.ctx, { status: 'all', limit: 1 });
    expect(first.items[0].person.id).toBe(personIds[6]);
    const [perm] = await rows<{ id: string; version: number }>(
      t.ctx.db,
      sql`select id, version from access_permissions where name = 'Administrator'`,
    );
    await updatePermission(t.ctx, {
      actor: admin,
      id: perm.id,
      ifVersion: perm.version,
      patch: { name: 'Superuser' },
    });
    expect(await searched('superuser', 'all')).toEqual(await reference('superuser', 'all'));
    expect((await searched('superuser', 'all')).length).toBeGreaterThan(0);
    expect(await searched('administrator', 'all')).toEqual([]);
    await t.ctx.db.execute(
      sql`update systems set search_text = 'renamed system rsys' where short_name = 'LPAY'`,
    );
    expect(await searched('rsys', 'all')).toEqual(await reference('rsys', 'all'));
    expect((await searched('rsys', 'all')).length).toBeGreaterThan(0);
    expect(await searched('lpay', 'all')).toEqual([]);
    const stale = await rows(
      t.ctx.db,
      sql`select g.id from access_grants g join persons p on p.id = g.person_id
        join access_permissions pe on pe.id = g.permission_id join systems s on s.id = g.system_id
        where g.person_sort <> p.sort_sv or g.search_text <> p.search_text || ' ' || lower(pe.name) || ' ' || s.search_text`,
    );
    expect(stale).toEqual([]);
  });
  it('G10: a permission word whose grants come after thousands of others in the register is still found, on every page', async () => {
    // The first statement walks the first 2,000 active grants in the register's order for the
    // grants of matching permissions and systems; past them, another statement finds the rest.
    const unit = await makeUnit(t.ctx, { name: 'Filler unit' });
    const object = await createObject(t.ctx, {
      actor: admin,
      input: { name: 'Filler object', owningUnitId: unit.id },
    });
    const sys = await createSystem(t.ctx, {
      actor: admin,
      input: systemInput({ name: 'Filler system', shortName: 'FILL', governanceObjectId: object.id }),
    });
    const bulk = await permissionOn(sys.id, 'Bulk');
    const zenith = await permissionOn(sys.id, 'Zenith');
    const [firstHolder] = await rows<{ id: string }>(
      t.ctx.db,
      sql`select id from persons order by sort_sv collate "C", id limit 1`,
    );
    const grant = (personId: string, permissionId: string, n: number) => sql`
      insert into access_grants (id, person_id, permission_id, system_id, unit_ids, account_type, valid_from, created_at)
      select gen_random_uuid(), ${personId}, ${permissionId}, ${sys.id}, array[${unit.id}::uuid], 'personal', current_date, now()
      from generate_series(1, ${n})`;
    await t.ctx.db.execute(grant(firstHolder.id, bulk, 2100));
    const later = personIds.filter((id) => id !== firstHolder.id);
    for (const id of later.slice(-2)) await t.ctx.db.execute(grant(id, zenith, 2));
    for (const status of ['active', 'all'] as const) {
      const expected = await reference('zenith', status);
      expect(expected).toHaveLength(4);
      expect(await searched('zenith', status), status).toEqual(expected);
      expect(await searched('zenith filler', status), status).toEqual(expected);
    }
    // A word the walk answers: the first pages are the first grants of the definition, in order.
    const bulkGrants = await reference('bulk', 'active');
    const page = await listGrants(t.ctx, { q: 'bulk', status: 'active', limit: 50 });
    expect(page.items.map((g) => g.id)).toEqual(bulkGrants.slice(0, 50));
    const next = await listGrants(t.ctx, {
      q: 'bulk',
      status: 'active',
      limit: 50,
      cursor: page.nextCursor!,
    });
    expect(next.items.map((g) => g.id)).toEqual(bulkGrants.slice(50, 100));
  });
  it('G10: a grant shows its units by name, one or several', async () => {
    const zeta = await makeUnit(t.ctx, { name: 'Zeta ward' });
    const alpha = await makeUnit(t.ctx, { name: 'Alpha ward' });
    const [perm] = await rows<{ id: string; system_id: string }>(
      t.ctx.db,
      sql`select id, system_id from access_permissions order by name limit 1`,
    );
    const [one, two] = await rows<{ id: string }>(
      t.ctx.db,
      sql`insert into access_grants (id, person_id, permission_id, system_id, unit_ids, account_type, valid_from, created_at)
        values (gen_random_uuid(), ${personIds[0]}, ${perm.id}, ${perm.system_id}, array[${zeta.id}::uuid], 'personal', current_date, now()),
          (gen_random_uuid(), ${personIds[0]}, ${perm.id}, ${perm.system_id}, array[${zeta.id}::uuid, ${alpha.id}::uuid], 'personal', current_date, now())
        returning id`,
    );
    const page = await listGrants(t.ctx, { personId: personIds[0], status: 'active', limit: 200 });
    const unitsOf = (id: string) => page.items.find((g) => g.id === id)?.units;
    expect(unitsOf(one.id)).toEqual([{ id: zeta.id, name: 'Zeta ward' }]);
    expect(unitsOf(two.id)).toEqual([
      { id: alpha.id, name: 'Alpha ward' },
      { id: zeta.id, name: 'Zeta ward' },
    ]);
  });
});
