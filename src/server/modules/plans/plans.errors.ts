// Error codes of the plans module with their user messages. Database errors on this module's
// constraints and triggers are translated here (STYLE.md habit 7).
import { constraintTranslator } from '../../platform/db-errors.ts';
import { conflict, type FieldError, ruleViolation } from '../../platform/errors.ts';
import { say } from '../../platform/text.ts';

export const TIMING_NEEDED = say(
  'Give the activity a planned start date or a quarter.',
  'Ange ett planerat startdatum eller ett kvartal för aktiviteten.',
);

const CHECKS: Record<string, FieldError & { rule?: string }> = {
  plan_activities_quarter_check: {
    field: 'quarter',
    message: say('A quarter from 1 to 4.', 'Ett kvartal från 1 till 4.'),
  },
  plan_activities_period_check: {
    field: 'endOn',
    message: say('The end is before the start.', 'Slutet ligger före starten.'),
  },
  plan_activities_timing_check: {
    field: 'quarter',
    message: TIMING_NEEDED,
    rule: 'G7',
  },
  plan_activities_amounts_check: {
    field: 'estimatedHours',
    message: say('Hours and cost cannot be negative.', 'Timmar och kostnad kan inte vara negativa.'),
  },
  plan_activities_title_check: { field: 'title', message: say('Required.', 'Måste fyllas i.') },
  plan_settings_month_day_check: {
    field: 'cycleMonthDay',
    message: say('A date like 11-01 (month-day).', 'Ett datum som 11-01 (månad-dag).'),
  },
};

export const g5Frozen = () =>
  ruleViolation(
    'G5',
    say(
      'This version of the plan is no longer a draft: an approved plan cannot change. Start a revision to change it.',
      'Den här versionen av planen är inte längre ett utkast: en fastställd plan kan inte ändras. Starta en revidering för att ändra den.',
    ),
  );

export const g6Attested = () =>
  ruleViolation(
    'G6',
    say(
      'This checklist has been attested and cannot change. Answer a new checklist instead.',
      'Checklistan är intygad och kan inte ändras. Besvara en ny checklista i stället.',
    ),
  );

const translator = constraintTranslator({
  checks: CHECKS,
  problems: {
    plan_versions_immutable: g5Frozen,
    plan_activities_draft_only: g5Frozen,
    checklist_answers_draft_only: g6Attested,
    plans_object_year_key: () =>
      ruleViolation(
        'G1',
        say(
          'This governance object already has a plan for that year.',
          'Förvaltningsobjektet har redan en plan för det året.',
        ),
        {
          errors: [
            {
              field: 'year',
              message: say('There is already a plan for this year.', 'Det finns redan en plan för året.'),
            },
          ],
        },
      ),
    plan_versions_one_open: () =>
      ruleViolation(
        'G5',
        say(
          'The plan already has an open (draft or proposed) version. Finish that one first.',
          'Planen har redan en öppen version (utkast eller föreslagen). Gör klart den först.',
        ),
      ),
    plan_versions_number_key: () =>
      conflict(
        say(
          'Someone else started a version at the same time. Reload.',
          'Någon annan startade en version samtidigt. Läs in sidan igen.',
        ),
      ),
    plan_signatures_role_key: () =>
      ruleViolation(
        'G5',
        say(
          'This version has already been signed in that role.',
          'Versionen är redan undertecknad i den rollen.',
        ),
      ),
    checklist_responses_one_draft: () =>
      conflict(
        say(
          'Someone else started this checklist at the same time. Reload.',
          'Någon annan började på checklistan samtidigt. Läs in sidan igen.',
        ),
      ),
    checklist_templates_version_key: () =>
      conflict(
        say(
          'Someone else changed the checklist template at the same time. Reload.',
          'Någon annan ändrade checklistmallen samtidigt. Läs in sidan igen.',
        ),
      ),
  },
});

/** Runs a unit of work and translates this module's constraint violations into problems. */
export const planGuarded = translator.guarded;
