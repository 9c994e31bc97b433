import { stringify } from 'csv-stringify/sync';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import { sendDownload } from '../../platform/download.ts';
import { validationError } from '../../platform/errors.ts';
import { authorize, problemResponses } from '../../platform/http.ts';
import { say } from '../../platform/text.ts';
import { type AuditLabelSql, auditEntityLabels } from './audit.labels.ts';
import { listAuditEvents, sealAuditChain, verifyAuditChain } from './audit.service.ts';

const filterSchema = z.object({
  actor: z.string().max(200).optional(),
  actorPersonId: z.uuid().optional(),
  action: z
    .string()
    .max(100)
    .optional()
    .describe('an event code (order.fulfil), or a kind ending in a dot (order.) for all its codes'),
  entityType: z.string().max(100).optional(),
  entityId: z.string().max(200).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
});

/** A period that ends before it starts is a mistake to say, not an empty answer to give. */
function checkPeriod(q: { from?: Date; to?: Date }) {
  if (q.from && q.to && q.to < q.from)
    throw validationError([
      {
        field: 'to',
        message: say(
          'The end of the period comes before its start.',
          'Periodens slut kommer före dess början.',
        ),
      },
    ]);
}

const eventSchema = z
  .object({
    id: z.number().int(),
    occurredAt: z.string(),
    actorLabel: z.string(),
    actorPersonId: z.string().nullable(),
    onBehalfOfPersonId: z.string().nullable(),
    action: z.string(),
    entityType: z.string(),
    entityId: z.string().nullable(),
    /** What a person recognises the object by today (a name, an order's number); null if none. */
    entityLabel: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
    via: z.string(),
    ip: z.string().nullable(),
  })
  .meta({ id: 'AuditEvent' });

const present = (
  e: Awaited<ReturnType<typeof listAuditEvents>>['items'][number],
  entityLabel: string | null,
) => ({
  id: e.id,
  occurredAt: e.occurredAt.toISOString(),
  actorLabel: e.actorLabel,
  actorPersonId: e.actorPersonId,
  onBehalfOfPersonId: e.onBehalfOfPersonId,
  action: e.action,
  entityType: e.entityType,
  entityId: e.entityId,
  entityLabel,
  before: e.before,
  after: e.after,
  via: e.via,
  ip: e.ip,
});

/** `labels`: every module's statements naming its objects (src/server/audit-labels.ts). */
export const auditRoutes =
  (ctx: AppContext, labels: AuditLabelSql): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/audit',
      {
        schema: {
          tags: ['audit'],
          summary: 'Audit events, newest first',
          querystring: filterSchema.extend({
            limit: z.coerce.number().int().min(1).max(500).default(50),
            cursor: z.coerce.number().int().positive().optional(),
          }),
          response: {
            200: z.object({ items: z.array(eventSchema), nextCursor: z.string().nullable() }),
            ...problemResponses,
          },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'audit.read');
        checkPeriod(req.query);
        const res = await listAuditEvents(ctx.db, req.query);
        const label = await auditEntityLabels(ctx.db, res.items, labels);
        return {
          items: res.items.map((e) => present(e, label(e.entityType, e.entityId))),
          nextCursor: res.nextCursor,
        };
      },
    );

    app.get(
      '/audit/export.csv',
      {
        schema: {
          tags: ['audit'],
          summary: 'Audit events as CSV (same filters, at most 100,000 rows)',
          querystring: filterSchema,
          produces: ['text/csv'],
        },
      },
      async (req, reply) => {
        await authorize(ctx, req, 'audit.read');
        checkPeriod(req.query);
        const res = await listAuditEvents(ctx.db, { ...req.query, limit: 100_000 });
        const csv = stringify(
          res.items.map((e) => [
            e.id,
            e.occurredAt.toISOString(),
            e.actorLabel,
            e.onBehalfOfPersonId ?? '',
            e.action,
            e.entityType,
            e.entityId ?? '',
            JSON.stringify(e.before ?? null),
            JSON.stringify(e.after ?? null),
            e.via,
            e.ip ?? '',
          ]),
          {
            header: true,
            columns: [
              'id',
              'time',
              'actor',
              'on_behalf_of',
              'action',
              'entity_type',
              'entity_id',
              'before',
              'after',
              'via',
              'ip',
            ],
          },
        );
        return sendDownload(reply, 'audit.csv', csv);
      },
    );

    app.post(
      '/audit/verify',
      {
        schema: {
          tags: ['audit'],
          summary: 'Seal pending events and verify the whole hash chain',
          response: {
            200: z.object({
              ok: z.boolean(),
              checked: z.number().int(),
              brokenAt: z
                .object({ seq: z.number(), eventId: z.number().nullable(), reason: z.string() })
                .optional(),
            }),
            ...problemResponses,
          },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'audit.verify');
        await sealAuditChain(ctx.db, ctx.clock.now(), { full: true });
        return verifyAuditChain(ctx.db);
      },
    );
  };
