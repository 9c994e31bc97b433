// HTTP API of My work: GET /api/v1/me/work.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import { authorize, problemResponses } from '../../platform/http.ts';
import { WORK_KINDS } from '../../platform/work.ts';
import { ITEMS_PER_KIND, workOf } from './work.service.ts';

const itemSchema = z
  .object({
    kind: z
      .enum(WORK_KINDS)
      .describe(
        'plan.write/approve/sign (G5), document.review (G11), role.gap (G2), pool.full (above 90 %), report.due (S3), orderers.few (A1) and expert.missing (A3) for unit heads',
      ),
    subject: z
      .object({ id: z.uuid(), name: z.string() })
      .describe('the plan, system, governance object, licence pool or unit the task is about'),
    detail: z
      .string()
      .nullable()
      .describe('document kind, missing role, software title, used/size, or number of orderers'),
    date: z
      .string()
      .nullable()
      .describe('due (documents, reports), first day of a gap, or waiting since (plans)'),
    youAreAway: z
      .boolean()
      .optional()
      .describe('coverage gaps (V2): the caller is one of those away (administrators see every gap)'),
  })
  .meta({ id: 'WorkItem' });

export const workRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/me/work',
      {
        schema: {
          tags: ['auth'],
          summary: 'My work: the signed-in person’s tasks and warnings across modules, oldest first',
          response: {
            200: z.object({
              today: z.string(),
              items: z.array(itemSchema).describe(`at most ${ITEMS_PER_KIND} of each kind`),
              totals: z.record(z.enum(WORK_KINDS), z.number()).describe('how many of each kind there are'),
            }),
            ...problemResponses,
          },
        },
      },
      async (req) => {
        const actor = await authorize(ctx, req, 'work.read-own');
        return workOf(ctx, actor);
      },
    );
  };
