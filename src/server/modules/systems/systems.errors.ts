// Error codes of the systems module with their user messages. Database errors on this module's
// constraints are translated here (STYLE.md habit 7), so a duplicate names its field and a broken
// check names the rule it encodes.
import { constraintTranslator } from '../../platform/db-errors.ts';
import { conflict, type FieldError, ruleViolation } from '../../platform/errors.ts';

const UNIQUE: Record<string, FieldError> = {
  systems_short_name_key: { field: 'shortName', message: 'Another system already has this short name.' },
  governance_objects_name_key: { field: 'name', message: 'Another governance object has this name.' },
  system_modules_system_name_key: {
    field: 'name',
    message: 'This system already has a module with this name.',
  },
  system_dependencies_edge_key: { field: 'kind', message: 'This dependency is already recorded.' },
  system_documents_kind_key: { field: 'kind', message: 'This system already has a document of this kind.' },
};

const CHECKS: Record<string, FieldError & { rule?: string }> = {
  system_dependencies_no_self: { field: 'toSystemId', message: 'A system cannot depend on itself.' },
  integrations_not_self: { field: 'targetSystemId', message: 'Source and target must be different systems.' },
  information_contracts_legal_basis: {
    field: 'legalBasis',
    message: 'A contract that includes personal data must state its legal basis (GDPR art. 6).',
    rule: 'G9',
  },
  system_firewall_rules_justified: {
    field: 'justification',
    message: 'Every firewall rule needs a justification.',
    rule: 'G12',
  },
  role_assignments_reference_group_unit: {
    field: 'appointedByUnitId',
    message: 'Reference-group members are appointed by their unit: name the unit.',
    rule: 'G4',
  },
  role_assignments_period_check: { field: 'validUntil', message: 'Valid until is before valid from.' },
  system_vulnerabilities_period_check: {
    field: 'exposureEndedOn',
    message: 'Exposure cannot end before it started.',
  },
};

const translator = constraintTranslator({
  unique: UNIQUE,
  checks: CHECKS,
  problems: {
    information_contracts_version_key: () =>
      conflict('Someone else added a contract version at the same time. Try again.'),
    information_contracts_one_active: () =>
      ruleViolation('G9', 'Another version of this contract was activated at the same time. Reload.'),
  },
});

/** Runs a unit of work and translates this module's constraint violations. */
export const guarded = translator.guarded;

export const g4NotAppointedByItso = () =>
  ruleViolation(
    'G4',
    'The IT system manager is appointed by the IT system owner of the object. The appointer named is not a current IT system owner of this object.',
    { errors: [{ field: 'appointedByPersonId', message: 'Not a current IT system owner of this object.' }] },
  );
