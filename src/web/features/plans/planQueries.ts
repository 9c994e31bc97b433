// Types and queries of the plans UI (the shapes of the plans module's API).
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { currentLocale } from '../../i18n/index.ts';
import { formatCurrency, formatDateProse } from '../../lib/format.ts';

export type PlanState = 'draft' | 'proposed' | 'approved' | 'signed';
export type ActivityStatus = 'planned' | 'ongoing' | 'done' | 'postponed' | 'cancelled';
export type Answer = 'yes' | 'no' | 'partly' | 'not_applicable';
type Totals = { hours: number; cost: number };

export interface Activity {
  id: string;
  lineageId: string;
  position: number;
  title: string;
  description: string;
  side: 'business' | 'it';
  kind: 'maintenance' | 'development';
  startOn: string | null;
  endOn: string | null;
  quarter: number | null;
  effectiveQuarter: number;
  responsible: { id: string; displayName: string } | null;
  estimatedHours: number;
  estimatedCost: number;
  status: ActivityStatus;
  followUp: string;
  origin: 'manual' | 'carried_over' | 'deviation' | 'document_review';
  originRef: string | null;
  version: number;
}
export interface Budget {
  frame: number | null;
  total: Totals;
  difference: number | null;
  bySide: { business: Totals; it: Totals };
  byKind: { maintenance: Totals; development: Totals };
  byQuarter: (Totals & { quarter: number })[];
}
export interface QuestionAnswer {
  key: string;
  en: string;
  sv: string;
  answer: Answer | null;
  comment: string;
}
export interface PlanVersion {
  id: string;
  planId: string;
  number: number;
  state: PlanState;
  object: { id: string; name: string };
  year: number;
  language: 'sv' | 'en';
  goals: string;
  budgetNotes: string;
  scope: { id: string; name: string; shortName: string }[];
  availableSystems: { id: string; name: string; shortName: string }[];
  organisation: { role: string; personId: string; displayName: string }[];
  organisationFrozen: boolean;
  activities: Activity[];
  budget: Budget;
  appendices: {
    system: { id: string; name: string; shortName: string };
    checklist: {
      responseId: string;
      templateVersion: number;
      attestedAt: string;
      attestedBy: string;
      answers: QuestionAnswer[];
    } | null;
    deviations: number;
  }[];
  basedOnVersion: number | null;
  proposedAt: string | null;
  approvedAt: string | null;
  approvedBy: { id: string; displayName: string } | null;
  contentHash: string | null;
  signatures: {
    role: 'system_owner' | 'it_system_owner';
    person: { id: string; displayName: string };
    signedAt: string;
    contentHash: string;
  }[];
  signedAt: string | null;
  abilities: {
    edit: boolean;
    propose: boolean;
    approve: boolean;
    returnToDraft: boolean;
    sign: ('system_owner' | 'it_system_owner')[];
    revise: boolean;
  };
  rowVersion: number;
}
export interface PlanSummary {
  id: string;
  objectId: string;
  objectName: string;
  year: number;
  language: 'sv' | 'en';
  versions: {
    id: string;
    number: number;
    state: PlanState;
    createdAt: string;
    approvedAt: string | null;
    signedAt: string | null;
    contentHash: string | null;
  }[];
  currentVersionId: string;
}
export interface DashboardRow {
  objectId: string;
  objectName: string;
  planId: string | null;
  status: 'none' | PlanState;
  versionNumber: number | null;
  signedVersion: number | null;
  activities: number;
  totalCost: number;
  budgetFrame: number | null;
  openDeviations: number;
  systemManagers: string[];
  itSystemManagers: string[];
  /** G5: whether the signed-in person may open the plan; otherwise the row links to its object. */
  mayRead: boolean;
}
export interface Dashboard {
  year: number;
  counts: Record<string, number>;
  items: DashboardRow[];
  /** G7: the plans worth preparing next (the year after the latest year with plans), or null. */
  nextCycle: { year: number; from: number } | null;
  /** The day the rows' open deviations are counted on: a past year's last day, otherwise today. */
  deviationsOn: string;
}
/** What the caller may do with a governance object's plans (asked of the policy, nothing refused). */
export interface ObjectPlanAbilities {
  readPlans: boolean;
  createPlan: boolean;
  readChecklist: boolean;
}
export interface Deviation {
  system: { id: string; name: string };
  object: { id: string; name: string };
  questionKey: string;
  en: string;
  sv: string;
  answer: Answer;
  comment: string;
  since: string;
}
export interface ChecklistResponse {
  id: string;
  state: 'draft' | 'attested';
  templateVersion: number;
  answers: QuestionAnswer[];
  answeredBy: string | null;
  attestedBy: string | null;
  attestedAt: string | null;
  rowVersion: number;
  updatedAt: string;
}
export interface Template {
  id: string;
  version: number;
  questions: { key: string; en: string; sv: string }[];
  createdAt: string;
}
export interface Checklist {
  system: { id: string; name: string; objectId: string };
  template: Template;
  draft: ChecklistResponse | null;
  latestAttested: ChecklistResponse | null;
  history: { id: string; attestedAt: string | null; attestedBy: string | null; templateVersion: number }[];
  deviations: Deviation[];
  abilities: { answer: boolean; attest: boolean };
}
export interface PlanDiff {
  from: number;
  to: number;
  fields: { field: string; before: unknown; after: unknown }[];
  activities: {
    added: { lineageId: string; title: string }[];
    removed: { lineageId: string; title: string }[];
    changed: {
      lineageId: string;
      title: string;
      fields: { field: string; before: unknown; after: unknown }[];
    }[];
  };
}

export const dashboardQuery = (year: number) =>
  queryOptions({
    queryKey: ['plans', 'dashboard', year],
    queryFn: ({ signal }) => api.get<Dashboard>('/plans/dashboard', { year }, signal),
  });
/** Open checklist deviations (of an object); with a year, those open when that year ended (or today). */
export const deviationsQuery = (objectId?: string, year?: number) =>
  queryOptions({
    queryKey: ['plans', 'deviations', objectId ?? 'all', year ?? 'today'],
    queryFn: ({ signal }) => api.get<{ items: Deviation[] }>('/plans/deviations', { objectId, year }, signal),
  });
export const objectPlanAbilitiesQuery = (objectId: string) =>
  queryOptions({
    queryKey: ['plans', 'object-abilities', objectId],
    queryFn: ({ signal }) =>
      api.get<ObjectPlanAbilities>(
        `/governance-objects/${encodeURIComponent(objectId)}/plan-abilities`,
        undefined,
        signal,
      ),
  });
export const planQuery = (planId: string) =>
  queryOptions({
    queryKey: ['plans', 'plan', planId],
    queryFn: ({ signal }) => api.get<PlanSummary>(`/plans/${encodeURIComponent(planId)}`, undefined, signal),
  });
export const versionQuery = (versionId: string) =>
  queryOptions({
    queryKey: ['plans', 'version', versionId],
    queryFn: ({ signal }) =>
      api.get<PlanVersion>(`/plan-versions/${encodeURIComponent(versionId)}`, undefined, signal),
  });
export const objectPlansQuery = (objectId: string) =>
  queryOptions({
    queryKey: ['plans', 'object', objectId],
    queryFn: ({ signal }) =>
      api.get<{ items: PlanSummary[] }>(
        `/governance-objects/${encodeURIComponent(objectId)}/plans`,
        undefined,
        signal,
      ),
    retry: false,
  });
export const diffQuery = (planId: string, from: number, to: number) =>
  queryOptions({
    queryKey: ['plans', 'diff', planId, from, to],
    queryFn: ({ signal }) =>
      api.get<PlanDiff>(`/plans/${encodeURIComponent(planId)}/diff`, { from, to }, signal),
  });
export const checklistQuery = (systemId: string) =>
  queryOptions({
    queryKey: ['plans', 'checklist', systemId],
    queryFn: ({ signal }) =>
      api.get<Checklist>(`/systems/${encodeURIComponent(systemId)}/checklist`, undefined, signal),
    retry: false,
  });
export const templateQuery = queryOptions({
  queryKey: ['plans', 'template'],
  queryFn: ({ signal }) => api.get<Template>('/checklist-template', undefined, signal),
});
export const settingsQuery = queryOptions({
  queryKey: ['plans', 'settings'],
  queryFn: ({ signal }) =>
    api.get<{ cycleMonthDay: string; lastCycleYear: number | null }>('/plans/settings', undefined, signal),
});

/** An amount as a number (in a column headed with its currency): 2 400 000 / 2,400,000. */
export const formatMoney = (n: number, lang: string) =>
  new Intl.NumberFormat(lang.startsWith('sv') ? 'sv-SE' : 'en-GB', { maximumFractionDigits: 0 }).format(n);
/** An amount with its currency, as the language writes it: 2 400 000 kr / SEK 2,400,000. */
export const formatSek = (n: number, lang: string) => formatCurrency(n, currentLocale(lang));
/** A date in running text, in the UI's language: 1 Nov 2026 / 1 nov. 2026 (tables use lib/format's ISO dates). */
export const formatDate = (iso: string | null, lang: string) => formatDateProse(iso, currentLocale(lang));
export const formatDateTime = (iso: string | null, lang: string) =>
  iso
    ? new Intl.DateTimeFormat(lang.startsWith('sv') ? 'sv-SE' : 'en-GB', {
        timeZone: 'Europe/Stockholm',
        dateStyle: 'medium',
        timeStyle: 'short',
      }).format(new Date(iso))
    : '';
