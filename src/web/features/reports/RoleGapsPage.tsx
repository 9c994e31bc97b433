import { Group, Paper, Stack, Text, TextInput } from '@mantine/core';
import { IconUserCheck } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import type { RoleGap } from '../../api/types.ts';
import { AnchorLink } from '../../components/AnchorLink.tsx';
import { type Column, DataTable } from '../../components/DataTable.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert, fieldError } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { formatDate } from '../../lib/format.ts';
import { defaultGapPeriod, roleGapsQuery } from './reportQueries.ts';

export interface RoleGapSearch {
  from?: string;
  to?: string;
}
const isDate = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
export const parseRoleGapSearch = (s: Record<string, unknown>): RoleGapSearch => ({
  from: isDate(s.from) ? s.from : undefined,
  to: isDate(s.to) ? s.to : undefined,
});

const route = getRouteApi('/app/reports/role-gaps');

/** G2/G3: governance objects missing an expected main role today or at any date of the period. */
export function RoleGapsPage() {
  const { t } = useTranslation();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const period = {
    ...defaultGapPeriod(),
    ...Object.fromEntries(Object.entries(search).filter(([, v]) => v)),
  } as {
    from: string;
    to: string;
  };
  const { data, error, isFetching } = useQuery(roleGapsQuery(period));
  const columns: Column<RoleGap>[] = [
    {
      key: 'object',
      header: t('reports.roleGaps.col.object'),
      render: (g) => (
        <AnchorLink to="/governance-objects/$objectId" params={{ objectId: g.objectId }} fz="sm" fw={500}>
          {g.objectName}
        </AnchorLink>
      ),
    },
    { key: 'role', header: t('reports.roleGaps.col.role'), render: (g) => t(`governance.role.${g.role}`) },
    {
      key: 'from',
      header: t('reports.roleGaps.col.from'),
      nowrap: true,
      render: (g) => formatDate(g.firstGapOn),
    },
    {
      key: 'reason',
      header: t('reports.roleGaps.col.reason'),
      render: (g) => t(`reports.roleGaps.reason.${g.reason}`),
    },
  ];
  const setPeriod = (patch: RoleGapSearch) =>
    void navigate({ search: (prev) => ({ ...prev, ...patch }), replace: true });
  return (
    <>
      <PageHeader
        title={t('reports.roleGaps.title')}
        subtitle={t('reports.roleGaps.intro')}
        crumbs={[{ label: t('nav.reports'), to: '/reports' }]}
      />
      <Paper withBorder p="md">
        <Stack gap="sm">
          <Group gap="sm" align="flex-start" role="search" aria-label={t('reports.roleGaps.period')}>
            <TextInput
              type="date"
              label={t('reports.from')}
              value={period.from}
              onChange={(e) => isDate(e.currentTarget.value) && setPeriod({ from: e.currentTarget.value })}
              error={fieldError(error, 'from')}
              w={180}
            />
            <TextInput
              type="date"
              label={t('reports.to')}
              value={period.to}
              onChange={(e) => isDate(e.currentTarget.value) && setPeriod({ to: e.currentTarget.value })}
              error={fieldError(error, 'to')}
              w={180}
            />
          </Group>
          {!fieldError(error, 'to') && !fieldError(error, 'from') && <ErrorAlert error={error} />}
          <Text size="sm" c="dimmed" aria-live="polite">
            {data &&
              t('reports.roleGaps.count', {
                count: data.items.length,
                from: formatDate(data.from),
                to: formatDate(data.to),
              })}
          </Text>
          <DataTable
            caption={t('reports.roleGaps.title')}
            columns={columns}
            rows={data?.items}
            rowKey={(g) => `${g.objectId}-${g.role}`}
            loading={isFetching}
            empty={
              <EmptyState
                icon={<IconUserCheck size={28} aria-hidden="true" />}
                title={t('reports.roleGaps.empty')}
                description={t('reports.roleGaps.emptyText')}
              />
            }
          />
        </Stack>
      </Paper>
    </>
  );
}
