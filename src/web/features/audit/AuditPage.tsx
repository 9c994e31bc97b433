import { Alert, Button, Code, Group, Paper, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import {
  IconChevronDown,
  IconChevronRight,
  IconDownload,
  IconHistory,
  IconShieldCheck,
} from '@tabler/icons-react';
import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { API_BASE, api, withQuery } from '../../api/client.ts';
import { useCan } from '../../api/session.ts';
import type { AuditEvent, AuditVerifyResult, Page } from '../../api/types.ts';
import { AnchorLink } from '../../components/AnchorLink.tsx';
import { type Column, DataTable } from '../../components/DataTable.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import {
  ErrorAlert,
  ForbiddenAdminPage,
  fieldError,
  hasOnlyFieldErrors,
  isForbidden,
} from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { DiffView } from './DiffView.tsx';

export interface AuditSearch {
  actor?: string;
  action?: string;
  entityType?: string;
  entityId?: string;
  from?: string;
  to?: string;
}
const KEYS = ['actor', 'action', 'entityType', 'entityId', 'from', 'to'] as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function parseAuditSearch(s: Record<string, unknown>): AuditSearch {
  const out: AuditSearch = {};
  for (const k of KEYS) {
    const v = s[k];
    if (typeof v === 'string' && v.trim() && ((k !== 'from' && k !== 'to') || DATE.test(v)))
      out[k] = v.trim();
  }
  return out;
}

/** The filters as the API wants them: `to` covers the whole chosen day. */
function apiFilters(s: AuditSearch) {
  return { ...s, to: s.to ? `${s.to}T23:59:59.999Z` : undefined };
}

const route = getRouteApi('/app/admin/audit');

export function AuditPage() {
  const { t } = useTranslation();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const can = useCan();
  const [form, setForm] = useState<AuditSearch>(search);
  useEffect(() => setForm(search), [search]);
  const [open, setOpen] = useState<Set<number>>(new Set());

  const filters = apiFilters(search);
  const events = useInfiniteQuery({
    queryKey: ['audit', filters],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<AuditEvent>>('/audit', { ...filters, limit: 50, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const verify = useMutation({ mutationFn: () => api.post<AuditVerifyResult>('/audit/verify') });

  const rows = events.data?.pages.flatMap((p) => p.items);
  const apply = (e: FormEvent) => {
    e.preventDefault();
    void navigate({ search: parseAuditSearch({ ...form }) });
  };
  const toggle = (id: number) => {
    const next = new Set(open);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setOpen(next);
  };
  const filtered = KEYS.some((k) => search[k]);

  const columns: Column<AuditEvent>[] = [
    {
      key: 'details',
      header: <span>{t('audit.col.details')}</span>,
      width: 40,
      render: (e) => (
        <Button
          variant="subtle"
          size="compact-xs"
          px={4}
          onClick={() => toggle(e.id)}
          aria-expanded={open.has(e.id)}
          aria-label={t(open.has(e.id) ? 'audit.hideChanges' : 'audit.showChanges', {
            action: e.action,
            time: formatDateTime(e.occurredAt),
          })}
        >
          {open.has(e.id) ? (
            <IconChevronDown size={16} aria-hidden="true" />
          ) : (
            <IconChevronRight size={16} aria-hidden="true" />
          )}
        </Button>
      ),
    },
    { key: 'time', header: t('audit.col.time'), nowrap: true, render: (e) => formatDateTime(e.occurredAt) },
    {
      key: 'actor',
      header: t('audit.col.actor'),
      render: (e) =>
        e.actorPersonId ? (
          <AnchorLink to="/persons/$personId" params={{ personId: e.actorPersonId }} search={{}} fz="sm">
            {e.actorLabel}
          </AnchorLink>
        ) : (
          e.actorLabel
        ),
    },
    { key: 'action', header: t('audit.col.action'), render: (e) => <Code>{e.action}</Code> },
    {
      key: 'entity',
      header: t('audit.col.entity'),
      render: (e) => <EntityLink type={e.entityType} id={e.entityId} />,
    },
    {
      key: 'via',
      header: t('audit.col.via'),
      render: (e) => t(`audit.via.${e.via}`, { defaultValue: e.via ?? '' }),
    },
  ];

  if (isForbidden(events.error)) return <ForbiddenAdminPage page="audit" error={events.error} />;
  return (
    <>
      <PageHeader
        title={t('audit.title')}
        subtitle={t('audit.intro')}
        crumbs={[{ label: t('nav.admin'), to: '/admin' }]}
        actions={
          <>
            <Button
              component="a"
              href={API_BASE + withQuery('/audit/export.csv', filters)}
              download="audit.csv"
              variant="default"
              leftSection={<IconDownload size={16} aria-hidden="true" />}
            >
              {t('audit.downloadCsv')}
            </Button>
            {can('audit.verify') && (
              <Button
                variant="default"
                leftSection={<IconShieldCheck size={16} aria-hidden="true" />}
                onClick={() => verify.mutate()}
                loading={verify.isPending}
              >
                {t('audit.verify')}
              </Button>
            )}
          </>
        }
      />
      <Stack gap="md">
        <ErrorAlert error={verify.error} />
        {verify.data && (
          <Alert
            role="status"
            color={verify.data.ok ? 'teal' : 'red'}
            variant="light"
            title={verify.data.ok ? t('audit.verifyOk') : t('audit.verifyBroken')}
            withCloseButton
            closeButtonLabel={t('common.close')}
            onClose={() => verify.reset()}
          >
            {verify.data.ok
              ? t('audit.verifyOkText', { count: verify.data.checked })
              : t('audit.verifyBrokenText', {
                  count: verify.data.checked,
                  seq: verify.data.brokenAt?.seq,
                  reason: verify.data.brokenAt?.reason,
                })}
          </Alert>
        )}
        <Paper withBorder p="md">
          <form onSubmit={apply} aria-label={t('audit.filters')}>
            <SimpleGrid cols={{ base: 1, sm: 3, lg: 6 }} spacing="sm">
              <TextInput
                label={t('audit.filter.actor')}
                value={form.actor ?? ''}
                onChange={(e) => setForm({ ...form, actor: e.currentTarget.value })}
              />
              <TextInput
                label={t('audit.filter.action')}
                placeholder="person."
                value={form.action ?? ''}
                onChange={(e) => setForm({ ...form, action: e.currentTarget.value })}
              />
              <TextInput
                label={t('audit.filter.entityType')}
                placeholder="person"
                value={form.entityType ?? ''}
                onChange={(e) => setForm({ ...form, entityType: e.currentTarget.value })}
              />
              <TextInput
                label={t('audit.filter.entityId')}
                value={form.entityId ?? ''}
                onChange={(e) => setForm({ ...form, entityId: e.currentTarget.value })}
              />
              <TextInput
                type="date"
                label={t('audit.filter.from')}
                value={form.from ?? ''}
                onChange={(e) => setForm({ ...form, from: e.currentTarget.value })}
              />
              <TextInput
                type="date"
                label={t('audit.filter.to')}
                value={form.to ?? ''}
                onChange={(e) => setForm({ ...form, to: e.currentTarget.value })}
                error={fieldError(events.error, 'to')}
              />
            </SimpleGrid>
            <Group mt="sm" gap="xs">
              <Button type="submit">{t('common.applyFilters')}</Button>
              {filtered && (
                <Button variant="subtle" onClick={() => void navigate({ search: {} })}>
                  {t('common.clearFilters')}
                </Button>
              )}
            </Group>
          </form>
        </Paper>
        {!hasOnlyFieldErrors(events.error, ['to']) && <ErrorAlert error={events.error} />}
        <Paper withBorder p="md">
          <DataTable
            caption={t('audit.caption')}
            columnsId="audit"
            columns={columns}
            rows={rows}
            rowKey={(e) => String(e.id)}
            loading={events.isPending || (events.isFetching && !events.isFetchingNextPage)}
            expanded={(e) =>
              open.has(e.id) ? (
                <Stack gap={4}>
                  <Text size="xs" c="dimmed">
                    {t('audit.eventMeta', { id: e.id, ip: e.ip ?? '—' })}
                  </Text>
                  <DiffView
                    before={e.before}
                    after={e.after}
                    caption={t('audit.diff.caption', { action: e.action })}
                  />
                </Stack>
              ) : null
            }
            empty={
              <EmptyState
                icon={<IconHistory size={28} aria-hidden="true" />}
                title={filtered ? t('audit.noMatch') : t('audit.empty')}
                description={filtered ? t('audit.noMatchText') : t('audit.emptyText')}
              />
            }
            footer={
              events.hasNextPage && (
                <Group justify="center" mt="sm">
                  <Button
                    variant="default"
                    onClick={() => void events.fetchNextPage()}
                    loading={events.isFetchingNextPage}
                  >
                    {t('audit.loadMore')}
                  </Button>
                </Group>
              )
            }
          />
        </Paper>
      </Stack>
    </>
  );
}

function EntityLink({ type, id }: { type: string; id: string | null }) {
  const { t } = useTranslation();
  const label = t(`entity.${type}`, { defaultValue: type.replace(/_/g, ' ') });
  if (!id) return <>{label}</>;
  const text = `${label} ${id.slice(0, 8)}`;
  // The entities with a page of their own link to it.
  switch (type) {
    case 'person':
      return (
        <AnchorLink to="/persons/$personId" params={{ personId: id }} search={{}} fz="sm">
          {text}
        </AnchorLink>
      );
    case 'org_unit':
      return (
        <AnchorLink to="/units/$unitId" params={{ unitId: id }} search={{}} fz="sm">
          {text}
        </AnchorLink>
      );
    case 'system':
      return (
        <AnchorLink to="/systems/$systemId" params={{ systemId: id }} search={{}} fz="sm">
          {text}
        </AnchorLink>
      );
    case 'governance_object':
      return (
        <AnchorLink to="/governance-objects/$objectId" params={{ objectId: id }} fz="sm">
          {text}
        </AnchorLink>
      );
    case 'plan':
      return (
        <AnchorLink to="/plans/$planId" params={{ planId: id }} search={{}} fz="sm">
          {text}
        </AnchorLink>
      );
    case 'order':
      return (
        <AnchorLink to="/access/orders/$orderId" params={{ orderId: id }} fz="sm">
          {text}
        </AnchorLink>
      );
    case 'licence_pool':
      return (
        <AnchorLink to="/licences/pools/$poolId" params={{ poolId: id }} fz="sm">
          {text}
        </AnchorLink>
      );
  }
  return (
    <Text span fz="sm">
      {label}{' '}
      <Text span c="dimmed" fz="xs" ff="monospace">
        {id.length > 12 ? id.slice(0, 8) : id}
      </Text>
    </Text>
  );
}
