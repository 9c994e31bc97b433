// Error codes of the systems module with their user messages. Database errors on this module's
// constraints are translated here (STYLE.md habit 7), so a duplicate names its field and a broken
// check names the rule it encodes.
import { constraintTranslator } from '../../platform/db-errors.ts';
import { conflict, type FieldError, ruleViolation } from '../../platform/errors.ts';
import { say } from '../../platform/text.ts';

const UNIQUE: Record<string, FieldError> = {
  systems_short_name_key: {
    field: 'shortName',
    message: say('Another system already has this short name.', 'Ett annat system har redan detta kortnamn.'),
  },
  governance_objects_name_key: {
    field: 'name',
    message: say('Another governance object has this name.', 'Ett annat förvaltningsobjekt har detta namn.'),
  },
  system_modules_system_name_key: {
    field: 'name',
    message: say(
      'This system already has a module with this name.',
      'Systemet har redan en modul med detta namn.',
    ),
  },
  system_dependencies_edge_key: {
    field: 'kind',
    message: say('This dependency is already recorded.', 'Beroendet är redan registrerat.'),
  },
  system_documents_kind_key: {
    field: 'kind',
    message: say(
      'This system already has a document of this kind.',
      'Systemet har redan ett dokument av detta slag.',
    ),
  },
};

const CHECKS: Record<string, FieldError & { rule?: string }> = {
  system_dependencies_no_self: {
    field: 'toSystemId',
    message: say('A system cannot depend on itself.', 'Ett system kan inte bero av sig självt.'),
  },
  integrations_not_self: {
    field: 'targetSystemId',
    message: say('Source and target must be different systems.', 'Källa och mål måste vara olika system.'),
  },
  information_contracts_legal_basis: {
    field: 'legalBasis',
    message: say(
      'A contract that includes personal data must state its legal basis (GDPR art. 6).',
      'Ett kontrakt som omfattar personuppgifter måste ange sin rättsliga grund (GDPR art. 6).',
    ),
    rule: 'G9',
  },
  system_firewall_rules_justified: {
    field: 'justification',
    message: say(
      'Every firewall rule needs a justification.',
      'Varje brandväggsregel behöver en motivering.',
    ),
    rule: 'G12',
  },
  role_assignments_reference_group_unit: {
    field: 'appointedByUnitId',
    message: say(
      'Reference-group members are appointed by their unit: name the unit.',
      'Referensgruppens medlemmar utses av sin enhet: ange enheten.',
    ),
    rule: 'G4',
  },
  role_assignments_period_check: {
    field: 'validUntil',
    message: say('Valid until is before valid from.', 'Gäller till är före gäller från.'),
  },
  system_vulnerabilities_period_check: {
    field: 'exposureEndedOn',
    message: say('Exposure cannot end before it started.', 'Exponeringen kan inte sluta innan den började.'),
  },
};

const translator = constraintTranslator({
  unique: UNIQUE,
  checks: CHECKS,
  problems: {
    information_contracts_version_key: () =>
      conflict(
        say(
          'Someone else added a contract version at the same time. Try again.',
          'Någon annan lade till en kontraktsversion samtidigt. Försök igen.',
        ),
      ),
    information_contracts_one_active: () =>
      ruleViolation(
        'G9',
        say(
          'Another version of this contract was activated at the same time. Reload.',
          'En annan version av kontraktet aktiverades samtidigt. Läs in sidan igen.',
        ),
      ),
  },
});

/** Runs a unit of work and translates this module's constraint violations. */
export const guarded = translator.guarded;

export const g4NotAppointedByItso = () =>
  ruleViolation(
    'G4',
    say(
      'The IT system manager is appointed by the IT system owner of the object. The appointer named is not a current IT system owner of this object.',
      'IT-systemförvaltaren utses av objektets IT-systemägare. Personen som anges under Utsedd av är inte IT-systemägare för objektet i dag.',
    ),
    {
      errors: [
        {
          field: 'appointedByPersonId',
          message: say(
            'Not a current IT system owner of this object.',
            'Är inte IT-systemägare för objektet i dag.',
          ),
        },
      ],
    },
  );
