import {
  Button,
  Group,
  NativeSelect,
  NumberInput,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, etagOfVersion } from '../../api/client.ts';
import { type Column, DataTable } from '../../components/DataTable.tsx';
import { ErrorAlert, fieldError } from '../../components/ErrorAlert.tsx';
import { type Activity, formatMoney, type PlanVersion } from './planQueries.ts';

const STATUSES = ['planned', 'ongoing', 'done', 'postponed', 'cancelled'] as const;

/** The activity list (G7): inline edit of status, follow-up, hours and cost while the version is a draft. */
export function ActivitiesTable({ version }: { version: PlanVersion }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const editable = version.abilities.edit;
  const [error, setError] = useState<unknown>(null);
  const save = useMutation({
    mutationFn: ({ a, patch }: { a: Activity; patch: Record<string, unknown> }) =>
      api.patch<PlanVersion>(`/plan-activities/${a.id}`, patch, etagOfVersion(a.version)),
    onSuccess: (r) => {
      qc.setQueryData(['plans', 'version', version.id], r.data);
      setError(null);
    },
    onError: setError,
  });
  const remove = useMutation({
    mutationFn: (a: Activity) => api.delete(`/plan-activities/${a.id}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['plans', 'version', version.id] }),
    onError: setError,
  });
  const columns: Column<Activity>[] = [
    {
      key: 'title',
      header: t('plans.activity.title'),
      render: (a) => (
        <>
          <Text fz="sm" fw={500}>
            {a.title}
          </Text>
          {a.origin !== 'manual' && (
            <Text fz="xs" c="dimmed">
              {t(`plans.origin.${a.origin}`)}
            </Text>
          )}
        </>
      ),
    },
    {
      key: 'sideKind',
      header: t('plans.activity.sideKind'),
      render: (a) => (
        <>
          {t(`plans.side.${a.side}`)}
          <br />
          {t(`plans.kind.${a.kind}`)}
        </>
      ),
    },
    {
      key: 'timing',
      header: t('plans.activity.timing'),
      nowrap: true,
      render: (a) =>
        a.startOn ? (
          <>
            {a.startOn}
            {a.endOn && (
              <>
                {' –'}
                <br />
                {a.endOn}
              </>
            )}
          </>
        ) : (
          t('plans.quarterN', { n: a.effectiveQuarter })
        ),
    },
    {
      key: 'responsible',
      header: t('plans.activity.responsible'),
      render: (a) => a.responsible?.displayName ?? '–',
    },
    {
      key: 'hours',
      header: t('plans.activity.hours'),
      render: (a) =>
        editable ? (
          <InlineNumber
            label={t('plans.activity.hoursOf', { title: a.title })}
            w={60}
            value={a.estimatedHours}
            onSave={(v) => save.mutate({ a, patch: { estimatedHours: v } })}
          />
        ) : (
          a.estimatedHours
        ),
    },
    {
      key: 'cost',
      header: t('plans.activity.cost'),
      nowrap: true,
      render: (a) =>
        editable ? (
          <InlineNumber
            label={t('plans.activity.costOf', { title: a.title })}
            w={96}
            thousandSeparator=" "
            value={a.estimatedCost}
            onSave={(v) => save.mutate({ a, patch: { estimatedCost: v } })}
          />
        ) : (
          formatMoney(a.estimatedCost, i18n.language)
        ),
    },
    {
      key: 'status',
      header: t('plans.activity.status'),
      render: (a) =>
        editable ? (
          <NativeSelect
            aria-label={t('plans.activity.statusOf', { title: a.title })}
            size="xs"
            w={116}
            value={a.status}
            onChange={(e) => save.mutate({ a, patch: { status: e.currentTarget.value } })}
            data={STATUSES.map((s) => ({ value: s, label: t(`plans.status.${s}`) }))}
          />
        ) : (
          t(`plans.status.${a.status}`)
        ),
    },
    {
      key: 'followUp',
      header: t('plans.activity.followUp'),
      render: (a) =>
        editable ? (
          <TextInput
            aria-label={t('plans.activity.followUpOf', { title: a.title })}
            size="xs"
            miw={120}
            defaultValue={a.followUp}
            onBlur={(e) => {
              if (e.currentTarget.value !== a.followUp)
                save.mutate({ a, patch: { followUp: e.currentTarget.value } });
            }}
          />
        ) : (
          a.followUp || '–'
        ),
    },
  ];
  if (editable)
    columns.push({
      key: 'actions',
      header: <VisuallyHidden>{t('common.actions')}</VisuallyHidden>,
      render: (a) => (
        <Button
          size="compact-xs"
          variant="subtle"
          color="red"
          onClick={() => remove.mutate(a)}
          aria-label={t('plans.activity.removeOf', { title: a.title })}
        >
          {t('plans.activity.remove')}
        </Button>
      ),
    });

  return (
    <Stack gap="sm">
      <ErrorAlert error={error} />
      <DataTable
        caption={t('plans.tabs.activities')}
        columns={columns}
        rows={version.activities}
        rowKey={(a) => a.id}
        empty={
          <Text fz="sm" c="dimmed">
            {t('plans.activity.empty')}
          </Text>
        }
      />
      {editable && <NewActivityForm version={version} />}
    </Stack>
  );
}

function NewActivityForm({ version }: { version: PlanVersion }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const empty = {
    title: '',
    description: '',
    side: 'it',
    kind: 'maintenance',
    quarter: '1',
    startOn: '',
    endOn: '',
    responsiblePersonId: '',
    estimatedHours: '0',
    estimatedCost: '0',
  };
  const [f, setF] = useState(empty);
  const add = useMutation({
    mutationFn: () =>
      api.post<PlanVersion>(`/plan-versions/${version.id}/activities`, {
        title: f.title,
        description: f.description,
        side: f.side,
        kind: f.kind,
        quarter: f.startOn ? null : Number(f.quarter),
        startOn: f.startOn || null,
        endOn: f.endOn || null,
        responsiblePersonId: f.responsiblePersonId || null,
        estimatedHours: Number(f.estimatedHours || 0),
        estimatedCost: Number(f.estimatedCost || 0),
      }),
    onSuccess: (v) => {
      qc.setQueryData(['plans', 'version', version.id], v);
      setF(empty);
    },
  });
  const people = [...new Map(version.organisation.map((o) => [o.personId, o.displayName])).entries()];
  const on = (k: keyof typeof empty) => (e: { currentTarget: { value: string } }) =>
    setF({ ...f, [k]: e.currentTarget.value });
  return (
    <Paper withBorder p="md">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate();
        }}
      >
        <Stack gap="xs">
          <Text fw={600} fz="sm" component="h3" m={0}>
            {t('plans.activity.add')}
          </Text>
          <ErrorAlert error={add.error && !fieldError(add.error, 'title') ? add.error : null} />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
            <TextInput
              label={t('plans.activity.title')}
              required
              value={f.title}
              onChange={on('title')}
              error={fieldError(add.error, 'title')}
            />
            <NativeSelect
              label={t('plans.activity.responsible')}
              value={f.responsiblePersonId}
              onChange={on('responsiblePersonId')}
              data={[{ value: '', label: '–' }, ...people.map(([id, name]) => ({ value: id, label: name }))]}
            />
          </SimpleGrid>
          <Textarea
            label={t('plans.activity.description')}
            value={f.description}
            onChange={on('description')}
            autosize
            minRows={1}
          />
          <SimpleGrid cols={{ base: 2, sm: 4, lg: 7 }} spacing="xs">
            <NativeSelect
              label={t('plans.activity.side')}
              value={f.side}
              onChange={on('side')}
              data={['business', 'it'].map((s) => ({ value: s, label: t(`plans.side.${s}`) }))}
            />
            <NativeSelect
              label={t('plans.activity.kind')}
              value={f.kind}
              onChange={on('kind')}
              data={['maintenance', 'development'].map((s) => ({ value: s, label: t(`plans.kind.${s}`) }))}
            />
            <NativeSelect
              label={t('plans.activity.quarter')}
              value={f.quarter}
              onChange={on('quarter')}
              data={['1', '2', '3', '4'].map((q) => ({ value: q, label: t('plans.quarterN', { n: q }) }))}
              error={fieldError(add.error, 'quarter')}
            />
            <TextInput
              type="date"
              label={t('plans.activity.startOn')}
              value={f.startOn}
              onChange={on('startOn')}
            />
            <TextInput
              type="date"
              label={t('plans.activity.endOn')}
              value={f.endOn}
              onChange={on('endOn')}
              error={fieldError(add.error, 'endOn')}
            />
            <TextInput
              label={t('plans.activity.hours')}
              inputMode="decimal"
              value={f.estimatedHours}
              onChange={on('estimatedHours')}
              error={fieldError(add.error, 'estimatedHours')}
            />
            <TextInput
              label={t('plans.activity.cost')}
              inputMode="decimal"
              value={f.estimatedCost}
              onChange={on('estimatedCost')}
              error={fieldError(add.error, 'estimatedCost')}
            />
          </SimpleGrid>
          <Group justify="flex-end">
            <Button type="submit" loading={add.isPending}>
              {t('plans.activity.addButton')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

/** A number edited in place: saved when the field is left with a new value (spaces and a decimal comma allowed). */
function InlineNumber(props: {
  label: string;
  w: number;
  value: number;
  thousandSeparator?: string;
  onSave: (v: number) => void;
}) {
  return (
    <NumberInput
      aria-label={props.label}
      size="xs"
      w={props.w}
      min={0}
      hideControls
      thousandSeparator={props.thousandSeparator}
      defaultValue={props.value}
      onBlur={(e) => {
        const v = Number(e.currentTarget.value.replace(/\s/g, '').replace(',', '.'));
        if (Number.isFinite(v) && v !== props.value) props.onSave(v);
      }}
    />
  );
}
