// Typed domain errors with stable codes. They are mapped to problem+json in exactly one place
// (platform/http.ts). The user message is separate from anything internal, and is a Text: English, or
// English and Swedish (the answer is worded in the request's language).
import { say, type Text } from './text.ts';

export type FieldError = { field: string; message: Text };

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: Text,
    readonly extra: { rule?: string; detail?: string; errors?: FieldError[]; [k: string]: unknown } = {},
  ) {
    super(typeof title === 'string' ? title : title.en);
  }
}

export const badRequest = (title: Text, errors?: FieldError[], rule?: string) =>
  new AppError(400, 'bad-request', title, { errors, rule });
export const validationError = (errors: FieldError[]) =>
  new AppError(400, 'validation', INVALID_FIELDS, { errors });
export const BAD_CURSOR = say(
  'Not a cursor this list gave out. Start from the first page.',
  'Inte en markör som listan har lämnat ut. Börja från första sidan.',
);
export const INVALID_FIELDS = say('The request has invalid fields.', 'Begäran har ogiltiga fält.');
export const unauthorised = (title: Text = say('Sign in to continue.', 'Logga in för att fortsätta.')) =>
  new AppError(401, 'unauthenticated', title);
export const forbidden = (
  title: Text = say('You are not allowed to do this.', 'Du har inte behörighet att göra detta.'),
  rule?: string,
) => new AppError(403, 'forbidden', title, { rule });
/**
 * The policy's refusal of an action the caller's roles do not include, where it has no sentence of its
 * own to say (type /problems/not-permitted, so a client words it for its user), with the rule if one decides.
 */
export const notPermitted = (action: string, rule?: string) =>
  new AppError(
    403,
    'not-permitted',
    say(`You are not allowed to do this (${action}).`, `Du har inte behörighet att göra detta (${action}).`),
    { rule },
  );
export const notFound = (what?: Text) =>
  new AppError(
    404,
    'not-found',
    what === undefined
      ? say('The resource was not found.', 'Det efterfrågade finns inte.')
      : typeof what === 'string'
        ? `${what} was not found.`
        : say(`${what.en} was not found.`, `${what.sv} finns inte.`),
  );
export const conflict = (title: Text, extra: AppError['extra'] = {}) =>
  new AppError(409, 'conflict', title, extra);
export const ruleViolation = (rule: string, title: Text, extra: AppError['extra'] = {}) =>
  new AppError(409, 'rule-violation', title, { ...extra, rule });
export const preconditionFailed = () =>
  new AppError(
    412,
    'stale',
    say(
      'Someone else changed this since you loaded it. Reload to see their change, then apply yours again.',
      'Någon annan har ändrat detta sedan du läste in det. Läs in sidan igen för att se ändringen och gör sedan din ändring på nytt.',
    ),
  );
export const preconditionRequired = () =>
  new AppError(
    428,
    'precondition-required',
    say(
      'Send an If-Match header with the ETag you read.',
      'Skicka en If-Match-rubrik med den ETag du läste.',
    ),
  );
