import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import { AppError, validationError } from '../../platform/errors.ts';
import { authorize, etagOf, idParam, ifMatchVersion, problemResponses } from '../../platform/http.ts';
import { importOrg } from './import/import.service.ts';
import { exportPersonData } from './org.export.ts';
import {
  importCountsSchema,
  personCreateSchema,
  personListQuerySchema,
  personPatchSchema,
  personSchema,
  personSummarySchema,
  unitCreateSchema,
  unitDetailSchema,
  unitPatchSchema,
  unitSchema,
  unitTreeItemSchema,
} from './org.schema.ts';
import {
  createPerson,
  createUnit,
  getPerson,
  getUnit,
  listPersons,
  markPersonLeft,
  unitTree,
  updatePerson,
  updateUnit,
} from './org.service.ts';

export const orgRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/org-units/tree',
      {
        schema: {
          tags: ['org'],
          summary: 'All org units as a flat list (parentId builds the tree)',
          response: { 200: z.object({ items: z.array(unitTreeItemSchema) }), ...problemResponses },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'org.read');
        return { items: await unitTree(ctx.db) };
      },
    );

    app.get(
      '/org-units/:id',
      {
        schema: {
          tags: ['org'],
          summary: 'One org unit',
          params: idParam,
          response: { 200: unitDetailSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        await authorize(ctx, req, 'org.read');
        const u = await getUnit(ctx.db, req.params.id);
        return reply.header('etag', etagOf(u.version)).send(u);
      },
    );

    app.post(
      '/org-units',
      {
        schema: {
          tags: ['org'],
          summary: 'Create an org unit',
          body: unitCreateSchema,
          response: { 201: unitSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        const actor = await authorize(ctx, req, 'org.write');
        const u = await createUnit(ctx, { actor, input: req.body });
        return reply.code(201).header('etag', etagOf(u.version)).send(u);
      },
    );

    app.patch(
      '/org-units/:id',
      {
        schema: {
          tags: ['org'],
          summary: 'Edit an org unit (If-Match required)',
          params: idParam,
          body: unitPatchSchema,
          response: { 200: unitSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        const actor = await authorize(ctx, req, 'org.write');
        const u = await updateUnit(ctx, {
          actor,
          id: req.params.id,
          ifVersion: ifMatchVersion(req),
          patch: req.body,
        });
        return reply.header('etag', etagOf(u.version)).send(u);
      },
    );

    app.get(
      '/persons',
      {
        schema: {
          tags: ['persons'],
          summary: 'Search and page through persons',
          querystring: personListQuerySchema,
          response: {
            200: z.object({ items: z.array(personSummarySchema), nextCursor: z.string().nullable() }),
            ...problemResponses,
          },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'person.read');
        return listPersons(ctx.db, req.query);
      },
    );

    app.post(
      '/persons',
      {
        schema: {
          tags: ['persons'],
          summary: 'Create a person',
          body: personCreateSchema,
          response: { 201: personSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        const actor = await authorize(ctx, req, 'person.write');
        const p = await createPerson(ctx, { actor, input: req.body });
        return reply.code(201).header('etag', etagOf(p.version)).send(p);
      },
    );

    app.get(
      '/persons/:id',
      {
        schema: {
          tags: ['persons'],
          summary: 'One person',
          params: idParam,
          response: { 200: personSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        await authorize(ctx, req, 'person.read');
        const p = await getPerson(ctx.db, req.params.id);
        return reply.header('etag', etagOf(p.version)).send(p);
      },
    );

    app.patch(
      '/persons/:id',
      {
        schema: {
          tags: ['persons'],
          summary: 'Edit a person (If-Match required)',
          params: idParam,
          body: personPatchSchema,
          response: { 200: personSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        const actor = await authorize(ctx, req, 'person.write');
        const p = await updatePerson(ctx, {
          actor,
          id: req.params.id,
          ifVersion: ifMatchVersion(req),
          patch: req.body,
        });
        return reply.header('etag', etagOf(p.version)).send(p);
      },
    );

    app.post(
      '/persons/:id/leave',
      {
        schema: {
          tags: ['persons'],
          summary: 'Mark a person as having left (E2: deactivates, never deletes; ends their sessions)',
          params: idParam,
          response: { 200: personSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        const actor = await authorize(ctx, req, 'person.leave');
        const p = await markPersonLeft(ctx, { actor, id: req.params.id });
        return reply.header('etag', etagOf(p.version)).send(p);
      },
    );

    app.get(
      '/persons/:id/export',
      {
        schema: {
          tags: ['persons'],
          summary: 'Register extract: everything Steward holds about a person (GDPR art. 15)',
          params: idParam,
          response: { 200: z.record(z.string(), z.unknown()), ...problemResponses },
        },
      },
      async (req, reply) => {
        const actor = await authorize(ctx, req, 'person.export', { personId: req.params.id });
        const data = await exportPersonData(ctx, { actor, personId: req.params.id });
        return reply
          .header('content-disposition', `attachment; filename="person-${req.params.id}.json"`)
          .send(data);
      },
    );

    app.post(
      '/imports/org',
      {
        schema: {
          tags: ['org'],
          summary:
            'Import org units and persons from CSV or XLSX (multipart field "file"); nothing is written if any row is bad',
          querystring: z.object({ dryRun: z.enum(['true', 'false']).default('false') }),
          consumes: ['multipart/form-data'],
          response: {
            200: z.object({ dryRun: z.boolean(), counts: importCountsSchema }),
            ...problemResponses,
          },
        },
      },
      async (req) => {
        const actor = await authorize(ctx, req, 'person.import');
        if (!req.isMultipart())
          throw validationError([
            { field: 'file', message: 'Upload the file as multipart/form-data field "file".' },
          ]);
        const file = await req.file();
        if (!file) throw validationError([{ field: 'file', message: 'Choose a CSV or XLSX file.' }]);
        const data = await file.toBuffer();
        const res = await importOrg(ctx, {
          actor,
          data,
          filename: file.filename,
          dryRun: req.query.dryRun === 'true',
        });
        if (!res.ok) {
          throw new AppError(
            400,
            'import-invalid',
            `The file has ${res.errors.length} bad row(s); nothing was imported.`,
            {
              errors: res.errors,
            },
          );
        }
        return { dryRun: res.dryRun, counts: res.counts };
      },
    );
  };
