// Routes of the plans module: parse (zod) → authorise (policy, with the caller's roles on the plan's
// governance object as the resource) → service → present.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
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
import { assertObjectExists } from '../systems/governance.service.ts';
import { objectRolesOf, rolesOnObject, todayOf } from '../systems/systems.service.ts';
import {
  attestedBefore,
  getSettings,
  putSettings,
  runAnnualCycle,
  sendReminders,
  yearDashboard,
} from './annual.service.ts';
import {
  attestChecklist,
  currentTemplate,
  getChecklist,
  openDeviations,
  putTemplate,
  saveAnswers,
  systemOf,
} from './checklist.service.ts';
import { renderPlanPdf } from './plans.pdf.ts';
import {
  activityCreateSchema,
  activityPatchSchema,
  answersPutSchema,
  checklistSchema,
  cycleBodySchema,
  cycleResultSchema,
  dashboardQuerySchema,
  dashboardSchema,
  deviationSchema,
  diffSchema,
  objectPlanAbilitiesSchema,
  planCreateSchema,
  planSummarySchema,
  remindBodySchema,
  settingsPutSchema,
  settingsSchema,
  signBodySchema,
  templatePutSchema,
  templateSchema,
  versionPatchSchema,
  versionSchema,
  yearSchema,
} from './plans.schema.ts';
import {
  addActivity,
  approveVersion,
  createPlan,
  deleteActivity,
  diffVersions,
  documentOf,
  getPlan,
  getVersion,
  listPlansOfObject,
  objectOfActivity,
  objectOfPlan,
  objectOfVersion,
  proposeVersion,
  returnToDraft,
  reviseVersion,
  signaturesOf,
  signVersion,
  updateActivity,
  updateVersion,
  versionRow,
} from './plans.service.ts';

const tags = ['plans'];

export const plansRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const today = () => todayOf(ctx);
    /** Authorises `action` with the caller's current roles on the object; returns the actor and roles. */
    const onObject = async (req: FastifyRequest, action: Action, objectId: string) => {
      const actor = actorOf(req);
      const objectRoles = await rolesOnObject(ctx.db, actor.personId, objectId, today());
      return { actor: await authorize(ctx, req, action, { objectRoles }), objectRoles };
    };
    const caller = (req: FastifyRequest, objectRoles: GovernanceRole[]) => ({
      objectRoles,
      isAdmin: actorOf(req).roles.includes('administrator'),
    });
    const versionOut = async (req: FastifyRequest, versionId: string, objectRoles: GovernanceRole[]) =>
      getVersion(ctx, versionId, caller(req, objectRoles));

    const vParam = z.object({ versionId: z.uuid() });
    const aParam = z.object({ activityId: z.uuid() });
    const sParam = z.object({ systemId: z.uuid() });

    // ---- dashboard, cycle, settings ------------------------------------------------------------------
    app.get(
      '/plans/dashboard',
      {
        schema: {
          tags,
          summary: 'Year dashboard: every governance object’s plan status for a year',
          querystring: dashboardQuerySchema,
          response: { 200: dashboardSchema, ...problemResponses },
        },
        serializerCompiler: fastSerializerCompiler,
      },
      async (req) => {
        const actor = await authorize(ctx, req, 'plan.dashboard');
        const [board, held] = await Promise.all([
          yearDashboard(ctx.db, req.query, today()),
          objectRolesOf(ctx.db, actor.personId, today()),
        ]);
        const subject = { roles: actor.roles, personId: actor.personId };
        return {
          ...board,
          items: board.items.map((r) => ({
            ...r,
            mayRead: can(subject, 'plan.read', { objectRoles: held.get(r.objectId) ?? [] }),
          })),
        };
      },
    );

    app.get(
      '/plans/deviations',
      {
        schema: {
          tags,
          summary: 'Open checklist deviations across the organisation (G6)',
          querystring: z.object({
            objectId: z.uuid().optional(),
            year: yearSchema
              .optional()
              .describe('A past year: the deviations open when it ended (default: open today)'),
          }),
          response: { 200: z.object({ items: z.array(deviationSchema) }), ...problemResponses },
        },
      },
      async (req) => {
        if (req.query.objectId) {
          await assertObjectExists(ctx.db, req.query.objectId);
          await onObject(req, 'checklist.read', req.query.objectId);
        } else await authorize(ctx, req, 'plan.dashboard');
        const before = req.query.year === undefined ? undefined : attestedBefore(req.query.year, today());
        return {
          items: await openDeviations(ctx.db, { objectId: req.query.objectId, attestedBefore: before }),
        };
      },
    );

    app.post(
      '/plans/annual-cycle',
      {
        schema: {
          tags,
          summary: 'Run the annual cycle now: draft the year’s plan for every object that has none',
          body: cycleBodySchema,
          response: { 200: cycleResultSchema, ...problemResponses },
        },
      },
      async (req) => {
        const actor = await authorize(ctx, req, 'plan.cycle');
        return runAnnualCycle(ctx, { actor, year: req.body.year });
      },
    );

    app.post(
      '/plans/reminders',
      {
        schema: {
          tags,
          summary: 'E-mail the system manager and IT system manager of every object whose plan is not signed',
          body: remindBodySchema,
          response: {
            200: z.object({ year: z.number().int(), objects: z.number().int(), notified: z.number().int() }),
            ...problemResponses,
          },
        },
      },
      async (req) => {
        const actor = await authorize(ctx, req, 'plan.cycle');
        return sendReminders(ctx, { actor, year: req.body.year });
      },
    );

    app.get(
      '/plans/settings',
      {
        schema: {
          tags,
          summary: 'Annual-cycle settings',
          response: { 200: settingsSchema, ...problemResponses },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'plan.dashboard');
        return getSettings(ctx.db);
      },
    );
    app.put(
      '/plans/settings',
      {
        schema: {
          tags,
          summary: 'Set the annual-cycle date (month-day, default 11-01)',
          body: settingsPutSchema,
          response: { 200: settingsSchema, ...problemResponses },
        },
      },
      async (req) => {
        const actor = await authorize(ctx, req, 'plan.cycle');
        return putSettings(ctx, { actor, cycleMonthDay: req.body.cycleMonthDay });
      },
    );

    // ---- plans -----------------------------------------------------------------------------------------
    app.get(
      '/governance-objects/:id/plans',
      {
        schema: {
          tags,
          summary: 'The plans of a governance object, by year, with their versions',
          params: idParam,
          response: { 200: z.object({ items: z.array(planSummarySchema) }), ...problemResponses },
        },
      },
      async (req) => {
        await assertObjectExists(ctx.db, req.params.id);
        await onObject(req, 'plan.read', req.params.id);
        return { items: await listPlansOfObject(ctx, req.params.id) };
      },
    );

    app.get(
      '/governance-objects/:id/plan-abilities',
      {
        schema: {
          tags,
          summary: 'What the caller may do with the object’s plans and checklists (for the object’s page)',
          params: idParam,
          response: { 200: objectPlanAbilitiesSchema, ...problemResponses },
        },
      },
      async (req) => {
        const actor = await authorize(ctx, req, 'system.read');
        await assertObjectExists(ctx.db, req.params.id);
        const objectRoles = await rolesOnObject(ctx.db, actor.personId, req.params.id, today());
        const subject = { roles: actor.roles, personId: actor.personId };
        return {
          readPlans: can(subject, 'plan.read', { objectRoles }),
          createPlan: can(subject, 'plan.create', { objectRoles }),
          readChecklist: can(subject, 'checklist.read', { objectRoles }),
        };
      },
    );

    app.post(
      '/governance-objects/:id/plans',
      {
        schema: {
          tags,
          summary: 'Start the plan of a year (G1: one per object and year) with a first draft version',
          params: idParam,
          body: planCreateSchema,
          response: { 201: planSummarySchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        await assertObjectExists(ctx.db, req.params.id);
        const { actor } = await onObject(req, 'plan.create', req.params.id);
        const plan = await createPlan(ctx, { actor, objectId: req.params.id, ...req.body });
        return reply.code(201).send(plan);
      },
    );

    app.get(
      '/plans/:id',
      {
        schema: {
          tags,
          summary: 'A plan and its versions',
          params: idParam,
          response: { 200: planSummarySchema, ...problemResponses },
        },
      },
      async (req) => {
        await onObject(req, 'plan.read', await objectOfPlan(ctx.db, req.params.id));
        return getPlan(ctx, req.params.id);
      },
    );

    app.get(
      '/plans/:id/diff',
      {
        schema: {
          tags,
          summary: 'Differences between two versions of a plan',
          params: idParam,
          querystring: z.object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) }),
          response: { 200: diffSchema, ...problemResponses },
        },
      },
      async (req) => {
        await onObject(req, 'plan.read', await objectOfPlan(ctx.db, req.params.id));
        return diffVersions(ctx, req.params.id, req.query.from, req.query.to);
      },
    );

    app.get(
      '/plan-versions/:versionId',
      {
        schema: {
          tags,
          summary: 'A version of a plan: main part, activities, budget, appendices, signatures',
          params: vParam,
          response: { 200: versionSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        const { objectRoles } = await onObject(
          req,
          'plan.read',
          await objectOfVersion(ctx.db, req.params.versionId),
        );
        const v = await versionOut(req, req.params.versionId, objectRoles);
        return reply.header('etag', etagOf(v.rowVersion)).send(v);
      },
    );

    app.patch(
      '/plan-versions/:versionId',
      {
        schema: {
          tags,
          summary: 'Edit the main part of a draft (G5: system manager or IT system manager; If-Match)',
          params: vParam,
          body: versionPatchSchema,
          response: { 200: versionSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        const { actor, objectRoles } = await onObject(
          req,
          'plan.write',
          await objectOfVersion(ctx.db, req.params.versionId),
        );
        await updateVersion(ctx, {
          actor,
          versionId: req.params.versionId,
          ifVersion: ifMatchVersion(req),
          patch: req.body,
        });
        const v = await versionOut(req, req.params.versionId, objectRoles);
        return reply.header('etag', etagOf(v.rowVersion)).send(v);
      },
    );

    const transition = (
      path: string,
      action: Action,
      summary: string,
      run: (a: { actor: ReturnType<typeof actorOf>; versionId: string }) => Promise<unknown>,
    ) =>
      app.post(
        `/plan-versions/:versionId/${path}`,
        { schema: { tags, summary, params: vParam, response: { 200: versionSchema, ...problemResponses } } },
        async (req) => {
          const { actor, objectRoles } = await onObject(
            req,
            action,
            await objectOfVersion(ctx.db, req.params.versionId),
          );
          await run({ actor, versionId: req.params.versionId });
          return versionOut(req, req.params.versionId, objectRoles);
        },
      );
    transition('propose', 'plan.write', 'Propose a draft for approval (G5)', (a) => proposeVersion(ctx, a));
    transition('return', 'plan.write', 'Return a proposed version to draft (editors withdraw it)', (a) =>
      returnToDraft(ctx, a),
    );
    transition('reject', 'plan.approve', 'The system owner sends a proposed version back to draft', (a) =>
      returnToDraft(ctx, a),
    );
    transition(
      'approve',
      'plan.approve',
      'Approve a proposed version (G5: the system owner); freezes and hashes it',
      (a) => approveVersion(ctx, a),
    );

    app.post(
      '/plan-versions/:versionId/sign',
      {
        schema: {
          tags,
          summary:
            'Sign an approved version as system owner or IT system owner (G5); records the content hash',
          params: vParam,
          body: signBodySchema,
          response: { 200: versionSchema, ...problemResponses },
        },
      },
      async (req) => {
        const { actor, objectRoles } = await onObject(
          req,
          'plan.sign',
          await objectOfVersion(ctx.db, req.params.versionId),
        );
        await signVersion(ctx, {
          actor,
          versionId: req.params.versionId,
          role: req.body.role,
          heldRoles: objectRoles,
        });
        return versionOut(req, req.params.versionId, objectRoles);
      },
    );

    app.post(
      '/plan-versions/:versionId/revise',
      {
        schema: {
          tags,
          summary: 'Start a revision: a new draft version copied from this approved one (G5)',
          params: vParam,
          response: { 201: versionSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        const { actor, objectRoles } = await onObject(
          req,
          'plan.write',
          await objectOfVersion(ctx.db, req.params.versionId),
        );
        const id = await reviseVersion(ctx, { actor, versionId: req.params.versionId });
        return reply.code(201).send(await versionOut(req, id, objectRoles));
      },
    );

    app.get(
      '/plan-versions/:versionId/pdf',
      {
        schema: {
          tags,
          summary:
            'The version as PDF for registration and archiving (all parts, signatures, hash, page numbers)',
          params: vParam,
          produces: ['application/pdf'],
        },
      },
      async (req, reply) => {
        await onObject(req, 'plan.read', await objectOfVersion(ctx.db, req.params.versionId));
        const v = await versionRow(ctx.db, req.params.versionId);
        const doc = await documentOf(ctx.db, v, today());
        const pdf = await renderPlanPdf({
          doc,
          state: v.state,
          contentHash: v.content_hash,
          signatures: await signaturesOf(ctx.db, v.id),
          generatedAt: ctx.clock.now(),
        });
        const name = `plan-${doc.year}-${doc.object.name.replace(/[^A-Za-z0-9]+/g, '-')}-v${doc.number}.pdf`;
        return reply
          .header('content-type', 'application/pdf')
          .header('content-disposition', `attachment; filename="${name}"`)
          .send(pdf);
      },
    );

    // ---- activities --------------------------------------------------------------------------------------
    app.post(
      '/plan-versions/:versionId/activities',
      {
        schema: {
          tags,
          summary: 'Add an activity to a draft (G7)',
          params: vParam,
          body: activityCreateSchema,
          response: { 201: versionSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        const { actor, objectRoles } = await onObject(
          req,
          'plan.write',
          await objectOfVersion(ctx.db, req.params.versionId),
        );
        await addActivity(ctx, { actor, versionId: req.params.versionId, input: req.body });
        return reply.code(201).send(await versionOut(req, req.params.versionId, objectRoles));
      },
    );

    app.patch(
      '/plan-activities/:activityId',
      {
        schema: {
          tags,
          summary: 'Edit an activity of a draft (If-Match: the activity’s version)',
          params: aParam,
          body: activityPatchSchema,
          response: { 200: versionSchema, ...problemResponses },
        },
      },
      async (req) => {
        const { objectId, versionId } = await objectOfActivity(ctx.db, req.params.activityId);
        const { actor, objectRoles } = await onObject(req, 'plan.write', objectId);
        await updateActivity(ctx, {
          actor,
          activityId: req.params.activityId,
          ifVersion: ifMatchVersion(req),
          patch: req.body,
        });
        return versionOut(req, versionId, objectRoles);
      },
    );

    app.delete(
      '/plan-activities/:activityId',
      {
        schema: {
          tags,
          summary: 'Remove an activity from a draft',
          params: aParam,
          response: { 200: versionSchema, ...problemResponses },
        },
      },
      async (req) => {
        const { objectId, versionId } = await objectOfActivity(ctx.db, req.params.activityId);
        const { actor, objectRoles } = await onObject(req, 'plan.write', objectId);
        await deleteActivity(ctx, { actor, activityId: req.params.activityId });
        return versionOut(req, versionId, objectRoles);
      },
    );

    // ---- checklist ---------------------------------------------------------------------------------------
    app.get(
      '/checklist-template',
      {
        schema: {
          tags,
          summary: 'The current security and continuity checklist template',
          response: { 200: templateSchema, ...problemResponses },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'system.read');
        return currentTemplate(ctx.db);
      },
    );
    app.put(
      '/checklist-template',
      {
        schema: {
          tags,
          summary: 'Replace the questions (administrators); saved as a new template version',
          body: templatePutSchema,
          response: { 200: templateSchema, ...problemResponses },
        },
      },
      async (req) => {
        const actor = await authorize(ctx, req, 'checklist-template.write');
        return putTemplate(ctx, { actor, questions: req.body.questions });
      },
    );

    const checklistOut = async (_req: FastifyRequest, systemId: string, objectRoles: GovernanceRole[]) => ({
      ...(await getChecklist(ctx, systemId)),
      abilities: {
        answer: ['system_manager', 'it_system_manager', 'it_system_owner'].some((r) =>
          objectRoles.includes(r as GovernanceRole),
        ),
        attest: objectRoles.includes('it_system_owner'),
      },
    });

    app.get(
      '/systems/:systemId/checklist',
      {
        schema: {
          tags,
          summary:
            'The system’s security and continuity checklist: draft, latest attested, history, open deviations',
          params: sParam,
          response: { 200: checklistSchema, ...problemResponses },
        },
      },
      async (req) => {
        const s = await systemOf(ctx.db, req.params.systemId);
        const { objectRoles } = await onObject(req, 'checklist.read', s.objectId);
        return checklistOut(req, s.id, objectRoles);
      },
    );
    app.put(
      '/systems/:systemId/checklist',
      {
        schema: {
          tags,
          summary:
            'Answer questions of the system’s draft checklist (YES / NO / PARTLY / NOT_APPLICABLE + comment)',
          params: sParam,
          body: answersPutSchema,
          response: { 200: checklistSchema, ...problemResponses },
        },
      },
      async (req) => {
        const s = await systemOf(ctx.db, req.params.systemId);
        const { actor, objectRoles } = await onObject(req, 'checklist.answer', s.objectId);
        await saveAnswers(ctx, { actor, systemId: s.id, answers: req.body.answers });
        return checklistOut(req, s.id, objectRoles);
      },
    );
    app.post(
      '/systems/:systemId/checklist/attest',
      {
        schema: {
          tags,
          summary: 'Attest the draft checklist (G6: the IT system owner); deviations are e-mailed',
          params: sParam,
          response: { 200: checklistSchema.extend({ notified: z.number().int() }), ...problemResponses },
        },
      },
      async (req) => {
        const s = await systemOf(ctx.db, req.params.systemId);
        const { actor, objectRoles } = await onObject(req, 'checklist.attest', s.objectId);
        const r = await attestChecklist(ctx, { actor, systemId: s.id });
        return { ...(await checklistOut(req, s.id, objectRoles)), notified: r.notified };
      },
    );
  };
