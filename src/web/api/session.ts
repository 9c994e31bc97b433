import { queryOptions, useQuery } from '@tanstack/react-query';
import { ApiError, api, setCsrfToken } from './client.ts';
import type { Ability, Me, Session } from './types.ts';

/** The session, or null when nobody is signed in. */
export const sessionQuery = queryOptions({
  queryKey: ['session'],
  queryFn: async (): Promise<Session | null> => {
    try {
      const s = await api.get<Session>('/auth/session');
      setCsrfToken(s.csrfToken);
      return s;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        setCsrfToken(null);
        return null;
      }
      throw err;
    }
  },
  staleTime: 60_000,
});

/** The signed-in account; only used below the signed-in layout, where a session exists. */
export function useMe(): Me {
  const { data } = useQuery(sessionQuery);
  if (!data) throw new Error('useMe used outside a signed-in page');
  return data.account;
}

export function useCan(): (ability: Ability) => boolean {
  const me = useMe();
  return (ability) => me.abilities[ability] === true;
}
