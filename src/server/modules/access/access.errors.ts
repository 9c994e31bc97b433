// Error codes of the access-rights module with their user messages. Database errors on this module's
// constraints are translated here, so a broken check names the rule it encodes.
import { constraintTranslator } from '../../platform/db-errors.ts';
import { type FieldError, ruleViolation, validationError } from '../../platform/errors.ts';

const UNIQUE: Record<string, FieldError & { rule?: string }> = {
  access_permissions_system_name_key: {
    field: 'name',
    message: 'This system already has a permission with this name.',
  },
  access_orderers_current_key: {
    field: 'personId',
    message: 'This person already has ordering rights for this unit.',
    rule: 'A1',
  },
  access_expert_users_current_key: {
    field: 'personId',
    message: 'This person is already an expert user of this system for this unit.',
    rule: 'A3',
  },
  access_fulfillers_key: { field: 'personId', message: 'This person is already a fulfiller of this system.' },
  access_orders_open_revocation_key: {
    field: 'grantId',
    message: 'A revocation of this grant is already under way.',
    rule: 'A6',
  },
};

const CHECKS: Record<string, FieldError & { rule: string; status?: 403 }> = {
  access_orders_not_self: {
    field: 'personId',
    message: 'You cannot order a permission for yourself.',
    rule: 'A2',
    status: 403,
  },
  access_orderers_not_self: {
    field: 'personId',
    message: 'You cannot grant yourself ordering rights.',
    rule: 'A2',
    status: 403,
  },
  access_orders_units_check: {
    field: 'unitIds',
    message: 'Name one or more units the permission applies to.',
    rule: 'A4',
  },
  access_orders_expert_email: {
    field: 'personEmail',
    message: "An order that marks the person as an expert user must give the person's e-mail address.",
    rule: 'A3',
  },
  access_orders_reject_reason: { field: 'reason', message: 'Give a reason.', rule: 'A5' },
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
export const wrongState = (state: string, action: string) =>
  ruleViolation(
    'A5',
    `This order is ${state.replace('_', ' ')} and cannot be ${action} now. Reload to see its state.`,
    {
      state,
    },
  );
