// HTTP API of module licence pools (L1–L8): pools with their consumption, prepare/confirm of size
// changes ("check out"), history, consumers by unit and person, and the chargeback per unit as CSV.
import { stringify } from 'csv-stringify/sync';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { localDate } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import { sendDownload, XLSX_TYPE } from '../../platform/download.ts';
import { actorOf, authorize, idParam, problemResponses } from '../../platform/http.ts';
import { can } from '../../platform/policy.ts';
import { licenceWatch } from './alerts.service.ts';
import {
  CHARGEBACK_COLUMNS,
  cancelPoolChange,
  chargeback,
  chargebackXlsx,
  confirmPoolChange,
  createPool,
  licenceUseOfPerson,
  listPools,
  poolDetail,
  poolFacts,
  poolTrend,
  preparePoolChange,
} from './pools.service.ts';

const tags = ['licences'];
const ref = z.object({ id: z.uuid(), name: z.string() });
const poolSchema = z
  .object({
    id: z.uuid(),
    system: ref,
    module: z.string(),
    size: z.number(),
    used: z.number().describe('L1: people holding an active grant that includes the module, counted once'),
    free: z.number(),
    utilisation: z.number().nullable().describe('used / size in percent'),
    unitPrice: z.number(),
    currency: z.string(),
    costPerYear: z.number(),
    version: z.number(),
    createdAt: z.string().describe('When the pool was set up (its size then: the first change’s old size)'),
  })
  .meta({ id: 'LicencePool' });
const changeSchema = z
  .object({
    id: z.uuid(),
    poolId: z.uuid(),
    status: z.enum(['prepared', 'confirmed', 'cancelled']),
    kind: z.enum(['upgrade', 'downgrade']),
    oldSize: z.number(),
    newSize: z.number(),
    unitPrice: z.number(),
    total: z.number(),
    note: z.string(),
    preparedBy: z.string(),
    preparedAt: z.string(),
    confirmedBy: z.string().nullable(),
    confirmedAt: z.string().nullable(),
  })
  .meta({ id: 'LicencePoolChange' });
const detailSchema = z.object({
  pool: poolSchema,
  canChange: z.boolean().describe('L5: whether the caller may prepare and confirm a size change'),
  changes: z.array(changeSchema),
  consumerCount: z.number().describe('All consumers; `consumers` lists the first 200 by name'),
  consumers: z.array(
    z.object({
      // Ids checked as strings, not UUID formats: the check on 400 ids costs more than the rest of the answer.
      person: z.object({ id: z.string(), displayName: z.string(), status: z.enum(['active', 'left']) }),
      unit: z.object({ id: z.string(), name: z.string() }).nullable(),
    }),
  ),
  byUnit: z.array(
    z.object({
      unitId: z.uuid().nullable(),
      unitName: z.string(),
      used: z.number(),
      share: z.number(),
      cost: z.number(),
    }),
  ),
});
const changeParams = z.object({ id: z.uuid(), changeId: z.uuid() });

export const poolsRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    /** L5: administrators, or the contract owner of the pool's system. */
    const onPool = async (req: FastifyRequest, poolId: string) => {
      const facts = await poolFacts(ctx.db, poolId);
      const actor = actorOf(req);
      return authorize(ctx, req, 'pool.change', {
        contractOwner: !!actor.personId && facts.contractOwnerPersonId === actor.personId,
      });
    };

    app.get(
      '/licence-pools',
      {
        schema: {
          tags,
          summary: 'Module licence pools with size, consumption and utilisation (L1, L8)',
          querystring: z.object({ systemId: z.uuid().optional() }),
          response: { 200: z.object({ items: z.array(poolSchema) }), ...problemResponses },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'pool.read');
        return { items: await listPools(ctx.db, { systemId: req.query.systemId }) };
      },
    );

    app.get(
      '/licence-pools/watch',
      {
        schema: {
          tags,
          summary: 'The licences dashboard: pools above 90 % and software agreements due within 90 days',
          response: {
            200: z.object({
              poolsAbove: z.array(poolSchema),
              agreementsExpiring: z.array(
                z.object({
                  id: z.uuid(),
                  name: z.string(),
                  productVersion: z.string(),
                  vendor: z.string(),
                  licenceModel: z.string(),
                  renewalOn: z.string().nullable(),
                  agreementEnd: z.string().nullable(),
                  date: z.string().describe('The renewal date, or the end date without one'),
                  daysLeft: z.number(),
                }),
              ),
              thresholds: z.object({ poolPercent: z.number(), agreementDays: z.number() }),
            }),
            ...problemResponses,
          },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'pool.read');
        return licenceWatch(ctx.db, localDate(ctx.clock.now()));
      },
    );

    app.post(
      '/licence-pools',
      {
        schema: {
          tags,
          summary: 'Create the pool of a module of a system',
          body: z.object({
            systemId: z.uuid(),
            module: z.string().trim().min(1, 'Required.').max(200),
            size: z.number().int().min(0).max(10_000_000),
            unitPrice: z.number().min(0).max(1e9).optional(),
            currency: z.string().trim().length(3).optional(),
          }),
          response: { 201: poolSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        const actor = await authorize(ctx, req, 'pool.write');
        return reply.code(201).send(await createPool(ctx, { actor, input: req.body }));
      },
    );

    app.get(
      '/licence-pools/:id',
      {
        schema: {
          tags,
          summary: 'A pool: size changes (L5), consumers by unit (with the chargeback share) and by person',
          params: idParam,
          response: { 200: detailSchema, ...problemResponses },
        },
      },
      async (req) => {
        const actor = await authorize(ctx, req, 'pool.read');
        const [detail, facts] = await Promise.all([
          poolDetail(ctx.db, req.params.id),
          poolFacts(ctx.db, req.params.id),
        ]);
        // L5, as the policy decides it for the change itself: the button shows only for those who may.
        const canChange = can({ roles: actor.roles, personId: actor.personId }, 'pool.change', {
          contractOwner: !!actor.personId && facts.contractOwnerPersonId === actor.personId,
        });
        return { ...detail, canChange };
      },
    );

    app.get(
      '/persons/:id/licence-use',
      {
        schema: {
          tags,
          summary:
            'L1: the modules a person counts in through their grants, each once, with its pool (null: the module has no pool)',
          params: idParam,
          response: {
            200: z.object({
              items: z.array(z.object({ system: ref, module: z.string(), pool: poolSchema.nullable() })),
            }),
            ...problemResponses,
          },
        },
      },
      async (req) => {
        // The same people are listed by name as consumers on the pool page.
        await authorize(ctx, req, 'pool.read');
        return { items: await licenceUseOfPerson(ctx.db, req.params.id) };
      },
    );

    app.get(
      '/licence-pools/:id/trend',
      {
        schema: {
          tags,
          summary: 'Used and size at the end of each month and today, with cost per used seat',
          params: idParam,
          querystring: z.object({ months: z.coerce.number().int().min(2).max(60).default(12) }),
          response: {
            200: z.object({
              poolId: z.uuid(),
              currency: z.string(),
              unitPrice: z.number().describe('Price per licence and year'),
              costPerUsedSeat: z.number().nullable().describe("The pool's yearly cost divided by its users"),
              points: z.array(
                z.object({
                  at: z.string(),
                  used: z.number(),
                  size: z.number().nullable().describe('None before the pool existed'),
                  costPerYear: z.number().nullable(),
                  costPerUsedSeat: z.number().nullable(),
                }),
              ),
            }),
            ...problemResponses,
          },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'pool.read');
        return poolTrend(ctx.db, req.params.id, localDate(ctx.clock.now()), req.query.months);
      },
    );

    app.get(
      '/licence-pools/:id/chargeback.csv',
      {
        schema: {
          tags,
          summary: "Each unit's share of the pool's yearly cost by its consumption, as CSV",
          params: idParam,
          produces: ['text/csv'],
        },
      },
      async (req, reply) => {
        await authorize(ctx, req, 'pool.read');
        const { rows: data } = await chargeback(ctx.db, req.params.id);
        const csv = stringify([
          [...CHARGEBACK_COLUMNS],
          ...data.map(([unit, users, share, cost, currency]) => [
            unit,
            users,
            share,
            cost.toFixed(2),
            currency,
          ]),
        ]);
        return sendDownload(reply, 'chargeback.csv', csv);
      },
    );

    app.get(
      '/licence-pools/:id/chargeback.xlsx',
      {
        schema: {
          tags,
          summary:
            "Each unit's share of the pool's yearly cost by its consumption, as an Excel workbook (the CSV's columns)",
          params: idParam,
          querystring: z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() }),
          produces: [XLSX_TYPE],
        },
      },
      async (req, reply) => {
        await authorize(ctx, req, 'pool.read');
        const year = req.query.year ?? Number(localDate(ctx.clock.now()).slice(0, 4));
        const xlsx = await chargebackXlsx(ctx.db, req.params.id, year);
        return sendDownload(reply, `chargeback-${year}.xlsx`, xlsx);
      },
    );

    app.post(
      '/licence-pools/:id/changes',
      {
        schema: {
          tags,
          summary: 'L5: prepare an upgrade or downgrade of the pool (L3: never below its consumption)',
          params: idParam,
          body: z.object({
            newSize: z.number().int().min(0).max(10_000_000),
            unitPrice: z.number().min(0).max(1e9).optional(),
            note: z.string().trim().max(2000).optional(),
          }),
          response: { 201: changeSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        const actor = await onPool(req, req.params.id);
        return reply
          .code(201)
          .send(await preparePoolChange(ctx, { actor, poolId: req.params.id, input: req.body }));
      },
    );

    app.post(
      '/licence-pools/:id/changes/:changeId/confirm',
      {
        schema: {
          tags,
          summary: 'L5: confirm ("check out") a prepared change; L3 is checked again at this moment',
          params: changeParams,
          response: { 200: changeSchema, ...problemResponses },
        },
      },
      async (req) => {
        const actor = await onPool(req, req.params.id);
        return confirmPoolChange(ctx, { actor, poolId: req.params.id, changeId: req.params.changeId });
      },
    );

    app.post(
      '/licence-pools/:id/changes/:changeId/cancel',
      {
        schema: {
          tags,
          summary: 'Cancel a prepared change',
          params: changeParams,
          response: { 200: changeSchema, ...problemResponses },
        },
      },
      async (req) => {
        const actor = await onPool(req, req.params.id);
        return cancelPoolChange(ctx, { actor, poolId: req.params.id, changeId: req.params.changeId });
      },
    );
  };
