import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { Locale, Page, Person, PersonSummary } from '../../api/types.ts';

export type PersonStatusFilter = 'active' | 'left' | 'all';
export type PersonSort = 'name' | '-name' | 'employeeId';

export interface PersonListParams {
  q?: string;
  unitId?: string;
  status: PersonStatusFilter;
  sort: PersonSort;
  lang: Locale;
  limit: number;
  cursor?: string;
}

export const personListQuery = (p: PersonListParams) =>
  queryOptions({
    queryKey: ['persons', 'list', p],
    queryFn: ({ signal }) => api.get<Page<PersonSummary>>('/persons', { ...p }, signal),
    placeholderData: keepPreviousData,
  });

export const personQuery = (id: string) =>
  queryOptions({
    queryKey: ['persons', 'one', id],
    queryFn: ({ signal }) => api.getWithEtag<Person>(`/persons/${encodeURIComponent(id)}`, signal),
  });

/** V3: the units whose persons the signed-in person creates and edits as identity editor. */
export const identityUnitsQuery = queryOptions({
  queryKey: ['me', 'identity-units'],
  queryFn: ({ signal }) => api.get<{ unitIds: string[] }>('/me/identity-units', undefined, signal),
  staleTime: 60_000,
});
