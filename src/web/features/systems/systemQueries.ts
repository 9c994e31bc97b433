import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { ApiError, api } from '../../api/client.ts';
import type {
  Dependency,
  GovernanceObject,
  GovernanceObjectSummary,
  Graph,
  Impact,
  Integration,
  ListOf,
  ManagersRow,
  Page,
  SecurityRecords,
  SystemDetail,
  SystemDocument,
  SystemSummary,
} from '../../api/types.ts';

/** The catalogue's filters, as they appear in the URL and in the API's query string. */
export interface SystemFilters {
  q?: string;
  lifecycle?: string;
  orgModel?: number;
  hosting?: string;
  criticality?: string;
  personalData?: 'true' | 'false';
  governanceObjectId?: string;
}

export const systemListQuery = (p: SystemFilters & { sort?: string; limit: number; cursor?: string }) =>
  queryOptions({
    queryKey: ['systems', 'list', p],
    queryFn: ({ signal }) => api.get<Page<SystemSummary>>('/systems', { ...p }, signal),
    placeholderData: keepPreviousData,
  });

export const managersQuery = (p: SystemFilters) =>
  queryOptions({
    queryKey: ['systems', 'managers', p],
    queryFn: ({ signal }) => api.get<ListOf<ManagersRow>>('/systems/managers', { ...p }, signal),
  });

export const systemQuery = (id: string) =>
  queryOptions({
    queryKey: ['systems', 'one', id],
    queryFn: ({ signal }) => api.getWithEtag<SystemDetail>(`/systems/${encodeURIComponent(id)}`, signal),
  });

export const impactQuery = (id: string) =>
  queryOptions({
    queryKey: ['systems', 'impact', id],
    queryFn: ({ signal }) => api.get<Impact>(`/systems/${encodeURIComponent(id)}/impact`, undefined, signal),
  });

export const neighbourhoodQuery = (id: string, depth: number) =>
  queryOptions({
    queryKey: ['systems', 'graph', id, depth],
    queryFn: ({ signal }) => api.get<Graph>(`/systems/${encodeURIComponent(id)}/graph`, { depth }, signal),
  });

export const dependenciesQuery = (systemId: string) =>
  queryOptions({
    queryKey: ['dependencies', systemId],
    queryFn: ({ signal }) => api.get<ListOf<Dependency>>('/dependencies', { systemId }, signal),
  });

export const integrationsQuery = (systemId: string) =>
  queryOptions({
    queryKey: ['integrations', systemId],
    queryFn: ({ signal }) => api.get<ListOf<Integration>>('/integrations', { systemId }, signal),
  });

export const documentsQuery = (id: string) =>
  queryOptions({
    queryKey: ['systems', 'documents', id],
    queryFn: ({ signal }) =>
      api.get<ListOf<SystemDocument>>(`/systems/${encodeURIComponent(id)}/documents`, undefined, signal),
  });

/** G12: the security records, or null when the caller may not see them (the API answers 404). */
export const securityQuery = (id: string, enabled = true) =>
  queryOptions({
    enabled,
    queryKey: ['systems', 'security', id],
    queryFn: async ({ signal }) => {
      try {
        return await api.get<SecurityRecords>(
          `/systems/${encodeURIComponent(id)}/security`,
          undefined,
          signal,
        );
      } catch (err) {
        if (err instanceof ApiError && (err.status === 404 || err.status === 403)) return null;
        throw err;
      }
    },
  });

export const governanceObjectQuery = (id: string) =>
  queryOptions({
    queryKey: ['governance-objects', 'one', id],
    queryFn: ({ signal }) =>
      api.get<GovernanceObject>(`/governance-objects/${encodeURIComponent(id)}`, undefined, signal),
  });

/** All governance objects (for filter pickers): follows the cursor to the end. */
export const governanceObjectOptionsQuery = queryOptions({
  queryKey: ['governance-objects', 'all'],
  queryFn: async ({ signal }) => {
    const all: GovernanceObjectSummary[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 50; i++) {
      const page = await api.get<Page<GovernanceObjectSummary>>(
        '/governance-objects',
        { limit: 200, cursor },
        signal,
      );
      all.push(...page.items);
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    return all;
  },
  staleTime: 60_000,
});

export { unitTreeQuery as unitOptionsQuery } from '../units/UnitTreePage.tsx';

export const orgGraphQuery = (p: { governanceObjectId?: string; unitId?: string }) =>
  queryOptions({
    queryKey: ['dependencies', 'graph', p],
    queryFn: ({ signal }) => api.get<Graph>('/dependencies/graph', { ...p }, signal),
  });

/** An organisation model (G3) with what it means: "Model 4: external vendor and hosting". */
export const orgModelLabel = (t: (key: string, opts?: Record<string, unknown>) => string, n: number) =>
  t('systems.orgModelFull', { n, name: t(`systems.orgModelName.${n}`) });
