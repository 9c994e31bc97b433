import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { addDays, todayOf } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import { validationError } from '../../platform/errors.ts';
import { actorOf, authorize, idParam, problemResponses } from '../../platform/http.ts';
import { say } from '../../platform/text.ts';
import { headsUnitOf } from '../org/org.service.ts';
import {
  absenceCreateSchema,
  absenceEndEarlySchema,
  absenceListQuerySchema,
  absenceSchema,
  coverageGapSchema,
  coverageQuerySchema,
  handoverQuerySchema,
  handoverRoleSchema,
} from './absences.schema.ts';
import {
  absencePerson,
  cancelAbsence,
  coverageGaps,
  endAbsenceEarly,
  handoverRoles,
  listAbsences,
  MAX_REPORT_DAYS,
  registerAbsence,
} from './absences.service.ts';

const tags = ['coverage'];
const noContent = { 204: z.null(), ...problemResponses };

export const absencesRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    /** V1: the person away, the head of one of their units, or an administrator. */
    const forPerson = async (req: FastifyRequest, personId: string) => {
      const head = await headsUnitOf(ctx.db, actorOf(req).personId, personId, todayOf(ctx));
      return authorize(ctx, req, 'absence.write', { personId, unitRoles: head ? ['head'] : [] });
    };

    app.get(
      '/absences',
      {
        schema: {
          tags,
          summary: 'Absences not over by `from` (default today), earliest first; optionally of one person',
          querystring: absenceListQuerySchema,
          response: {
            200: z.object({ items: z.array(absenceSchema), nextCursor: z.string().nullable() }),
            ...problemResponses,
          },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'absence.read');
        const q = req.query;
        return listAbsences(ctx, { ...q, includeCancelled: q.includeCancelled === 'true' });
      },
    );

    app.post(
      '/absences',
      {
        schema: {
          tags,
          summary:
            'V1: register an absence and hand each of the person’s main roles to a cover for its days only',
          body: absenceCreateSchema,
          response: { 201: absenceSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        const actor = await forPerson(req, req.body.personId);
        return reply.code(201).send(await registerAbsence(ctx, { actor, input: req.body }));
      },
    );

    app.delete(
      '/absences/:id',
      {
        schema: {
          tags,
          summary: 'V1: cancel an absence (kept as history); the covers’ roles are taken back',
          params: idParam,
          response: noContent,
        },
      },
      async (req, reply) => {
        const actor = await forPerson(req, await absencePerson(ctx.db, req.params.id));
        await cancelAbsence(ctx, { actor, id: req.params.id });
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/absences/:id/end-early',
      {
        schema: {
          tags,
          summary:
            'V1: the person comes back early: the absence, and every cover’s role and acting head, end on the new last day',
          params: idParam,
          body: absenceEndEarlySchema,
          response: { 200: absenceSchema, ...problemResponses },
        },
      },
      async (req) => {
        const actor = await forPerson(req, await absencePerson(ctx.db, req.params.id));
        return endAbsenceEarly(ctx, { actor, id: req.params.id, lastDay: req.body.lastDay });
      },
    );

    app.get(
      '/absences/handover-roles',
      {
        schema: {
          tags,
          summary: 'V1: the main roles a person holds during a period (what a cover takes over)',
          querystring: handoverQuerySchema,
          response: {
            200: z.object({
              items: z.array(handoverRoleSchema),
              units: z.array(z.object({ id: z.uuid(), name: z.string() })),
            }),
            ...problemResponses,
          },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'absence.read');
        return handoverRoles(ctx.db, req.query.personId, req.query.from, req.query.to);
      },
    );

    app.get(
      '/reports/coverage',
      {
        schema: {
          tags: ['reports'],
          summary:
            'V2: periods in which every holder of a system’s needed role, or every orderer of a unit, is away',
          querystring: coverageQuerySchema,
          response: {
            200: z.object({ from: z.string(), to: z.string(), items: z.array(coverageGapSchema) }),
            ...problemResponses,
          },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'coverage.read');
        const from = req.query.from ?? todayOf(ctx);
        const to = req.query.to ?? addDays(from, 90);
        if (to < from)
          throw validationError([
            {
              field: 'to',
              message: say('The period ends before it starts.', 'Perioden slutar innan den börjar.'),
            },
          ]);
        if (to > addDays(from, MAX_REPORT_DAYS - 1))
          throw validationError([
            {
              field: 'to',
              message: say(
                `A report covers at most ${MAX_REPORT_DAYS} days.`,
                `En rapport omfattar högst ${MAX_REPORT_DAYS} dagar.`,
              ),
            },
          ]);
        return { from, to, items: await coverageGaps(ctx.db, from, to) };
      },
    );
  };
