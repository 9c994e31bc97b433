// HTTP API of the software module: titles, seat pools, licence coordinators (S1), keys and assignments
// (S2), use reports (S2, S3), procurement requests (S4) and announcements to coordinators (S5).
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { localDate, todayOf } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import {
  actorOf,
  authorize,
  etagOf,
  idParam,
  ifMatchVersion,
  problemResponses,
} from '../../platform/http.ts';
import { type Action, can } from '../../platform/policy.ts';
import {
  announcementCreateSchema,
  announcementSchema,
  appointSchema,
  assignmentSchema,
  assignSchema,
  cancelSchema,
  coordinatorSchema,
  decisionSchema,
  keysCreateSchema,
  missingReportSchema,
  missingReportsQuery,
  procurementCreateSchema,
  procurementListQuery,
  procurementSchema,
  registerSchema,
  reportCreateSchema,
  reportSchema,
  revealSchema,
  seatPoolPutSchema,
  seatPoolSchema,
  titleCreateSchema,
  titleListQuerySchema,
  titlePatchSchema,
  titleSchema,
  titleUnitParams,
} from './software.schema.ts';
import {
  addKeys,
  announce,
  appointCoordinator,
  assignLicence,
  assignmentsOfPerson,
  assignmentUnit,
  cancelAssignment,
  coordinatorHistory,
  createTitle,
  currentCoordinators,
  decideProcurement,
  getTitle,
  keyFacts,
  listAnnouncements,
  listProcurement,
  listSeatPools,
  listTitles,
  missingReports,
  requestProcurement,
  revealKey,
  setSeatPool,
  submitReport,
  unitRegister,
  unitRolesOf,
  unitRolesOfMany,
  updateTitle,
} from './software.service.ts';

const tags = ['software'];

export const softwareRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    /** Authorises with the caller's roles on the unit (head of unit, licence coordinator). */
    const onUnit = async (req: FastifyRequest, action: Action, unitId: string, personId?: string | null) => {
      const actor = actorOf(req);
      const unitRoles = await unitRolesOf(ctx.db, actor.personId, unitId, todayOf(ctx));
      return authorize(ctx, req, action, { unitRoles, personId });
    };
    const today = () => localDate(ctx.clock.now());
    /** The given units whose licence register the caller may read (S2), asked of the policy without trying. */
    const readableUnits = async (req: FastifyRequest, unitIds: Iterable<string>) => {
      const actor = actorOf(req);
      const subject = { roles: actor.roles, personId: actor.personId };
      const ids = [...new Set(unitIds)];
      const rolesByUnit = await unitRolesOfMany(ctx.db, actor.personId, ids, todayOf(ctx));
      return new Set(
        ids.filter((id) => can(subject, 'licence.read-unit', { unitRoles: rolesByUnit.get(id) ?? [] })),
      );
    };

    // ---- titles ----------------------------------------------------------------------------------------
    app.get(
      '/software',
      {
        schema: {
          tags,
          summary: 'The software catalogue: titles offered for distribution, with search and filters',
          querystring: titleListQuerySchema,
          response: { 200: z.object({ items: z.array(titleSchema) }), ...problemResponses },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'software.read');
        const q = req.query;
        return {
          items: await listTitles(ctx.db, {
            q: q.q,
            model: q.model,
            offered: q.offered === undefined ? undefined : q.offered === 'true',
            expiringWithinDays: q.expiringWithinDays,
            today: today(),
          }),
        };
      },
    );

    app.post(
      '/software',
      {
        schema: {
          tags,
          summary: 'Add a software title',
          body: titleCreateSchema,
          response: { 201: titleSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        const actor = await authorize(ctx, req, 'software.write');
        const t = await createTitle(ctx, { actor, input: req.body });
        return reply.code(201).header('etag', etagOf(t.version)).send(t);
      },
    );

    app.get(
      '/software/:id',
      {
        schema: {
          tags,
          summary: 'One title',
          params: idParam,
          response: { 200: titleSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        await authorize(ctx, req, 'software.read');
        const t = await getTitle(ctx.db, req.params.id);
        return reply.header('etag', etagOf(t.version)).send(t);
      },
    );

    app.patch(
      '/software/:id',
      {
        schema: {
          tags,
          summary: 'Edit a title (If-Match)',
          params: idParam,
          body: titlePatchSchema,
          response: { 200: titleSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        const actor = await authorize(ctx, req, 'software.write');
        const t = await updateTitle(ctx, {
          actor,
          id: req.params.id,
          expectedVersion: ifMatchVersion(req),
          patch: req.body,
        });
        return reply.header('etag', etagOf(t.version)).send(t);
      },
    );

    app.get(
      '/software/:id/seat-pools',
      {
        schema: {
          tags,
          summary: 'Seat pools of a seat-limited title per unit, with the seats in use',
          params: idParam,
          response: { 200: z.object({ items: z.array(seatPoolSchema) }), ...problemResponses },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'software.read');
        return { items: await listSeatPools(ctx.db, req.params.id) };
      },
    );

    app.put(
      '/software/:id/seat-pools/:unitId',
      {
        schema: {
          tags,
          summary: "Set a unit's seats of a seat-limited title (never below the seats in use)",
          params: titleUnitParams,
          body: seatPoolPutSchema,
          response: {
            200: z.object({ unitId: z.uuid(), seats: z.number(), used: z.number() }),
            ...problemResponses,
          },
        },
      },
      async (req) => {
        const actor = await authorize(ctx, req, 'software.write');
        return setSeatPool(ctx, {
          actor,
          titleId: req.params.id,
          unitId: req.params.unitId,
          seats: req.body.seats,
        });
      },
    );

    // ---- coordinators (S1) ----------------------------------------------------------------------------------
    app.get(
      '/licence-coordinators',
      {
        schema: {
          tags,
          summary: 'Every current licence coordinator, by unit',
          response: {
            200: z.object({
              items: z.array(
                coordinatorSchema.extend({
                  mayReadUnit: z.boolean().describe("S2: the caller may open the unit's licence register"),
                }),
              ),
            }),
            ...problemResponses,
          },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'software.read');
        const items = await currentCoordinators(ctx.db);
        const readable = await readableUnits(
          req,
          items.map((c) => c.unit.id),
        );
        return { items: items.map((c) => ({ ...c, mayReadUnit: readable.has(c.unit.id) })) };
      },
    );

    app.get(
      '/org-units/:id/licence-coordinators',
      {
        schema: {
          tags,
          summary: "A unit's licence coordinators: the current one and the history (S1)",
          params: idParam,
          response: { 200: z.object({ items: z.array(coordinatorSchema) }), ...problemResponses },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'software.read');
        return { items: await coordinatorHistory(ctx.db, req.params.id) };
      },
    );

    app.post(
      '/org-units/:id/licence-coordinators',
      {
        schema: {
          tags,
          summary: "S1: the unit's head appoints a licence coordinator with a signed commitment",
          params: idParam,
          body: appointSchema,
          response: { 201: coordinatorSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        const actor = await onUnit(req, 'coordinator.appoint', req.params.id);
        return reply
          .code(201)
          .send(await appointCoordinator(ctx, { actor, unitId: req.params.id, input: req.body }));
      },
    );

    app.post(
      '/licence-coordinators/announcements',
      {
        schema: {
          tags,
          summary: 'S5: send an announcement to every current licence coordinator (through the outbox)',
          body: announcementCreateSchema,
          response: {
            201: z.object({
              id: z.uuid(),
              recipients: z.number(),
              unreachable: z.array(z.object({ name: z.string(), unit: z.string() })),
            }),
            ...problemResponses,
          },
        },
      },
      async (req, reply) => {
        const actor = await authorize(ctx, req, 'announcement.send');
        return reply.code(201).send(await announce(ctx, { actor, ...req.body }));
      },
    );

    app.get(
      '/licence-coordinators/announcements',
      {
        schema: {
          tags,
          summary: 'Announcements sent to the coordinators',
          response: { 200: z.object({ items: z.array(announcementSchema) }), ...problemResponses },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'announcement.send');
        return { items: await listAnnouncements(ctx.db) };
      },
    );

    // ---- the unit's register, keys and assignments (S2) ----------------------------------------------------
    app.get(
      '/org-units/:id/licences',
      {
        schema: {
          tags,
          summary:
            "The unit's licence register: coordinators, assignments, keys (hints only), seats, reports",
          params: idParam,
          response: { 200: registerSchema, ...problemResponses },
        },
      },
      async (req) => {
        await onUnit(req, 'licence.read-unit', req.params.id);
        const yourRoles = await unitRolesOf(ctx.db, actorOf(req).personId, req.params.id, todayOf(ctx));
        return { ...(await unitRegister(ctx.db, req.params.id, todayOf(ctx))), yourRoles };
      },
    );

    app.get(
      '/me/software',
      {
        schema: {
          tags,
          summary: 'The software and keys assigned to me',
          response: { 200: z.object({ items: z.array(assignmentSchema) }), ...problemResponses },
        },
      },
      async (req) => {
        const actor = actorOf(req);
        return { items: actor.personId ? await assignmentsOfPerson(ctx.db, actor.personId) : [] };
      },
    );

    app.get(
      '/persons/:id/software',
      {
        schema: {
          tags,
          summary:
            "S2: the software and keys assigned to a person, as far as the caller may see them: all to the person, administrators and auditors; a unit's to its head and licence coordinator",
          params: idParam,
          response: { 200: z.object({ items: z.array(assignmentSchema) }), ...problemResponses },
        },
      },
      async (req) => {
        const actor = actorOf(req);
        const all = await assignmentsOfPerson(ctx.db, req.params.id);
        if (actor.personId === req.params.id) return { items: all };
        const visible = await readableUnits(
          req,
          all.map((a) => a.unit.id),
        );
        return { items: all.filter((a) => visible.has(a.unit.id)) };
      },
    );

    app.post(
      '/licence-keys',
      {
        schema: {
          tags,
          summary: "Add licence keys to a unit's stock (stored encrypted; never shown in lists)",
          body: keysCreateSchema,
          response: {
            201: z.object({ added: z.number(), keyIds: z.array(z.uuid()) }),
            ...problemResponses,
          },
        },
      },
      async (req, reply) => {
        const actor = await authorize(ctx, req, 'licence-key.write');
        return reply.code(201).send(await addKeys(ctx, { actor, ...req.body }));
      },
    );

    app.post(
      '/licence-keys/:id/reveal',
      {
        schema: {
          tags,
          summary:
            "S2: show a key in clear, to the unit's coordinator or the person it is assigned to (audited)",
          params: idParam,
          response: { 200: revealSchema, ...problemResponses },
        },
      },
      async (req) => {
        const facts = await keyFacts(ctx.db, req.params.id);
        const actor = await onUnit(req, 'licence-key.reveal', facts.unitId, facts.assigneePersonId);
        return revealKey(ctx, { actor, keyId: req.params.id });
      },
    );

    app.post(
      '/licence-assignments',
      {
        schema: {
          tags,
          summary: 'S2: the coordinator assigns a title (and a key) to a person of the unit',
          body: assignSchema,
          response: { 201: assignmentSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        const actor = await onUnit(req, 'licence.assign', req.body.unitId);
        return reply.code(201).send(await assignLicence(ctx, { actor, input: req.body }));
      },
    );

    app.post(
      '/licence-assignments/:id/cancel',
      {
        schema: {
          tags,
          summary: 'S2: the coordinator cancels an assignment (the seat and key become free)',
          params: idParam,
          body: cancelSchema,
          response: { 200: assignmentSchema, ...problemResponses },
        },
      },
      async (req) => {
        const unitId = await assignmentUnit(ctx.db, req.params.id);
        const actor = await onUnit(req, 'licence.assign', unitId);
        return cancelAssignment(ctx, { actor, id: req.params.id, reason: req.body.reason });
      },
    );

    // ---- reporting (S2, S3) ------------------------------------------------------------------------------
    app.post(
      '/licence-reports',
      {
        schema: {
          tags,
          summary:
            "S2: the coordinator reports the unit's use of a title for a year (S3: not for site licences)",
          body: reportCreateSchema,
          response: { 201: reportSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        const actor = await onUnit(req, 'licence.report', req.body.unitId);
        return reply.code(201).send(await submitReport(ctx, { actor, input: req.body }));
      },
    );

    app.get(
      '/reports/missing-licence-reports',
      {
        schema: {
          tags,
          summary:
            'Units that used a title needing reporting in a year and have not reported after the deadline',
          querystring: missingReportsQuery,
          response: {
            200: z.object({ periodYear: z.number(), items: z.array(missingReportSchema) }),
            ...problemResponses,
          },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'software-report.read');
        const year = req.query.year ?? Number(today().slice(0, 4)) - 1;
        return { periodYear: year, items: await missingReports(ctx, year) };
      },
    );

    // ---- procurement (S4) ---------------------------------------------------------------------------------
    app.post(
      '/procurement-requests',
      {
        schema: {
          tags,
          summary: 'S4: request software that is not offered',
          body: procurementCreateSchema,
          response: { 201: procurementSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        const actor = await authorize(ctx, req, 'procurement.request');
        return reply.code(201).send(await requestProcurement(ctx, { actor, input: req.body }));
      },
    );

    app.get(
      '/procurement-requests',
      {
        schema: {
          tags,
          summary: 'Procurement requests: all (procurement) or mine',
          querystring: procurementListQuery,
          response: { 200: z.object({ items: z.array(procurementSchema) }), ...problemResponses },
        },
      },
      async (req) => {
        const actor = actorOf(req);
        if (req.query.mine === 'true' || !(await canDecide(req))) {
          await authorize(ctx, req, 'procurement.request');
          return {
            items: await listProcurement(ctx.db, { status: req.query.status, personId: actor.personId }),
          };
        }
        return { items: await listProcurement(ctx.db, { status: req.query.status }) };
      },
    );
    const canDecide = async (req: FastifyRequest) => {
      const a = actorOf(req);
      return can({ roles: a.roles, personId: a.personId }, 'procurement.decide');
    };

    app.post(
      '/procurement-requests/:id/decision',
      {
        schema: {
          tags,
          summary: 'Approve or reject a procurement request (a rejection needs its reason)',
          params: idParam,
          body: decisionSchema,
          response: { 200: procurementSchema, ...problemResponses },
        },
      },
      async (req) => {
        const actor = await authorize(ctx, req, 'procurement.decide');
        return decideProcurement(ctx, { actor, id: req.params.id, ...req.body });
      },
    );
  };
