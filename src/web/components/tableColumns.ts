import { notifications } from '@mantine/notifications';
import { queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import i18n from '../i18n/index.ts';

type Remembered = { tables: Record<string, string[]> };

/** The columns the signed-in account has hidden, per table (kept on the account, so they follow it). */
export const tableColumnsQuery = queryOptions({
  queryKey: ['me', 'table-columns'],
  queryFn: () => api.get<Remembered>('/me/table-columns'),
  staleTime: Number.POSITIVE_INFINITY,
});

const NONE: string[] = [];

/**
 * The hidden columns of table `id` and the function that changes them: the change shows at once and
 * is saved on the account (a failed save is undone and said).
 */
export function useHiddenColumns(id: string | undefined): [string[], (hidden: string[]) => void] {
  const queryClient = useQueryClient();
  const { data } = useQuery({ ...tableColumnsQuery, enabled: id !== undefined });
  const hidden = (id && data?.tables[id]) || NONE;
  const set = (next: string[]) => {
    if (!id) return;
    const key = tableColumnsQuery.queryKey;
    const before = queryClient.getQueryData(key);
    queryClient.setQueryData(key, (old) => ({ tables: { ...old?.tables, [id]: next } }));
    api.put(`/me/table-columns/${encodeURIComponent(id)}`, { hidden: next }).catch(() => {
      queryClient.setQueryData(key, before);
      notifications.show({ color: 'red', message: i18n.t('table.columnsNotSaved') });
    });
  };
  return [hidden, set];
}
