import {
  Button,
  Group,
  NativeSelect,
  NumberInput,
  Paper,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, etagOfVersion } from '../../api/client.ts';
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
  const timing = (a: Activity) =>
    a.startOn
      ? `${a.startOn}${a.endOn ? ` – ${a.endOn}` : ''}`
      : t('plans.quarterN', { n: a.effectiveQuarter });

  return (
    <Stack gap="sm">
      <ErrorAlert error={error} />
      <Table.ScrollContainer minWidth={1100}>
        <Table striped withTableBorder verticalSpacing={6} fz="sm">
          <caption style={{ position: 'absolute', left: -9999 }}>{t('plans.tabs.activities')}</caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('plans.activity.title')}</Table.Th>
              <Table.Th>{t('plans.activity.side')}</Table.Th>
              <Table.Th>{t('plans.activity.kind')}</Table.Th>
              <Table.Th>{t('plans.activity.timing')}</Table.Th>
              <Table.Th>{t('plans.activity.responsible')}</Table.Th>
              <Table.Th style={{ textAlign: 'right' }}>{t('plans.activity.hours')}</Table.Th>
              <Table.Th style={{ textAlign: 'right' }}>{t('plans.activity.cost')}</Table.Th>
              <Table.Th>{t('plans.activity.status')}</Table.Th>
              <Table.Th>{t('plans.activity.followUp')}</Table.Th>
              {editable && <Table.Th>{t('common.actions')}</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {version.activities.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={editable ? 10 : 9}>
                  <Text fz="sm" c="dimmed">
                    {t('plans.activity.empty')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {version.activities.map((a) => (
              <Table.Tr key={a.id}>
                <Table.Td>
                  <Text fz="sm" fw={500}>
                    {a.title}
                  </Text>
                  {a.origin !== 'manual' && (
                    <Text fz="xs" c="dimmed">
                      {t(`plans.origin.${a.origin}`)}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{t(`plans.side.${a.side}`)}</Table.Td>
                <Table.Td>{t(`plans.kind.${a.kind}`)}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{timing(a)}</Table.Td>
                <Table.Td>{a.responsible?.displayName ?? '–'}</Table.Td>
                <Table.Td style={{ textAlign: 'right' }}>
                  {editable ? (
                    <NumberInput
                      aria-label={t('plans.activity.hoursOf', { title: a.title })}
                      size="xs"
                      w={80}
                      min={0}
                      defaultValue={a.estimatedHours}
                      onBlur={(e) => {
                        const v = Number(e.currentTarget.value.replace(/\s/g, '').replace(',', '.'));
                        if (Number.isFinite(v) && v !== a.estimatedHours)
                          save.mutate({ a, patch: { estimatedHours: v } });
                      }}
                    />
                  ) : (
                    a.estimatedHours
                  )}
                </Table.Td>
                <Table.Td style={{ textAlign: 'right' }}>
                  {editable ? (
                    <NumberInput
                      aria-label={t('plans.activity.costOf', { title: a.title })}
                      size="xs"
                      w={110}
                      min={0}
                      thousandSeparator=" "
                      defaultValue={a.estimatedCost}
                      onBlur={(e) => {
                        const v = Number(e.currentTarget.value.replace(/\s/g, '').replace(',', '.'));
                        if (Number.isFinite(v) && v !== a.estimatedCost)
                          save.mutate({ a, patch: { estimatedCost: v } });
                      }}
                    />
                  ) : (
                    formatMoney(a.estimatedCost, i18n.language)
                  )}
                </Table.Td>
                <Table.Td>
                  {editable ? (
                    <NativeSelect
                      aria-label={t('plans.activity.statusOf', { title: a.title })}
                      size="xs"
                      w={130}
                      value={a.status}
                      onChange={(e) => save.mutate({ a, patch: { status: e.currentTarget.value } })}
                      data={STATUSES.map((s) => ({ value: s, label: t(`plans.status.${s}`) }))}
                    />
                  ) : (
                    t(`plans.status.${a.status}`)
                  )}
                </Table.Td>
                <Table.Td>
                  {editable ? (
                    <TextInput
                      aria-label={t('plans.activity.followUpOf', { title: a.title })}
                      size="xs"
                      miw={180}
                      defaultValue={a.followUp}
                      onBlur={(e) => {
                        if (e.currentTarget.value !== a.followUp)
                          save.mutate({ a, patch: { followUp: e.currentTarget.value } });
                      }}
                    />
                  ) : (
                    a.followUp
                  )}
                </Table.Td>
                {editable && (
                  <Table.Td>
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      color="red"
                      onClick={() => remove.mutate(a)}
                      aria-label={t('plans.activity.removeOf', { title: a.title })}
                    >
                      {t('plans.activity.remove')}
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
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
          <Group grow align="flex-start">
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
          </Group>
          <Textarea
            label={t('plans.activity.description')}
            value={f.description}
            onChange={on('description')}
            autosize
            minRows={1}
          />
          <Group grow align="flex-start">
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
          </Group>
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
