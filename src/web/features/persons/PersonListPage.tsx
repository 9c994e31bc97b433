import { Button, Group, Paper, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch, IconUsers } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../api/session.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { ExportLinks } from '../../components/ExportLinks.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { currentLocale } from '../../i18n/index.ts';
import { useCursorStack } from '../../lib/useCursorStack.ts';
import { PersonTable } from './PersonTable.tsx';
import { type PersonSort, type PersonStatusFilter, personListQuery } from './personQueries.ts';

export interface PersonListSearch {
  q?: string;
  status?: PersonStatusFilter;
  sort?: PersonSort;
}

export function parsePersonListSearch(s: Record<string, unknown>): PersonListSearch {
  const status = s.status === 'left' || s.status === 'all' ? s.status : undefined;
  const sort = s.sort === '-name' || s.sort === 'employeeId' ? s.sort : undefined;
  const q = typeof s.q === 'string' && s.q.trim() ? s.q : undefined;
  return { q, status, sort };
}

const PAGE_SIZE = 50;
const route = getRouteApi('/app/persons');

export function PersonListPage() {
  const { t } = useTranslation();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const can = useCan();
  const status = search.status ?? 'active';
  const sort = search.sort ?? 'name';

  // The search box updates the URL a moment after typing stops.
  const [text, setText] = useState(search.q ?? '');
  const [debounced] = useDebouncedValue(text.trim(), 300);
  useEffect(() => {
    if ((search.q ?? '') !== debounced)
      void navigate({ search: (prev) => ({ ...prev, q: debounced || undefined }), replace: true });
  }, [debounced, search.q, navigate]);
  useEffect(() => {
    setText((cur) => (cur.trim() === (search.q ?? '') ? cur : (search.q ?? '')));
  }, [search.q]);

  const lang = currentLocale();
  const paging = useCursorStack(`${search.q}|${status}|${sort}|${lang}`);
  const { data, error, isFetching, isPending } = useQuery(
    personListQuery({ q: search.q, status, sort, lang, limit: PAGE_SIZE, cursor: paging.cursor }),
  );

  const setFilter = (patch: Partial<PersonListSearch>) =>
    void navigate({ search: (prev) => ({ ...prev, ...patch }) });
  const filtered = Boolean(search.q) || status !== 'active';

  return (
    <>
      <PageHeader
        title={t('persons.title')}
        subtitle={t('persons.intro')}
        crumbs={[{ label: t('nav.people'), to: '/persons' }]}
      />
      <Paper withBorder p="md">
        <Stack gap="sm">
          <Group gap="md" align="flex-end" wrap="wrap" role="search" aria-label={t('persons.searchLabel')}>
            <TextInput
              label={t('persons.search')}
              description={t('persons.searchHint')}
              placeholder={t('persons.searchPlaceholder')}
              leftSection={<IconSearch size={16} aria-hidden="true" />}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              type="search"
              w={360}
              maw="100%"
            />
            <div>
              <Text component="span" id="person-status-label" size="sm" fw={500} display="block" mb={4}>
                {t('persons.statusFilter')}
              </Text>
              <SegmentedControl
                aria-labelledby="person-status-label"
                value={status}
                onChange={(v) =>
                  setFilter({ status: v === 'active' ? undefined : (v as PersonStatusFilter) })
                }
                data={[
                  { value: 'active', label: t('persons.status.active') },
                  { value: 'left', label: t('persons.status.left') },
                  { value: 'all', label: t('persons.status.all') },
                ]}
              />
            </div>
            {filtered && (
              <Button variant="subtle" onClick={() => setFilter({ q: undefined, status: undefined })}>
                {t('common.clearFilters')}
              </Button>
            )}
          </Group>
          <ErrorAlert error={error} />
          <Group justify="space-between">
            <div aria-live="polite" aria-atomic="true">
              <Text size="sm" c="dimmed">
                {data &&
                  (data.items.length === 0
                    ? ''
                    : t('table.showing', {
                        from: (paging.page - 1) * PAGE_SIZE + 1,
                        to: (paging.page - 1) * PAGE_SIZE + data.items.length,
                      }))}
              </Text>
            </div>
            {/* A file of names and e-mail addresses is personal data in bulk: administrators and auditors. */}
            {can('person.export') && (
              <ExportLinks
                path="/persons/export"
                query={{ q: search.q, status, sort, lang }}
                fileName="persons"
              />
            )}
          </Group>
          <PersonTable
            caption={t('persons.caption')}
            columnsId="persons"
            rows={data?.items}
            loading={isFetching || isPending}
            sort={{ value: sort, onChange: (s) => setFilter({ sort: s === 'name' ? undefined : s }) }}
            paging={{ ...paging.table(data?.nextCursor), label: t('table.page', { page: paging.page }) }}
            empty={
              <EmptyState
                icon={<IconUsers size={28} aria-hidden="true" />}
                title={filtered ? t('persons.noMatch') : t('persons.empty')}
                description={filtered ? t('persons.noMatchText') : t('persons.emptyText')}
              />
            }
          />
        </Stack>
      </Paper>
    </>
  );
}
