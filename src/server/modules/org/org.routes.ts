import { stringify } from 'csv-stringify/sync';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { todayOf } from '../../platform/clock.ts';
import type { AppContext } from '../../platform/context.ts';
import { sendDownload, XLSX_TYPE } from '../../platform/download.ts';
import { AppError, validationError } from '../../platform/errors.ts';
import {
  actorOf,
  authorize,
  etagOf,
  idParam,
  ifMatchVersion,
  problemResponses,
} from '../../platform/http.ts';
import type { UnitRole } from '../../platform/policy.ts';
import { say } from '../../platform/text.ts';
import { exportWorkbook } from '../../platform/xlsx.ts';
import { importOrg } from './import/import.service.ts';
import { exportPersonData } from './org.export.ts';
import {
  identityEditorCreateSchema,
  identityEditorSchema,
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
  appointIdentityEditor,
  createPerson,
  createUnit,
  endIdentityEditor,
  exportPersonRows,
  getPerson,
  getUnit,
  identityEditorRef,
  identityEditorUnitIds,
  isHeadOfUnit,
  listIdentityEditors,
  listPersons,
  markPersonLeft,
  PERSON_EXPORT_COLUMNS,
  unitTree,
  updatePerson,
  updateUnit,
  writesAsIdentityEditor,
} from './org.service.ts';

const noContent = { 204: z.null(), ...problemResponses };

export const orgRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    /** V3: the caller's unit role for writing a person (administrators need no lookup). */
    const identityEditorOf = async (
      req: FastifyRequest,
      target: { unitIds: string[] } | { personId: string },
    ): Promise<UnitRole[]> => {
      const actor = actorOf(req);
      if (actor.roles.includes('administrator')) return [];
      return (await writesAsIdentityEditor(ctx.db, actor.personId, target)) ? ['identity_editor'] : [];
    };
    /** V3: appointing identity editors is for the unit's head (and administrators), never for oneself. */
    const onUnit = async (req: FastifyRequest, unitId: string, personId?: string) => {
      const head = await isHeadOfUnit(ctx.db, actorOf(req).personId, unitId, todayOf(ctx));
      return authorize(ctx, req, 'identity-editor.appoint', { unitRoles: head ? ['head'] : [], personId });
    };

    app.get(
      '/org-units/:id/identity-editors',
      {
        schema: {
          tags: ['org'],
          summary: 'V3: the identity editors of an org unit (they create and edit its persons)',
          params: idParam,
          response: { 200: z.object({ items: z.array(identityEditorSchema) }), ...problemResponses },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'org.read');
        await getUnit(ctx.db, req.params.id);
        return { items: await listIdentityEditors(ctx.db, { unitId: req.params.id }) };
      },
    );

    app.post(
      '/org-units/:id/identity-editors',
      {
        schema: {
          tags: ['org'],
          summary:
            "V3: appoint an identity editor of an org unit (by the unit's head or an administrator; never oneself)",
          params: idParam,
          body: identityEditorCreateSchema,
          response: { 201: identityEditorSchema, ...problemResponses },
        },
      },
      async (req, reply) => {
        const actor = await onUnit(req, req.params.id, req.body.personId);
        const e = await appointIdentityEditor(ctx, {
          actor,
          unitId: req.params.id,
          personId: req.body.personId,
        });
        return reply.code(201).send(e);
      },
    );

    app.delete(
      '/identity-editors/:id',
      {
        schema: {
          tags: ['org'],
          summary: 'V3: end an identity editor appointment (kept as history)',
          params: idParam,
          response: noContent,
        },
      },
      async (req, reply) => {
        const e = await identityEditorRef(ctx.db, req.params.id);
        const actor = await onUnit(req, e.unit.id);
        await endIdentityEditor(ctx, { actor, id: req.params.id });
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/me/identity-units',
      {
        schema: {
          tags: ['org'],
          summary: 'V3: the org units whose persons the caller creates and edits as identity editor',
          response: { 200: z.object({ unitIds: z.array(z.uuid()) }), ...problemResponses },
        },
      },
      async (req) => {
        await authorize(ctx, req, 'org.read');
        return { unitIds: await identityEditorUnitIds(ctx.db, actorOf(req).personId) };
      },
    );

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

    // A list of people's names, e-mail addresses and units taken away as a file is personal data in
    // bulk: it is for those who may export personal data (administrators, auditors).
    const personExportQuery = personListQuerySchema.omit({ limit: true, cursor: true });
    app.get(
      '/persons/export.csv',
      {
        schema: {
          tags: ['persons'],
          summary:
            'The persons of a list (search, unit, status and order as GET /persons, every page) as CSV',
          querystring: personExportQuery,
          produces: ['text/csv'],
        },
      },
      async (req, reply) => {
        await authorize(ctx, req, 'person.export');
        const csv = stringify(await exportPersonRows(ctx.db, req.query), {
          header: true,
          columns: PERSON_EXPORT_COLUMNS.map((c) => c[0]),
        });
        return sendDownload(reply, 'persons.csv', csv);
      },
    );

    app.get(
      '/persons/export.xlsx',
      {
        schema: {
          tags: ['persons'],
          summary: 'The persons of a list as an Excel workbook (headers in the language of `lang`)',
          querystring: personExportQuery,
          produces: [XLSX_TYPE],
        },
      },
      async (req, reply) => {
        await authorize(ctx, req, 'person.export');
        const book = await exportWorkbook(
          { en: 'Persons', sv: 'Personer' },
          PERSON_EXPORT_COLUMNS,
          await exportPersonRows(ctx.db, req.query),
          req.query.lang,
        );
        return sendDownload(reply, 'persons.xlsx', book);
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
        const actor = await authorize(ctx, req, 'person.write', {
          unitRoles: await identityEditorOf(req, { unitIds: req.body.unitIds ?? [] }),
        });
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
        const actor = await authorize(ctx, req, 'person.write', {
          unitRoles: await identityEditorOf(req, { personId: req.params.id }),
        });
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
            {
              field: 'file',
              message: say(
                'Upload the file as multipart/form-data field "file".',
                'Ladda upp filen som multipart/form-data-fältet "file".',
              ),
            },
          ]);
        const file = await req.file();
        if (!file)
          throw validationError([
            { field: 'file', message: say('Choose a CSV or XLSX file.', 'Välj en CSV- eller XLSX-fil.') },
          ]);
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
            say(
              `The file has ${res.errors.length} bad row(s); nothing was imported.`,
              `Filen har ${res.errors.length} ${res.errors.length === 1 ? 'felaktig rad' : 'felaktiga rader'}; inget importerades.`,
            ),
            {
              errors: res.errors,
            },
          );
        }
        return { dryRun: res.dryRun, counts: res.counts };
      },
    );
  };
