// G11, G7: the change log, the dated record of what was changed in a system (configuration, upgrades,
// integrations, ...). Append-only: a correction is a new entry. Completed maintenance enters itself.
// ChangeLogList also serves the plan (what changed in its systems) and the maintenance calendar.
import { Badge, Button, Group, Modal, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { IconHistory, IconPlus } from '@tabler/icons-react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client.ts';
import { CHANGE_KINDS, type Change, type ChangeKind, type Page } from '../../../api/types.ts';
import { AnchorLink } from '../../../components/AnchorLink.tsx';
import { type Column, DataTable } from '../../../components/DataTable.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { ErrorAlert, fieldError, hasOnlyFieldErrors } from '../../../components/ErrorAlert.tsx';
import { calendarDate, formatDate } from '../../../lib/format.ts';
import { useCursorStack } from '../../../lib/useCursorStack.ts';
import { darkLabel } from '../SystemBadges.tsx';

const KIND_COLOURS: Record<ChangeKind, string> = {
  upgrade: 'indigo',
  maintenance: 'blue',
  incident: 'red',
  configuration: 'grape',
  integration: 'teal',
  access: 'orange',
  other: 'gray',
};

export interface ChangeQuery {
  systemId?: string;
  objectId?: string;
  from?: string;
  to?: string;
  kind?: ChangeKind;
  q?: string;
}

/** A page of the change log, newest first; the system column where the list spans several systems. */
export function ChangeLogList(props: { query: ChangeQuery; showSystem: boolean; emptyText: string }) {
  const { t } = useTranslation();
  const { systemId, ...filters } = props.query;
  const paging = useCursorStack(JSON.stringify(props.query));
  const list = useQuery({
    queryKey: ['change-log', props.query, paging.cursor],
    queryFn: ({ signal }) =>
      api.get<Page<Change>>(
        systemId ? `/systems/${encodeURIComponent(systemId)}/change-log` : '/change-log',
        { ...filters, limit: 50, cursor: paging.cursor },
        signal,
      ),
    placeholderData: keepPreviousData,
  });
  const columns: Column<Change>[] = [
    { key: 'date', header: t('changeLog.col.date'), nowrap: true, render: (c) => formatDate(c.changedOn) },
    ...(props.showSystem
      ? [
          {
            key: 'system',
            header: t('changeLog.col.system'),
            render: (c: Change) => (
              <AnchorLink
                to="/systems/$systemId"
                params={{ systemId: c.system.id }}
                search={{ tab: 'changes' }}
                fz="sm"
              >
                {c.system.name}
              </AnchorLink>
            ),
          },
        ]
      : []),
    {
      key: 'kind',
      header: t('changeLog.col.kind'),
      render: (c) => (
        <Badge
          variant="light"
          color={KIND_COLOURS[c.kind]}
          radius="sm"
          styles={darkLabel(KIND_COLOURS[c.kind])}
        >
          {t(`changeLog.kind.${c.kind}`)}
        </Badge>
      ),
    },
    {
      key: 'change',
      header: t('changeLog.col.change'),
      render: (c) => (
        <Stack gap={2}>
          <Text size="sm" fw={500}>
            {c.summary}
          </Text>
          {c.details && (
            <Text size="xs" c="dimmed" style={{ whiteSpace: 'pre-line' }}>
              {c.details}
            </Text>
          )}
        </Stack>
      ),
    },
    {
      key: 'recorded',
      header: t('changeLog.col.recorded'),
      render: (c) => (
        <Text size="xs" c="dimmed">
          {c.maintenance ? t('changeLog.byMaintenance', { who: c.recordedBy }) : c.recordedBy}
        </Text>
      ),
    },
  ];
  return (
    <Stack gap="sm">
      <ErrorAlert error={list.error} />
      <DataTable
        caption={t('changeLog.title')}
        columns={columns}
        rows={list.data?.items}
        rowKey={(c) => c.id}
        loading={list.isFetching}
        paging={paging.table(list.data?.nextCursor)}
        empty={
          <EmptyState
            icon={<IconHistory size={28} aria-hidden="true" />}
            title={t('changeLog.empty')}
            description={props.emptyText}
          />
        }
      />
    </Stack>
  );
}

/** A system's Change log tab: the list, and "Record a change" for its main roles. */
export function ChangeLogTab(props: { systemId: string; mayWrite: boolean }) {
  const { t } = useTranslation();
  const [recording, setRecording] = useState(false);
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start">
        <Text size="sm" c="dimmed" maw={760}>
          {t('changeLog.intro')}
        </Text>
        {props.mayWrite && (
          <Button leftSection={<IconPlus size={16} aria-hidden="true" />} onClick={() => setRecording(true)}>
            {t('changeLog.record.button')}
          </Button>
        )}
      </Group>
      <ChangeLogList
        query={{ systemId: props.systemId }}
        showSystem={false}
        emptyText={t('changeLog.emptyText')}
      />
      {recording && <RecordChange systemId={props.systemId} onClose={() => setRecording(false)} />}
    </Stack>
  );
}

const FIELDS = ['changedOn', 'kind', 'summary', 'details'];

function RecordChange(props: { systemId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({
    changedOn: calendarDate(),
    kind: 'configuration' as ChangeKind,
    summary: '',
    details: '',
  });
  const record = useMutation({
    mutationFn: () => api.post<Change>(`/systems/${encodeURIComponent(props.systemId)}/change-log`, form),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['change-log'] });
      props.onClose();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    record.mutate();
  };
  const error = record.error;
  return (
    <Modal
      opened
      onClose={props.onClose}
      title={t('changeLog.record.title')}
      size="lg"
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          {!hasOnlyFieldErrors(error, FIELDS) && <ErrorAlert error={error} />}
          <Text size="sm" c="dimmed">
            {t('changeLog.record.hint')}
          </Text>
          <Group grow align="flex-start">
            <TextInput
              type="date"
              label={t('changeLog.record.changedOn')}
              value={form.changedOn}
              max={calendarDate()}
              onChange={(e) => setForm({ ...form, changedOn: e.currentTarget.value })}
              required
              error={fieldError(error, 'changedOn')}
            />
            <Select
              label={t('changeLog.col.kind')}
              data={CHANGE_KINDS.map((k) => ({ value: k, label: t(`changeLog.kind.${k}`) }))}
              value={form.kind}
              onChange={(v) => setForm({ ...form, kind: (v as ChangeKind | null) ?? 'other' })}
              allowDeselect={false}
              required
              error={fieldError(error, 'kind')}
              comboboxProps={{ withinPortal: true }}
            />
          </Group>
          <TextInput
            label={t('changeLog.record.summary')}
            description={t('changeLog.record.summaryHint')}
            value={form.summary}
            onChange={(e) => setForm({ ...form, summary: e.currentTarget.value })}
            required
            maxLength={300}
            error={fieldError(error, 'summary')}
            data-autofocus
          />
          <Textarea
            label={t('changeLog.record.details')}
            value={form.details}
            onChange={(e) => setForm({ ...form, details: e.currentTarget.value })}
            autosize
            minRows={3}
            maxLength={5000}
            error={fieldError(error, 'details')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={props.onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={record.isPending}>
              {t('changeLog.record.confirm')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
