// Error codes of the plans module with their user messages. Database errors on this module's
// constraints and triggers are translated here (STYLE.md habit 7).
import {
  AppError,
  conflict,
  type FieldError,
  ruleViolation,
  validationError,
} from '../../platform/errors.ts';

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

function pgError(err: unknown): { code?: string; constraint?: string } {
  const e = err as any;
  return { code: e?.code ?? e?.cause?.code, constraint: e?.constraint ?? e?.cause?.constraint };
}

export const g5Frozen = () =>
  ruleViolation(
    'G5',
    'This version of the plan is no longer a draft: an approved plan cannot change. Start a revision to change it.',
  );

export const g6Attested = () =>
  ruleViolation('G6', 'This checklist has been attested and cannot change. Answer a new checklist instead.');

/** Rethrows database errors on this module's constraints as problems that name the field or rule. */
export function translatePlanDbError(err: unknown): never {
  if (err instanceof AppError) throw err;
  const { code, constraint } = pgError(err);
  if (
    code === '23514' &&
    (constraint === 'plan_versions_immutable' || constraint === 'plan_activities_draft_only')
  )
    throw g5Frozen();
  if (code === '23514' && constraint === 'checklist_answers_draft_only') throw g6Attested();
  if (code === '23505' && constraint === 'plans_object_year_key')
    throw ruleViolation('G1', 'This governance object already has a plan for that year.', {
      errors: [{ field: 'year', message: 'There is already a plan for this year.' }],
    });
  if (code === '23505' && constraint === 'plan_versions_one_open')
    throw ruleViolation(
      'G5',
      'The plan already has an open (draft or proposed) version. Finish that one first.',
    );
  if (code === '23505' && constraint === 'plan_versions_number_key')
    throw conflict('Someone else started a version at the same time. Reload.');
  if (code === '23505' && constraint === 'plan_signatures_role_key')
    throw ruleViolation('G5', 'This version has already been signed in that role.');
  if (code === '23505' && constraint === 'checklist_responses_one_draft')
    throw conflict('Someone else started this checklist at the same time. Reload.');
  if (code === '23505' && constraint === 'checklist_templates_version_key')
    throw conflict('Someone else changed the checklist template at the same time. Reload.');
  if (code === '23514' && constraint && CHECKS[constraint]) {
    const { rule, ...f } = CHECKS[constraint];
    const e = validationError([f]);
    if (rule) e.extra.rule = rule;
    throw e;
  }
  throw err;
}

export async function planGuarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    translatePlanDbError(err);
  }
}
