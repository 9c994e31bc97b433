import { Group, NativeSelect, Paper, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { IconClipboardList, IconInfoCircle } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useMe } from '../../api/session.ts';
import { AnchorLink } from '../../components/AnchorLink.tsx';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import { type Column, DataTable } from '../../components/DataTable.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { SectionTitle } from '../systems/tabs/common.tsx';
import { PlanStateBadge } from './PlanStateBadge.tsx';
import {
  type DashboardRow,
  dashboardQuery,
  deviationsQuery,
  formatMoney,
  settingsQuery,
} from './planQueries.ts';

export interface PlansSearch {
  year?: number;
  status?: string;
}
export const parsePlansSearch = (s: Record<string, unknown>): PlansSearch => ({
  year: Number.isInteger(Number(s.year)) && Number(s.year) > 2000 ? Number(s.year) : undefined,
  status: typeof s.status === 'string' && s.status ? s.status : undefined,
});
const STATES = ['none', 'draft', 'proposed', 'approved', 'signed'] as const;

/** The year dashboard (G5): every governance object's plan status for a year, with reminders and the cycle. */
export function PlansDashboardPage() {
  const { t, i18n } = useTranslation();
  const search = useSearch({ strict: false }) as PlansSearch;
  const navigate = useNavigate();
  const me = useMe();
  const can = (a: string) => (me.abilities as Record<string, boolean | undefined>)[a] === true;
  const now = new Date();
  const thisYear = now.getFullYear();
  // From the annual cycle's date (1 November unless configured) the year being prepared is next
  // year's, so that is the one shown first.
  const settings = useQuery(settingsQuery);
  const cycleDay = settings.data?.cycleMonthDay ?? '11-01';
  const monthDay = `${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
  const year = search.year ?? (monthDay >= cycleDay ? thisYear + 1 : thisYear);
  const [q, setQ] = useState('');
  const qc = useQueryClient();
  const { data, error, isPending } = useQuery({
    ...dashboardQuery(year),
    // Without a year asked for, wait for the cycle's date before choosing one.
    enabled: search.year !== undefined || !settings.isPending,
  });
  // The deviations of the year viewed: those open when a past year ended, otherwise those open today.
  const past = year < thisYear;
  const devs = useQuery(deviationsQuery(undefined, past ? year : undefined));
  // G7: prepare plans only for the year after the latest year that has plans (the server says which),
  // offered on that year's page and on the page of the year it is prepared from.
  const next = data?.nextCycle ?? null;
  const offerCycle = can('plan.cycle') && next !== null && (year === next.year || year === next.from);
  const [message, setMessage] = useState<string | null>(null);
  const remind = useMutation({
    mutationFn: () => api.post<{ objects: number; notified: number }>('/plans/reminders', { year }),
    onSuccess: (r) => setMessage(t('plans.dashboard.reminded', { objects: r.objects, notified: r.notified })),
  });
  const set = (next: PlansSearch) =>
    navigate({ to: '/plans', search: { ...search, ...next } as Record<string, unknown> as never });

  const rows = (data?.items ?? []).filter(
    (r) =>
      (!search.status || r.status === search.status) &&
      (!q || r.objectName.toLowerCase().includes(q.trim().toLowerCase())),
  );
  const cols: Column<DashboardRow>[] = [
    {
      key: 'object',
      header: t('plans.col.object'),
      render: (r) =>
        r.planId && r.mayRead ? (
          <AnchorLink to="/plans/$planId" params={{ planId: r.planId }} search={{}} fz="sm" fw={500}>
            {r.objectName}
          </AnchorLink>
        ) : (
          // G5: not theirs to open: the name as text, and the object's page (anyone may read it) by it.
          <Group gap={6} wrap="nowrap" align="center">
            <Text fz="sm">{r.objectName}</Text>
            <AnchorLink
              to="/governance-objects/$objectId"
              params={{ objectId: r.objectId }}
              search={{}}
              aria-label={t('plans.dashboard.objectPage', { name: r.objectName })}
              title={t('plans.dashboard.objectPage', { name: r.objectName })}
              c="dimmed"
              style={{ display: 'inline-flex' }}
            >
              <IconInfoCircle size={16} aria-hidden="true" />
            </AnchorLink>
          </Group>
        ),
    },
    {
      key: 'status',
      header: t('plans.col.status'),
      render: (r) => <PlanStateBadge state={r.status} size="sm" />,
    },
    {
      key: 'version',
      header: t('plans.col.version'),
      render: (r) =>
        r.versionNumber
          ? `${r.versionNumber}${r.signedVersion && r.signedVersion !== r.versionNumber ? ` (${t('plans.signedVersionN', { n: r.signedVersion })})` : ''}`
          : '–',
    },
    { key: 'activities', header: t('plans.col.activities'), render: (r) => r.activities },
    {
      key: 'cost',
      header: t('plans.col.costVsFrame'),
      nowrap: true,
      render: (r) =>
        `${r.planId ? formatMoney(r.totalCost, i18n.language) : '–'}${r.budgetFrame !== null ? ` / ${formatMoney(r.budgetFrame, i18n.language)}` : ''}`,
    },
    {
      key: 'deviations',
      header: t('plans.col.deviations'),
      render: (r) =>
        r.openDeviations > 0 ? (
          <Text fz="sm" c="red.9" fw={600}>
            {t('plans.deviationsN', { count: r.openDeviations })}
          </Text>
        ) : (
          '0'
        ),
    },
    {
      key: 'sm',
      header: t('governance.role.system_manager'),
      render: (r) => r.systemManagers.join(', ') || '–',
    },
    {
      key: 'itsm',
      header: t('governance.role.it_system_manager'),
      render: (r) => r.itSystemManagers.join(', ') || '–',
    },
  ];

  return (
    <>
      <PageHeader
        title={t('plans.dashboard.title', { year })}
        subtitle={t('plans.dashboard.subtitle')}
        actions={
          <>
            <AnchorLink to="/plans/checklist-template" search={{}} fz="sm">
              {t('plans.template.title')}
            </AnchorLink>
            {offerCycle && (
              <ConfirmButton
                danger={false}
                title={t('plans.dashboard.cycleTitle', { year: next.year })}
                message={t('plans.dashboard.cycleText', { year: next.year, from: next.from })}
                confirmLabel={t('plans.dashboard.cycleConfirm')}
                onConfirm={async () => {
                  const r = await api.post<{ created: number }>('/plans/annual-cycle', { year: next.year });
                  setMessage(t('plans.dashboard.cycleDone', { count: r.created, year: next.year }));
                  await qc.invalidateQueries({ queryKey: ['plans'] });
                }}
              >
                {t('plans.dashboard.cycle', { year: next.year })}
              </ConfirmButton>
            )}
            {/* Reminders are about plans still to be finished: not for a year already past. */}
            {can('plan.cycle') && !past && (
              <ConfirmButton
                danger={false}
                title={t('plans.dashboard.remindTitle')}
                message={t('plans.dashboard.remindText', { year })}
                confirmLabel={t('plans.dashboard.remindConfirm')}
                onConfirm={() => remind.mutateAsync()}
              >
                {t('plans.dashboard.remind')}
              </ConfirmButton>
            )}
          </>
        }
      />
      <Stack gap="md">
        {message && (
          <Text role="status" fz="sm" c="teal.9">
            {message}
          </Text>
        )}
        <ErrorAlert error={error ?? remind.error} />
        <SimpleGrid cols={{ base: 2, sm: 5 }} spacing="sm">
          {STATES.map((s) => (
            <Paper key={s} withBorder p="sm">
              <PlanStateBadge state={s} size="sm" />
              <Text fz={24} fw={600} mt={4}>
                {data?.counts[s] ?? '–'}
              </Text>
            </Paper>
          ))}
        </SimpleGrid>
        <Group gap="sm" align="flex-end">
          <NativeSelect
            label={t('plans.year')}
            value={String(year)}
            onChange={(e) => set({ year: Number(e.currentTarget.value) })}
            // The recent years, and the one asked for (a link may name any year).
            data={[...new Set([thisYear - 2, thisYear - 1, thisYear, thisYear + 1, year])]
              .sort((a, b) => a - b)
              .map(String)}
          />
          <NativeSelect
            label={t('plans.col.status')}
            value={search.status ?? ''}
            onChange={(e) => set({ status: e.currentTarget.value || undefined })}
            data={[
              { value: '', label: t('plans.allStates') },
              ...STATES.map((s) => ({ value: s, label: t(`plans.state.${s}`) })),
            ]}
          />
          <TextInput label={t('plans.search')} value={q} onChange={(e) => setQ(e.currentTarget.value)} />
        </Group>
        {rows.some((r) => r.planId && !r.mayRead) && (
          <Text fz="sm" c="dimmed">
            {t('plans.dashboard.readHint')}
          </Text>
        )}
        <DataTable
          caption={t('plans.dashboard.title', { year })}
          columns={cols}
          rows={isPending ? undefined : rows}
          loading={isPending}
          rowKey={(r) => r.objectId}
          empty={
            <EmptyState
              icon={<IconClipboardList size={28} aria-hidden="true" />}
              title={t('plans.dashboard.empty')}
              description={t('plans.dashboard.emptyText')}
            />
          }
        />
        {data && (
          <Text fz="xs" c="dimmed">
            {past ? t('plans.dashboard.deviationsYearEnd', { year }) : t('plans.dashboard.deviationsToday')}
          </Text>
        )}
        <Paper withBorder p="md">
          <SectionTitle>
            {past ? t('plans.deviations.titleYearEnd', { year }) : t('plans.deviations.title')}
          </SectionTitle>
          {devs.data && devs.data.items.length === 0 && <Text fz="sm">{t('plans.deviations.none')}</Text>}
          <Stack gap={4}>
            {devs.data?.items.map((d) => (
              <Text key={`${d.system.id}-${d.questionKey}`} fz="sm">
                <AnchorLink
                  to="/systems/$systemId/checklist"
                  params={{ systemId: d.system.id }}
                  search={{}}
                  fz="sm"
                  fw={500}
                >
                  {d.system.name}
                </AnchorLink>{' '}
                ({d.object.name}): {i18n.language.startsWith('sv') ? d.sv : d.en} –{' '}
                <strong>{t(`plans.answer.${d.answer}`)}</strong>
                {d.comment ? ` – ${d.comment}` : ''}
              </Text>
            ))}
          </Stack>
        </Paper>
      </Stack>
    </>
  );
}
