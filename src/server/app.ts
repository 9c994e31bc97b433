// Builds the Fastify application from the modules' route plugins.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AUDIT_LABELS } from './audit-labels.ts';
import { absencesRoutes } from './modules/absences/absences.routes.ts';
import { accessRoutes } from './modules/access/access.routes.ts';
import { accountsRoutes } from './modules/accounts/accounts.routes.ts';
import { startTokenCache } from './modules/accounts/accounts.service.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';
import { poolsRoutes } from './modules/licences/pools.routes.ts';
import { maintenanceRoutes } from './modules/maintenance/maintenance.routes.ts';
import { orgRoutes } from './modules/org/org.routes.ts';
import { plansRoutes } from './modules/plans/plans.routes.ts';
import { softwareRoutes } from './modules/software/software.routes.ts';
import { systemsBackstageRoutes } from './modules/systems/systems.backstage.routes.ts';
import { systemsRoutes } from './modules/systems/systems.routes.ts';
import { workRoutes } from './modules/work/work.routes.ts';
import type { AppContext } from './platform/context.ts';
import {
  authorize,
  frameworkErrors,
  problemResponses,
  registerAuthentication,
  registerErrorHandling,
} from './platform/http.ts';
import { registerIdempotency } from './platform/idempotency.ts';
import { databaseHealthy } from './platform/jobs.ts';
import { listOutbox } from './platform/outbox/outbox.service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    startDraining(): void;
  }
}

export const webDist = fileURLToPath(new URL('../../dist/web', import.meta.url));

export async function buildApp(
  ctx: AppContext,
  opts: { logger?: boolean | object } = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    trustProxy: ctx.config.trustProxy,
    bodyLimit: 2 * 1024 * 1024,
    // Graceful shutdown: on close, keep-alive connections are not cut; a request that arrives on one
    // gets a 503 with Connection: close, and idle ones end within keepAliveTimeout.
    forceCloseConnections: false,
    keepAliveTimeout: 5_000,
    return503OnClosing: true,
    frameworkErrors,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
  });
  await app.register(fastifyCookie);
  await app.register(fastifyMultipart, { limits: { fileSize: 50 * 1024 * 1024, files: 1 } });
  // Draining (on SIGTERM, before close): requests are still served, but each response closes its
  // connection and the health check says 503, so clients and load balancers move away first.
  let draining = false;
  app.decorate('startDraining', () => {
    draining = true;
  });
  app.addHook('onSend', async (req, reply, payload) => {
    if (req.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    if (draining) reply.header('connection', 'close');
    return payload;
  });
  registerAuthentication(app, ctx);
  registerIdempotency(app, ctx);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Steward API',
        version: '1',
        description:
          'Governance of IT systems. Authenticate with the session cookie (and X-CSRF-Token on writes) or with `Authorization: Bearer <API token>`. Errors are application/problem+json (RFC 9457).',
      },
      servers: [{ url: '/' }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'steward_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get(
    '/api/health',
    {
      schema: {
        tags: ['platform'],
        summary: 'Liveness and database check',
        security: [],
        response: {
          200: z.object({ status: z.literal('ok'), database: z.string() }),
          503: z.object({ status: z.literal('unavailable'), database: z.string() }),
        },
      },
    },
    async (_req, reply) => {
      const ok = !draining && (await databaseHealthy(ctx).catch(() => false));
      if (!ok) return reply.code(503).send({ status: 'unavailable', database: ctx.database.kind });
      return { status: 'ok' as const, database: ctx.database.kind };
    },
  );

  await app.register(
    async (api) => {
      await api.register(accountsRoutes(ctx));
      await api.register(orgRoutes(ctx));
      await api.register(systemsRoutes(ctx));
      await api.register(systemsBackstageRoutes(ctx));
      await api.register(softwareRoutes(ctx));
      await api.register(poolsRoutes(ctx));
      await api.register(auditRoutes(ctx, AUDIT_LABELS));
      await api.register(accessRoutes(ctx));
      await api.register(absencesRoutes(ctx));
      await api.register(maintenanceRoutes(ctx));
      await api.register(plansRoutes(ctx));
      await api.register(workRoutes(ctx));
      api.withTypeProvider<ZodTypeProvider>().get(
        '/outbox',
        {
          schema: {
            tags: ['admin'],
            summary: 'E-mails in the outbox (held when no SMTP server is configured)',
            querystring: z.object({
              limit: z.coerce.number().int().min(1).max(200).default(50),
              cursor: z.coerce.number().int().positive().optional(),
            }),
            response: {
              200: z.object({
                items: z.array(z.record(z.string(), z.unknown())),
                nextCursor: z.string().nullable(),
              }),
              ...problemResponses,
            },
          },
        },
        async (req) => {
          await authorize(ctx, req, 'outbox.read');
          return listOutbox(ctx.db, req.query);
        },
      );
    },
    { prefix: '/api/v1' },
  );

  // The built web UI: static files, and index.html for every client-side route.
  if (existsSync(path.join(webDist, 'index.html'))) {
    await app.register(fastifyStatic, { root: webDist, wildcard: false, index: false });
    app.get('/*', { schema: { hide: true } }, async (req, reply) => {
      const rel = decodeURIComponent(req.url.split('?')[0]).replace(/^\/+/, '');
      if (rel && !rel.includes('..') && existsSync(path.join(webDist, rel)) && path.extname(rel))
        return reply.sendFile(rel);
      if (rel.startsWith('api/')) return reply.callNotFound();
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    });
  }
  // API tokens are answered from memory while this process listens for changes to them (token cache,
  // platform/auth-cache.ts); the listening connection closes with the app.
  const leaveTokenCache = await startTokenCache(ctx.database, {
    warn: (message, err) => app.log.warn({ err }, message),
  });
  app.addHook('onClose', leaveTokenCache);
  return app;
}
