import { Badge, Button, Group, NumberInput, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconCertificate } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useCan, useMe } from '../../api/session.ts';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import { type Column, DataTable } from '../../components/DataTable.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert, fieldError } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { formatDate } from '../../lib/format.ts';
import { personListQuery } from '../persons/personQueries.ts';
import { darkLabel } from '../systems/SystemBadges.tsx';
import { None, SectionTitle } from '../systems/tabs/common.tsx';
import { KeyReveal } from './KeyReveal.tsx';
import {
  type Assignment,
  type Coordinator,
  titlesQuery,
  type UnitRegister,
  unitRegisterQuery,
} from './softwareApi.ts';

const route = getRouteApi('/app/licences/units/$unitId');

/** A unit's licence register (S1, S2): coordinator and commitment, assignments, keys, seats, reports. */
export function UnitLicencesPage() {
  const { t, i18n } = useTranslation();
  const { unitId } = route.useParams();
  const me = useMe();
  const can = useCan();
  const queryClient = useQueryClient();
  const { data, error, isPending } = useQuery(unitRegisterQuery(unitId));
  const members = useQuery(
    personListQuery({
      unitId,
      status: 'active',
      sort: 'name',
      lang: i18n.language === 'sv' ? 'sv' : 'en',
      limit: 200,
    }),
  );
  const titles = useQuery(titlesQuery(''));
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['software'] });
  const current = data?.coordinators.find((c) => c.current);
  const isCoordinator = current?.person.id === me.personId;
  const canAppoint = can('coordinator.appoint') || (data?.yourRoles.includes('head') ?? false);

  const [assign, setAssign] = useState<{ titleId: string | null; personId: string | null }>({
    titleId: null,
    personId: null,
  });
  const assignM = useMutation({
    mutationFn: () => api.post('/licence-assignments', { ...assign, unitId }),
    onSuccess: () => {
      setAssign({ titleId: null, personId: null });
      void refresh();
    },
  });
  const cancel = async (a: Assignment) => {
    await api.post(`/licence-assignments/${a.id}/cancel`, { reason: '' });
    await refresh();
  };
  const [report, setReport] = useState<{ titleId: string | null; users: number | string; year: number }>({
    titleId: null,
    users: 0,
    year: new Date().getFullYear() - 1,
  });
  const year = report.year;
  const reportM = useMutation({
    mutationFn: () =>
      api.post('/licence-reports', {
        titleId: report.titleId,
        unitId,
        periodYear: year,
        users: Number(report.users),
      }),
    onSuccess: () => refresh(),
  });
  const reportForm = useRef<HTMLFormElement>(null);
  /** Fills the report form with an owed report and moves to its number field. */
  const startReport = (r: { title: { id: string }; periodYear: number }) => {
    setReport({ titleId: r.title.id, users: 0, year: r.periodYear });
    reportForm.current?.querySelector<HTMLInputElement>('input[inputmode="numeric"]')?.focus();
  };
  const owedColumns: Column<UnitRegister['reportsDue'][number]>[] = [
    { key: 'title', header: t('software.col.name'), render: (r) => r.title.name },
    { key: 'year', header: t('software.col.year'), render: (r) => r.periodYear },
    {
      key: 'deadline',
      header: t('software.col.deadline'),
      nowrap: true,
      render: (r) => (
        <Group gap={6} wrap="nowrap">
          {formatDate(r.deadline)}
          {r.overdue && (
            <Badge color="red" variant="light" size="sm" radius="sm" styles={darkLabel('red')}>
              {t('software.overdue')}
            </Badge>
          )}
        </Group>
      ),
    },
    ...(isCoordinator
      ? [
          {
            key: 'act',
            header: t('common.actions'),
            render: (r: UnitRegister['reportsDue'][number]) => (
              <Button
                size="xs"
                variant="light"
                onClick={() => startReport(r)}
                aria-label={t('software.reportThis', { title: r.title.name, year: r.periodYear })}
              >
                {t('software.report')}
              </Button>
            ),
          },
        ]
      : []),
  ];

  const memberOptions = (members.data?.items ?? []).map((p) => ({ value: p.id, label: p.displayName }));
  const titleOptions = (titles.data?.items ?? [])
    .filter((s) => s.offered)
    .map((s) => ({ value: s.id, label: `${s.name} ${s.productVersion}`.trim() }));
  const reportable = (titles.data?.items ?? [])
    .filter((s) => s.requiresReporting)
    .map((s) => ({ value: s.id, label: s.name }));

  const coordinatorCols: Column<Coordinator>[] = [
    {
      key: 'person',
      header: t('software.col.coordinator'),
      render: (c) => (
        <Group gap="xs">
          <Text fz="sm">{c.person.displayName}</Text>
          {c.current && (
            <Badge size="sm" variant="light" color="teal" radius="sm">
              {t('software.current')}
            </Badge>
          )}
        </Group>
      ),
    },
    { key: 'from', header: t('software.col.since'), nowrap: true, render: (c) => formatDate(c.appointedOn) },
    {
      key: 'to',
      header: t('software.col.until'),
      nowrap: true,
      render: (c) => (c.endedOn ? formatDate(c.endedOn) : <None />),
    },
    {
      key: 'commitment',
      header: t('software.col.commitment'),
      render: (c) =>
        `${c.commitment.document} · ${c.commitment.signer}, ${formatDate(c.commitment.signedOn)}`,
    },
    { key: 'by', header: t('software.col.appointedBy'), render: (c) => c.appointedBy },
  ];
  const assignmentCols: Column<Assignment>[] = [
    { key: 'title', header: t('software.col.name'), render: (a) => a.title.name },
    { key: 'person', header: t('software.col.person'), render: (a) => a.person.displayName },
    {
      key: 'key',
      header: t('software.col.key'),
      render: (a) =>
        a.key ? (
          isCoordinator && !a.cancelledAt ? (
            <KeyReveal keyId={a.key.id} hint={a.key.hint} />
          ) : (
            a.key.hint
          )
        ) : (
          <None />
        ),
    },
    { key: 'since', header: t('software.col.since'), nowrap: true, render: (a) => formatDate(a.assignedAt) },
    {
      key: 'state',
      header: t('software.col.status'),
      render: (a) =>
        a.cancelledAt ? t('software.cancelledOn', { date: formatDate(a.cancelledAt) }) : t('software.active'),
    },
    // Only the unit's coordinator has actions here; others get no empty column.
    ...(isCoordinator
      ? [
          {
            key: 'actions',
            header: t('common.actions'),
            hideable: false,
            render: (a: Assignment) =>
              !a.cancelledAt ? (
                <ConfirmButton
                  size="compact-xs"
                  title={t('software.cancelTitle')}
                  message={t('software.cancelText', { title: a.title.name, person: a.person.displayName })}
                  confirmLabel={t('software.cancel')}
                  onConfirm={() => cancel(a)}
                >
                  {t('software.cancel')}
                </ConfirmButton>
              ) : null,
          },
        ]
      : []),
  ];

  const submitAssign = (e: FormEvent) => {
    e.preventDefault();
    assignM.mutate();
  };

  return (
    <>
      <PageHeader
        title={data ? t('software.unitTitle', { unit: data.unit.name }) : t('software.title')}
        subtitle={t('software.unitIntro')}
        crumbs={[{ label: t('software.title'), to: '/licences' }]}
      />
      <ErrorAlert error={error} />
      {isPending ? null : data ? (
        <Stack gap="md">
          <Paper withBorder p="md">
            <SectionTitle>{t('software.coordinatorHistory')}</SectionTitle>
            <DataTable
              caption={t('software.coordinatorHistory')}
              columns={coordinatorCols}
              rows={data.coordinators}
              rowKey={(c) => c.id}
              empty={
                <EmptyState
                  title={t('software.noCoordinator')}
                  description={t('software.noCoordinatorText')}
                />
              }
            />
            {canAppoint && <Appoint unitId={unitId} options={memberOptions} onDone={refresh} />}
          </Paper>
          <Paper withBorder p="md">
            <SectionTitle>{t('software.assignments')}</SectionTitle>
            {isCoordinator && (
              <form onSubmit={submitAssign} noValidate aria-label={t('software.assign')}>
                <Group align="flex-start" mb="sm">
                  <Select
                    label={t('software.col.name')}
                    data={titleOptions}
                    value={assign.titleId}
                    onChange={(v) => setAssign({ ...assign, titleId: v })}
                    searchable
                    required
                    error={fieldError(assignM.error, 'titleId')}
                    w={260}
                  />
                  <Select
                    label={t('software.col.person')}
                    data={memberOptions}
                    value={assign.personId}
                    onChange={(v) => setAssign({ ...assign, personId: v })}
                    searchable
                    required
                    error={fieldError(assignM.error, 'personId')}
                    w={260}
                  />
                  <Button type="submit" mt={25} loading={assignM.isPending}>
                    {t('software.assign')}
                  </Button>
                </Group>
                <ErrorAlert error={assignM.error} />
              </form>
            )}
            <DataTable
              caption={t('software.assignments')}
              columns={assignmentCols}
              rows={data.assignments}
              rowKey={(a) => a.id}
              empty={
                <EmptyState
                  icon={<IconCertificate size={28} aria-hidden="true" />}
                  title={t('software.noAssignments')}
                />
              }
            />
          </Paper>
          <Paper withBorder p="md">
            <SectionTitle>{t('software.seats')}</SectionTitle>
            <DataTable
              caption={t('software.seats')}
              columns={[
                { key: 'title', header: t('software.col.name'), render: (s) => s.title.name },
                { key: 'used', header: t('software.col.used'), render: (s) => `${s.used} / ${s.seats}` },
                {
                  key: 'keys',
                  header: t('software.col.freeKeys'),
                  render: (s) => data.keys.filter((k) => k.title.id === s.title.id && !k.assignedTo).length,
                },
              ]}
              rows={data.seats}
              rowKey={(s) => s.title.id}
              empty={<EmptyState title={t('software.noSeats')} />}
            />
          </Paper>
          <Paper withBorder p="md">
            <SectionTitle>{t('software.reports')}</SectionTitle>
            <Text fw={500} fz="sm" mb={4}>
              {t('software.reportsDue')}
            </Text>
            <DataTable
              caption={t('software.reportsDue')}
              columns={owedColumns}
              rows={data.reportsDue}
              rowKey={(r) => `${r.title.id}:${r.periodYear}`}
              empty={<EmptyState title={t('software.noReportsDue')} />}
            />
            {isCoordinator && (
              <form
                ref={reportForm}
                onSubmit={(e) => {
                  e.preventDefault();
                  reportM.mutate();
                }}
                noValidate
                aria-label={t('software.reportSubmit', { year })}
              >
                <Group align="flex-start" mb="sm">
                  <Select
                    label={t('software.col.name')}
                    data={reportable}
                    value={report.titleId}
                    onChange={(v) => setReport({ ...report, titleId: v })}
                    required
                    w={260}
                    error={fieldError(reportM.error, 'titleId')}
                  />
                  <NumberInput
                    label={t('software.usersIn', { year })}
                    min={0}
                    value={report.users}
                    onChange={(v) => setReport({ ...report, users: v })}
                    w={160}
                    error={fieldError(reportM.error, 'users')}
                  />
                  <Button type="submit" mt={25} loading={reportM.isPending}>
                    {t('software.reportSubmit', { year })}
                  </Button>
                </Group>
                <ErrorAlert error={reportM.error} />
              </form>
            )}
            <Text fw={500} fz="sm" mt="md" mb={4}>
              {t('software.reportsSubmitted')}
            </Text>
            <DataTable
              caption={t('software.reportsSubmitted')}
              columns={[
                { key: 'title', header: t('software.col.name'), render: (r) => r.title.name },
                { key: 'year', header: t('software.col.year'), render: (r) => r.periodYear },
                { key: 'users', header: t('software.col.users'), render: (r) => r.users },
                {
                  key: 'by',
                  header: t('software.col.submittedBy'),
                  render: (r) => `${r.submittedBy}, ${formatDate(r.submittedAt)}`,
                },
              ]}
              rows={data.reports}
              rowKey={(r) => r.id}
              empty={<EmptyState title={t('software.noReports')} />}
            />
          </Paper>
        </Stack>
      ) : null}
    </>
  );
}

/** S1: the unit's head (or an administrator) appoints a coordinator; the commitment fields are required. */
function Appoint(props: { unitId: string; options: { value: string; label: string }[]; onDone: () => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [f, setF] = useState({
    personId: null as string | null,
    commitmentSignedOn: '',
    commitmentSigner: '',
    commitmentDocument: '',
  });
  const m = useMutation({
    mutationFn: () => api.post(`/org-units/${props.unitId}/licence-coordinators`, f),
    onSuccess: () => {
      setOpen(false);
      props.onDone();
    },
  });
  if (!open)
    return (
      <Button variant="light" mt="sm" onClick={() => setOpen(true)}>
        {t('software.appoint')}
      </Button>
    );
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        m.mutate();
      }}
      noValidate
      aria-label={t('software.appoint')}
    >
      <Stack gap="sm" mt="md">
        <Text fz="sm" c="dimmed">
          {t('software.appointIntro')}
        </Text>
        <Group align="flex-start" grow>
          <Select
            label={t('software.col.coordinator')}
            data={props.options}
            value={f.personId}
            onChange={(v) => setF({ ...f, personId: v })}
            searchable
            required
            error={fieldError(m.error, 'personId')}
          />
          <TextInput
            type="date"
            label={t('software.signedOn')}
            required
            value={f.commitmentSignedOn}
            onChange={(e) => setF({ ...f, commitmentSignedOn: e.currentTarget.value })}
            error={fieldError(m.error, 'commitmentSignedOn')}
          />
        </Group>
        <Group align="flex-start" grow>
          <TextInput
            label={t('software.signer')}
            required
            value={f.commitmentSigner}
            onChange={(e) => setF({ ...f, commitmentSigner: e.currentTarget.value })}
            error={fieldError(m.error, 'commitmentSigner')}
          />
          <TextInput
            label={t('software.document')}
            description={t('software.documentHint')}
            required
            value={f.commitmentDocument}
            onChange={(e) => setF({ ...f, commitmentDocument: e.currentTarget.value })}
            error={fieldError(m.error, 'commitmentDocument')}
          />
        </Group>
        <Group>
          <Button type="submit" loading={m.isPending}>
            {t('software.appointConfirm')}
          </Button>
          <Button variant="subtle" onClick={() => setOpen(false)}>
            {t('common.cancel')}
          </Button>
        </Group>
        <ErrorAlert error={m.error} />
      </Stack>
    </form>
  );
}
