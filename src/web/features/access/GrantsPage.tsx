// G10: the grants register: who holds which permission in which system, for which units; per person,
// system or unit, with search and filters in the URL, and export of exactly what is shown.
import { Button, Group, Paper, Pill, Select, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { UnitDetail } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { ExportLinks } from '../../components/ExportLinks.tsx';
import { MoreFilters } from '../../components/MoreFilters.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useCursorStack } from '../../lib/useCursorStack.ts';
import { personQuery } from '../persons/personQueries.ts';
import { ACCOUNT_TYPES, type GrantFilters, grantListQuery, permissionsQuery } from './accessQueries.ts';
import { GrantsTable } from './GrantsTable.tsx';

export type GrantSearch = GrantFilters;

export function parseGrantSearch(s: Record<string, unknown>): GrantSearch {
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v : undefined);
  const days = Number(s.expiringWithinDays);
  return {
    personId: str(s.personId),
    systemId: str(s.systemId),
    unitId: str(s.unitId),
    accountType: ACCOUNT_TYPES.find((a) => a === s.accountType),
    expiringWithinDays: Number.isInteger(days) && days >= 0 ? days : undefined,
    personLeft: s.personLeft === 'true' || s.personLeft === true ? 'true' : undefined,
    status: s.status === 'ended' || s.status === 'all' ? s.status : undefined,
    q: str(s.q),
  };
}

const route = getRouteApi('/app/access/grants');

export function GrantsPage() {
  const { t } = useTranslation();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const [text, setText] = useState(search.q ?? '');
  const [debounced] = useDebouncedValue(text.trim(), 300);
  useEffect(() => {
    if ((search.q ?? '') !== debounced)
      void navigate({ search: (prev) => ({ ...prev, q: debounced || undefined }), replace: true });
  }, [debounced, search.q, navigate]);
  const paging = useCursorStack(JSON.stringify(search));
  const { data, error, isFetching, isPending } = useQuery(
    grantListQuery({ ...search, limit: 50, cursor: paging.cursor }),
  );
  const permissions = useQuery(permissionsQuery());
  const systems = useMemo(() => {
    const m = new Map<string, string>();
    for (const p of permissions.data?.items ?? []) m.set(p.system.id, p.system.name);
    return [...m.entries()]
      .map(([value, label]) => ({ value, label }))
      .sort((a, b) => a.label.localeCompare(b.label));
  }, [permissions.data]);
  const set = (patch: Partial<GrantSearch>) => void navigate({ search: (prev) => ({ ...prev, ...patch }) });
  const filtered = Object.values(search).some((v) => v !== undefined);
  // A person's or a unit's view (links from their pages) shows whose it is, and can be left.
  const person = useQuery({ ...personQuery(search.personId ?? ''), enabled: Boolean(search.personId) });
  const unit = useQuery({
    queryKey: ['org-units', 'one', search.unitId],
    queryFn: ({ signal }) =>
      api.get<UnitDetail>(`/org-units/${encodeURIComponent(search.unitId!)}`, undefined, signal),
    enabled: Boolean(search.unitId),
  });
  const clear = () => {
    setText('');
    void navigate({ search: {} });
  };

  return (
    <>
      <PageHeader
        title={t('access.grants.title')}
        subtitle={t('access.grants.intro')}
        crumbs={[{ label: t('nav.access'), to: '/access' }]}
      />
      <Paper withBorder p="md">
        <Stack gap="sm">
          <Group
            gap="sm"
            align="flex-end"
            wrap="wrap"
            role="search"
            aria-label={t('access.grants.searchLabel')}
          >
            <TextInput
              label={t('access.search')}
              placeholder={t('access.grants.searchPlaceholder')}
              leftSection={<IconSearch size={16} aria-hidden="true" />}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              type="search"
              w={280}
              maw="100%"
            />
            <MoreFilters values={search}>
              <Select
                label={t('access.col.system')}
                placeholder={t('systems.filter.any')}
                data={systems}
                value={search.systemId ?? null}
                onChange={(v) => set({ systemId: v ?? undefined })}
                clearable
                searchable
                w={220}
              />
              <Select
                label={t('access.col.accountType')}
                placeholder={t('systems.filter.any')}
                data={ACCOUNT_TYPES.map((a) => ({ value: a, label: t(`access.accountType.${a}`) }))}
                value={search.accountType ?? null}
                onChange={(v) => set({ accountType: (v as GrantSearch['accountType']) ?? undefined })}
                clearable
                w={180}
              />
              <Select
                label={t('access.grants.expiring')}
                placeholder={t('systems.filter.any')}
                data={[
                  { value: '30', label: t('access.grants.within', { n: 30 }) },
                  { value: '90', label: t('access.grants.within', { n: 90 }) },
                ]}
                value={search.expiringWithinDays === undefined ? null : String(search.expiringWithinDays)}
                onChange={(v) => set({ expiringWithinDays: v ? Number(v) : undefined })}
                clearable
                w={170}
              />
              <Select
                label={t('access.grants.holder')}
                placeholder={t('systems.filter.any')}
                data={[{ value: 'true', label: t('access.grants.personLeft') }]}
                value={search.personLeft ?? null}
                onChange={(v) => set({ personLeft: v === 'true' ? 'true' : undefined })}
                clearable
                w={190}
              />
              <Select
                label={t('access.grants.status')}
                data={[
                  { value: 'active', label: t('access.grants.statusActive') },
                  { value: 'ended', label: t('access.grants.statusEnded') },
                  { value: 'all', label: t('access.grants.statusAll') },
                ]}
                value={search.status ?? 'active'}
                onChange={(v) => set({ status: v === 'ended' || v === 'all' ? v : undefined })}
                w={150}
              />
            </MoreFilters>
          </Group>
          {(search.personId || search.unitId || filtered) && (
            <Group gap="xs">
              {search.personId && (
                <Pill
                  withRemoveButton
                  onRemove={() => set({ personId: undefined })}
                  removeButtonProps={{ 'aria-label': t('access.grants.removePerson') }}
                >
                  {t('access.grants.forPerson', { name: person.data?.data.displayName ?? '…' })}
                </Pill>
              )}
              {search.unitId && (
                <Pill
                  withRemoveButton
                  onRemove={() => set({ unitId: undefined })}
                  removeButtonProps={{ 'aria-label': t('access.grants.removeUnit') }}
                >
                  {t('access.grants.forUnit', { name: unit.data?.name ?? '…' })}
                </Pill>
              )}
              {filtered && (
                <Button variant="subtle" size="compact-sm" onClick={clear}>
                  {t('access.grants.clearFilters')}
                </Button>
              )}
            </Group>
          )}
          <ErrorAlert error={error} />
          <Group justify="space-between">
            <div aria-live="polite">
              <Text size="sm" c="dimmed">
                {data && data.items.length > 0
                  ? t('table.showing', {
                      from: (paging.page - 1) * 50 + 1,
                      to: (paging.page - 1) * 50 + data.items.length,
                    })
                  : ''}
              </Text>
            </div>
            <ExportLinks path="/grants/export" query={{ ...search }} fileName="grants" />
          </Group>
          <GrantsTable
            caption={t('access.grants.caption')}
            columnsId="grants"
            rows={data?.items}
            loading={isFetching || isPending}
            paging={{ ...paging.table(data?.nextCursor), label: t('table.page', { page: paging.page }) }}
            emptyTitle={filtered ? t('access.grants.noMatch') : t('access.grants.empty')}
            emptyText={filtered ? t('access.grants.noMatchText') : t('access.grants.emptyText')}
          />
        </Stack>
      </Paper>
    </>
  );
}
