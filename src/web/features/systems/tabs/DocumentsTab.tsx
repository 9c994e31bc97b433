import { Anchor, Group, Paper, Text } from '@mantine/core';
import { IconFileText } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { SystemDocument } from '../../../api/types.ts';
import { AnchorLink } from '../../../components/AnchorLink.tsx';
import { type Column, DataTable } from '../../../components/DataTable.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { formatDate } from '../../../lib/format.ts';
import { OverdueBadge } from '../SystemBadges.tsx';
import { documentsQuery } from '../systemQueries.ts';
import { None } from './common.tsx';

export function DocumentsTab({ systemId }: { systemId: string }) {
  const { t } = useTranslation();
  const { data, error, isPending } = useQuery(documentsQuery(systemId));
  const columns: Column<SystemDocument>[] = [
    {
      key: 'kind',
      header: t('document.col.kind'),
      render: (d) =>
        d.link ? (
          <Anchor href={d.link} target="_blank" rel="noreferrer" fz="sm" fw={500}>
            {t(`document.kind.${d.kind}`)}
          </Anchor>
        ) : (
          <Text span fz="sm" fw={500}>
            {t(`document.kind.${d.kind}`)}
          </Text>
        ),
    },
    {
      key: 'content',
      header: t('document.col.content'),
      render: (d) =>
        !d.present ? (
          <Text span fz="sm" c="red.9" fw={500}>
            {t('document.missing')}
          </Text>
        ) : d.link ? (
          t('document.link')
        ) : (
          <Text span fz="sm" lineClamp={2}>
            {d.body}
          </Text>
        ),
    },
    {
      key: 'owner',
      header: t('document.col.owner'),
      render: (d) =>
        d.owner ? (
          <AnchorLink to="/persons/$personId" params={{ personId: d.owner.id }} search={{}} fz="sm">
            {d.owner.displayName}
          </AnchorLink>
        ) : (
          <None />
        ),
    },
    {
      key: 'last',
      header: t('document.col.lastReview'),
      nowrap: true,
      render: (d) => (d.lastReviewedOn ? formatDate(d.lastReviewedOn) : <None label={t('common.never')} />),
    },
    {
      key: 'next',
      header: t('document.col.nextReview'),
      nowrap: true,
      render: (d) => (
        <Group gap="xs" wrap="nowrap">
          {d.nextReviewOn ? (
            formatDate(d.nextReviewOn)
          ) : (
            <None label={t(d.overdue ? 'common.dueNow' : 'common.notScheduled')} />
          )}
          {d.overdue && <OverdueBadge />}
        </Group>
      ),
    },
  ];
  return (
    <Paper withBorder p="md">
      <ErrorAlert error={error} />
      <DataTable
        caption={t('system.tabs.documents')}
        columns={columns}
        rows={data?.items}
        rowKey={(d) => d.kind}
        loading={isPending}
        empty={
          <EmptyState icon={<IconFileText size={28} aria-hidden="true" />} title={t('document.empty')} />
        }
      />
    </Paper>
  );
}
