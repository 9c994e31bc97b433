// Backstage interchange routes: GET the registry as a multi-document catalog-info.yaml, POST such a file
// to create or update systems, governance objects and dependencies (administrators only).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import { validationError } from '../../platform/errors.ts';
import { authorize, problemResponses } from '../../platform/http.ts';
import { say } from '../../platform/text.ts';
import { exportCatalog, importCatalog, toYaml } from './backstage.ts';
import { todayOf } from './systems.service.ts';

const tags = ['backstage'];
const counts = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
});

export const systemsBackstageRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    // YAML bodies arrive as text; text/plain is parsed as a string by Fastify already.
    app.addContentTypeParser(
      ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'],
      { parseAs: 'string' },
      (_req, body, done) => done(null, body),
    );

    app.get(
      '/backstage/catalog',
      {
        schema: {
          tags,
          summary:
            'The registry as Backstage catalog entities (Group, User, System, Component), one YAML document each',
          produces: ['application/yaml'],
        },
      },
      async (req, reply) => {
        await authorize(ctx, req, 'system.read');
        const yaml = toYaml(await exportCatalog(ctx.db, todayOf(ctx)));
        return reply
          .header('content-type', 'application/yaml; charset=utf-8')
          .header('content-disposition', 'attachment; filename="catalog-info.yaml"')
          .send(yaml);
      },
    );

    app.post(
      '/backstage/import',
      {
        bodyLimit: 10 * 1024 * 1024,
        schema: {
          tags,
          summary:
            'Create or update systems, governance objects and dependencies from a catalog-info.yaml (application/yaml, text/plain, or JSON {yaml})',
          consumes: ['application/yaml', 'text/plain', 'application/json'],
          response: {
            200: z.object({
              documents: z.number().int(),
              governanceObjects: counts,
              systems: counts,
              dependencies: z.object({ created: z.number().int(), unchanged: z.number().int() }),
              ignored: z.number().int(),
            }),
            ...problemResponses,
          },
        },
      },
      async (req) => {
        const actor = await authorize(ctx, req, 'backstage.import');
        const body = req.body as unknown;
        const yaml =
          typeof body === 'string'
            ? body
            : body && typeof body === 'object' && typeof (body as { yaml?: unknown }).yaml === 'string'
              ? (body as { yaml: string }).yaml
              : null;
        if (yaml === null || !yaml.trim())
          throw validationError([
            {
              field: 'yaml',
              message: say(
                'Send a catalog-info.yaml as the body, or JSON {"yaml": "..."}.',
                'Skicka en catalog-info.yaml som begärans innehåll, eller JSON {"yaml": "..."}.',
              ),
            },
          ]);
        return importCatalog(ctx, { actor, yaml });
      },
    );
  };
