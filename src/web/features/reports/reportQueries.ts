import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { Lineage, OverdueDocument, RoleGapReport } from '../../api/types.ts';
import { calendarDate } from '../../lib/format.ts';

export const roleGapsQuery = (p: { from: string; to: string }) =>
  queryOptions({
    queryKey: ['reports', 'role-gaps', p],
    queryFn: ({ signal }) => api.get<RoleGapReport>('/reports/role-gaps', p, signal),
    placeholderData: keepPreviousData,
  });

export const overdueDocumentsQuery = queryOptions({
  queryKey: ['reports', 'overdue-documents'],
  queryFn: ({ signal }) =>
    api.get<{ today: string; items: OverdueDocument[] }>('/reports/overdue-documents', undefined, signal),
});

export const lineageQuery = (category: string) =>
  queryOptions({
    queryKey: ['reports', 'lineage', category],
    queryFn: ({ signal }) => api.get<Lineage>('/reports/lineage', { category }, signal),
  });

/** G9: the personal-data categories recorded on systems or carried by integrations. */
export const categoriesInUseQuery = queryOptions({
  queryKey: ['reports', 'personal-data-categories'],
  queryFn: ({ signal }) =>
    api.get<{ items: { category: string; systems: number; integrations: number }[] }>(
      '/reports/personal-data-categories',
      undefined,
      signal,
    ),
  staleTime: 60_000,
});

/** Today and three months ahead as calendar dates (2026-11-22), in the organisation's time zone. */
export function defaultGapPeriod(now = new Date()): { from: string; to: string } {
  const later = new Date(now);
  later.setMonth(later.getMonth() + 3);
  return { from: calendarDate(now), to: calendarDate(later) };
}
