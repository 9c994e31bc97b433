import { AppError } from '../../platform/errors.ts';

/** One answer for an unknown user, a wrong password and a throttled attempt, so none can be told apart. */
export const signInRefused = () =>
  new AppError(
    401,
    'sign-in-refused',
    'Wrong username or password, or too many attempts. Wait a few minutes and try again.',
  );
export const accountExpired = (validUntil: string) =>
  new AppError(
    401,
    'account-expired',
    `This account was valid until ${validUntil} and can no longer sign in. Ask an administrator to extend it.`,
    { rule: 'L7', validUntil },
  );
export const accountDisabled = () =>
  new AppError(
    401,
    'account-disabled',
    'This account is disabled. Ask an administrator if you need access again.',
  );
export const personLeft = () =>
  new AppError(
    401,
    'account-disabled',
    'This person has left the organisation; the account cannot sign in.',
    { rule: 'E2' },
  );
