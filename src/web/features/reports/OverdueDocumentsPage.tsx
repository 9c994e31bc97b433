import { Paper, Stack } from '@mantine/core';
import { IconFileCheck } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { OverdueDocument } from '../../api/types.ts';
import { AnchorLink } from '../../components/AnchorLink.tsx';
import { type Column, DataTable } from '../../components/DataTable.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { formatDate } from '../../lib/format.ts';
import { None } from '../systems/tabs/common.tsx';
import { overdueDocumentsQuery } from './reportQueries.ts';

/** G11: required documents that are missing, never reviewed, or past their review date. */
export function OverdueDocumentsPage() {
  const { t } = useTranslation();
  const { data, error, isPending } = useQuery(overdueDocumentsQuery);
  const columns: Column<OverdueDocument>[] = [
    {
      key: 'system',
      header: t('reports.overdue.col.system'),
      render: (d) => (
        <AnchorLink
          to="/systems/$systemId"
          params={{ systemId: d.system.id }}
          search={{ tab: 'documents' }}
          fz="sm"
          fw={500}
        >
          {d.system.name}
        </AnchorLink>
      ),
    },
    { key: 'kind', header: t('document.col.kind'), render: (d) => t(`document.kind.${d.kind}`) },
    {
      key: 'reason',
      header: t('reports.overdue.col.reason'),
      render: (d) => t(`reports.overdue.reason.${d.reason}`),
    },
    {
      key: 'due',
      header: t('reports.overdue.col.dueOn'),
      nowrap: true,
      render: (d) => (d.dueOn ? formatDate(d.dueOn) : <None />),
    },
    { key: 'owner', header: t('document.col.owner'), render: (d) => d.owner ?? <None /> },
  ];
  return (
    <>
      <PageHeader
        title={t('reports.overdue.title')}
        subtitle={t('reports.overdue.intro')}
        crumbs={[{ label: t('nav.reports'), to: '/reports' }]}
      />
      <Paper withBorder p="md">
        <Stack gap="sm">
          <ErrorAlert error={error} />
          <DataTable
            caption={t('reports.overdue.title')}
            columns={columns}
            rows={data?.items}
            rowKey={(d) => `${d.system.id}-${d.kind}`}
            loading={isPending}
            empty={
              <EmptyState
                icon={<IconFileCheck size={28} aria-hidden="true" />}
                title={t('reports.overdue.empty')}
                description={t('reports.overdue.emptyText')}
              />
            }
          />
        </Stack>
      </Paper>
    </>
  );
}
