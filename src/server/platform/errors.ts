// Typed domain errors with stable codes. They are mapped to problem+json in exactly one place
// (platform/http-errors.ts). The user message is separate from anything internal.
export type FieldError = { field: string; message: string };

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly extra: { rule?: string; detail?: string; errors?: FieldError[]; [k: string]: unknown } = {},
  ) {
    super(title);
  }
}

export const badRequest = (title: string, errors?: FieldError[], rule?: string) =>
  new AppError(400, 'bad-request', title, { errors, rule });
export const validationError = (errors: FieldError[]) =>
  new AppError(400, 'validation', 'The request has invalid fields.', { errors });
export const unauthorised = (title = 'Sign in to continue.') => new AppError(401, 'unauthenticated', title);
export const forbidden = (title = 'You are not allowed to do this.', rule?: string) =>
  new AppError(403, 'forbidden', title, { rule });
/**
 * The policy's refusal of an action the caller's roles do not include, where it has no sentence of its
 * own to say (type /problems/not-permitted, so a client words it for its user), with the rule if one decides.
 */
export const notPermitted = (action: string, rule?: string) =>
  new AppError(403, 'not-permitted', `You are not allowed to do this (${action}).`, { rule });
export const notFound = (what = 'The resource') => new AppError(404, 'not-found', `${what} was not found.`);
export const conflict = (title: string, extra: AppError['extra'] = {}) =>
  new AppError(409, 'conflict', title, extra);
export const ruleViolation = (rule: string, title: string, extra: AppError['extra'] = {}) =>
  new AppError(409, 'rule-violation', title, { ...extra, rule });
export const preconditionFailed = () =>
  new AppError(
    412,
    'stale',
    'Someone else changed this since you loaded it. Reload to see their change, then apply yours again.',
  );
export const preconditionRequired = () =>
  new AppError(428, 'precondition-required', 'Send an If-Match header with the ETag you read.');
