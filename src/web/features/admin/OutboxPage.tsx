import { Button, Group, Paper, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconChevronRight, IconMail } from '@tabler/icons-react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { OutboxItem, Page } from '../../api/types.ts';
import { type Column, DataTable } from '../../components/DataTable.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert, ForbiddenAdminPage, isForbidden } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { formatDateTime } from '../../lib/format.ts';

export function OutboxPage() {
  const { t } = useTranslation();
  const outbox = useInfiniteQuery({
    queryKey: ['outbox'],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<OutboxItem>>('/outbox', { limit: 50, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  // A message opens in place: its text as sent, and the last delivery error if there was one.
  const [open, setOpen] = useState<Set<number>>(new Set());
  const toggle = (id: number) =>
    setOpen((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const columns: Column<OutboxItem>[] = [
    {
      key: 'created',
      header: t('outbox.col.created'),
      nowrap: true,
      render: (m) => formatDateTime(m.createdAt),
    },
    { key: 'recipient', header: t('outbox.col.recipient'), render: (m) => m.recipient },
    {
      key: 'subject',
      header: t('outbox.col.subject'),
      render: (m) => (
        <UnstyledButton
          onClick={() => toggle(m.id)}
          aria-expanded={open.has(m.id)}
          aria-label={t(open.has(m.id) ? 'outbox.hide' : 'outbox.show', { subject: m.subject })}
          fz="sm"
          c="indigo.8"
        >
          <Group gap={4} wrap="nowrap" align="flex-start">
            {open.has(m.id) ? (
              <IconChevronDown size={14} aria-hidden="true" style={{ marginTop: 3, flexShrink: 0 }} />
            ) : (
              <IconChevronRight size={14} aria-hidden="true" style={{ marginTop: 3, flexShrink: 0 }} />
            )}
            {m.subject}
          </Group>
        </UnstyledButton>
      ),
    },
    {
      key: 'status',
      header: t('outbox.col.status'),
      render: (m) => <StatusBadge status={m.status} size="sm" />,
    },
    {
      key: 'sent',
      header: t('outbox.col.sent'),
      nowrap: true,
      render: (m) => (m.sentAt ? formatDateTime(m.sentAt) : '—'),
    },
  ];
  if (isForbidden(outbox.error)) return <ForbiddenAdminPage page="outbox" error={outbox.error} />;
  return (
    <>
      <PageHeader
        title={t('outbox.title')}
        subtitle={t('outbox.intro')}
        crumbs={[{ label: t('nav.admin'), to: '/admin' }]}
      />
      <ErrorAlert error={outbox.error} />
      <Paper withBorder p="md">
        <DataTable
          caption={t('outbox.caption')}
          columns={columns}
          rows={outbox.data?.pages.flatMap((p) => p.items)}
          rowKey={(m) => String(m.id)}
          loading={outbox.isPending}
          expanded={(m) =>
            open.has(m.id) ? (
              <Stack gap="xs">
                <Text fz="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {m.body}
                </Text>
                {m.lastError && (
                  <Text fz="xs" c="red.8">
                    {t('outbox.lastError')}: {m.lastError}
                  </Text>
                )}
              </Stack>
            ) : null
          }
          empty={
            <EmptyState
              icon={<IconMail size={28} aria-hidden="true" />}
              title={t('outbox.empty')}
              description={t('outbox.emptyText')}
            />
          }
          footer={
            outbox.hasNextPage && (
              <Group justify="center" mt="sm">
                <Button
                  variant="default"
                  onClick={() => void outbox.fetchNextPage()}
                  loading={outbox.isFetchingNextPage}
                >
                  {t('common.loadMore')}
                </Button>
              </Group>
            )
          }
        />
      </Paper>
    </>
  );
}
