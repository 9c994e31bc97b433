// "My work" (UX.md): the signed-in person's tasks and the warnings that concern them, across modules.
// Each module answers for its own tables with a `…For(person)` function returning these items; the
// work module only puts them together (src/server/modules/work).

export const WORK_KINDS = [
  'plan.write',
  'plan.approve',
  'plan.sign',
  'document.review',
  'role.gap',
  'pool.full',
  'report.due',
  'orderers.few',
  'expert.missing',
  'coverage.role',
  'coverage.orderers',
  'maintenance.item',
] as const;
export type WorkKind = (typeof WORK_KINDS)[number];

export interface WorkItem {
  kind: WorkKind;
  /** What the task is about: a plan, system, governance object, pool or unit (the link's target). */
  subject: { id: string; name: string };
  /** One more word for the sentence: the document kind, the missing role, the software title, the use. */
  detail: string | null;
  /**
   * The date that orders the inbox, oldest first (YYYY-MM-DD): when a document or report was due, when a
   * role gap starts, since when a plan has waited; null when the task has no date.
   */
  date: string | null;
  /** Coverage gaps (V2): whether the person asking is one of those away (an administrator sees every gap). */
  youAreAway?: boolean;
}
