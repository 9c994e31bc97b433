// HTTP plumbing shared by every module: problem+json errors (the one place errors map to HTTP),
// authentication of each request (session cookie or API token), CSRF on cookie-authenticated writes,
// ETag/If-Match helpers, and the actor of a request.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  type AuthenticatedAccount,
  authenticateSession,
  authenticateToken,
  userActor,
} from '../modules/accounts/accounts.service.ts';
import { recordAudit } from '../modules/audit/audit.service.ts';
import type { Actor, AppContext } from './context.ts';
import { AppError, type FieldError, INVALID_FIELDS, preconditionRequired, unauthorised } from './errors.ts';
import { fieldMessage, NUL_CHARACTER, nulPath } from './field-messages.ts';
import { type Action, can, type PolicyResource, authorize as policyAuthorize } from './policy.ts';
import { inLanguage, requestLanguage, say, type Text } from './text.ts';

export const SESSION_COOKIE = 'steward_session';

declare module 'fastify' {
  interface FastifyRequest {
    account: AuthenticatedAccount | null;
    authVia: 'session' | 'token' | null;
  }
}

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    rule: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() }).passthrough()).optional(),
  })
  .passthrough()
  .meta({ id: 'Problem' });

function sendProblem(
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: string,
  title: Text,
  extra: Record<string, unknown> = {},
) {
  const lang = requestLanguage(req);
  const body: Record<string, unknown> = { type: `/problems/${code}`, title: inLanguage(title, lang), status };
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) continue;
    body[k] =
      k === 'errors' && Array.isArray(v)
        ? v.map((e: FieldError) => ({ ...e, message: inLanguage(e.message, lang) }))
        : v;
  }
  return reply
    .code(status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .header('content-language', lang)
    .send(JSON.stringify(body));
}

// PostgreSQL error codes translated at the boundary (STYLE.md habit 7).
const UNIQUE_FIELDS: Record<string, FieldError> = {
  persons_employee_id_key: {
    field: 'employeeId',
    message: say(
      'Another person already has this employee id.',
      'En annan person har redan detta anställningsnummer.',
    ),
  },
  org_units_code_key: {
    field: 'code',
    message: say('Another unit already has this code.', 'En annan enhet har redan denna kod.'),
  },
  accounts_username_key: {
    field: 'username',
    message: say('This username is taken.', 'Användarnamnet är upptaget.'),
  },
  accounts_person_id_key: {
    field: 'personId',
    message: say('This person already has an account.', 'Personen har redan ett konto.'),
  },
};
const SERVER_FAULT = say(
  'Something went wrong on our side. It has been logged.',
  'Något gick fel hos oss. Felet har loggats.',
);

function dbProblem(
  err: any,
): { status: number; code: string; title: Text; extra?: Record<string, unknown> } | null {
  const code: string | undefined = err?.code ?? err?.cause?.code;
  const constraint: string | undefined = err?.constraint ?? err?.cause?.constraint;
  if (!code || typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return null;
  if (code === '23505') {
    const f = constraint ? UNIQUE_FIELDS[constraint] : undefined;
    return {
      status: 409,
      code: 'duplicate',
      title: f?.message ?? say('This already exists.', 'Detta finns redan.'),
      extra: f ? { errors: [f] } : {},
    };
  }
  if (code === '23503')
    return {
      status: 409,
      code: 'reference',
      title: say(
        'This refers to something that does not exist, or is still referred to.',
        'Detta hänvisar till något som inte finns, eller så hänvisar något annat fortfarande hit.',
      ),
    };
  if (code === '23514')
    return {
      status: 409,
      code: 'constraint',
      title: say('The change breaks a rule of the data.', 'Ändringen bryter mot en regel för uppgifterna.'),
      extra: { constraint },
    };
  if (code === '22P02' || code === '22007' || code === '22008' || code === '22003')
    return {
      status: 400,
      code: 'bad-value',
      title: say('A value has the wrong format.', 'Ett värde har fel format.'),
    };
  if (code === '40001' || code === '40P01')
    return {
      status: 409,
      code: 'retry',
      title: say(
        'A concurrent change got in the way. Try again.',
        'En samtidig ändring kom emellan. Försök igen.',
      ),
    };
  return null;
}

/** Fastify's answers before routing (a malformed percent-encoding, a too long path segment), as problems. */
export function frameworkErrors(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH')
    return sendProblem(
      req,
      reply,
      414,
      'bad-request',
      say('A part of the address is too long.', 'En del av adressen är för lång.'),
    );
  if (err.code === 'FST_ERR_BAD_URL')
    return sendProblem(
      req,
      reply,
      400,
      'bad-request',
      say(
        'The address is not valid: it has a malformed %-escape.',
        'Adressen är ogiltig: den har en felaktig %-kodning.',
      ),
    );
  req.log.error({ err }, 'framework error');
  return sendProblem(req, reply, 500, 'internal', SERVER_FAULT);
}

export function registerErrorHandling(app: FastifyInstance) {
  // A NUL character in any text of a request is refused before validation, naming the field: PostgreSQL
  // cannot store it, and would answer the query with an error (a 500) instead.
  app.addHook('preValidation', async (req) => {
    for (const [part, value] of [
      ['params', req.params],
      ['querystring', req.query],
      ['body', req.body],
    ] as const) {
      const field = nulPath(value, '');
      if (!field) continue;
      const error: FieldError & { in: string } = { field, message: NUL_CHARACTER, in: part };
      throw new AppError(400, 'validation', INVALID_FIELDS, { errors: [error] });
    }
  });
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof AppError) return sendProblem(req, reply, err.status, err.code, err.title, err.extra);
    if (hasZodFastifySchemaValidationErrors(err)) {
      const errors = err.validation.map((v) => {
        const path = (v.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
        const field =
          path || ((v.params as any)?.issue?.path ?? []).join('.') || err.validationContext || 'body';
        // zod's words ("Invalid input: expected string, received undefined") are a developer's; a user
        // is told the field is required, in their language.
        return { field, message: fieldMessage(v), in: err.validationContext };
      });
      return sendProblem(req, reply, 400, 'validation', INVALID_FIELDS, { errors });
    }
    if (isResponseSerializationError(err)) {
      req.log.error({ err }, 'response did not match its schema');
      return sendProblem(req, reply, 500, 'internal', SERVER_FAULT);
    }
    const db = dbProblem(err);
    if (db) return sendProblem(req, reply, db.status, db.code, db.title, db.extra);
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      // Fastify's own client errors: bad JSON, body too large, unsupported media type, ...
      return sendProblem(req, reply, err.statusCode, 'bad-request', err.message.replace(/^FST_\w+: /, ''));
    }
    req.log.error({ err }, 'unhandled error');
    return sendProblem(req, reply, 500, 'internal', SERVER_FAULT);
  });
  app.setNotFoundHandler((req, reply) =>
    sendProblem(req, reply, 404, 'not-found', `No route ${req.method} ${req.url.split('?')[0]}.`),
  );
}

/** Resolves the caller from the session cookie or a bearer API token; enforces CSRF on cookie writes. */
export function registerAuthentication(app: FastifyInstance, ctx: AppContext) {
  app.decorateRequest('account', null);
  app.decorateRequest('authVia', null);
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/')) return;
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) {
      const account = await authenticateToken(ctx, auth.slice(7).trim());
      if (!account)
        throw unauthorised(
          say(
            'The API token is unknown, revoked or expired.',
            'API-token är okänd, återkallad eller har gått ut.',
          ),
        );
      req.account = account;
      req.authVia = 'token';
      return;
    }
    const token = req.cookies[SESSION_COOKIE];
    if (token) {
      const account = await authenticateSession(ctx, token);
      if (account) {
        req.account = account;
        req.authVia = 'session';
      }
    }
    const unsafe = !['GET', 'HEAD', 'OPTIONS'].includes(req.method);
    if (unsafe) {
      // Cross-site requests are refused outright; cookie-authenticated writes also need the CSRF token.
      const origin = req.headers.origin;
      if (origin && new URL(origin).host !== req.headers.host)
        throw new AppError(
          403,
          'csrf',
          say('Cross-site request refused.', 'Begäran från en annan webbplats nekas.'),
        );
      if (req.authVia === 'session' && req.headers['x-csrf-token'] !== req.account?.csrfToken) {
        throw new AppError(
          403,
          'csrf',
          say(
            'The request lacks the CSRF token of your session. Reload the page and try again.',
            'Begäran saknar din sessions CSRF-token. Läs in sidan igen och försök på nytt.',
          ),
        );
      }
    }
  });
}

export function actorOf(req: FastifyRequest): Actor {
  if (!req.account) throw unauthorised();
  return userActor(req.account, req.authVia === 'token' ? 'api-token' : 'web', req.ip);
}

/** Authorises through the policy module; a refusal is audited (in its own transaction) and is a 403. */
export async function authorize(
  ctx: AppContext,
  req: FastifyRequest,
  action: Action,
  resource: PolicyResource = {},
) {
  const actor = actorOf(req);
  if (can({ roles: actor.roles, personId: actor.personId }, action, resource)) return actor;
  await recordAudit(ctx.db, ctx.clock.now(), actor, {
    action: 'authz.denied',
    entityType: 'policy',
    entityId: action,
    after: { action, resource, method: req.method, url: req.url.split('?')[0] },
  }).catch((err) => req.log.error({ err }, 'could not audit a refusal'));
  policyAuthorize({ roles: actor.roles, personId: actor.personId }, action, resource);
  return actor;
}

export const etagOf = (version: number) => `W/"${version}"`;

/** Reads If-Match (required on edits) and returns the version it names. */
export function ifMatchVersion(req: FastifyRequest): number {
  const h = req.headers['if-match'];
  if (!h) throw preconditionRequired();
  const m = /^(?:W\/)?"(\d+)"$/.exec(String(h).trim());
  if (!m) throw new AppError(400, 'bad-request', 'If-Match must be an ETag this API gave out, like W/"3".');
  return Number(m[1]);
}

// ---- shared schemas -------------------------------------------------------------------------
export const paging = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
};
export const idParam = z.object({ id: z.uuid() });
export const problemResponses = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
  409: problemSchema,
  412: problemSchema,
  428: problemSchema,
};
