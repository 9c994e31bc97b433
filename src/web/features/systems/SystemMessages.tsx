// G13: system messages. What users are told about a system (planned work a week ahead, an incident at
// once), shown from one moment to another in English and Swedish: as banners on My work and on the
// system's page, and kept by the system's main roles in its Maintenance tab.
import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { IconAlertTriangle, IconInfoCircle, IconMessage, IconPlugConnectedX } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { Maintenance, SystemMessage } from '../../api/types.ts';
import { AnchorLink } from '../../components/AnchorLink.tsx';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import { ErrorAlert, fieldError, hasOnlyFieldErrors } from '../../components/ErrorAlert.tsx';
import { formatDateTime, localInput, localInstant } from '../../lib/format.ts';
import { darkLabel, darkText } from './SystemBadges.tsx';

const LOOK = {
  disruption: { color: 'red', icon: IconPlugConnectedX },
  warning: { color: 'yellow', icon: IconAlertTriangle },
  info: { color: 'blue', icon: IconInfoCircle },
} as const;
const STATE_COLOURS = { scheduled: 'blue', shown: 'teal', ended: 'gray', withdrawn: 'gray' } as const;

/** The message in the reader's language, or in the other one when it was written in one only. */
function useMessageText() {
  const { i18n } = useTranslation();
  const sv = i18n.resolvedLanguage?.startsWith('sv');
  return (m: SystemMessage) => (sv ? m.textSv || m.textEn : m.textEn || m.textSv);
}

/** The messages shown now: every system's, or (`mine`) the caller's systems' and every disruption. */
const currentMessagesQuery = (mine: boolean) => ({
  queryKey: ['system-messages', 'current', mine],
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    api.get<{ items: SystemMessage[] }>('/system-messages', mine ? { mine: 'true' } : undefined, signal),
});
const systemKey = (systemId: string) => ['system-messages', 'system', systemId];

/**
 * The messages shown now, as banners: one system's, the caller's systems' and every disruption
 * (`mine`, for My work), or every system's; nothing when there are none.
 */
export function CurrentMessages(props: { systemId?: string; mine?: boolean }) {
  const { t } = useTranslation();
  const text = useMessageText();
  const current = useQuery(currentMessagesQuery(Boolean(props.mine)));
  const shown = (current.data?.items ?? []).filter((m) => !props.systemId || m.system.id === props.systemId);
  if (shown.length === 0) return null;
  return (
    <Stack gap="xs" mb="md" role="region" aria-label={t('systemMessages.current')}>
      {shown.map((m) => {
        const look = LOOK[m.severity];
        const Icon = look.icon;
        return (
          <Alert
            key={m.id}
            color={look.color}
            variant="light"
            icon={<Icon size={18} aria-hidden="true" />}
            styles={{ title: { color: darkText(look.color) } }}
            title={
              props.systemId ? (
                t(`systemMessages.severity.${m.severity}`)
              ) : (
                <AnchorLink
                  to="/systems/$systemId"
                  params={{ systemId: m.system.id }}
                  search={{ tab: 'maintenance' }}
                  fz="sm"
                  fw={600}
                >
                  {m.system.name}: {t(`systemMessages.severity.${m.severity}`)}
                </AnchorLink>
              )
            }
          >
            <Text size="sm">{text(m)}</Text>
            <Text size="xs" c="dimmed">
              {t('systemMessages.until', { until: formatDateTime(m.shownUntil) })}
            </Text>
          </Alert>
        );
      })}
    </Stack>
  );
}

/** A system's messages in its Maintenance tab: scheduled and shown first; post and take down. */
export function SystemMessagesSection(props: { systemId: string; mayWrite: boolean; work: Maintenance[] }) {
  const { t } = useTranslation();
  const text = useMessageText();
  const queryClient = useQueryClient();
  const [posting, setPosting] = useState(false);
  const list = useQuery({
    queryKey: systemKey(props.systemId),
    queryFn: ({ signal }) =>
      api.get<{ items: SystemMessage[] }>(
        `/systems/${encodeURIComponent(props.systemId)}/system-messages`,
        undefined,
        signal,
      ),
  });
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: ['system-messages'] });
    await queryClient.invalidateQueries({ queryKey: ['systems', props.systemId, 'maintenance'] });
  };
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="system-messages-title">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start">
          <Stack gap={2}>
            <Title order={3} size="h4" id="system-messages-title">
              {t('systemMessages.title')}
            </Title>
            <Text size="sm" c="dimmed" maw={720}>
              {t('systemMessages.intro')}
            </Text>
          </Stack>
          {props.mayWrite && (
            <Button
              variant="light"
              leftSection={<IconMessage size={16} aria-hidden="true" />}
              onClick={() => setPosting(true)}
            >
              {t('systemMessages.post.button')}
            </Button>
          )}
        </Group>
        <ErrorAlert error={list.error} />
        {list.data?.items.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('systemMessages.none')}
          </Text>
        )}
        {list.data?.items.map((m) => (
          <Group
            key={m.id}
            justify="space-between"
            align="flex-start"
            wrap="nowrap"
            gap="sm"
            component="article"
            aria-label={text(m)}
          >
            <Stack gap={2}>
              <Group gap="xs">
                <Badge
                  variant="light"
                  color={LOOK[m.severity].color}
                  radius="sm"
                  styles={darkLabel(LOOK[m.severity].color)}
                >
                  {t(`systemMessages.severity.${m.severity}`)}
                </Badge>
                <Badge
                  variant="outline"
                  color={STATE_COLOURS[m.state]}
                  radius="sm"
                  styles={darkLabel(STATE_COLOURS[m.state])}
                >
                  {t(`systemMessages.state.${m.state}`)}
                </Badge>
              </Group>
              <Text size="sm">{text(m)}</Text>
              <Text size="xs" c="dimmed">
                {[
                  `${formatDateTime(m.shownFrom)} – ${formatDateTime(m.shownUntil)}`,
                  m.maintenance ? t('systemMessages.for', { title: m.maintenance.title }) : null,
                  t('systemMessages.by', { who: m.publishedBy }),
                  m.withdrawnBy ? t('systemMessages.withdrawnBy', { who: m.withdrawnBy }) : null,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </Text>
            </Stack>
            {props.mayWrite && (m.state === 'scheduled' || m.state === 'shown') && (
              <ConfirmButton
                size="xs"
                title={t('systemMessages.withdraw.title')}
                message={t('systemMessages.withdraw.message')}
                confirmLabel={t('systemMessages.withdraw.confirm')}
                onConfirm={async () => {
                  await api.post(`/system-messages/${m.id}/withdraw`);
                  await refresh();
                }}
              >
                {t('systemMessages.withdraw.button')}
              </ConfirmButton>
            )}
          </Group>
        ))}
      </Stack>
      {posting && (
        <PostMessage
          systemId={props.systemId}
          work={props.work.filter(
            (w) => w.state === 'planned' || w.state === 'cab_approved' || w.state === 'done',
          )}
          onClose={() => setPosting(false)}
          onDone={refresh}
        />
      )}
    </Paper>
  );
}

const FIELDS = ['severity', 'textEn', 'textSv', 'shownFrom', 'shownUntil', 'maintenanceId'];

function PostMessage(props: {
  systemId: string;
  work: Maintenance[];
  onClose: () => void;
  onDone: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const [form, setForm] = useState({
    severity: 'warning' as SystemMessage['severity'],
    textEn: '',
    textSv: '',
    shownFrom: localInput(new Date()),
    shownUntil: '',
    maintenanceId: null as string | null,
  });
  // Linked to work: shown from a week before it (or now) until it ends, unless changed.
  const link = (id: string | null) => {
    const w = props.work.find((x) => x.id === id);
    if (!w) return setForm({ ...form, maintenanceId: null });
    const weekBefore = Math.max(Date.now(), Date.parse(w.startsAt) - 7 * 86_400_000);
    setForm({
      ...form,
      maintenanceId: w.id,
      shownFrom: localInput(new Date(weekBefore)),
      shownUntil: localInput(w.endsAt),
    });
  };
  const post = useMutation({
    mutationFn: () =>
      api.post<SystemMessage>(`/systems/${encodeURIComponent(props.systemId)}/system-messages`, {
        severity: form.severity,
        textEn: form.textEn,
        textSv: form.textSv,
        shownFrom: localInstant(form.shownFrom),
        shownUntil: localInstant(form.shownUntil),
        maintenanceId: form.maintenanceId ?? undefined,
      }),
    onSuccess: async () => {
      await props.onDone();
      props.onClose();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    post.mutate();
  };
  const error = post.error;
  return (
    <Modal
      opened
      onClose={props.onClose}
      title={t('systemMessages.post.title')}
      size="lg"
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          {!hasOnlyFieldErrors(error, FIELDS) && <ErrorAlert error={error} />}
          <Group grow align="flex-start">
            <Select
              label={t('systemMessages.post.severity')}
              data={(['info', 'warning', 'disruption'] as const).map((s) => ({
                value: s,
                label: t(`systemMessages.severity.${s}`),
              }))}
              value={form.severity}
              onChange={(v) =>
                setForm({ ...form, severity: (v as SystemMessage['severity'] | null) ?? 'info' })
              }
              allowDeselect={false}
              required
              error={fieldError(error, 'severity')}
              comboboxProps={{ withinPortal: true }}
            />
            <Select
              label={t('systemMessages.post.work')}
              placeholder={t('systemMessages.post.noWork')}
              data={props.work.map((w) => ({ value: w.id, label: w.title }))}
              value={form.maintenanceId}
              onChange={link}
              clearable
              error={fieldError(error, 'maintenanceId')}
              comboboxProps={{ withinPortal: true }}
            />
          </Group>
          <Textarea
            label={t('systemMessages.post.textEn')}
            value={form.textEn}
            onChange={(e) => setForm({ ...form, textEn: e.currentTarget.value })}
            autosize
            minRows={2}
            maxLength={1000}
            error={fieldError(error, 'textEn')}
            lang="en"
            data-autofocus
          />
          <Textarea
            label={t('systemMessages.post.textSv')}
            value={form.textSv}
            onChange={(e) => setForm({ ...form, textSv: e.currentTarget.value })}
            autosize
            minRows={2}
            maxLength={1000}
            error={fieldError(error, 'textSv')}
            lang="sv"
          />
          <Group grow align="flex-start">
            <TextInput
              type="datetime-local"
              label={t('systemMessages.post.shownFrom')}
              value={form.shownFrom}
              onChange={(e) => setForm({ ...form, shownFrom: e.currentTarget.value })}
              error={fieldError(error, 'shownFrom')}
            />
            <TextInput
              type="datetime-local"
              label={t('systemMessages.post.shownUntil')}
              value={form.shownUntil}
              onChange={(e) => setForm({ ...form, shownUntil: e.currentTarget.value })}
              required
              error={fieldError(error, 'shownUntil')}
            />
          </Group>
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={post.isPending}>
              {t('systemMessages.post.confirm')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
