// G13: a system's upgrades, maintenance and acute incidents: planned in a service window and a week
// ahead when users notice them, approved by the CAB, rehearsed in the test environment, and
// communicated by the checklist of their kind (what, when, how, by whom).
import {
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  Paper,
  Select,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { IconCalendarEvent, IconTool } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client.ts';
import { useCan } from '../../../api/session.ts';
import type { Maintenance } from '../../../api/types.ts';
import { ConfirmButton } from '../../../components/ConfirmButton.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { ErrorAlert, fieldError, hasOnlyFieldErrors } from '../../../components/ErrorAlert.tsx';
import { formatDate, formatDateTime, localInstant } from '../../../lib/format.ts';
import { SystemMessagesSection } from '../SystemMessages.tsx';

const key = (systemId: string) => ['systems', systemId, 'maintenance'];
const STATE_COLOURS = { planned: 'yellow', cab_approved: 'blue', done: 'teal', cancelled: 'gray' } as const;

export function MaintenanceTab(props: { systemId: string; mayWrite: boolean }) {
  const { t } = useTranslation();
  const [planning, setPlanning] = useState(false);
  const list = useQuery({
    queryKey: key(props.systemId),
    queryFn: ({ signal }) =>
      api.get<{ items: Maintenance[] }>(
        `/systems/${encodeURIComponent(props.systemId)}/maintenance`,
        undefined,
        signal,
      ),
  });
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start">
        <Text size="sm" c="dimmed" maw={760}>
          {t('maintenance.intro')}
        </Text>
        {props.mayWrite && (
          <Button
            leftSection={<IconCalendarEvent size={16} aria-hidden="true" />}
            onClick={() => setPlanning(true)}
          >
            {t('maintenance.plan.button')}
          </Button>
        )}
      </Group>
      <SystemMessagesSection
        systemId={props.systemId}
        mayWrite={props.mayWrite}
        work={list.data?.items ?? []}
      />
      <ErrorAlert error={list.error} />
      {list.data?.items.length === 0 && (
        <EmptyState
          icon={<IconTool size={28} aria-hidden="true" />}
          title={t('maintenance.empty')}
          description={t('maintenance.emptyText')}
        />
      )}
      {list.data?.items.map((m) => (
        <MaintenanceCard key={m.id} m={m} systemId={props.systemId} mayWrite={props.mayWrite} />
      ))}
      {props.mayWrite && (
        <PlanMaintenance systemId={props.systemId} opened={planning} onClose={() => setPlanning(false)} />
      )}
    </Stack>
  );
}

function MaintenanceCard(props: { m: Maintenance; systemId: string; mayWrite: boolean }) {
  const { t } = useTranslation();
  const can = useCan();
  const queryClient = useQueryClient();
  const { m } = props;
  const [rehearsedOn, setRehearsedOn] = useState('');
  const [reference, setReference] = useState('');
  const refresh = () => queryClient.invalidateQueries({ queryKey: key(props.systemId) });
  const act = useMutation({
    mutationFn: (a: { path: string; body?: unknown }) =>
      api.post<Maintenance>(`/maintenance/${m.id}/${a.path}`, a.body),
    onSuccess: refresh,
  });
  const tick = useMutation({
    mutationFn: (a: { id: string; done: boolean }) =>
      api.put<Maintenance>(`/maintenance-items/${a.id}`, { done: a.done }),
    onSuccess: refresh,
  });
  const open = m.state === 'planned' || m.state === 'cab_approved';
  const needsCab = m.kind !== 'incident' && m.state === 'planned';
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={`m-${m.id}`}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="wrap">
          <Stack gap={2}>
            <Title order={3} size="h4" id={`m-${m.id}`}>
              {m.title}
            </Title>
            <Text size="sm">
              {formatDateTime(m.startsAt)} – {formatDateTime(m.endsAt)}
            </Text>
          </Stack>
          <Group gap="xs">
            <Badge variant="light" color={m.kind === 'incident' ? 'red' : 'indigo'}>
              {t(`maintenance.kind.${m.kind}`)}
            </Badge>
            <Badge variant="filled" color={STATE_COLOURS[m.state]}>
              {t(`maintenance.state.${m.state}`)}
            </Badge>
          </Group>
        </Group>
        {m.description && <Text size="sm">{m.description}</Text>}
        <Text size="sm" c="dimmed">
          {[
            m.disturbsUsers ? t('maintenance.disturbs') : null,
            m.cab
              ? t('maintenance.cabApproved', { reference: m.cab.reference, by: m.cab.approvedBy })
              : m.kind === 'incident'
                ? t('maintenance.noCabNeeded')
                : t('maintenance.cabWaiting'),
            m.needsRehearsal
              ? m.rehearsedOn
                ? t('maintenance.rehearsed', { date: formatDate(m.rehearsedOn) })
                : t('maintenance.notRehearsed')
              : null,
          ]
            .filter(Boolean)
            .join(' · ')}
        </Text>
        <Stack gap={6} role="group" aria-label={t('maintenance.checklist', { title: m.title })}>
          <Text fw={600} size="sm">
            {t('maintenance.checklistTitle')}
          </Text>
          {m.items.map((i) => (
            <Checkbox
              key={i.id}
              checked={i.done}
              disabled={!props.mayWrite || m.state === 'cancelled' || tick.isPending}
              onChange={(e) => tick.mutate({ id: i.id, done: e.currentTarget.checked })}
              label={t(`maintenance.item.${i.key}`)}
              description={t('maintenance.itemMeta', {
                due: formatDateTime(i.dueAt),
                who: t(`governance.role.${i.responsible}`, { defaultValue: i.responsible }),
                how: t(`maintenance.channel.${i.channel}`, { defaultValue: i.channel }),
                done: i.done ? t('maintenance.doneBy', { by: i.doneBy, at: formatDateTime(i.doneAt) }) : '',
              })}
            />
          ))}
        </Stack>
        <ErrorAlert error={act.error ?? tick.error} />
        {open && (
          <Group gap="sm" align="flex-end" wrap="wrap">
            {needsCab && can('maintenance.cab') && (
              <>
                <TextInput
                  label={t('maintenance.cab.reference')}
                  value={reference}
                  onChange={(e) => setReference(e.currentTarget.value)}
                  w={220}
                />
                <Button
                  variant="default"
                  disabled={!reference.trim()}
                  onClick={() => act.mutate({ path: 'cab-approval', body: { reference } })}
                >
                  {t('maintenance.cab.approve')}
                </Button>
              </>
            )}
            {props.mayWrite && m.needsRehearsal && !m.rehearsedOn && (
              <>
                <TextInput
                  type="date"
                  label={t('maintenance.rehearsal.date')}
                  value={rehearsedOn}
                  onChange={(e) => setRehearsedOn(e.currentTarget.value)}
                  w={180}
                />
                <Button
                  variant="default"
                  disabled={!rehearsedOn}
                  onClick={() => act.mutate({ path: 'rehearsal', body: { rehearsedOn } })}
                >
                  {t('maintenance.rehearsal.record')}
                </Button>
              </>
            )}
            {props.mayWrite && (
              <>
                <Button onClick={() => act.mutate({ path: 'complete' })} loading={act.isPending}>
                  {t('maintenance.complete')}
                </Button>
                <ConfirmButton
                  title={t('maintenance.cancel.title', { title: m.title })}
                  message={t('maintenance.cancel.message')}
                  confirmLabel={t('maintenance.cancel.confirm')}
                  onConfirm={async () => {
                    await api.post(`/maintenance/${m.id}/cancel`);
                    await refresh();
                  }}
                >
                  {t('maintenance.cancel.button')}
                </ConfirmButton>
              </>
            )}
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

const FIELDS = ['kind', 'title', 'description', 'startsAt', 'endsAt', 'disturbsUsers'];

function PlanMaintenance(props: { systemId: string; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const empty = {
    kind: 'upgrade',
    title: '',
    description: '',
    startsAt: '',
    endsAt: '',
    disturbsUsers: true,
  };
  const [form, setForm] = useState(empty);
  const plan = useMutation({
    mutationFn: () =>
      api.post<Maintenance>(`/systems/${encodeURIComponent(props.systemId)}/maintenance`, {
        ...form,
        startsAt: localInstant(form.startsAt),
        endsAt: localInstant(form.endsAt),
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: key(props.systemId) });
      close();
    },
  });
  const close = () => {
    plan.reset();
    setForm(empty);
    props.onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    plan.mutate();
  };
  const error = plan.error;
  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened={props.opened}
      onClose={close}
      title={t('maintenance.plan.title')}
      size="lg"
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          {!hasOnlyFieldErrors(error, FIELDS) && <ErrorAlert error={error} />}
          <Select
            label={t('maintenance.plan.kind')}
            data={(['upgrade', 'maintenance', 'incident'] as const).map((k) => ({
              value: k,
              label: t(`maintenance.kind.${k}`),
            }))}
            value={form.kind}
            onChange={(v) => setForm({ ...form, kind: v ?? 'upgrade' })}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
          />
          <TextInput
            label={t('maintenance.plan.titleField')}
            required
            value={form.title}
            onChange={(e) => setForm({ ...form, title: e.currentTarget.value })}
            error={fieldError(error, 'title')}
            data-autofocus
          />
          <Textarea
            label={t('maintenance.plan.description')}
            value={form.description}
            onChange={(e) => setForm({ ...form, description: e.currentTarget.value })}
            autosize
            minRows={2}
          />
          <Group grow align="flex-start">
            <TextInput
              type="datetime-local"
              label={t('maintenance.plan.startsAt')}
              required
              value={form.startsAt}
              onChange={(e) => setForm({ ...form, startsAt: e.currentTarget.value })}
              error={fieldError(error, 'startsAt')}
            />
            <TextInput
              type="datetime-local"
              label={t('maintenance.plan.endsAt')}
              required
              value={form.endsAt}
              onChange={(e) => setForm({ ...form, endsAt: e.currentTarget.value })}
              error={fieldError(error, 'endsAt')}
            />
          </Group>
          <Switch
            label={t('maintenance.plan.disturbs')}
            description={t('maintenance.plan.disturbsHelp')}
            checked={form.disturbsUsers}
            onChange={(e) => setForm({ ...form, disturbsUsers: e.currentTarget.checked })}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={plan.isPending}>
              {t('maintenance.plan.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
