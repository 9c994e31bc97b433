import { AppError } from '../../platform/errors.ts';
import { say } from '../../platform/text.ts';

/** One answer for an unknown user, a wrong password and a throttled attempt, so none can be told apart. */
export const signInRefused = () =>
  new AppError(
    401,
    'sign-in-refused',
    say(
      'Wrong username or password, or too many attempts. Wait a few minutes and try again.',
      'Fel användarnamn eller lösenord, eller för många försök. Vänta några minuter och försök igen.',
    ),
  );
export const accountExpired = (validUntil: string) =>
  new AppError(
    401,
    'account-expired',
    say(
      `This account was valid until ${validUntil} and can no longer sign in. Ask an administrator to extend it.`,
      `Kontot var giltigt till ${validUntil} och kan inte längre användas för att logga in. Be en administratör att förlänga det.`,
    ),
    { rule: 'L7', validUntil },
  );
export const accountDisabled = () =>
  new AppError(
    401,
    'account-disabled',
    say(
      'This account is disabled. Ask an administrator if you need access again.',
      'Kontot är spärrat. Be en administratör om du behöver åtkomst igen.',
    ),
  );
export const personLeft = () =>
  new AppError(
    401,
    'account-disabled',
    say(
      'This person has left the organisation; the account cannot sign in.',
      'Personen har lämnat organisationen; kontot kan inte användas för att logga in.',
    ),
    { rule: 'E2' },
  );
