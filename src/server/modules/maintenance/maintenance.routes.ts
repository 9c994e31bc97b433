import { stringify } from 'csv-stringify/sync';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { addDays, todayOf } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import { sendDownload, XLSX_TYPE } from '../../platform/download.ts';
import { actorOf, authorize, idParam, problemResponses } from '../../platform/http.ts';
import { systemsGrantedTo } from '../access/access.service.ts';
import { maintenanceFacts, rolesOnSystem, systemRolesOf } from '../systems/systems.service.ts';
import {
  CHANGE_EXPORT_COLUMNS,
  exportChangeRows,
  exportChangesXlsx,
  listChanges,
  recordChange,
} from './changelog.service.ts';
import {
  cabApprovalSchema,
  changeCreateSchema,
  changeExportQuerySchema,
  changeListQuerySchema,
  changeSchema,
  itemPatchSchema,
  maintenanceCreateSchema,
  maintenanceListQuerySchema,
  maintenanceSchema,
  messageCreateSchema,
  messageSchema,
  rehearsalSchema,
} from './maintenance.schema.ts';
import {
  approveByCab,
  cancelMaintenance,
  completeMaintenance,
  itemEvent,
  listMaintenance,
  maintenanceSystem,
  planMaintenance,
  recordRehearsal,
  setItemDone,
} from './maintenance.service.ts';
import {
  currentMessages,
  messageSystem,
  publishMessage,
  systemMessages,
  withdrawMessage,
} from './messages.service.ts';

const tags = ['maintenance'];
const one = { 200: maintenanceSchema, ...problemResponses };

export const maintenanceRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    /** G13: the system's main roles (and administrators) plan and carry out its work. */
    const onSystem = async (
      req: FastifyRequest,
      systemId: string,
      action: 'maintenance.write' | 'changelog.write' | 'system-message.write' = 'maintenance.write',
    ) => {
      const { roles } = await rolesOnSystem(ctx.db, actorOf(req).personId, systemId, todayOf(ctx));
      return authorize(ctx, req, action, { objectRoles: roles });
    };
    const onEvent = async (req: FastifyRequest, id: string) =>
      onSystem(req, await maintenanceSystem(ctx.db, id));

    app.get(
      '/systems/:id/maintenance',
      {
        schema: {
          tags,
          summary:
            'G13: a system’s upgrades, maintenance and incidents (ending from `from`, default 30 days ago)',
          params: idParam,
          querystring: maintenanceListQuerySchema,
          response: { 200: z.object({ items: z.array(maintenanceSchema) }), ...problemResponses },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'maintenance.read');
        await maintenanceFacts(ctx.db, req.params.id); // 404 for an unknown system
        const from = req.query.from ?? addDays(todayOf(ctx), -30);
        return {
          items: await listMaintenance(ctx.db, { systemId: req.params.id, from, limit: req.query.limit }),
        };
      },
    );

    app.get(
      '/maintenance',
      {
        schema: {
          tags,
          summary: 'G13: upcoming and recent work on every system, earliest first (the maintenance calendar)',
          querystring: maintenanceListQuerySchema,
          response: { 200: z.object({ items: z.array(maintenanceSchema) }), ...problemResponses },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'maintenance.read');
        const from = req.query.from ?? addDays(todayOf(ctx), -30);
        return { items: await listMaintenance(ctx.db, { from, limit: req.query.limit }) };
      },
    );

    app.post(
      '/systems/:id/maintenance',
      {
        schema: {
          tags,
          summary:
            'G13: plan an upgrade or maintenance (in a service window and a week ahead when it disturbs users) or record an incident',
          params: idParam,
          body: maintenanceCreateSchema,
          response: { 201: maintenanceSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        const actor = await onSystem(req, req.params.id);
        return reply
          .code(201)
          .send(await planMaintenance(ctx, { actor, systemId: req.params.id, input: req.body }));
      },
    );

    app.post(
      '/maintenance/:id/cab-approval',
      {
        schema: {
          tags,
          summary: 'G13: record the CAB’s approval of planned work (administrators)',
          params: idParam,
          body: cabApprovalSchema,
          response: one,
        },
      },
      async (req) => {
        const actor = await authorize(ctx, req, 'maintenance.cab');
        await maintenanceSystem(ctx.db, req.params.id);
        return approveByCab(ctx, { actor, id: req.params.id, reference: req.body.reference });
      },
    );

    app.post(
      '/maintenance/:id/rehearsal',
      {
        schema: {
          tags,
          summary: 'G13: the work was rehearsed in the test environment',
          params: idParam,
          body: rehearsalSchema,
          response: one,
        },
      },
      async (req) => {
        const actor = await onEvent(req, req.params.id);
        return recordRehearsal(ctx, { actor, id: req.params.id, rehearsedOn: req.body.rehearsedOn });
      },
    );

    app.post(
      '/maintenance/:id/complete',
      {
        schema: {
          tags,
          summary:
            'G13: the work is done (CAB-approved, rehearsed where there is a test environment, communicated)',
          params: idParam,
          response: one,
        },
      },
      async (req) =>
        completeMaintenance(ctx, { actor: await onEvent(req, req.params.id), id: req.params.id }),
    );

    app.post(
      '/maintenance/:id/cancel',
      { schema: { tags, summary: 'G13: cancel planned work', params: idParam, response: one } },
      async (req) => cancelMaintenance(ctx, { actor: await onEvent(req, req.params.id), id: req.params.id }),
    );

    app.put(
      '/maintenance-items/:id',
      {
        schema: {
          tags,
          summary: 'G13: tick (or untick) an item of the communication checklist',
          params: idParam,
          body: itemPatchSchema,
          response: one,
        },
      },
      async (req) => {
        const { system_id } = await itemEvent(ctx.db, req.params.id);
        const actor = await onSystem(req, system_id);
        return setItemDone(ctx, { actor, itemId: req.params.id, done: req.body.done });
      },
    );

    // ---- the change log (G11, G7) ----------------------------------------------------------------------
    const changePage = {
      200: z.object({ items: z.array(changeSchema), nextCursor: z.string().nullable() }),
      ...problemResponses,
    };

    app.get(
      '/systems/:id/change-log',
      {
        schema: {
          tags,
          summary: 'G11: a system’s change log, newest first: what was changed, and when',
          params: idParam,
          querystring: changeListQuerySchema,
          response: changePage,
        },
      },
      async (req) => {
        await authorize(ctx, req, 'changelog.read');
        await maintenanceFacts(ctx.db, req.params.id); // 404 for an unknown system
        return listChanges(ctx.db, { ...req.query, systemId: req.params.id });
      },
    );

    app.post(
      '/systems/:id/change-log',
      {
        schema: {
          tags,
          summary:
            'G11: record a change made to the system (the log is append-only: correct with a new entry)',
          params: idParam,
          body: changeCreateSchema,
          response: { 201: changeSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        const actor = await onSystem(req, req.params.id, 'changelog.write');
        await maintenanceFacts(ctx.db, req.params.id); // 404 for an unknown system
        return reply
          .code(201)
          .send(await recordChange(ctx, { actor, systemId: req.params.id, input: req.body }));
      },
    );

    app.get(
      '/change-log',
      {
        schema: {
          tags,
          summary: 'G11, G7: the change log of every system, newest first (for the yearly report)',
          querystring: changeListQuerySchema,
          response: changePage,
        },
      },
      async (req) => {
        await authorize(ctx, req, 'changelog.read');
        return listChanges(ctx.db, req.query);
      },
    );

    app.get(
      '/change-log/export.csv',
      {
        schema: {
          tags,
          summary: 'G11: the filtered change log as CSV, oldest first',
          querystring: changeListQuerySchema,
          produces: ['text/csv'],
        },
      },
      async (req, reply) => {
        await authorize(ctx, req, 'changelog.read');
        const csv = stringify(await exportChangeRows(ctx.db, req.query), {
          header: true,
          columns: CHANGE_EXPORT_COLUMNS.map((c) => c[0]),
        });
        return sendDownload(reply, 'change-log.csv', csv);
      },
    );

    app.get(
      '/change-log/export.xlsx',
      {
        schema: {
          tags,
          summary: 'G11: the filtered change log as an Excel workbook (headers in English or Swedish)',
          querystring: changeExportQuerySchema,
          produces: [XLSX_TYPE],
        },
      },
      async (req, reply) => {
        await authorize(ctx, req, 'changelog.read');
        const { lang, ...filter } = req.query;
        return sendDownload(reply, 'change-log.xlsx', await exportChangesXlsx(ctx.db, filter, lang));
      },
    );

    // ---- system messages (G13) --------------------------------------------------------------------------
    const messages = { 200: z.object({ items: z.array(messageSchema) }), ...problemResponses };

    app.get(
      '/system-messages',
      {
        schema: {
          tags,
          summary:
            'G13: the system messages shown now, the most serious first; `mine=true`: on the systems the caller uses (grants, roles) and every disruption',
          querystring: z.object({ mine: z.enum(['true', 'false']).optional() }),
          response: messages,
        },
      },
      async (req) => {
        const actor = await authorize(ctx, req, 'maintenance.read');
        const items = await currentMessages(ctx.db, ctx.clock.now());
        // Mine: the systems the caller uses (a role or a grant), asked only when a message needs it.
        if (req.query.mine !== 'true' || items.every((m) => m.severity === 'disruption')) return { items };
        const [roles, granted] = actor.personId
          ? await Promise.all([
              systemRolesOf(ctx.db, actor.personId, todayOf(ctx)),
              systemsGrantedTo(ctx.db, actor.personId),
            ])
          : [[], []];
        const used = new Set([...roles.map((r) => r.systemId), ...granted]);
        return { items: items.filter((m) => m.severity === 'disruption' || used.has(m.system.id)) };
      },
    );

    app.get(
      '/systems/:id/system-messages',
      {
        schema: {
          tags,
          summary: 'G13: a system’s messages: scheduled and shown, then those ended in the last 30 days',
          params: idParam,
          response: messages,
        },
      },
      async (req) => {
        await authorize(ctx, req, 'maintenance.read');
        await maintenanceFacts(ctx.db, req.params.id); // 404 for an unknown system
        return { items: await systemMessages(ctx.db, ctx.clock.now(), req.params.id) };
      },
    );

    app.post(
      '/systems/:id/system-messages',
      {
        schema: {
          tags,
          summary:
            'G13: post a system message (linked to the work it announces, it ticks that work’s checklist item)',
          params: idParam,
          body: messageCreateSchema,
          response: { 201: messageSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        const actor = await onSystem(req, req.params.id, 'system-message.write');
        await maintenanceFacts(ctx.db, req.params.id);
        return reply
          .code(201)
          .send(await publishMessage(ctx, { actor, systemId: req.params.id, input: req.body }));
      },
    );

    app.post(
      '/system-messages/:id/withdraw',
      {
        schema: {
          tags,
          summary: 'G13: take a system message down now (ticks the linked work’s "remove the message" item)',
          params: idParam,
          response: { 200: messageSchema, ...problemResponses },
        },
      },
      async (req) => {
        const actor = await onSystem(req, await messageSystem(ctx.db, req.params.id), 'system-message.write');
        return withdrawMessage(ctx, { actor, id: req.params.id });
      },
    );
  };
