// Database constraint errors translated into problems (STYLE.md habit 7). Each module declares what its
// own unique and check constraints mean: the field to name, the message, and the rule a constraint
// encodes. A constraint can also map to a ready-made problem (a race on a version number, a trigger
// that keeps an approved version immutable). Anything else is rethrown unchanged.
import { AppError, conflict, type FieldError, forbidden, validationError } from './errors.ts';

type Meaning = FieldError & { rule?: string };

export interface ConstraintMeanings {
  /** Unique constraints (23505): 409, naming the field (and the rule, if given). */
  unique?: Record<string, Meaning>;
  /** Check constraints (23514): 400 naming the field, or 403 for a rule about who may act. */
  checks?: Record<string, Meaning & { status?: 403 }>;
  /** Any constraint (unique, check, or raised by a trigger) mapped to its own problem. */
  problems?: Record<string, () => AppError>;
}

/** The SQLSTATE and constraint name of a driver error (pg sets them on the error, PGlite on its cause). */
export function pgErrorOf(err: unknown): { code?: string; constraint?: string } {
  const e = err as { code?: string; constraint?: string; cause?: { code?: string; constraint?: string } };
  return { code: e?.code ?? e?.cause?.code, constraint: e?.constraint ?? e?.cause?.constraint };
}

export function constraintTranslator(meanings: ConstraintMeanings) {
  function translate(err: unknown): never {
    if (err instanceof AppError) throw err;
    const { code, constraint } = pgErrorOf(err);
    if (!constraint || (code !== '23505' && code !== '23514')) throw err;
    const problem = meanings.problems?.[constraint];
    if (problem) throw problem();
    const unique = code === '23505' ? meanings.unique?.[constraint] : undefined;
    if (unique) {
      const { rule, ...f } = unique;
      throw conflict(f.message, rule ? { errors: [f], rule } : { errors: [f] });
    }
    const check = code === '23514' ? meanings.checks?.[constraint] : undefined;
    if (check) {
      const { rule, status, ...f } = check;
      const e = status === 403 ? forbidden(f.message, rule) : validationError([f]);
      if (status === 403) e.extra.errors = [f];
      else if (rule) e.extra.rule = rule;
      throw e;
    }
    throw err;
  }
  /** Runs a unit of work (usually a transaction) and translates the constraint errors it raises. */
  async function guarded<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      translate(err);
    }
  }
  return { translate, guarded };
}
