// V1, V2: absences and cover. Who is away when, who covers which of their roles, and the coverage
// report: the days on which nobody with a system's needed role, or a unit's ordering rights, is present.
import {
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Tabs,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { IconBeach, IconCalendarPlus, IconUserCheck } from '@tabler/icons-react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import type { TFunction } from 'i18next';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { useMe } from '../../api/session.ts';
import type { Absence, CoverageGap, CoverageReport, HandoverRole, Page, Ref } from '../../api/types.ts';
import { AnchorLink } from '../../components/AnchorLink.tsx';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import { type Column, DataTable } from '../../components/DataTable.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert, fieldError, hasOnlyFieldErrors } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { isIsoDate, PeriodFields } from '../../components/PeriodFields.tsx';
import { formatDate } from '../../lib/format.ts';
import { useCursorStack } from '../../lib/useCursorStack.ts';
import { myAccessQuery } from '../access/accessQueries.ts';
import { usePersonSearch } from '../persons/usePersonSearch.ts';
import { defaultGapPeriod } from '../reports/reportQueries.ts';

export interface AbsencesSearch {
  tab?: 'absences' | 'gaps';
  who?: 'mine' | 'all';
  from?: string;
  to?: string;
}
export const parseAbsencesSearch = (s: Record<string, unknown>): AbsencesSearch => ({
  tab: s.tab === 'gaps' ? 'gaps' : undefined,
  who: s.who === 'all' ? 'all' : undefined,
  from: isIsoDate(s.from) ? s.from : undefined,
  to: isIsoDate(s.to) ? s.to : undefined,
});

const route = getRouteApi('/app/absences');
/** "System manager of X: Cora", or "Acting head of Ward 7: Astrid". */
const coverLine = (t: TFunction, d: Absence['delegations'][number]) =>
  d.unit
    ? t('absences.actingHeadLine', { unit: d.unit.name, cover: d.cover.displayName })
    : t('absences.coverLine', {
        role: t(`governance.role.${d.role}`),
        object: d.object?.name ?? '',
        cover: d.cover.displayName,
      });
const period = (from: string, to: string) =>
  from === to ? formatDate(from) : `${formatDate(from)} – ${formatDate(to)}`;

export function AbsencesPage() {
  const { t } = useTranslation();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const me = useMe();
  const [registering, setRegistering] = useState(false);
  return (
    <>
      <PageHeader
        title={t('absences.title')}
        subtitle={t('absences.intro')}
        actions={
          <Button
            leftSection={<IconCalendarPlus size={16} aria-hidden="true" />}
            onClick={() => setRegistering(true)}
          >
            {t('absences.register.button')}
          </Button>
        }
      />
      <Tabs
        value={search.tab ?? 'absences'}
        onChange={(v) => void navigate({ search: (p) => ({ ...p, tab: v === 'gaps' ? 'gaps' : undefined }) })}
        keepMounted={false}
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="absences">{t('absences.tab.absences')}</Tabs.Tab>
          <Tabs.Tab value="gaps">{t('absences.tab.gaps')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="absences">
          <AbsenceList who={search.who ?? 'mine'} personId={me.personId} />
        </Tabs.Panel>
        <Tabs.Panel value="gaps">
          <CoverageGaps />
        </Tabs.Panel>
      </Tabs>
      <RegisterAbsence opened={registering} onClose={() => setRegistering(false)} />
    </>
  );
}

function AbsenceList(props: { who: 'mine' | 'all'; personId: string }) {
  const { t } = useTranslation();
  const navigate = route.useNavigate();
  const queryClient = useQueryClient();
  const me = useMe();
  const paging = useCursorStack(props.who);
  const list = useQuery({
    queryKey: ['absences', props.who, paging.cursor],
    queryFn: ({ signal }) =>
      api.get<Page<Absence>>(
        '/absences',
        { personId: props.who === 'mine' ? props.personId : undefined, limit: 50, cursor: paging.cursor },
        signal,
      ),
    placeholderData: keepPreviousData,
  });
  const mayCancel = (a: Absence) => a.person.id === me.personId || me.abilities['absence.write'];
  const [ending, setEnding] = useState<Absence | null>(null);
  const columns: Column<Absence>[] = [
    {
      key: 'person',
      header: t('absences.col.person'),
      render: (a) => (
        <AnchorLink to="/persons/$personId" params={{ personId: a.person.id }} search={{}} fz="sm" fw={500}>
          {a.person.displayName}
        </AnchorLink>
      ),
    },
    {
      key: 'period',
      header: t('absences.col.period'),
      nowrap: true,
      render: (a) => period(a.startsOn, a.endsOn),
    },
    {
      key: 'covers',
      header: t('absences.col.covers'),
      render: (a) =>
        a.delegations.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('absences.noCover')}
          </Text>
        ) : (
          <Stack gap={2}>
            {a.delegations.map((d) => (
              <Text size="sm" key={d.id}>
                {coverLine(t, d)}
              </Text>
            ))}
          </Stack>
        ),
    },
    { key: 'note', header: t('absences.col.note'), render: (a) => a.note },
    {
      key: 'actions',
      header: t('common.actions'),
      render: (a) =>
        mayCancel(a) ? (
          <Group gap="xs">
            <Button size="xs" variant="default" onClick={() => setEnding(a)}>
              {t('absences.endEarly.button')}
            </Button>
            <ConfirmButton
              size="xs"
              title={t('absences.cancel.title')}
              message={t('absences.cancel.message', {
                name: a.person.displayName,
                period: period(a.startsOn, a.endsOn),
              })}
              confirmLabel={t('absences.cancel.confirm')}
              onConfirm={async () => {
                await api.delete(`/absences/${a.id}`);
                await queryClient.invalidateQueries({ queryKey: ['absences'] });
                await queryClient.invalidateQueries({ queryKey: ['coverage'] });
              }}
            >
              {t('absences.cancel.button')}
            </ConfirmButton>
          </Group>
        ) : null,
    },
  ];
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <SegmentedControl
          w="fit-content"
          aria-label={t('absences.who.label')}
          value={props.who}
          onChange={(v) => void navigate({ search: (p) => ({ ...p, who: v === 'all' ? 'all' : undefined }) })}
          data={[
            { value: 'mine', label: t('absences.who.mine') },
            { value: 'all', label: t('absences.who.all') },
          ]}
        />
        <ErrorAlert error={list.error} />
        <DataTable
          caption={t('absences.tab.absences')}
          columns={columns}
          rows={list.data?.items}
          rowKey={(a) => a.id}
          loading={list.isFetching}
          paging={paging.table(list.data?.nextCursor)}
          empty={
            <EmptyState
              icon={<IconBeach size={28} aria-hidden="true" />}
              title={t('absences.empty')}
              description={t('absences.emptyText')}
            />
          }
        />
      </Stack>
      {ending && <EndEarly absence={ending} onClose={() => setEnding(null)} />}
    </Paper>
  );
}

/** V1: back early. The absence, and every cover's role and acting head, end on the new last day. */
function EndEarly({ absence, onClose }: { absence: Absence; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [lastDay, setLastDay] = useState('');
  const end = useMutation({
    mutationFn: () => api.post<Absence>(`/absences/${absence.id}/end-early`, { lastDay }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['absences'] });
      await queryClient.invalidateQueries({ queryKey: ['coverage'] });
      onClose();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    end.mutate();
  };
  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened
      onClose={onClose}
      title={t('absences.endEarly.title')}
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          {!hasOnlyFieldErrors(end.error, ['lastDay']) && <ErrorAlert error={end.error} />}
          <Text size="sm">
            {t('absences.endEarly.text', {
              name: absence.person.displayName,
              period: period(absence.startsOn, absence.endsOn),
            })}
          </Text>
          <TextInput
            type="date"
            label={t('absences.endEarly.lastDay')}
            description={t('absences.endEarly.lastDayHint')}
            value={lastDay}
            onChange={(e) => setLastDay(e.currentTarget.value)}
            min={absence.startsOn}
            max={absence.endsOn}
            required
            error={fieldError(end.error, 'lastDay')}
            data-autofocus
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={end.isPending}>
              {t('absences.endEarly.confirm')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function CoverageGaps() {
  const { t } = useTranslation();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const p = {
    ...defaultGapPeriod(),
    ...(search.from ? { from: search.from } : {}),
    ...(search.to ? { to: search.to } : {}),
  };
  const report = useQuery({
    queryKey: ['coverage', p],
    queryFn: ({ signal }) => api.get<CoverageReport>('/reports/coverage', p, signal),
    placeholderData: keepPreviousData,
  });
  const setPeriod = (patch: { from?: string; to?: string }) =>
    void navigate({ search: (prev) => ({ ...prev, ...patch }), replace: true });
  const columns: Column<CoverageGap>[] = [
    {
      key: 'subject',
      header: t('absences.gaps.col.subject'),
      render: (g) =>
        g.kind === 'system_role' ? (
          <AnchorLink to="/governance-objects/$objectId" params={{ objectId: g.subject.id }} fz="sm" fw={500}>
            {g.subject.name}
          </AnchorLink>
        ) : (
          <AnchorLink to="/units/$unitId" params={{ unitId: g.subject.id }} fz="sm" fw={500}>
            {g.subject.name}
          </AnchorLink>
        ),
    },
    {
      key: 'need',
      header: t('absences.gaps.col.need'),
      render: (g) => (g.role ? t(`governance.role.${g.role}`) : t('absences.gaps.ordering')),
    },
    {
      key: 'period',
      header: t('absences.gaps.col.period'),
      nowrap: true,
      render: (g) => period(g.from, g.to),
    },
    {
      key: 'absent',
      header: t('absences.gaps.col.absent'),
      render: (g) => g.absent.map((a) => a.displayName).join(', '),
    },
  ];
  const error = report.error;
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('absences.gaps.intro')}
        </Text>
        <PeriodFields
          label={t('absences.gaps.period')}
          from={p.from}
          to={p.to}
          onChange={setPeriod}
          error={error}
        />
        {!hasOnlyFieldErrors(error, ['from', 'to']) && <ErrorAlert error={error} />}
        <Text size="sm" c="dimmed" aria-live="polite">
          {report.data &&
            t('absences.gaps.count', {
              count: report.data.items.length,
              from: formatDate(report.data.from),
              to: formatDate(report.data.to),
            })}
        </Text>
        <DataTable
          caption={t('absences.tab.gaps')}
          columns={columns}
          rows={report.data?.items}
          rowKey={(g) => `${g.kind}-${g.subject.id}-${g.role}-${g.from}`}
          loading={report.isFetching}
          empty={
            <EmptyState
              icon={<IconUserCheck size={28} aria-hidden="true" />}
              title={t('absences.gaps.empty')}
              description={t('absences.gaps.emptyText')}
            />
          }
        />
      </Stack>
    </Paper>
  );
}

const ABSENCE_FIELDS = ['personId', 'startsOn', 'endsOn', 'note'];

/** V1: register an absence and, for each main role the person holds then, who covers it. */
function RegisterAbsence(props: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const who = usePersonSearch();
  // Administrators register anyone's absence, heads of units their people's (the server checks whose).
  const access = useQuery({ ...myAccessQuery, enabled: props.opened });
  const mayChoose = Boolean(me.abilities['absence.write']) || (access.data?.headOfUnits.length ?? 0) > 0;
  const empty = { personId: me.personId, startsOn: '', endsOn: '', note: '' };
  const [form, setForm] = useState(empty);
  const [covers, setCovers] = useState<Record<string, string | null>>({});
  const periodReady = isIsoDate(form.startsOn) && isIsoDate(form.endsOn) && form.endsOn >= form.startsOn;
  const roles = useQuery({
    queryKey: ['absences', 'handover', form.personId, form.startsOn, form.endsOn],
    queryFn: ({ signal }) =>
      api.get<{ items: HandoverRole[]; units: Ref[] }>(
        '/absences/handover-roles',
        { personId: form.personId, from: form.startsOn, to: form.endsOn },
        signal,
      ),
    enabled: props.opened && periodReady,
  });
  const roleKey = (r: HandoverRole) => `${r.object.id}|${r.role}`;
  const register = useMutation({
    mutationFn: () =>
      api.post<Absence>('/absences', {
        ...form,
        covers: (roles.data?.items ?? [])
          .filter((r) => covers[roleKey(r)])
          .map((r) => ({ objectId: r.object.id, role: r.role, personId: covers[roleKey(r)] })),
        actingHeads: (roles.data?.units ?? [])
          .filter((u) => covers[`unit|${u.id}`])
          .map((u) => ({ unitId: u.id, personId: covers[`unit|${u.id}`] })),
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['absences'] });
      await queryClient.invalidateQueries({ queryKey: ['coverage'] });
      close();
    },
  });
  const close = () => {
    register.reset();
    setForm(empty);
    setCovers({});
    props.onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    register.mutate();
  };
  const error = register.error;
  const coverError = (i: number) =>
    fieldError(error, `covers.${i}.personId`) ?? fieldError(error, `covers.${i}.role`);
  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened={props.opened}
      onClose={close}
      title={t('absences.register.title')}
      size="lg"
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          {!hasOnlyFieldErrors(error, ABSENCE_FIELDS) && <ErrorAlert error={error} />}
          {mayChoose ? (
            <Select
              label={t('absences.register.person')}
              data={[
                { value: me.personId, label: me.displayName },
                ...who.options.filter((o) => o.value !== me.personId),
              ]}
              value={form.personId}
              onChange={(v) => {
                setForm({ ...form, personId: v ?? me.personId });
                setCovers({});
              }}
              searchable
              searchValue={who.text}
              onSearchChange={who.setText}
              filter={({ options }) => options}
              error={fieldError(error, 'personId')}
              comboboxProps={{ withinPortal: true }}
            />
          ) : (
            <Text size="sm">{t('absences.register.you', { name: me.displayName })}</Text>
          )}
          <Group grow align="flex-start">
            <TextInput
              type="date"
              label={t('absences.register.startsOn')}
              required
              value={form.startsOn}
              onChange={(e) => setForm({ ...form, startsOn: e.currentTarget.value })}
              error={fieldError(error, 'startsOn')}
              data-autofocus
            />
            <TextInput
              type="date"
              label={t('absences.register.endsOn')}
              required
              value={form.endsOn}
              onChange={(e) => setForm({ ...form, endsOn: e.currentTarget.value })}
              error={fieldError(error, 'endsOn')}
            />
          </Group>
          <Textarea
            label={t('absences.register.note')}
            description={t('absences.register.noteHelp')}
            value={form.note}
            onChange={(e) => setForm({ ...form, note: e.currentTarget.value })}
            error={fieldError(error, 'note')}
            autosize
            minRows={2}
            maxLength={500}
          />
          <Stack gap="xs">
            <Text fw={600} size="sm">
              {t('absences.register.covers')}
            </Text>
            {!periodReady ? (
              <Text size="sm" c="dimmed">
                {t('absences.register.periodFirst')}
              </Text>
            ) : roles.data?.items.length === 0 && roles.data?.units.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('absences.register.noRoles')}
              </Text>
            ) : (
              <>
                {(roles.data?.units ?? []).map((u, i) => (
                  <CoverPicker
                    key={`unit|${u.id}`}
                    label={t('absences.actingHeadFor', { unit: u.name })}
                    value={covers[`unit|${u.id}`] ?? null}
                    onChange={(v) => setCovers({ ...covers, [`unit|${u.id}`]: v })}
                    error={
                      fieldError(error, `actingHeads.${i}.personId`) ??
                      fieldError(error, `actingHeads.${i}.unitId`)
                    }
                  />
                ))}
                {(roles.data?.items ?? []).map((r, i) => (
                  <CoverPicker
                    key={roleKey(r)}
                    label={t('absences.coverFor', {
                      role: t(`governance.role.${r.role}`),
                      object: r.object.name,
                    })}
                    value={covers[roleKey(r)] ?? null}
                    onChange={(v) => setCovers({ ...covers, [roleKey(r)]: v })}
                    error={coverError(i)}
                  />
                ))}
              </>
            )}
            <ErrorAlert error={roles.error} />
          </Stack>
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={register.isPending}>
              {t('absences.register.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function CoverPicker(props: {
  label: string;
  value: string | null;
  onChange: (v: string | null) => void;
  error?: string | null;
}) {
  const { t } = useTranslation();
  const search = usePersonSearch();
  return (
    <Group gap="xs" align="flex-end" wrap="nowrap">
      <Select
        flex={1}
        label={props.label}
        placeholder={t('absences.register.coverPlaceholder')}
        data={search.options}
        value={props.value}
        onChange={props.onChange}
        searchable
        clearable
        searchValue={search.text}
        onSearchChange={search.setText}
        filter={({ options }) => options}
        nothingFoundMessage={search.typedEnough ? t('access.order.noPerson') : t('access.order.typeTwo')}
        error={props.error}
        comboboxProps={{ withinPortal: true }}
      />
      {props.value && (
        <Badge variant="light" color="teal" mb={6}>
          {t('absences.register.covered')}
        </Badge>
      )}
    </Group>
  );
}

/** A person's absences ahead (person page): when they are away, and who covers which role. */
export function PersonAbsences(props: { personId: string }) {
  const { t } = useTranslation();
  const list = useQuery({
    queryKey: ['absences', 'person', props.personId],
    queryFn: ({ signal }) =>
      api.get<Page<Absence>>('/absences', { personId: props.personId, limit: 5 }, signal),
  });
  if (list.error) return <ErrorAlert error={list.error} />;
  if (!list.data) return null;
  if (list.data.items.length === 0)
    return (
      <Text span c="dimmed" fz="sm">
        {t('absences.noneAhead')}
      </Text>
    );
  return (
    <Stack gap={4}>
      {list.data.items.map((a) => (
        <Text fz="sm" key={a.id}>
          {period(a.startsOn, a.endsOn)}
          {a.delegations.length > 0 && ` · ${a.delegations.map((d) => coverLine(t, d)).join('; ')}`}
        </Text>
      ))}
    </Stack>
  );
}
