// Backstage interchange (issue 3, item 7): the registry as Backstage catalog entities, and the import of
// such a `catalog-info.yaml` set.
//
// Export, one YAML document per entity:
//   Group      per org unit (metadata.name = slug of the unit code, spec.parent, spec.children);
//   User       per person holding a current governance role (slug of the username, else the employee id);
//   System     per governance object (spec.owner = the owning unit's group);
//   Component  per system: spec.type 'service', spec.owner = the group of the object's owning unit,
//              spec.system = the object, spec.dependsOn = the systems it depends on.
// Lifecycles map to Backstage's: planned → experimental, in_production → production, being_phased_out
// and retired → deprecated (Backstage has no "retired"); Steward's own value travels in the annotation
// `steward.app/lifecycle`, so a round trip keeps it. Other Steward fields (short name, organisation
// model, hosting, criticality, C/I/A levels, personal-data categories, vendor, dependency kinds) travel
// as `steward.app/*` annotations too.
//
// Import: Components and Systems are matched to existing systems and governance objects by name
// (the entity's metadata.name against the slug of the short name / object name, or metadata.title
// against the name) and created or updated; dependsOn edges that do not exist yet are added (nothing
// is deleted). Groups and Users are not created: owners must name org units Steward knows. Everything
// is checked first, and every problem is reported with its document index; then all changes run
// through the services (so they are audited) in one transaction.
import { sql } from 'drizzle-orm';
import { parseAllDocuments, stringify } from 'yaml';
import { personalDataCategoryKeys } from '../../../shared/personal-data.ts';
import { type Db, rows } from '../../db/client.ts';
import type { Actor, AppContext } from '../../platform/context.ts';
import { type FieldError, validationError } from '../../platform/errors.ts';
import { NUL_CHARACTER, nulPath } from '../../platform/field-messages.ts';
import { say, type Text } from '../../platform/text.ts';
import { createDependency } from './dependencies.service.ts';
import { createObject, updateObject } from './governance.service.ts';
import { createSystem, updateSystem } from './systems.service.ts';
import { CRITICALITIES, DEPENDENCY_KINDS, HOSTINGS, LIFECYCLES, type systems } from './systems.tables.ts';

const API_VERSION = 'backstage.io/v1alpha1';
const A = 'steward.app';
type Lifecycle = (typeof LIFECYCLES)[number];
type Kind = (typeof DEPENDENCY_KINDS)[number];

export const TO_BACKSTAGE_LIFECYCLE: Record<Lifecycle, string> = {
  planned: 'experimental',
  in_production: 'production',
  being_phased_out: 'deprecated',
  retired: 'deprecated',
};
const FROM_BACKSTAGE_LIFECYCLE: Record<string, Lifecycle> = {
  experimental: 'planned',
  production: 'in_production',
  deprecated: 'being_phased_out',
};

/** A Backstage entity name: lower-case letters, digits and dashes, at most 63 characters. */
export function slug(s: string): string {
  return (
    s
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 63)
      .replace(/-+$/, '') || 'x'
  );
}

type Entity = {
  apiVersion: string;
  kind: 'Group' | 'User' | 'System' | 'Component';
  metadata: {
    name: string;
    title?: string;
    description?: string;
    annotations?: Record<string, string>;
  };
  spec: Record<string, unknown>;
};

/** Unique slugs: a second "abc" becomes "abc-2". */
function slugger() {
  const used = new Set<string>();
  return (s: string) => {
    const base = slug(s);
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base.slice(0, 60)}-${i}`;
    used.add(name);
    return name;
  };
}

// ---- export -----------------------------------------------------------------------------------------

export async function exportCatalog(db: Db, today: string): Promise<Entity[]> {
  const units = await rows<{
    id: string;
    code: string;
    name: string;
    kind: string;
    parent_id: string | null;
  }>(
    db,
    sql`select id, code, name, kind, parent_id from org_units where status = 'active' order by code collate "C"`,
  );
  const objects = await rows<{ id: string; name: string; description: string; unit_id: string }>(
    db,
    sql`select id, name, description, owning_unit_id as unit_id from governance_objects order by name collate "C", id`,
  );
  const systemRows = await rows<
    Pick<
      typeof systems.$inferSelect,
      'id' | 'name' | 'description' | 'lifecycle' | 'hosting' | 'criticality'
    > & {
      short_name: string;
      org_model: number;
      vendor: string | null;
      confidentiality: number;
      integrity: number;
      availability: number;
      personal_data_categories: string[];
      object_id: string;
    }
  >(
    db,
    sql`select id, name, short_name, description, lifecycle, org_model, vendor, hosting, criticality,
          confidentiality, integrity, availability, personal_data_categories, governance_object_id as object_id
        from systems order by sort_key collate "C", id`,
  );
  const deps = await rows<{ from_id: string; to_id: string; kind: Kind }>(
    db,
    sql`select from_system_id as from_id, to_system_id as to_id, kind from system_dependencies
        order by from_system_id, to_system_id, kind`,
  );
  const people = await rows<{
    id: string;
    employee_id: string;
    username: string | null;
    name: string;
    email: string | null;
    unit_ids: string[];
  }>(
    db,
    sql`select p.id, p.employee_id, (select min(ac.username) from accounts ac where ac.person_id = p.id) as username,
          p.given_name || ' ' || p.family_name as name, p.email,
          coalesce((select array_agg(pu.unit_id::text order by pu.unit_id) from person_units pu where pu.person_id = p.id), '{}') as unit_ids
        from persons p
        where p.status = 'active' and exists (select 1 from role_assignments a where a.person_id = p.id
          and a.valid_from <= ${today}::date and (a.valid_until is null or a.valid_until >= ${today}::date))
        order by p.sort_sv, p.id`,
  );

  const groupName = new Map<string, string>();
  const gs = slugger();
  for (const u of units) groupName.set(u.id, gs(u.code));
  const objectName = new Map<string, string>();
  const os = slugger();
  for (const o of objects) objectName.set(o.id, os(o.name));
  const componentName = new Map<string, string>();
  const cs = slugger();
  for (const s of systemRows) componentName.set(s.id, cs(s.short_name));
  const ownerOfObject = new Map(objects.map((o) => [o.id, o.unit_id]));
  const us = slugger();

  const group = (unitId: string) => `group:default/${groupName.get(unitId)}`;
  const entities: Entity[] = [];
  for (const u of units)
    entities.push({
      apiVersion: API_VERSION,
      kind: 'Group',
      metadata: { name: groupName.get(u.id)!, title: u.name, annotations: { [`${A}/unit-code`]: u.code } },
      spec: {
        type: u.kind,
        profile: { displayName: u.name },
        ...(u.parent_id && groupName.has(u.parent_id) ? { parent: groupName.get(u.parent_id) } : {}),
        children: units.filter((c) => c.parent_id === u.id).map((c) => groupName.get(c.id)!),
      },
    });
  for (const p of people)
    entities.push({
      apiVersion: API_VERSION,
      kind: 'User',
      metadata: {
        name: us(p.username ?? p.employee_id),
        annotations: { [`${A}/employee-id`]: p.employee_id },
      },
      spec: {
        profile: { displayName: p.name, ...(p.email ? { email: p.email } : {}) },
        memberOf: p.unit_ids.filter((id) => groupName.has(id)).map((id) => groupName.get(id)!),
      },
    });
  for (const o of objects)
    entities.push({
      apiVersion: API_VERSION,
      kind: 'System',
      metadata: {
        name: objectName.get(o.id)!,
        title: o.name,
        ...(o.description ? { description: o.description } : {}),
      },
      spec: { owner: group(o.unit_id) },
    });
  for (const s of systemRows) {
    const mine = deps.filter((d) => d.from_id === s.id);
    const annotations: Record<string, string> = {
      [`${A}/short-name`]: s.short_name,
      [`${A}/lifecycle`]: s.lifecycle,
      [`${A}/org-model`]: String(s.org_model),
      [`${A}/hosting`]: s.hosting,
      [`${A}/criticality`]: s.criticality,
      [`${A}/classification`]: `C${s.confidentiality} I${s.integrity} A${s.availability}`,
    };
    if (s.vendor) annotations[`${A}/vendor`] = s.vendor;
    if (s.personal_data_categories.length)
      annotations[`${A}/personal-data-categories`] = s.personal_data_categories.join(', ');
    if (mine.length)
      annotations[`${A}/dependency-kinds`] = mine
        .map((d) => `${componentName.get(d.to_id)}:${d.kind}`)
        .join(', ');
    entities.push({
      apiVersion: API_VERSION,
      kind: 'Component',
      metadata: {
        name: componentName.get(s.id)!,
        title: s.name,
        ...(s.description ? { description: s.description } : {}),
        annotations,
      },
      spec: {
        type: 'service',
        lifecycle: TO_BACKSTAGE_LIFECYCLE[s.lifecycle],
        owner: group(ownerOfObject.get(s.object_id)!),
        system: objectName.get(s.object_id),
        ...(mine.length
          ? {
              dependsOn: [...new Set(mine.map((d) => `component:default/${componentName.get(d.to_id)}`))],
            }
          : {}),
      },
    });
  }
  return entities;
}

/** A multi-document catalog-info.yaml. */
export function toYaml(entities: Entity[]): string {
  return entities.map((e) => stringify(e, { lineWidth: 0 })).join('---\n');
}

// ---- import -----------------------------------------------------------------------------------------

/** `kind:namespace/name`, `kind:name`, `namespace/name` or `name` → the name, if the kind fits. */
function refName(ref: unknown, kind: string): string | null {
  if (typeof ref !== 'string' || !ref.trim()) return null;
  const m = /^(?:([a-z]+):)?(?:([a-z0-9-_.]+)\/)?([a-z0-9-_.]+)$/i.exec(ref.trim());
  if (!m) return null;
  if (m[1] && m[1].toLowerCase() !== kind) return null;
  return m[3].toLowerCase();
}

type Doc = { index: number; entity: Entity };
type Counts = { created: number; updated: number; unchanged: number };
export type ImportResult = {
  documents: number;
  governanceObjects: Counts;
  systems: Counts;
  dependencies: { created: number; unchanged: number };
  ignored: number;
};

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses the YAML into entities, with a problem per bad document. */
export function parseCatalog(text: string): { docs: Doc[]; problems: FieldError[] } {
  const problems: FieldError[] = [];
  const docs: Doc[] = [];
  const parsed = parseAllDocuments(text, { prettyErrors: false });
  const list = Array.isArray(parsed) ? parsed : [parsed];
  list.forEach((d, index) => {
    if (d.errors.length) {
      problems.push({
        field: `documents[${index}]`,
        message: say(`Not valid YAML: ${d.errors[0].message}`, `Ogiltig YAML: ${d.errors[0].message}`),
      });
      return;
    }
    const v = d.toJS();
    if (v === null || v === undefined) return;
    const nul = nulPath(v, `documents[${index}]`);
    if (nul) {
      problems.push({ field: nul, message: NUL_CHARACTER });
      return;
    }
    if (!isRecord(v) || !isRecord(v.metadata) || typeof v.kind !== 'string') {
      problems.push({
        field: `documents[${index}]`,
        message: say(
          'Not a Backstage entity (kind and metadata).',
          'Inte en Backstage-entitet (kind och metadata).',
        ),
      });
      return;
    }
    if (typeof v.metadata.name !== 'string' || !v.metadata.name.trim()) {
      problems.push({
        field: `documents[${index}].metadata.name`,
        message: say('Required.', 'Måste anges.'),
      });
      return;
    }
    if (v.spec !== undefined && !isRecord(v.spec)) {
      problems.push({
        field: `documents[${index}].spec`,
        message: say('Must be a mapping.', 'Måste vara en mappning.'),
      });
      return;
    }
    docs.push({ index, entity: { ...(v as Entity), spec: (v.spec as Record<string, unknown>) ?? {} } });
  });
  return { docs, problems };
}

const ann = (e: Entity, key: string) => {
  const v = e.metadata.annotations?.[`${A}/${key}`];
  return typeof v === 'string' ? v.trim() : undefined;
};

export async function importCatalog(
  ctx: AppContext,
  args: { actor: Actor; yaml: string },
): Promise<ImportResult> {
  const { docs, problems } = parseCatalog(args.yaml);
  const at = (d: Doc, path: string) => `documents[${d.index}]${path}`;

  // What Steward has: units by code slug, objects and systems by slug and by name.
  const units = await rows<{ id: string; code: string }>(ctx.db, sql`select id, code from org_units`);
  const unitBySlug = new Map(units.map((u) => [slug(u.code), u.id]));
  const objects = await rows<{
    id: string;
    name: string;
    description: string;
    unit_id: string;
    version: number;
  }>(ctx.db, sql`select id, name, description, owning_unit_id as unit_id, version from governance_objects`);
  const existingSystems = await rows<{
    id: string;
    name: string;
    short_name: string;
    version: number;
    [k: string]: unknown;
  }>(
    ctx.db,
    sql`select id, name, short_name, description, lifecycle, org_model, vendor, hosting, criticality, confidentiality,
          integrity, availability, personal_data_categories, governance_object_id, version from systems`,
  );

  // Groups in the file may carry the unit code; their names resolve to units.
  const groupUnit = new Map<string, string>();
  for (const d of docs.filter((x) => x.entity.kind === 'Group')) {
    const code = ann(d.entity, 'unit-code');
    const id = code
      ? units.find((u) => u.code === code)?.id
      : unitBySlug.get(d.entity.metadata.name.toLowerCase());
    if (id) groupUnit.set(d.entity.metadata.name.toLowerCase(), id);
  }
  const resolveOwner = (d: Doc): string | null => {
    const name = refName(d.entity.spec.owner, 'group');
    const id = name ? (groupUnit.get(name) ?? unitBySlug.get(name)) : undefined;
    if (!id)
      problems.push({
        field: at(d, '.spec.owner'),
        message: say(
          `No org unit matches the owner ${JSON.stringify(d.entity.spec.owner ?? null)}; name a group of a unit Steward knows.`,
          `Ingen enhet motsvarar ägaren ${JSON.stringify(d.entity.spec.owner ?? null)}; ange gruppen för en enhet som finns i Steward.`,
        ),
      });
    return id ?? null;
  };

  // ---- governance objects (System entities) ----
  type ObjectPlan = {
    doc: Doc;
    name: string;
    description: string;
    unitId: string;
    existing?: (typeof objects)[number];
  };
  const objectPlans = new Map<string, ObjectPlan>();
  for (const d of docs.filter((x) => x.entity.kind === 'System')) {
    const key = d.entity.metadata.name.toLowerCase();
    const title = (d.entity.metadata.title ?? d.entity.metadata.name).trim();
    const unitId = resolveOwner(d);
    if (objectPlans.has(key)) {
      problems.push({
        field: at(d, '.metadata.name'),
        message: say(`A second System named ${key}.`, `En andra System-entitet med namnet ${key}.`),
      });
      continue;
    }
    if (!unitId) continue;
    objectPlans.set(key, {
      doc: d,
      name: title,
      description: d.entity.metadata.description ?? '',
      unitId,
      existing: objects.find((o) => slug(o.name) === key || o.name === title),
    });
  }
  const objectRef = (d: Doc): { planKey?: string; id?: string } | null => {
    const name = refName(d.entity.spec.system, 'system');
    if (name && objectPlans.has(name)) return { planKey: name };
    const o = name ? objects.find((x) => slug(x.name) === name) : undefined;
    if (o) return { id: o.id };
    problems.push({
      field: at(d, '.spec.system'),
      message: say(
        `Every system belongs to a governance object (G1): ${JSON.stringify(d.entity.spec.system ?? null)} is neither a System in this file nor a governance object in Steward.`,
        `Varje system hör till ett förvaltningsobjekt (G1): ${JSON.stringify(d.entity.spec.system ?? null)} är varken en System-entitet i denna fil eller ett förvaltningsobjekt i Steward.`,
      ),
    });
    return null;
  };

  // ---- systems (Component entities) ----
  type SystemPlan = {
    doc: Doc;
    key: string;
    object: { planKey?: string; id?: string };
    fields: {
      name: string;
      shortName: string;
      description: string;
      lifecycle: Lifecycle;
      orgModel: number;
      vendor: string | null;
      hosting: (typeof HOSTINGS)[number];
      criticality: (typeof CRITICALITIES)[number];
      confidentiality: number;
      integrity: number;
      availability: number;
      personalDataCategories: string[];
    };
    existing?: (typeof existingSystems)[number];
    dependsOn: { name: string; kind: Kind; field: string }[];
  };
  const systemPlans = new Map<string, SystemPlan>();
  const componentDocs = docs.filter((x) => x.entity.kind === 'Component');
  const depsToCheck: { key: string; deps: SystemPlan['dependsOn'] }[] = [];
  for (const d of componentDocs) {
    const e = d.entity;
    const key = e.metadata.name.toLowerCase();
    const bad = (path: string, message: Text) => problems.push({ field: at(d, path), message });
    if (systemPlans.has(key)) {
      bad(
        '.metadata.name',
        say(`A second Component named ${key}.`, `En andra Component-entitet med namnet ${key}.`),
      );
      continue;
    }
    const object = objectRef(d);
    const lifecycleAnn = ann(e, 'lifecycle');
    let lifecycle: Lifecycle | undefined;
    if (lifecycleAnn && (LIFECYCLES as readonly string[]).includes(lifecycleAnn))
      lifecycle = lifecycleAnn as Lifecycle;
    else if (typeof e.spec.lifecycle === 'string') lifecycle = FROM_BACKSTAGE_LIFECYCLE[e.spec.lifecycle];
    if (!lifecycle)
      bad(
        '.spec.lifecycle',
        say(
          `Unknown lifecycle ${JSON.stringify(e.spec.lifecycle ?? null)}: experimental, production or deprecated.`,
          `Okänd livscykel ${JSON.stringify(e.spec.lifecycle ?? null)}: experimental, production eller deprecated.`,
        ),
      );
    const orgModel = Number(ann(e, 'org-model') ?? '1');
    if (!Number.isInteger(orgModel) || orgModel < 1 || orgModel > 5)
      bad(
        `.metadata.annotations["${A}/org-model"]`,
        say('An organisation model from 1 to 5.', 'En organisationsmodell från 1 till 5.'),
      );
    const hosting = (ann(e, 'hosting') ?? 'central_it') as SystemPlan['fields']['hosting'];
    if (!HOSTINGS.includes(hosting))
      bad(
        `.metadata.annotations["${A}/hosting"]`,
        say(`One of ${HOSTINGS.join(', ')}.`, `Ett av följande: ${HOSTINGS.join(', ')}.`),
      );
    const criticality = (ann(e, 'criticality') ?? 'medium') as SystemPlan['fields']['criticality'];
    if (!CRITICALITIES.includes(criticality))
      bad(
        `.metadata.annotations["${A}/criticality"]`,
        say(`One of ${CRITICALITIES.join(', ')}.`, `Ett av följande: ${CRITICALITIES.join(', ')}.`),
      );
    const cia = /^C([1-4]) I([1-4]) A([1-4])$/.exec(ann(e, 'classification') ?? 'C2 I2 A2');
    if (!cia)
      bad(
        `.metadata.annotations["${A}/classification"]`,
        say('Levels like "C2 I3 A1", each from 1 to 4.', 'Nivåer som "C2 I3 A1", var och en från 1 till 4.'),
      );
    const shortName = (ann(e, 'short-name') ?? e.metadata.name).slice(0, 40);
    const name = (e.metadata.title ?? e.metadata.name).trim().slice(0, 200);
    const dependsOn: SystemPlan['dependsOn'] = [];
    const kinds = new Map<string, Kind[]>();
    for (const part of (ann(e, 'dependency-kinds') ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const [target, kind] = part.split(':').map((x) => x.trim().toLowerCase());
      if (!DEPENDENCY_KINDS.includes(kind as Kind)) {
        bad(
          `.metadata.annotations["${A}/dependency-kinds"]`,
          say(`Unknown dependency kind in "${part}".`, `Okänd typ av beroende i "${part}".`),
        );
        continue;
      }
      kinds.set(target, [...(kinds.get(target) ?? []), kind as Kind]);
    }
    const list = e.spec.dependsOn ?? [];
    if (!Array.isArray(list))
      bad('.spec.dependsOn', say('A list of entity references.', 'En lista med entitetsreferenser.'));
    else
      list.forEach((ref, i) => {
        const target = refName(ref, 'component');
        if (!target) {
          bad(
            `.spec.dependsOn[${i}]`,
            say(
              `Not a component reference: ${JSON.stringify(ref)}.`,
              `Inte en komponentreferens: ${JSON.stringify(ref)}.`,
            ),
          );
          return;
        }
        for (const kind of kinds.get(target) ?? ['runtime'])
          dependsOn.push({ name: target, kind, field: at(d, `.spec.dependsOn[${i}]`) });
      });
    depsToCheck.push({ key, deps: dependsOn });
    if (!object || !lifecycle || !cia) continue;
    systemPlans.set(key, {
      doc: d,
      key,
      object,
      fields: {
        name,
        shortName,
        description: (e.metadata.description ?? '').trim(),
        lifecycle,
        orgModel,
        vendor: ann(e, 'vendor') ?? null,
        hosting,
        criticality,
        confidentiality: Number(cia[1]),
        integrity: Number(cia[2]),
        availability: Number(cia[3]),
        personalDataCategories: personalDataCategoryKeys(
          (ann(e, 'personal-data-categories') ?? '').split(','),
        ),
      },
      existing: existingSystems.find(
        (s) => slug(s.short_name) === key || s.short_name === shortName || s.name === name,
      ),
      dependsOn,
    });
  }
  const systemBySlug = new Map(existingSystems.map((s) => [slug(s.short_name), s.id]));
  const inFile = new Set(componentDocs.map((d) => d.entity.metadata.name.toLowerCase()));
  for (const p of depsToCheck)
    for (const dep of p.deps)
      if (!inFile.has(dep.name) && !systemBySlug.has(dep.name))
        problems.push({
          field: dep.field,
          message: say(
            `No component ${dep.name} in this file or in Steward.`,
            `Komponenten ${dep.name} finns varken i denna fil eller i Steward.`,
          ),
        });
      else if (dep.name === p.key)
        problems.push({
          field: dep.field,
          message: say('A system cannot depend on itself.', 'Ett system kan inte bero av sig självt.'),
        });

  if (problems.length) throw validationError(problems);

  // ---- apply, in one transaction, through the services ----
  const result: ImportResult = {
    documents: docs.length,
    governanceObjects: { created: 0, updated: 0, unchanged: 0 },
    systems: { created: 0, updated: 0, unchanged: 0 },
    dependencies: { created: 0, unchanged: 0 },
    ignored: docs.filter((d) => !['System', 'Component'].includes(d.entity.kind)).length,
  };
  await ctx.db.transaction(async (tx) => {
    const t: AppContext = { ...ctx, db: tx };
    const objectIds = new Map<string, string>();
    for (const [key, p] of objectPlans) {
      if (!p.existing) {
        const o = await createObject(t, {
          actor: args.actor,
          input: { name: p.name, description: p.description, owningUnitId: p.unitId },
        });
        objectIds.set(key, o.id);
        result.governanceObjects.created += 1;
        continue;
      }
      objectIds.set(key, p.existing.id);
      const patch: { description?: string; owningUnitId?: string } = {};
      if (p.description !== p.existing.description) patch.description = p.description;
      if (p.unitId !== p.existing.unit_id) patch.owningUnitId = p.unitId;
      if (!Object.keys(patch).length) {
        result.governanceObjects.unchanged += 1;
        continue;
      }
      await updateObject(t, { actor: args.actor, id: p.existing.id, ifVersion: p.existing.version, patch });
      result.governanceObjects.updated += 1;
    }
    const systemIds = new Map(systemBySlug);
    for (const [key, p] of systemPlans) {
      const governanceObjectId = p.object.planKey ? objectIds.get(p.object.planKey)! : p.object.id!;
      if (!p.existing) {
        const s = await createSystem(t, {
          actor: args.actor,
          input: {
            ...p.fields,
            contractOwner: null,
            storesPersonalData: p.fields.personalDataCategories.length > 0,
            environments: ['production'],
            governanceObjectId,
          },
        });
        systemIds.set(key, s.id);
        result.systems.created += 1;
        continue;
      }
      systemIds.set(key, p.existing.id);
      const before: Record<string, unknown> = {
        name: p.existing.name,
        shortName: p.existing.short_name,
        description: p.existing.description,
        lifecycle: p.existing.lifecycle,
        orgModel: p.existing.org_model,
        vendor: p.existing.vendor,
        hosting: p.existing.hosting,
        criticality: p.existing.criticality,
        confidentiality: p.existing.confidentiality,
        integrity: p.existing.integrity,
        availability: p.existing.availability,
        personalDataCategories: p.existing.personal_data_categories,
        governanceObjectId: p.existing.governance_object_id,
      };
      const wanted: Record<string, unknown> = { ...p.fields, governanceObjectId };
      const patch = Object.fromEntries(
        Object.entries(wanted).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(before[k])),
      );
      if (!Object.keys(patch).length) {
        result.systems.unchanged += 1;
        continue;
      }
      await updateSystem(t, { actor: args.actor, id: p.existing.id, ifVersion: p.existing.version, patch });
      result.systems.updated += 1;
    }
    const edges = new Set(
      (
        await rows<{ f: string; t: string; k: string }>(
          tx,
          sql`select from_system_id as f, to_system_id as t, kind as k from system_dependencies`,
        )
      ).map((e) => `${e.f}|${e.t}|${e.k}`),
    );
    for (const [key, p] of systemPlans)
      for (const dep of p.dependsOn) {
        const from = systemIds.get(key)!;
        const to = systemIds.get(dep.name)!;
        const edge = `${from}|${to}|${dep.kind}`;
        if (edges.has(edge)) {
          result.dependencies.unchanged += 1;
          continue;
        }
        await createDependency(t, {
          actor: args.actor,
          input: { fromSystemId: from, toSystemId: to, kind: dep.kind, description: '' },
        });
        edges.add(edge);
        result.dependencies.created += 1;
      }
  });
  return result;
}
