import { Paper, Stack, Text } from '@mantine/core';
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
import { isIsoDate, PeriodFields } from '../../components/PeriodFields.tsx';
import { formatDate } from '../../lib/format.ts';
import { defaultGapPeriod, roleGapsQuery } from './reportQueries.ts';

export interface RoleGapSearch {
  from?: string;
  to?: string;
}
export const parseRoleGapSearch = (s: Record<string, unknown>): RoleGapSearch => ({
  from: isIsoDate(s.from) ? s.from : undefined,
  to: isIsoDate(s.to) ? s.to : undefined,
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
          <PeriodFields
            label={t('reports.roleGaps.period')}
            from={period.from}
            to={period.to}
            onChange={setPeriod}
            error={error}
          />
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
