// G13: the maintenance calendar: every system's planned work and recent incidents, earliest first (for
// the service desk, the reference groups and everyone planning around them).
import { Badge, Paper, Stack, Text } from '@mantine/core';
import { IconTool } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { Maintenance } from '../../api/types.ts';
import { AnchorLink } from '../../components/AnchorLink.tsx';
import { type Column, DataTable } from '../../components/DataTable.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { CurrentMessages } from './SystemMessages.tsx';

export function MaintenanceCalendarPage() {
  const { t } = useTranslation();
  const list = useQuery({
    queryKey: ['maintenance', 'calendar'],
    queryFn: ({ signal }) => api.get<{ items: Maintenance[] }>('/maintenance', { limit: 200 }, signal),
  });
  const columns: Column<Maintenance>[] = [
    {
      key: 'when',
      header: t('maintenance.calendar.col.when'),
      nowrap: true,
      render: (m) => `${formatDateTime(m.startsAt)} – ${formatDateTime(m.endsAt)}`,
    },
    {
      key: 'system',
      header: t('maintenance.calendar.col.system'),
      render: (m) => (
        <AnchorLink
          to="/systems/$systemId"
          params={{ systemId: m.system.id }}
          search={{ tab: 'maintenance' }}
          fz="sm"
          fw={500}
        >
          {m.system.name}
        </AnchorLink>
      ),
    },
    {
      key: 'title',
      header: t('maintenance.calendar.col.title'),
      render: (m) => (
        <Stack gap={0}>
          <Text size="sm">{m.title}</Text>
          {m.disturbsUsers && (
            <Text size="xs" c="dimmed">
              {t('maintenance.disturbs')}
            </Text>
          )}
        </Stack>
      ),
    },
    { key: 'kind', header: t('maintenance.plan.kind'), render: (m) => t(`maintenance.kind.${m.kind}`) },
    {
      key: 'state',
      header: t('maintenance.calendar.col.state'),
      render: (m) => (
        <Badge
          variant="light"
          color={m.state === 'planned' ? 'yellow' : m.state === 'done' ? 'teal' : 'blue'}
        >
          {t(`maintenance.state.${m.state}`)}
        </Badge>
      ),
    },
  ];
  return (
    <>
      <PageHeader
        title={t('maintenance.calendar.title')}
        subtitle={t('maintenance.calendar.intro')}
        crumbs={[{ label: t('nav.systems'), to: '/systems' }]}
      />
      <CurrentMessages />
      <Paper withBorder p="md">
        <ErrorAlert error={list.error} />
        <DataTable
          caption={t('maintenance.calendar.title')}
          columns={columns}
          rows={list.data?.items}
          rowKey={(m) => m.id}
          loading={list.isFetching}
          empty={
            <EmptyState
              icon={<IconTool size={28} aria-hidden="true" />}
              title={t('maintenance.empty')}
              description={t('maintenance.emptyText')}
            />
          }
        />
      </Paper>
    </>
  );
}
