// Backstage interchange: export the demo registry as catalog entities, import it into a fresh database
// (same organisation, no systems) and get the same systems and dependencies back.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { rows } from '../../db/client.ts';
import { systemActor } from '../../platform/context.ts';
import { demoOrgRows, seedDemo } from '../../seed/demo.ts';
import { toCsv } from '../../seed/generate.ts';
import { createTestApp, signedIn, type TestApp } from '../../testing/http.ts';
import { importOrg } from '../org/import/import.service.ts';

let a: TestApp;
let b: TestApp;
let aAdmin: Awaited<ReturnType<typeof signedIn>>;
let bAdmin: Awaited<ReturnType<typeof signedIn>>;
let exported = '';

beforeAll(async () => {
  a = await createTestApp();
  await seedDemo(a.ctx);
  aAdmin = await signedIn(a, ['administrator']);
  b = await createTestApp();
  const res = await importOrg(b.ctx, {
    actor: systemActor('test setup'),
    data: toCsv(demoOrgRows()),
    filename: 'demo-university.csv',
  });
  if (!res.ok) throw new Error('org import failed');
  bAdmin = await signedIn(b, ['administrator']);
}, 120_000);
afterAll(async () => {
  await a?.close();
  await b?.close();
});

function postYaml(t: TestApp, client: Awaited<ReturnType<typeof signedIn>>['client'], yaml: string) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/backstage/import',
    headers: { cookie: client.cookie, 'x-csrf-token': client.csrf, 'content-type': 'application/yaml' },
    payload: yaml,
  });
}

const systemsOf = (t: TestApp) =>
  rows<Record<string, unknown>>(
    t.ctx.db,
    sql`select s.name, s.short_name, s.description, s.lifecycle, s.org_model, s.vendor, s.hosting, s.criticality,
          s.confidentiality, s.integrity, s.availability, s.personal_data_categories, o.name as object, u.code as unit
        from systems s join governance_objects o on o.id = s.governance_object_id
        join org_units u on u.id = o.owning_unit_id order by s.short_name`,
  );
const dependenciesOf = (t: TestApp) =>
  rows<{ f: string; t: string; kind: string }>(
    t.ctx.db,
    sql`select f.short_name as f, t.short_name as t, d.kind from system_dependencies d
        join systems f on f.id = d.from_system_id join systems t on t.id = d.to_system_id order by 1, 2, 3`,
  );

describe('Backstage catalog export', () => {
  it('exports Group, User, System and Component entities with owner, system and dependsOn', async () => {
    const res = await aAdmin.client.get('/api/v1/backstage/catalog');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/yaml/);
    exported = res.body;
    const entities = parseAllDocuments(exported).map((d) => (d as any).toJS());
    const byKind = (k: string) => entities.filter((e) => e.kind === k);
    const [n] = await rows<{ s: number; o: number; u: number }>(
      a.ctx.db,
      sql`select (select count(*)::int from systems) as s, (select count(*)::int from governance_objects) as o,
            (select count(*)::int from org_units) as u`,
    );
    expect(byKind('Component')).toHaveLength(n.s);
    expect(byKind('System')).toHaveLength(n.o);
    expect(byKind('Group')).toHaveLength(n.u);
    const lms = byKind('Component').find((e) => e.metadata.name === 'lms');
    expect(lms.apiVersion).toBe('backstage.io/v1alpha1');
    expect(lms.spec).toMatchObject({
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/stu',
      system: 'digital-learning-environment',
    });
    expect(lms.spec.dependsOn).toContain('component:default/sso');
    const retired = byKind('Component').find((e) => e.metadata.name === 'oldsched');
    expect(retired.spec.lifecycle).toBe('deprecated');
    expect(retired.metadata.annotations['steward.app/lifecycle']).toBe('retired');
    expect(byKind('Group').find((g) => g.metadata.name === 'it').spec.parent).toBe('adm');
    const anna = byKind('User').find((u) => u.metadata.name === 'anna');
    expect(anna.spec.profile.displayName).toBe('Anna Lindqvist');
    expect(anna.spec.memberOf).toEqual(['adm']);
  });
});

describe('Backstage catalog import', () => {
  it('is for administrators only', async () => {
    const user = await signedIn(b, []);
    const res = await postYaml(b, user.client, exported);
    expect(res.statusCode).toBe(403);
  });

  it('bad YAML and unknown references are refused with the document index, and nothing is created', async () => {
    const bad = await postYaml(b, bAdmin.client, 'kind: Component\nmetadata: {name: x\n');
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toMatch(/problem\+json/);
    expect(bad.json().errors[0].field).toBe('documents[0]');

    const unknown = await postYaml(
      b,
      bAdmin.client,
      [
        'apiVersion: backstage.io/v1alpha1\nkind: System\nmetadata: {name: probe}\nspec: {owner: group:default/no-such-unit}',
        'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: probe-app}\nspec: {type: service, lifecycle: production, owner: group:default/it, system: nowhere, dependsOn: [component:default/ghost]}',
      ].join('\n---\n'),
    );
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors.map((e: any) => e.field)).toEqual([
      'documents[0].spec.owner',
      'documents[1].spec.system',
      'documents[1].spec.dependsOn[0]',
    ]);
    const empty = await bAdmin.client.post('/api/v1/backstage/import', { yaml: ' ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errors[0].field).toBe('yaml');
    expect(await systemsOf(b)).toEqual([]);
  });

  it('round trip: importing the export into a fresh database gives the same systems and dependencies; again, nothing changes', async () => {
    const res = await postYaml(b, bAdmin.client, exported);
    expect(res.statusCode, res.body).toBe(200);
    const source = await systemsOf(a);
    const deps = await dependenciesOf(a);
    expect(res.json().systems).toEqual({ created: source.length, updated: 0, unchanged: 0 });
    expect(res.json().dependencies).toEqual({ created: deps.length, unchanged: 0 });
    expect(await systemsOf(b)).toEqual(source);
    expect(await dependenciesOf(b)).toEqual(deps);
    const [audited] = await rows<{ n: number }>(
      b.ctx.db,
      sql`select count(*)::int as n from audit_events where action = 'system.create'`,
    );
    expect(audited.n).toBe(source.length);

    // JSON {yaml} is accepted too; the same file again changes nothing.
    const again = await bAdmin.client.post('/api/v1/backstage/import', { yaml: exported });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().systems).toEqual({ created: 0, updated: 0, unchanged: source.length });
    expect(again.json().dependencies).toEqual({ created: 0, unchanged: deps.length });
  });

  it('updates a system matched by name and adds a new dependency', async () => {
    const yaml = exported
      .split(/^---$/m)
      .filter((d) => /name: (rooms|sso)\n/.test(d) && /kind: Component/.test(d))
      .map((d) =>
        d.includes('name: rooms\n')
          ? d
              .replace('criticality: low', 'criticality: medium')
              .replace(/dependsOn:\n/, 'dependsOn:\n    - mfa\n')
          : d,
      )
      .join('---\n');
    const res = await postYaml(b, bAdmin.client, yaml);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().systems).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
    expect(res.json().dependencies.created).toBe(1);
    const [rooms] = await rows<{ criticality: string; deps: string[] }>(
      b.ctx.db,
      sql`select s.criticality, array(select t.short_name from system_dependencies d join systems t on t.id = d.to_system_id
            where d.from_system_id = s.id order by 1) as deps from systems s where s.short_name = 'ROOMS'`,
    );
    expect(rooms.criticality).toBe('medium');
    expect(rooms.deps).toContain('MFA');
  });
});
