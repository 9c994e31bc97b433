import {
  Alert,
  Button,
  CloseButton,
  Code,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import {
  IconChevronDown,
  IconChevronRight,
  IconDownload,
  IconFilter,
  IconHistory,
  IconShieldCheck,
} from '@tabler/icons-react';
import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import type { TFunction } from 'i18next';
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { API_BASE, api, withQuery } from '../../api/client.ts';
import { useCan } from '../../api/session.ts';
import type { AuditVerifyResult, Page } from '../../api/types.ts';
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
import {
  type AuditObject,
  type AuditRow,
  actionLabel,
  actionOptions,
  entityTypeLabel,
  entityTypeOptions,
  filterByLabelOrCode,
  isKnownAction,
  objectName,
  refusalText,
} from './auditLabels.ts';
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

/** An actor without a person: a sign-in attempt is recorded as "(sign-in as <username>)", said here in the reader's language. */
const actorText = (t: (key: string, o?: Record<string, unknown>) => string, label: string) => {
  const m = /^\(sign-in as (.+)\)$/.exec(label);
  return m ? t('audit.signInAs', { username: m[1] }) : label;
};
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
      api.get<Page<AuditRow>>('/audit', { ...filters, limit: 50, cursor: pageParam }, signal),
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
  // `t` changes with the UI language, and the labels with it.
  const actionData = useMemo(() => actionOptions(t, form.action), [t, form.action]);
  const typeData = useMemo(() => entityTypeOptions(t, form.entityType), [t, form.entityType]);
  /** Only one object's events: named as the table names it, once a row of it is loaded. */
  const onlyObject = search.entityId
    ? objectText(
        t,
        rows?.find((e) => e.entityId === search.entityId) ?? {
          entityType: search.entityType ?? '',
          entityId: search.entityId,
        },
      )
    : null;

  const columns: Column<AuditRow>[] = [
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
            action: actionLabel(t, e.action),
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
          actorText(t, e.actorLabel)
        ),
    },
    {
      key: 'action',
      header: t('audit.col.action'),
      render: (e) =>
        isKnownAction(e.action) ? (
          // The code (what the filter and the exports use) as a hint, not a second line.
          <Text fz="sm" title={e.action}>
            {actionLabel(t, e.action)}
          </Text>
        ) : (
          <Code>{e.action}</Code>
        ),
    },
    {
      key: 'entity',
      header: t('audit.col.entity'),
      render: (e) => <EntityLink event={e} />,
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
            <SimpleGrid cols={{ base: 1, sm: 3, lg: 5 }} spacing="sm">
              <TextInput
                label={t('audit.filter.actor')}
                value={form.actor ?? ''}
                onChange={(e) => setForm({ ...form, actor: e.currentTarget.value })}
              />
              <Select
                label={t('audit.filter.action')}
                placeholder={t('audit.filter.anyAction')}
                data={actionData}
                value={form.action ?? null}
                onChange={(v) => setForm({ ...form, action: v ?? undefined })}
                searchable
                clearable
                filter={filterByLabelOrCode}
                nothingFoundMessage={t('audit.filter.noAction')}
                maxDropdownHeight={360}
                comboboxProps={{ withinPortal: true }}
                renderOption={({ option }) => (
                  <div>
                    <Text fz="sm">{option.label}</Text>
                    {isKnownAction(option.value) && (
                      <Text fz="xs" c="dimmed" ff="monospace">
                        {option.value}
                      </Text>
                    )}
                  </div>
                )}
              />
              <Select
                label={t('audit.filter.entityType')}
                placeholder={t('audit.filter.anyEntityType')}
                data={typeData}
                value={form.entityType ?? null}
                onChange={(v) => setForm({ ...form, entityType: v ?? undefined })}
                searchable
                clearable
                comboboxProps={{ withinPortal: true }}
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
            {onlyObject && (
              <Group mt="sm" gap={4} wrap="nowrap">
                <IconFilter size={16} aria-hidden="true" />
                <Text fz="sm">{t('audit.filter.onlyObject', { object: onlyObject })}</Text>
                <CloseButton
                  size="sm"
                  aria-label={t('audit.filter.allObjects')}
                  onClick={() =>
                    void navigate({ search: parseAuditSearch({ ...search, entityId: undefined }) })
                  }
                />
              </Group>
            )}
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
                  <Group gap="sm" justify="space-between">
                    <Text size="xs" c="dimmed">
                      {t('audit.eventMeta', { id: e.id, ip: e.ip ?? '—' })}
                    </Text>
                    {e.entityId && search.entityId !== e.entityId && (
                      <Button
                        variant="subtle"
                        size="compact-xs"
                        leftSection={<IconFilter size={14} aria-hidden="true" />}
                        onClick={() =>
                          void navigate({
                            search: parseAuditSearch({ entityType: e.entityType, entityId: e.entityId }),
                          })
                        }
                      >
                        {t('audit.objectEvents')}
                      </Button>
                    )}
                  </Group>
                  <DiffView
                    before={e.before}
                    after={e.after}
                    entityType={e.entityType}
                    caption={t('audit.diff.caption', { action: actionLabel(t, e.action) })}
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

/** The object as text: its type and what it is called ("Order 48"), or its type and a short id. */
function objectText(t: TFunction, e: AuditObject) {
  const refusal = refusalText(t, e);
  if (refusal) return refusal.text;
  const type = e.entityType ? entityTypeLabel(t, e.entityType) : '';
  const name = objectName(e) ?? e.entityId?.slice(0, 8) ?? '';
  return `${type} ${name}`.trim();
}

/** Only these plan events carry the plan's own id (others a version's or an activity's): they link to it. */
const PLAN_ID_ACTIONS = new Set(['plan.create', 'plan.cycle.draft']);

function EntityLink({ event: e }: { event: AuditRow }) {
  const { t } = useTranslation();
  const id = e.entityId;
  const label = entityTypeLabel(t, e.entityType);
  if (!id) return <>{label}</>;
  const refusal = refusalText(t, e);
  if (refusal)
    return (
      <>
        <Text fz="sm">{refusal.text}</Text>
        {refusal.request && (
          <Text fz="xs" c="dimmed" ff="monospace" style={{ wordBreak: 'break-all' }}>
            {refusal.request}
          </Text>
        )}
      </>
    );
  const name = objectName(e);
  const text = name ? `${label} ${name}` : `${label} ${id.slice(0, 8)}`;
  // The objects with a page of their own link to it.
  switch (e.entityType) {
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
      if (!PLAN_ID_ACTIONS.has(e.action)) break;
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
  if (name)
    return (
      <Text span fz="sm">
        {text}
      </Text>
    );
  return (
    <Text span fz="sm">
      {label}{' '}
      <Text span c="dimmed" fz="xs" ff="monospace">
        {id.slice(0, 8)}
      </Text>
    </Text>
  );
}
