// Routes of the systems module: parse (zod) → authorise (policy, with the caller's roles on the
// governance object as the resource) → service → present.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import { sendDownload, XLSX_TYPE } from '../../platform/download.ts';
import { AppError, INVALID_FIELDS, notFound } from '../../platform/errors.ts';
import {
  actorOf,
  authorize,
  etagOf,
  idParam,
  ifMatchVersion,
  problemResponses,
} from '../../platform/http.ts';
import { type Action, can, type GovernanceRole } from '../../platform/policy.ts';
import { fastSerializerCompiler } from '../../platform/serialize.ts';
import { say } from '../../platform/text.ts';
import {
  createDependency,
  deleteDependency,
  getDependency,
  impactOf,
  listDependencies,
  neighbourhoodGraph,
  organisationGraph,
} from './dependencies.service.ts';
import {
  assertObjectExists,
  assignRole,
  createObject,
  getAssignmentRole,
  getObject,
  listObjects,
  listRoles,
  roleGaps,
  updateObject,
  updateRole,
} from './governance.service.ts';
import {
  assertSystemsExist,
  consentToContract,
  createIntegration,
  getContract,
  getIntegration,
  integrationEnds,
  lineage,
  listIntegrations,
  personalDataCategoriesInUse,
  personalDataOf,
  proposeContract,
} from './integrations.service.ts';
import {
  addFirewallRule,
  addRestoreTest,
  addVulnerability,
  deleteFirewallRule,
  getSecurity,
  listDocuments,
  overdueDocuments,
  putDocument,
  resolverReviewsDue,
  setBackupArrangement,
  updateVulnerability,
} from './records.service.ts';
import {
  backupPutSchema,
  categoriesInUseSchema,
  contractCreateSchema,
  contractParams,
  contractSchema,
  dependencyCreateSchema,
  dependencySchema,
  documentKindParams,
  documentPutSchema,
  documentSchema,
  firewallRuleCreateSchema,
  gapQuerySchema,
  gapSchema,
  graphQuerySchema,
  graphSchema,
  impactSchema,
  integrationCreateSchema,
  integrationListQuerySchema,
  integrationSchema,
  lineageQuerySchema,
  lineageSchema,
  managersRowSchema,
  moduleCreateSchema,
  objectCreateSchema,
  objectListQuerySchema,
  objectPatchSchema,
  objectSchema,
  objectSummarySchema,
  orgGraphQuerySchema,
  overdueDocumentSchema,
  personalDataSchema,
  resolverReviewSchema,
  restoreTestCreateSchema,
  roleAssignmentSchema,
  roleCreateSchema,
  roleParams,
  rolePatchSchema,
  securitySchema,
  subParams,
  systemCreateSchema,
  systemFilterSchema,
  systemListFilterSchema,
  systemListQuerySchema,
  systemPatchSchema,
  systemSchema,
  systemSummarySchema,
  vulnerabilityCreateSchema,
  vulnerabilityPatchSchema,
} from './systems.schema.ts';
import {
  addModule,
  createSystem,
  exportSystemsCsv,
  exportSystemsXlsx,
  getSystem,
  listSystems,
  managersCsv,
  rolesOfPerson,
  rolesOnObject,
  rolesOnSystem,
  systemsWithManagers,
  todayOf,
  updateSystem,
} from './systems.service.ts';
import { GOVERNANCE_ROLES } from './systems.tables.ts';

const tags = ['systems'];
const govTags = ['governance'];
const reportTags = ['reports'];

export const systemsRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    // ---- authorisation helpers: the resource carries the caller's current roles on the object ----
    const today = () => todayOf(ctx);
    const onObject = async (req: FastifyRequest, action: Action, objectId: string, role?: GovernanceRole) => {
      const actor = actorOf(req);
      const objectRoles = await rolesOnObject(ctx.db, actor.personId, objectId, today());
      return authorize(ctx, req, action, { objectRoles, role });
    };
    const onSystem = async (req: FastifyRequest, action: Action, systemId: string) => {
      const actor = actorOf(req);
      const { roles } = await rolesOnSystem(ctx.db, actor.personId, systemId, today());
      return authorize(ctx, req, action, { objectRoles: roles });
    };
    const onSystems = async (req: FastifyRequest, action: Action, systemIds: string[]) => {
      const actor = actorOf(req);
      const objectRoles: GovernanceRole[] = [];
      for (const id of systemIds)
        objectRoles.push(...(await rolesOnSystem(ctx.db, actor.personId, id, today())).roles);
      return authorize(ctx, req, action, { objectRoles });
    };
    /** G12: security records are hidden (404) from callers who may not read them. */
    const securityOf = async (req: FastifyRequest, systemId: string, write = false) => {
      try {
        await onSystem(req, 'security.read', systemId);
      } catch (err) {
        if (err instanceof AppError && err.status === 403) throw notFound('The system');
        throw err;
      }
      return write ? onSystem(req, 'security.write', systemId) : actorOf(req);
    };

    // ---- systems ----------------------------------------------------------------------------------
    app.get(
      '/systems',
      {
        schema: {
          tags,
          summary:
            'The catalogue: search (q over name, short name, vendor, description), filters, keyset paging',
          querystring: systemListQuerySchema,
          response: {
            200: z.object({ items: z.array(systemSummarySchema), nextCursor: z.string().nullable() }),
            ...problemResponses,
          },
        },
        serializerCompiler: fastSerializerCompiler,
      },
      async (req) => {
        await authorize(ctx, req, 'system.read');
        return listSystems(ctx.db, req.query);
      },
    );

    app.get(
      '/systems/export.csv',
      {
        schema: {
          tags,
          summary: "The filtered catalogue as CSV, in the list's order",
          querystring: systemListFilterSchema,
          produces: ['text/csv'],
        },
      },
      async (req, reply) => {
        await authorize(ctx, req, 'system.read');
        const csv = await exportSystemsCsv(ctx.db, req.query);
        return sendDownload(reply, 'systems.csv', csv);
      },
    );

    app.get(
      '/systems/export.xlsx',
      {
        schema: {
          tags,
          summary:
            "The filtered catalogue as an Excel workbook (headers in English or Swedish), in the list's order",
          querystring: systemListFilterSchema.extend({ lang: z.enum(['en', 'sv']).default('en') }),
          produces: [XLSX_TYPE],
        },
      },
      async (req, reply) => {
        await authorize(ctx, req, 'system.read');
        const { lang, ...filter } = req.query;
        const xlsx = await exportSystemsXlsx(ctx.db, filter, lang);
        return sendDownload(reply, 'systems.xlsx', xlsx);
      },
    );

    app.get(
      '/systems/managers',
      {
        schema: {
          tags,
          summary:
            'G8: every system with its system owner, IT system owner, system manager and IT system manager',
          querystring: systemFilterSchema,
          response: { 200: z.object({ items: z.array(managersRowSchema) }), ...problemResponses },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'system.read');
        return { items: await systemsWithManagers(ctx.db, today(), req.query) };
      },
    );

    app.get(
      '/systems/managers.csv',
      {
        schema: {
          tags,
          summary: 'G8: every system with its managers, as CSV',
          querystring: systemFilterSchema,
          produces: ['text/csv'],
        },
      },
      async (req, reply) => {
        await authorize(ctx, req, 'system.read');
        const csv = managersCsv(await systemsWithManagers(ctx.db, today(), req.query));
        return sendDownload(reply, 'systems-managers.csv', csv);
      },
    );

    app.post(
      '/systems',
      {
        schema: {
          tags,
          summary: 'Register a system in a governance object (G1)',
          body: systemCreateSchema,
          response: { 201: systemSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        const actor = await onObject(req, 'system.create', req.body.governanceObjectId);
        const s = await createSystem(ctx, { actor, input: req.body });
        return reply.code(201).header('etag', etagOf(s.version)).send(s);
      },
    );

    app.get(
      '/systems/:id',
      {
        schema: {
          tags,
          summary: 'One system, with what the caller may do on it beyond reading',
          params: idParam,
          response: {
            200: systemSchema.extend({
              abilities: z
                .object({ readSecurity: z.boolean().describe('G12: may read the security records') })
                .describe('Asked of the policy without trying (nothing is refused or audited)'),
            }),
            ...problemResponses,
          },
        },
      },
      async (req, reply) => {
        const actor = await authorize(ctx, req, 'system.read');
        const s = await getSystem(ctx, req.params.id);
        const roles = await rolesOnObject(ctx.db, actor.personId, s.governanceObject.id, today());
        const readSecurity = can({ roles: actor.roles, personId: actor.personId }, 'security.read', {
          objectRoles: roles,
        });
        return reply.header('etag', etagOf(s.version)).send({ ...s, abilities: { readSecurity } });
      },
    );

    app.patch(
      '/systems/:id',
      {
        schema: {
          tags,
          summary: 'Edit a system (If-Match required)',
          params: idParam,
          body: systemPatchSchema,
          response: { 200: systemSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        const actor = await onSystem(req, 'system.write', req.params.id);
        if (req.body.governanceObjectId) await onObject(req, 'system.create', req.body.governanceObjectId);
        const s = await updateSystem(ctx, {
          actor,
          id: req.params.id,
          ifVersion: ifMatchVersion(req),
          patch: req.body,
        });
        return reply.header('etag', etagOf(s.version)).send(s);
      },
    );

    app.post(
      '/systems/:id/modules',
      {
        schema: {
          tags,
          summary: 'Add a module to a system (licence pools are per module)',
          params: idParam,
          body: moduleCreateSchema,
          response: { 201: z.object({ id: z.uuid(), name: z.string() }), ...problemResponses },
        },
      },
      async (req, reply) => {
        const actor = await onSystem(req, 'system.write', req.params.id);
        return reply
          .code(201)
          .send(await addModule(ctx, { actor, systemId: req.params.id, name: req.body.name }));
      },
    );

    app.get(
      '/systems/:id/impact',
      {
        schema: {
          tags,
          summary: 'G8: every system that depends on this one, directly or transitively, with the path',
          params: idParam,
          response: { 200: impactSchema, ...problemResponses },
        },
        serializerCompiler: fastSerializerCompiler,
      },
      async (req) => {
        await authorize(ctx, req, 'system.read');
        return impactOf(ctx.db, req.params.id);
      },
    );

    app.get(
      '/systems/:id/graph',
      {
        schema: {
          tags,
          summary: "One system's neighbourhood: dependencies and integrations up to `depth` steps",
          params: idParam,
          querystring: graphQuerySchema,
          response: { 200: graphSchema, ...problemResponses },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'system.read');
        return neighbourhoodGraph(ctx.db, req.params.id, req.query.depth);
      },
    );

    app.get(
      '/systems/:id/personal-data',
      {
        schema: {
          tags,
          summary: 'G9: per personal-data category, whether this system is its source or holds a copy',
          params: idParam,
          response: { 200: personalDataSchema, ...problemResponses },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'system.read');
        return personalDataOf(ctx.db, req.params.id);
      },
    );

    // ---- documents (G11) ----------------------------------------------------------------------------
    app.get(
      '/systems/:id/documents',
      {
        schema: {
          tags,
          summary: "G11: the system's required documents, present or missing, with review dates",
          params: idParam,
          response: { 200: z.object({ items: z.array(documentSchema) }), ...problemResponses },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'system.read');
        return { items: await listDocuments(ctx, req.params.id) };
      },
    );

    app.put(
      '/systems/:id/documents/:kind',
      {
        schema: {
          tags,
          summary:
            'G11: record one of the required documents (link or text, owner, review interval, last review)',
          params: documentKindParams,
          body: documentPutSchema,
          response: { 200: documentSchema, ...problemResponses },
        },
      },
      async (req) => {
        const actor = await onSystem(req, 'document.write', req.params.id);
        return putDocument(ctx, { actor, systemId: req.params.id, kind: req.params.kind, input: req.body });
      },
    );

    // ---- security records (G12) ---------------------------------------------------------------------
    app.get(
      '/systems/:id/security',
      {
        schema: {
          tags,
          summary:
            "G12: the system's security records (the object's roles, administrators and auditors only)",
          params: idParam,
          response: { 200: securitySchema, ...problemResponses },
        },
      },
      async (req) => {
        await securityOf(req, req.params.id);
        return getSecurity(ctx, req.params.id);
      },
    );

    app.put(
      '/systems/:id/backup',
      {
        schema: {
          tags,
          summary: 'G12: the backup arrangement',
          params: idParam,
          body: backupPutSchema,
          response: { 200: securitySchema, ...problemResponses },
        },
      },
      async (req) => {
        const actor = await securityOf(req, req.params.id, true);
        return setBackupArrangement(ctx, {
          actor,
          systemId: req.params.id,
          backupArrangement: req.body.backupArrangement,
        });
      },
    );

    app.post(
      '/systems/:id/vulnerabilities',
      {
        schema: {
          tags,
          summary: 'G12: record a known vulnerability and when exposure began (and ended)',
          params: idParam,
          body: vulnerabilityCreateSchema,
          response: { 201: securitySchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        const actor = await securityOf(req, req.params.id, true);
        return reply
          .code(201)
          .send(await addVulnerability(ctx, { actor, systemId: req.params.id, input: req.body }));
      },
    );

    app.patch(
      '/systems/:id/vulnerabilities/:recordId',
      {
        schema: {
          tags,
          summary:
            'G12: edit a vulnerability, e.g. the date the system stopped being exposed (If-Match required)',
          params: subParams,
          body: vulnerabilityPatchSchema,
          response: { 200: securitySchema, ...problemResponses },
        },
      },
      async (req) => {
        const actor = await securityOf(req, req.params.id, true);
        return updateVulnerability(ctx, {
          actor,
          systemId: req.params.id,
          id: req.params.recordId,
          ifVersion: ifMatchVersion(req),
          patch: req.body,
        });
      },
    );

    app.post(
      '/systems/:id/restore-tests',
      {
        schema: {
          tags,
          summary: 'G12: record a restore test (date and result)',
          params: idParam,
          body: restoreTestCreateSchema,
          response: { 201: securitySchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        const actor = await securityOf(req, req.params.id, true);
        return reply
          .code(201)
          .send(await addRestoreTest(ctx, { actor, systemId: req.params.id, input: req.body }));
      },
    );

    app.post(
      '/systems/:id/firewall-rules',
      {
        schema: {
          tags,
          summary: 'G12: record a firewall rule with its justification',
          params: idParam,
          body: firewallRuleCreateSchema,
          response: { 201: securitySchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        const actor = await securityOf(req, req.params.id, true);
        return reply
          .code(201)
          .send(await addFirewallRule(ctx, { actor, systemId: req.params.id, input: req.body }));
      },
    );

    app.delete(
      '/systems/:id/firewall-rules/:recordId',
      {
        schema: {
          tags,
          summary: 'G12: remove a firewall rule',
          params: subParams,
          response: { 200: securitySchema, ...problemResponses },
        },
      },
      async (req) => {
        const actor = await securityOf(req, req.params.id, true);
        return deleteFirewallRule(ctx, { actor, systemId: req.params.id, id: req.params.recordId });
      },
    );

    // ---- governance objects and roles -----------------------------------------------------------------
    app.get(
      '/governance-objects',
      {
        schema: {
          tags: govTags,
          summary: 'Governance objects',
          querystring: objectListQuerySchema,
          response: {
            200: z.object({ items: z.array(objectSummarySchema), nextCursor: z.string().nullable() }),
            ...problemResponses,
          },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'system.read');
        return listObjects(ctx.db, req.query);
      },
    );

    app.post(
      '/governance-objects',
      {
        schema: {
          tags: govTags,
          summary: 'Create a governance object (administrators)',
          body: objectCreateSchema,
          response: { 201: objectSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        const actor = await authorize(ctx, req, 'governance-object.create');
        const o = await createObject(ctx, { actor, input: req.body });
        return reply.code(201).header('etag', etagOf(o.version)).send(o);
      },
    );

    app.get(
      '/governance-objects/:id',
      {
        schema: {
          tags: govTags,
          summary: 'One governance object with its systems, roles, groups (G4) and expected roles (G3)',
          params: idParam,
          response: { 200: objectSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        await authorize(ctx, req, 'system.read');
        const o = await getObject(ctx, req.params.id);
        return reply.header('etag', etagOf(o.version)).send(o);
      },
    );

    app.patch(
      '/governance-objects/:id',
      {
        schema: {
          tags: govTags,
          summary: 'Edit a governance object (If-Match required)',
          params: idParam,
          body: objectPatchSchema,
          response: { 200: objectSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        await assertObjectExists(ctx.db, req.params.id);
        const actor = await onObject(req, 'governance-object.write', req.params.id);
        const o = await updateObject(ctx, {
          actor,
          id: req.params.id,
          ifVersion: ifMatchVersion(req),
          patch: req.body,
        });
        return reply.header('etag', etagOf(o.version)).send(o);
      },
    );

    app.get(
      '/governance-objects/:id/roles',
      {
        schema: {
          tags: govTags,
          summary: 'Role assignments of an object, past, current and future',
          params: idParam,
          response: { 200: z.object({ items: z.array(roleAssignmentSchema) }), ...problemResponses },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'system.read');
        return { items: await listRoles(ctx, req.params.id) };
      },
    );

    app.get(
      '/persons/:id/roles',
      {
        schema: {
          tags: govTags,
          summary: 'G2/G8: the governance roles a person holds today or later, with their objects',
          params: idParam,
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  id: z.uuid(),
                  role: z.enum(GOVERNANCE_ROLES),
                  validFrom: z.string(),
                  validUntil: z.string().nullable(),
                  current: z.boolean().describe('held today (false: starts later)'),
                  object: z.object({ id: z.uuid(), name: z.string() }),
                }),
              ),
            }),
            ...problemResponses,
          },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'system.read');
        return { items: await rolesOfPerson(ctx.db, req.params.id, today()) };
      },
    );

    app.post(
      '/governance-objects/:id/roles',
      {
        schema: {
          tags: govTags,
          summary: 'Appoint a person to a role (G4: the IT system owner appoints the IT system manager)',
          params: idParam,
          body: roleCreateSchema,
          response: { 201: roleAssignmentSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        await assertObjectExists(ctx.db, req.params.id);
        const actor = await onObject(req, 'role.assign', req.params.id, req.body.role);
        return reply
          .code(201)
          .send(await assignRole(ctx, { actor, objectId: req.params.id, input: req.body }));
      },
    );

    app.patch(
      '/governance-objects/:id/roles/:assignmentId',
      {
        schema: {
          tags: govTags,
          summary: 'End (or extend) a role assignment by its last valid day (If-Match required)',
          params: roleParams,
          body: rolePatchSchema,
          response: { 200: roleAssignmentSchema, ...problemResponses },
        },
      },
      async (req) => {
        const role = await getAssignmentRole(ctx.db, req.params.id, req.params.assignmentId);
        const actor = await onObject(req, 'role.assign', req.params.id, role);
        return updateRole(ctx, {
          actor,
          objectId: req.params.id,
          assignmentId: req.params.assignmentId,
          ifVersion: ifMatchVersion(req),
          validUntil: req.body.validUntil,
        });
      },
    );

    // ---- dependencies and graphs (G8) ---------------------------------------------------------------
    app.get(
      '/dependencies',
      {
        schema: {
          tags,
          summary: 'Dependencies, optionally of one system (either end)',
          querystring: z.object({ systemId: z.uuid().optional() }),
          response: { 200: z.object({ items: z.array(dependencySchema) }), ...problemResponses },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'system.read');
        return { items: await listDependencies(ctx.db, req.query.systemId) };
      },
    );

    app.post(
      '/dependencies',
      {
        schema: {
          tags,
          summary: 'Record that one system depends on another (runtime, data, authentication, hosting)',
          body: dependencyCreateSchema,
          response: { 201: dependencySchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        await assertSystemsExist(ctx.db, {
          fromSystemId: req.body.fromSystemId,
          toSystemId: req.body.toSystemId,
        });
        const actor = await onSystems(req, 'dependency.write', [req.body.fromSystemId, req.body.toSystemId]);
        return reply.code(201).send(await createDependency(ctx, { actor, input: req.body }));
      },
    );

    app.delete(
      '/dependencies/:id',
      {
        schema: {
          tags,
          summary: 'Remove a dependency',
          params: idParam,
          response: { 204: z.null(), ...problemResponses },
        },
      },
      async (req, reply) => {
        const d = await getDependency(ctx.db, req.params.id);
        const actor = await onSystems(req, 'dependency.write', [d.fromSystemId, d.toSystemId]);
        await deleteDependency(ctx, { actor, id: req.params.id });
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/dependencies/graph',
      {
        schema: {
          tags,
          summary:
            "The organisation's dependency and data-flow map, optionally for one governance object or unit",
          querystring: orgGraphQuerySchema,
          response: { 200: graphSchema, ...problemResponses },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'system.read');
        return organisationGraph(ctx.db, req.query);
      },
    );

    // ---- integrations and information contracts (G9) ----------------------------------------------------
    app.get(
      '/integrations',
      {
        schema: {
          tags,
          summary: 'Integrations with their contract versions, optionally of one system',
          querystring: integrationListQuerySchema,
          response: { 200: z.object({ items: z.array(integrationSchema) }), ...problemResponses },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'system.read');
        return { items: await listIntegrations(ctx.db, req.query.systemId) };
      },
    );

    app.post(
      '/integrations',
      {
        schema: {
          tags,
          summary:
            'Record an integration from a source to a target system, optionally with a proposed contract',
          body: integrationCreateSchema,
          response: { 201: integrationSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        await assertSystemsExist(ctx.db, {
          sourceSystemId: req.body.sourceSystemId,
          targetSystemId: req.body.targetSystemId,
        });
        const actor = await onSystems(req, 'integration.write', [
          req.body.sourceSystemId,
          req.body.targetSystemId,
        ]);
        return reply.code(201).send(await createIntegration(ctx, { actor, input: req.body }));
      },
    );

    app.get(
      '/integrations/:id',
      {
        schema: {
          tags,
          summary: 'One integration with every contract version',
          params: idParam,
          response: { 200: integrationSchema, ...problemResponses },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'system.read');
        return getIntegration(ctx.db, req.params.id);
      },
    );

    app.post(
      '/integrations/:id/contracts',
      {
        schema: {
          tags,
          summary:
            'Propose a new contract version; the active one stays active until the source owner consents',
          params: idParam,
          body: contractCreateSchema,
          response: { 201: contractSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        const ends = await integrationEnds(ctx.db, req.params.id);
        const actor = actorOf(req);
        const objectRoles = [
          ...(await rolesOnObject(ctx.db, actor.personId, ends.sourceObjectId, today())),
          ...(await rolesOnObject(ctx.db, actor.personId, ends.targetObjectId, today())),
        ];
        await authorize(ctx, req, 'integration.write', { objectRoles });
        return reply
          .code(201)
          .send(await proposeContract(ctx, { actor, integrationId: req.params.id, input: req.body }));
      },
    );

    app.get(
      '/integrations/:id/contracts/:version',
      {
        schema: {
          tags,
          summary: 'One contract version (superseded versions stay readable)',
          params: contractParams,
          response: { 200: contractSchema, ...problemResponses },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'system.read');
        return getContract(ctx.db, req.params.id, req.params.version);
      },
    );

    app.post(
      '/integrations/:id/contracts/:version/consent',
      {
        schema: {
          tags,
          summary:
            "G9: the source system's owner consents; the version becomes active and supersedes the old one",
          params: contractParams,
          response: { 200: contractSchema, ...problemResponses },
        },
      },
      async (req) => {
        const ends = await integrationEnds(ctx.db, req.params.id);
        const actor = await onObject(req, 'contract.consent', ends.sourceObjectId);
        return consentToContract(ctx, { actor, integrationId: req.params.id, version: req.params.version });
      },
    );

    // ---- reports ----------------------------------------------------------------------------------
    app.get(
      '/reports/role-gaps',
      {
        schema: {
          tags: reportTags,
          summary: 'G2/G3: objects missing an expected main role on any day of the period (default: today)',
          querystring: gapQuerySchema,
          response: {
            200: z.object({ from: z.string(), to: z.string(), items: z.array(gapSchema) }),
            ...problemResponses,
          },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'systems-report.read');
        const from = req.query.from ?? today();
        const to = req.query.to ?? from;
        if (to < from)
          throw new AppError(400, 'validation', INVALID_FIELDS, {
            errors: [
              {
                field: 'to',
                message: say('The period ends before it starts.', 'Perioden slutar innan den börjar.'),
              },
            ],
          });
        // The schema's limit again, now that `from` may be today: every day of the period is a row of the
        // query, so `to` alone far ahead (9999-12-31) would keep the database busy for minutes.
        if ((Date.parse(to) - Date.parse(from)) / 86_400_000 > 3 * 366)
          throw new AppError(400, 'validation', INVALID_FIELDS, {
            errors: [
              { field: 'to', message: say('A period of at most three years.', 'En period på högst tre år.') },
            ],
          });
        return { from, to, items: await roleGaps(ctx.db, from, to) };
      },
    );

    app.get(
      '/reports/personal-data-categories',
      {
        schema: {
          tags: reportTags,
          summary: 'G9: the personal-data categories recorded on systems or carried by integrations',
          response: { 200: categoriesInUseSchema, ...problemResponses },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'systems-report.read');
        return { items: await personalDataCategoriesInUse(ctx.db) };
      },
    );

    app.get(
      '/reports/lineage',
      {
        schema: {
          tags: reportTags,
          summary: 'G9: which systems hold data about a personal-data category, and where it came from',
          querystring: lineageQuerySchema,
          response: { 200: lineageSchema, ...problemResponses },
        },
        serializerCompiler: fastSerializerCompiler,
      },
      async (req) => {
        await authorize(ctx, req, 'systems-report.read');
        return lineage(ctx.db, req.query.category);
      },
    );

    app.get(
      '/reports/overdue-documents',
      {
        schema: {
          tags: reportTags,
          summary: 'G11: required documents that are missing or past their review date',
          response: {
            200: z.object({ today: z.string(), items: z.array(overdueDocumentSchema) }),
            ...problemResponses,
          },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'systems-report.read');
        const d = today();
        return { today: d, items: await overdueDocuments(ctx.db, d) };
      },
    );

    app.get(
      '/reports/resolver-reviews',
      {
        schema: {
          tags: reportTags,
          summary: 'G14: systems whose resolver-group members were not reviewed within a year',
          response: {
            200: z.object({ today: z.string(), items: z.array(resolverReviewSchema) }),
            ...problemResponses,
          },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'systems-report.read');
        const d = today();
        return { today: d, items: await resolverReviewsDue(ctx.db, d) };
      },
    );
  };
