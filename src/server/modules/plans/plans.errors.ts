// Error codes of the plans module with their user messages. Database errors on this module's
// constraints and triggers are translated here (STYLE.md habit 7).
import { constraintTranslator } from '../../platform/db-errors.ts';
import { conflict, type FieldError, ruleViolation } from '../../platform/errors.ts';

const CHECKS: Record<string, FieldError & { rule?: string }> = {
  plan_activities_quarter_check: { field: 'quarter', message: 'A quarter from 1 to 4.' },
  plan_activities_period_check: { field: 'endOn', message: 'The end is before the start.' },
  plan_activities_timing_check: {
    field: 'quarter',
    message: 'Give the activity a planned start date or a quarter.',
    rule: 'G7',
  },
  plan_activities_amounts_check: { field: 'estimatedHours', message: 'Hours and cost cannot be negative.' },
  plan_activities_title_check: { field: 'title', message: 'Required.' },
  plan_settings_month_day_check: { field: 'cycleMonthDay', message: 'A date like 11-01 (month-day).' },
};

export const g5Frozen = () =>
  ruleViolation(
    'G5',
    'This version of the plan is no longer a draft: an approved plan cannot change. Start a revision to change it.',
  );

export const g6Attested = () =>
  ruleViolation('G6', 'This checklist has been attested and cannot change. Answer a new checklist instead.');

const translator = constraintTranslator({
  checks: CHECKS,
  problems: {
    plan_versions_immutable: g5Frozen,
    plan_activities_draft_only: g5Frozen,
    checklist_answers_draft_only: g6Attested,
    plans_object_year_key: () =>
      ruleViolation('G1', 'This governance object already has a plan for that year.', {
        errors: [{ field: 'year', message: 'There is already a plan for this year.' }],
      }),
    plan_versions_one_open: () =>
      ruleViolation('G5', 'The plan already has an open (draft or proposed) version. Finish that one first.'),
    plan_versions_number_key: () => conflict('Someone else started a version at the same time. Reload.'),
    plan_signatures_role_key: () => ruleViolation('G5', 'This version has already been signed in that role.'),
    checklist_responses_one_draft: () =>
      conflict('Someone else started this checklist at the same time. Reload.'),
    checklist_templates_version_key: () =>
      conflict('Someone else changed the checklist template at the same time. Reload.'),
  },
});

/** Runs a unit of work and translates this module's constraint violations into problems. */
export const planGuarded = translator.guarded;
