// Routes of the access-rights module: parse (zod) → authorise (policy, with the facts about the caller
// and the resource computed by the access service) → service → present.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { localDate } from '../../platform/clock.ts';
import type { Actor, AppContext } from '../../platform/context.ts';
import { sendDownload, XLSX_TYPE } from '../../platform/download.ts';
import { AppError } from '../../platform/errors.ts';
import {
  actorOf,
  authorize,
  etagOf,
  idParam,
  ifMatchVersion,
  problemResponses,
} from '../../platform/http.ts';
import type { AccessFact } from '../../platform/policy.ts';
import { fastSerializerCompiler } from '../../platform/serialize.ts';
import { requestLanguage } from '../../platform/text.ts';
import { isHeadOfUnit } from '../org/org.service.ts';
import { rolesOnSystem } from '../systems/systems.service.ts';
import { wrongState } from './access.errors.ts';
import {
  complianceSchema,
  expertUserCreateSchema,
  expertUserListQuerySchema,
  expertUserSchema,
  fulfillerCreateSchema,
  fulfillerSchema,
  grantFilterSchema,
  grantListQuerySchema,
  grantSchema,
  myAccessSchema,
  notificationSchema,
  orderCreateSchema,
  orderEditSchema,
  ordererCreateSchema,
  ordererListQuerySchema,
  ordererSchema,
  orderFormPutSchema,
  orderFormSchema,
  orderListQuerySchema,
  orderSchema,
  orderSummarySchema,
  permissionCreateSchema,
  permissionListQuerySchema,
  permissionPatchSchema,
  permissionSchema,
  reasonSchema,
  stepSchema,
} from './access.schema.ts';
import {
  addExpertUser,
  addFulfiller,
  approveOrder,
  assertOnePermission,
  cancelOrder,
  complianceReport,
  createOrder,
  createPermission,
  editOrder,
  endExpertUser,
  endOrderer,
  expertUserUnit,
  exportGrantsCsv,
  exportGrantsXlsx,
  exportOrdersCsv,
  exportOrdersXlsx,
  fulfilOrder,
  getGrant,
  getOrder,
  getOrderForm,
  getPermission,
  grantOrderer,
  hasAccessRole,
  isItStaffFor,
  isOrdererFor,
  isOrdererForPermission,
  listExpertUsers,
  listFulfillers,
  listGrants,
  listNotifications,
  listOrderers,
  listOrders,
  listPermissions,
  markNotificationsRead,
  myAccess,
  ordererRef,
  orderFacts,
  permissionSystemId,
  putOrderForm,
  rejectOrder,
  removeFulfiller,
  selfOrderRefusal,
  submitOrder,
  takeOrder,
  updatePermission,
} from './access.service.ts';

const tags = ['access'];
const unitParam = z.object({ id: z.uuid() });
const subParam = z.object({ id: z.uuid(), subId: z.uuid() });
const noContent = { 204: z.null(), ...problemResponses };

export const accessRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const today = () => localDate(ctx.clock.now());
    /** The caller's main roles on the system's governance object (permission catalogue, fulfillers). */
    const onSystem = async (
      req: FastifyRequest,
      action: 'permission.write' | 'fulfiller.write',
      systemId: string,
    ) => {
      const actor = actorOf(req);
      const { roles } = await rolesOnSystem(ctx.db, actor.personId, systemId, today());
      return authorize(ctx, req, action, { objectRoles: roles });
    };
    /** A1: the unit's head (or an administrator) keeps its orderers and expert users. */
    const onUnit = async (
      req: FastifyRequest,
      action: 'orderer.grant' | 'expert-user.write',
      unitId: string,
      personId?: string,
    ) => {
      const actor = actorOf(req);
      const facts: AccessFact[] = (await isHeadOfUnit(ctx.db, actor.personId, unitId, today()))
        ? ['unitHead']
        : [];
      return authorize(ctx, req, action, { accessFacts: facts, personId });
    };
    /** G10: who may read the grants register and the compliance report. */
    const readerFacts = async (req: FastifyRequest): Promise<AccessFact[]> => {
      const actor = actorOf(req);
      // Administrators and auditors read the register by their role; no need to ask the database.
      if (actor.roles.includes('administrator') || actor.roles.includes('auditor')) return [];
      return (await hasAccessRole(ctx.db, actor.personId)) ? ['accessRole'] : [];
    };
    const onOrder = async (
      req: FastifyRequest,
      action: 'order.read' | 'order.approve' | 'order.fulfil',
      id: string,
    ) => {
      const actor = actorOf(req);
      const { order, facts } = await orderFacts(ctx, actor, id);
      await authorize(ctx, req, action, {
        accessFacts: facts,
        personId: action === 'order.approve' ? order.person_id : undefined,
      });
      return { actor, order, facts };
    };

    // ---- my access --------------------------------------------------------------------------------
    app.get(
      '/access/me',
      {
        schema: {
          tags,
          summary: 'Where the signed-in person orders, approves and fulfils, and what waits for them',
          response: { 200: myAccessSchema, ...problemResponses },
        },
      },
      async (req) => myAccess(ctx, actorOf(req)),
    );

    app.get(
      '/access/notifications',
      {
        schema: {
          tags,
          summary: "The signed-in orderer's notices about their orders (A5)",
          response: { 200: z.object({ items: z.array(notificationSchema) }), ...problemResponses },
        },
      },
      async (req) => ({ items: await listNotifications(ctx.db, actorOf(req).personId) }),
    );

    app.post(
      '/access/notifications/read',
      { schema: { tags, summary: 'Mark all my notices as read', response: noContent } },
      async (req, reply) => {
        await markNotificationsRead(ctx, actorOf(req).personId);
        return reply.code(204).send(null);
      },
    );

    // ---- permission catalogue and order forms ------------------------------------------------------
    app.get(
      '/permissions',
      {
        schema: {
          tags,
          summary: 'The permission catalogue: what can be ordered, per system',
          querystring: permissionListQuerySchema,
          response: { 200: z.object({ items: z.array(permissionSchema) }), ...problemResponses },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'permission.read');
        return { items: await listPermissions(ctx.db, req.query) };
      },
    );

    app.get(
      '/systems/:id/permissions',
      {
        schema: {
          tags,
          summary: "A system's permissions",
          params: idParam,
          querystring: permissionListQuerySchema.pick({ includeInactive: true }),
          response: { 200: z.object({ items: z.array(permissionSchema) }), ...problemResponses },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'permission.read');
        return { items: await listPermissions(ctx.db, { systemId: req.params.id, ...req.query }) };
      },
    );

    app.post(
      '/systems/:id/permissions',
      {
        schema: {
          tags,
          summary: 'Add a permission to the catalogue of a system',
          params: idParam,
          body: permissionCreateSchema,
          response: { 201: permissionSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        const actor = await onSystem(req, 'permission.write', req.params.id);
        const p = await createPermission(ctx, { actor, systemId: req.params.id, input: req.body });
        return reply.code(201).header('etag', etagOf(p.version)).send(p);
      },
    );

    app.get(
      '/permissions/:id',
      {
        schema: {
          tags,
          summary: 'One permission',
          params: idParam,
          response: { 200: permissionSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        await authorize(ctx, req, 'permission.read');
        const p = await getPermission(ctx.db, req.params.id);
        return reply.header('etag', etagOf(p.version)).send(p);
      },
    );

    app.patch(
      '/permissions/:id',
      {
        schema: {
          tags,
          summary: 'Edit a permission (If-Match required); orders already made keep what they named',
          params: idParam,
          body: permissionPatchSchema,
          response: { 200: permissionSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        const actor = await onSystem(
          req,
          'permission.write',
          await permissionSystemId(ctx.db, req.params.id),
        );
        const p = await updatePermission(ctx, {
          actor,
          id: req.params.id,
          ifVersion: ifMatchVersion(req),
          patch: req.body,
        });
        return reply.header('etag', etagOf(p.version)).send(p);
      },
    );

    app.get(
      '/systems/:id/order-form',
      {
        schema: {
          tags,
          summary: "A4: the system's order form (extra fields, labels in Swedish and English)",
          params: idParam,
          response: { 200: orderFormSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        await authorize(ctx, req, 'permission.read');
        const f = await getOrderForm(ctx.db, req.params.id);
        return reply.header('etag', etagOf(f.version)).send(f);
      },
    );

    app.put(
      '/systems/:id/order-form',
      {
        schema: {
          tags,
          summary: 'A4: replace the system\'s order form (If-Match required; W/"0" for the first form)',
          params: idParam,
          body: orderFormPutSchema,
          response: { 200: orderFormSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        const actor = await onSystem(req, 'permission.write', req.params.id);
        const f = await putOrderForm(ctx, {
          actor,
          systemId: req.params.id,
          ifVersion: ifMatchVersion(req),
          fields: req.body.fields,
        });
        return reply.header('etag', etagOf(f.version)).send(f);
      },
    );

    app.get(
      '/systems/:id/fulfillers',
      {
        schema: {
          tags,
          summary: 'Named fulfillers of a system (besides its IT system manager and IT specialists)',
          params: idParam,
          response: { 200: z.object({ items: z.array(fulfillerSchema) }), ...problemResponses },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'permission.read');
        return { items: await listFulfillers(ctx.db, req.params.id) };
      },
    );

    app.post(
      '/systems/:id/fulfillers',
      {
        schema: {
          tags,
          summary: 'Name a fulfiller of a system',
          params: idParam,
          body: fulfillerCreateSchema,
          response: { 201: z.object({ id: z.uuid() }), ...problemResponses },
        },
      },
      async (req, reply) => {
        const actor = await onSystem(req, 'fulfiller.write', req.params.id);
        const id = await addFulfiller(ctx, { actor, systemId: req.params.id, personId: req.body.personId });
        return reply.code(201).send({ id });
      },
    );

    app.delete(
      '/systems/:id/fulfillers/:subId',
      { schema: { tags, summary: 'Remove a named fulfiller', params: subParam, response: noContent } },
      async (req, reply) => {
        const actor = await onSystem(req, 'fulfiller.write', req.params.id);
        await removeFulfiller(ctx, { actor, systemId: req.params.id, id: req.params.subId });
        return reply.code(204).send(null);
      },
    );

    // ---- orderers and expert users (A1–A3) ----------------------------------------------------------
    app.get(
      '/orderers',
      {
        schema: {
          tags,
          summary: 'A1: current ordering rights, by unit or person',
          querystring: ordererListQuerySchema,
          response: { 200: z.object({ items: z.array(ordererSchema) }), ...problemResponses },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'org.read');
        return { items: await listOrderers(ctx.db, req.query) };
      },
    );

    app.post(
      '/org-units/:id/orderers',
      {
        schema: {
          tags,
          summary:
            "A1/A2: grant ordering rights for a unit (by the unit's head or an administrator; never to oneself)",
          params: unitParam,
          body: ordererCreateSchema,
          response: { 201: ordererSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        const actor = await onUnit(req, 'orderer.grant', req.params.id, req.body.personId);
        const o = await grantOrderer(ctx, {
          actor,
          unitId: req.params.id,
          personId: req.body.personId,
          systemIds: req.body.systemIds,
        });
        return reply.code(201).send(o);
      },
    );

    app.delete(
      '/orderers/:id',
      { schema: { tags, summary: 'A1: end ordering rights', params: idParam, response: noContent } },
      async (req, reply) => {
        const o = await ordererRef(ctx.db, req.params.id);
        const actor = await onUnit(req, 'orderer.grant', o.unitId);
        await endOrderer(ctx, { actor, id: req.params.id });
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/expert-users',
      {
        schema: {
          tags,
          summary: 'A3: expert users per unit and system',
          querystring: expertUserListQuerySchema,
          response: { 200: z.object({ items: z.array(expertUserSchema) }), ...problemResponses },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'org.read');
        return { items: await listExpertUsers(ctx.db, req.query) };
      },
    );

    app.post(
      '/org-units/:id/expert-users',
      {
        schema: {
          tags,
          summary: 'A3: record an expert user of a system for a unit',
          params: unitParam,
          body: expertUserCreateSchema,
          response: { 201: expertUserSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        const actor = await onUnit(req, 'expert-user.write', req.params.id);
        const id = await addExpertUser(ctx, { actor, unitId: req.params.id, ...req.body });
        return reply.code(201).send((await listExpertUsers(ctx.db, { id }))[0]);
      },
    );

    app.delete(
      '/expert-users/:id',
      { schema: { tags, summary: 'A3: end an expert-user record', params: idParam, response: noContent } },
      async (req, reply) => {
        const actor = await onUnit(req, 'expert-user.write', await expertUserUnit(ctx.db, req.params.id));
        await endExpertUser(ctx, { actor, id: req.params.id });
        return reply.code(204).send(null);
      },
    );

    // ---- orders (A2, A4, A5, A6) ------------------------------------------------------------------
    /** The resource fact of a grant order: is the caller an orderer for all its units, for its system? */
    const ordersThisPermission = async (
      actor: Actor,
      b: { permissionId?: string; permissionIds?: string[]; unitIds: string[] },
    ) => {
      const pid = b.permissionId ?? (b.permissionIds?.length === 1 ? b.permissionIds[0] : undefined);
      // A missing permission is no ordering right; the service then names the field.
      return pid ? isOrdererForPermission(ctx, actor.personId, b.unitIds, pid) : false;
    };
    /** The fact that makes a saved order the caller's to change or send. */
    const draftOwner = (order: { orderer_person_id: string | null }, actor: Actor): AccessFact[] =>
      order.orderer_person_id !== null && order.orderer_person_id === actor.personId ? ['draftOwner'] : [];
    /** A1 and A2 for an order's content, new or changed. */
    const authorizeOrder = (
      req: FastifyRequest,
      actor: Actor,
      b: { personId: string; unitIds: string[] },
      orderer: boolean,
    ) =>
      authorize(ctx, req, 'order.create', {
        accessFacts: orderer ? ['orderer'] : [],
        personId: b.personId,
      }).catch(async (err) => {
        // A2 (refused, and audited, by the policy): the refusal names whom to ask instead.
        if (err instanceof AppError && err.extra.rule === 'A2')
          throw await selfOrderRefusal(ctx.db, actor.personId!, b.unitIds);
        throw err;
      });

    app.post(
      '/orders',
      {
        schema: {
          tags,
          summary:
            'Create an order (A4: one person, exactly one permission, units, mandatory fields; A2: never for yourself). Accepts Idempotency-Key.',
          body: orderCreateSchema,
          response: { 201: orderSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        const actor = actorOf(req);
        const b = req.body;
        assertOnePermission(b);
        // The resource facts: is the caller an orderer for every unit of the order, for its system?
        let orderer = false;
        if (b.kind === 'revocation' && b.grantId) {
          const g = await getGrant(ctx, b.grantId).catch(() => null);
          if (g)
            orderer = await isOrdererFor(
              ctx.db,
              actor.personId,
              g.units.map((u: { id: string }) => u.id),
              g.system.id,
            );
        } else orderer = await ordersThisPermission(actor, b);
        await authorizeOrder(req, actor, b, orderer);
        const id = await createOrder(ctx, { actor, input: b, lang: requestLanguage(req) });
        const o = await getOrder(ctx, actor, id);
        return reply
          .code(201)
          .header('location', `/api/v1/orders/${id}`)
          .header('etag', etagOf(o.version))
          .send(o);
      },
    );

    /** Everyone lists their own orders and queues; all orders, or one person's, need order.read (or being that person). */
    const orderListActor = async (req: FastifyRequest, q: { scope: string; personId?: string }) => {
      const actor = actorOf(req);
      if (q.scope === 'all' || q.personId) {
        const self = q.personId && q.personId === actor.personId;
        if (!self) await authorize(ctx, req, 'order.read');
      }
      return actor;
    };

    app.get(
      '/orders',
      {
        schema: {
          tags,
          summary:
            'Orders: mine, my approval queue, my fulfilment queue (oldest first), or all (administrators, auditors)',
          querystring: orderListQuerySchema,
          response: {
            200: z.object({ items: z.array(orderSummarySchema), nextCursor: z.string().nullable() }),
            ...problemResponses,
          },
        },
      },
      async (req) => listOrders(ctx, await orderListActor(req, req.query), req.query),
    );

    const orderExportQuery = orderListQuerySchema.omit({ limit: true, cursor: true });
    app.get(
      '/orders/export.csv',
      {
        schema: {
          tags,
          summary: 'The orders of a list (every page, same scope and filters) as CSV',
          querystring: orderExportQuery,
          produces: ['text/csv'],
        },
      },
      async (req, reply) => {
        const actor = await orderListActor(req, req.query);
        return sendDownload(reply, 'orders.csv', await exportOrdersCsv(ctx, actor, req.query));
      },
    );

    app.get(
      '/orders/export.xlsx',
      {
        schema: {
          tags,
          summary: 'The orders of a list as an Excel workbook (headers in English or Swedish)',
          querystring: orderExportQuery.extend({ lang: z.enum(['en', 'sv']).default('en') }),
          produces: [XLSX_TYPE],
        },
      },
      async (req, reply) => {
        const { lang: l, ...filter } = req.query;
        const actor = await orderListActor(req, filter);
        return sendDownload(reply, 'orders.xlsx', await exportOrdersXlsx(ctx, actor, filter, l));
      },
    );

    app.get(
      '/orders/:id',
      {
        schema: {
          tags,
          summary: 'One order with its form, its history and what the caller may do with it',
          params: idParam,
          response: { 200: orderSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        const { actor, facts } = await onOrder(req, 'order.read', req.params.id);
        const o = await getOrder(ctx, actor, req.params.id, facts);
        return reply.header('etag', etagOf(o.version)).send(o);
      },
    );

    app.put(
      '/orders/:id',
      {
        schema: {
          tags,
          summary:
            "Change a saved order before it is sent (the whole order, with every check of a new one, against the system's current form); If-Match required; submit: true sends it too",
          params: idParam,
          body: orderEditSchema,
          response: { 200: orderSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        const actor = actorOf(req);
        const b = req.body;
        const { order } = await orderFacts(ctx, actor, req.params.id);
        // Only the one who saved it (or an administrator) changes a saved order; A1 and A2 as for a
        // new one.
        await authorize(ctx, req, 'order.change', { accessFacts: draftOwner(order, actor) });
        assertOnePermission(b);
        await authorizeOrder(req, actor, b, await ordersThisPermission(actor, b));
        await editOrder(ctx, {
          actor,
          id: req.params.id,
          ifVersion: ifMatchVersion(req),
          input: b,
          lang: requestLanguage(req),
        });
        const o = await getOrder(ctx, actor, req.params.id);
        return reply.header('etag', etagOf(o.version)).send(o);
      },
    );

    const action = (
      path: string,
      summary: string,
      run: (req: FastifyRequest<{ Params: { id: string }; Body: any }>) => Promise<unknown>,
      body: z.ZodType = stepSchema,
    ) =>
      app.post(
        `/orders/:id/${path}`,
        {
          schema: {
            tags,
            summary,
            params: idParam,
            body,
            response: { 200: orderSchema, ...problemResponses },
          },
        },
        async (req) => {
          await run(req as any);
          return getOrder(ctx, actorOf(req), req.params.id);
        },
      );

    action('submit', 'A5: send a saved order (to approval, or straight to IT)', async (req) => {
      const actor = actorOf(req);
      const { order, facts } = await orderFacts(ctx, actor, req.params.id);
      // Only the one who saved it (or an administrator) sends a saved order; A1 and A2 as when it was
      // made: the sender still holds ordering rights for its units and system, and is not its subject.
      await authorize(ctx, req, 'order.change', { accessFacts: draftOwner(order, actor) });
      await authorizeOrder(
        req,
        actor,
        { personId: order.person_id, unitIds: order.unit_ids },
        facts.includes('orderer'),
      );
      await submitOrder(ctx, { actor, id: req.params.id });
    });

    action('cancel', 'Withdraw an order that IT has not started on', async (req) => {
      const actor = actorOf(req);
      const { order } = await orderFacts(ctx, actor, req.params.id);
      if (order.orderer_person_id !== actor.personId) await authorize(ctx, req, 'order.fulfil', {});
      await cancelOrder(ctx, { actor, id: req.params.id });
    });

    action(
      'approve',
      'A5: approve the current approval step (the system owner or the unit head)',
      async (req) => {
        const actor = actorOf(req);
        const pre = await orderFacts(ctx, actor, req.params.id);
        if (pre.order.state !== 'awaiting_approval') {
          await onOrder(req, 'order.read', req.params.id);
          throw wrongState(pre.order.state, 'approved');
        }
        const { order } = await onOrder(req, 'order.approve', req.params.id);
        await approveOrder(ctx, {
          actor,
          id: req.params.id,
          step: order.approval_step,
          reason: (req.body as { reason?: string } | undefined)?.reason,
        });
      },
    );

    action(
      'reject',
      'A5: reject with a reason: by the approver of the current step, or by IT once sent',
      async (req) => {
        const actor = actorOf(req);
        const { order } = await orderFacts(ctx, actor, req.params.id);
        if (order.state === 'awaiting_approval') await onOrder(req, 'order.approve', req.params.id);
        else if (order.state === 'ready' || order.state === 'in_progress')
          await onOrder(req, 'order.fulfil', req.params.id);
        else throw wrongState(order.state, 'rejected');
        await rejectOrder(ctx, {
          actor,
          id: req.params.id,
          from: order.state,
          reason: (req.body as { reason: string }).reason,
        });
      },
      reasonSchema,
    );

    action('take', 'A5: IT takes a sent order', async (req) => {
      const { actor } = await onOrder(req, 'order.fulfil', req.params.id);
      await takeOrder(ctx, { actor, id: req.params.id });
    });

    action(
      'fulfil',
      'A5/A6: IT fulfils an order: the grant is created (or ended, for a revocation)',
      async (req) => {
        const { actor } = await onOrder(req, 'order.fulfil', req.params.id);
        await fulfilOrder(ctx, { actor, id: req.params.id });
      },
    );

    // ---- grants register (G10) -----------------------------------------------------------------------
    const grantReadResource = async (
      req: FastifyRequest,
      f: { personId?: string; systemId?: string; unitId?: string },
    ) => {
      const actor = actorOf(req);
      const facts = await readerFacts(req);
      if (facts.length === 0 && (actor.roles.includes('administrator') || actor.roles.includes('auditor')))
        return authorize(ctx, req, 'grant.read', { personId: f.personId });
      if (f.systemId && (await isItStaffFor(ctx.db, actor.personId, f.systemId, today())))
        facts.push('itStaff');
      if (f.unitId && (await isHeadOfUnit(ctx.db, actor.personId, f.unitId, today()))) facts.push('unitHead');
      return authorize(ctx, req, 'grant.read', { accessFacts: facts, personId: f.personId });
    };

    app.get(
      '/grants',
      {
        schema: {
          tags,
          summary:
            'G10: the grants register: who holds which permission where; per person, system or unit, with filters',
          querystring: grantListQuerySchema,
          response: {
            200: z.object({ items: z.array(grantSchema), nextCursor: z.string().nullable() }),
            ...problemResponses,
          },
        },
        serializerCompiler: fastSerializerCompiler,
      },
      async (req) => {
        await grantReadResource(req, req.query);
        return listGrants(ctx, req.query);
      },
    );

    app.get(
      '/grants/export.csv',
      {
        schema: {
          tags,
          summary: 'G10: the filtered grants as CSV',
          querystring: grantFilterSchema,
          produces: ['text/csv'],
        },
      },
      async (req, reply) => {
        await grantReadResource(req, req.query);
        const csv = await exportGrantsCsv(ctx, req.query);
        return sendDownload(reply, 'grants.csv', csv);
      },
    );

    app.get(
      '/grants/export.xlsx',
      {
        schema: {
          tags,
          summary: 'G10: the filtered grants as an Excel workbook (headers in English or Swedish)',
          querystring: grantFilterSchema.extend({ lang: z.enum(['en', 'sv']).default('en') }),
          produces: [XLSX_TYPE],
        },
      },
      async (req, reply) => {
        await grantReadResource(req, req.query);
        const { lang: l, ...filter } = req.query;
        const xlsx = await exportGrantsXlsx(ctx, filter, l);
        return sendDownload(reply, 'grants.xlsx', xlsx);
      },
    );

    app.get(
      '/grants/:id',
      {
        schema: {
          tags,
          summary: 'One grant',
          params: idParam,
          response: { 200: grantSchema, ...problemResponses },
        },
      },
      async (req) => {
        const g = await getGrant(ctx, req.params.id);
        await grantReadResource(req, { personId: g.person.id, systemId: g.system.id });
        return g;
      },
    );

    // ---- compliance report (A1, A3, G10) -----------------------------------------------------------
    app.get(
      '/reports/access-compliance',
      {
        schema: {
          tags: ['reports'],
          summary:
            'A1/A3/G10: units with fewer than two orderers, units without an expert user, leavers still holding grants',
          response: { 200: complianceSchema, ...problemResponses },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'access-report.read', { accessFacts: await readerFacts(req) });
        return complianceReport(ctx.db);
      },
    );
  };
