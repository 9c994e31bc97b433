// Error codes of the access-rights module with their user messages. Database errors on this module's
// constraints are translated here, so a broken check names the rule it encodes.
import { constraintTranslator } from '../../platform/db-errors.ts';
import { conflict, type FieldError, ruleViolation, validationError } from '../../platform/errors.ts';
import { say } from '../../platform/text.ts';

export const UNITS_NEEDED = say(
  'Name one or more units the permission applies to.',
  'Ange en eller flera enheter som behörigheten gäller.',
);
/** A saved revocation names only the grant it ends: there is nothing to edit; withdraw it instead. */
export const revocationNotEdited = () =>
  conflict(
    say(
      'A revocation is not edited: withdraw it, or send it as it is.',
      'En avbeställning kan inte ändras: dra tillbaka den, eller skicka den som den är.',
    ),
  );
export const EXPERT_EMAIL = say(
  "An order that marks the person as an expert user must give the person's e-mail address.",
  'En beställning som anger personen som expertanvändare måste ange personens e-postadress.',
);

const UNIQUE: Record<string, FieldError & { rule?: string }> = {
  access_permissions_system_name_key: {
    field: 'name',
    message: say(
      'This system already has a permission with this name.',
      'Systemet har redan en behörighet med detta namn.',
    ),
  },
  access_orderers_current_key: {
    field: 'personId',
    message: say(
      'This person already has ordering rights for this unit.',
      'Personen har redan beställningsrätt för denna enhet.',
    ),
    rule: 'A1',
  },
  access_expert_users_current_key: {
    field: 'personId',
    message: say(
      'This person is already an expert user of this system for this unit.',
      'Personen är redan expertanvändare av systemet för denna enhet.',
    ),
    rule: 'A3',
  },
  access_fulfillers_key: {
    field: 'personId',
    message: say(
      'This person is already a fulfiller of this system.',
      'Personen utför redan beställningar för systemet.',
    ),
  },
  access_orders_open_revocation_key: {
    field: 'grantId',
    message: say(
      'A revocation of this grant is already under way.',
      'En avbeställning av behörigheten pågår redan.',
    ),
    rule: 'A6',
  },
};

const CHECKS: Record<string, FieldError & { rule: string; status?: 403 }> = {
  access_orders_not_self: {
    field: 'personId',
    message: say(
      'You cannot order a permission for yourself.',
      'Du kan inte beställa en behörighet åt dig själv.',
    ),
    rule: 'A2',
    status: 403,
  },
  access_orderers_not_self: {
    field: 'personId',
    message: say('You cannot grant yourself ordering rights.', 'Du kan inte ge dig själv beställningsrätt.'),
    rule: 'A2',
    status: 403,
  },
  access_orders_units_check: {
    field: 'unitIds',
    message: UNITS_NEEDED,
    rule: 'A4',
  },
  access_orders_expert_email: {
    field: 'personEmail',
    message: EXPERT_EMAIL,
    rule: 'A3',
  },
  access_orders_reject_reason: {
    field: 'reason',
    message: say('Give a reason.', 'Ange ett skäl.'),
    rule: 'A5',
  },
};

const translator = constraintTranslator({ unique: UNIQUE, checks: CHECKS });
export const guarded = translator.guarded;

/** A field error that a domain rule decides (400, naming the field and the rule). */
export function fieldRule(rule: string, errors: FieldError[]) {
  const e = validationError(errors);
  e.extra.rule = rule;
  return e;
}

/** An order is not in the state the action needs (someone else acted first, or it is closed). */
const STATE_SV: Record<string, string> = {
  draft: 'sparad',
  awaiting_approval: 'väntar på godkännande',
  ready: 'skickad till IT',
  in_progress: 'under arbete',
  fulfilled: 'utförd',
  rejected: 'avslagen',
  cancelled: 'återkallad',
  ended: 'avslutad',
};
const ACTION_SV: Record<OrderAction, string> = {
  sent: 'skickas',
  cancelled: 'återkallas',
  approved: 'godkännas',
  rejected: 'avslås',
  taken: 'tas',
  fulfilled: 'utföras',
  'fulfilled by you: someone else has taken it': 'utföras av dig: någon annan har tagit den',
  'revoked again': 'avbeställas igen',
  edited: 'ändras',
};
export type OrderAction =
  | 'sent'
  | 'cancelled'
  | 'approved'
  | 'rejected'
  | 'taken'
  | 'fulfilled'
  | 'fulfilled by you: someone else has taken it'
  | 'revoked again'
  | 'edited';

export const wrongState = (state: string, action: OrderAction) =>
  ruleViolation(
    'A5',
    say(
      `This order is ${state.replace('_', ' ')} and cannot be ${action} now. Reload to see its state.`,
      `Beställningen är ${STATE_SV[state] ?? state} och kan inte ${ACTION_SV[action]} nu. Läs in den igen för att se dess läge.`,
    ),
    { state },
  );
