import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { api } from '../../api/client.ts';
import type { Page, PersonSummary } from '../../api/types.ts';

/**
 * A searchable person picker's state: what is typed, and the active people it finds on the server once
 * two characters are typed, as select options labelled "name (employee id)".
 */
export function usePersonSearch() {
  const [text, setText] = useState('');
  const [debounced] = useDebouncedValue(text.trim(), 250);
  const found = useQuery({
    queryKey: ['persons', 'pick', debounced],
    queryFn: ({ signal }) =>
      api.get<Page<PersonSummary>>('/persons', { q: debounced, status: 'active', limit: 20 }, signal),
    enabled: debounced.length >= 2,
  });
  const options = useMemo(
    () =>
      (found.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.displayName} (${p.employeeId})` })),
    [found.data],
  );
  return { text, setText, typedEnough: debounced.length >= 2, options };
}
