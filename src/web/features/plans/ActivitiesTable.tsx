import {
  Button,
  Group,
  NativeSelect,
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
import { quarterOf } from '../../../shared/quarter.ts';
import { api, etagOfVersion } from '../../api/client.ts';
import type { Locale } from '../../api/types.ts';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import { type Column, DataTable } from '../../components/DataTable.tsx';
import { ErrorAlert, fieldError } from '../../components/ErrorAlert.tsx';
import { currentLocale } from '../../i18n/index.ts';
import { formatNumber, parseNumber } from '../../lib/format.ts';
import { type Activity, formatMoney, type PlanVersion } from './planQueries.ts';

const STATUSES = ['planned', 'ongoing', 'done', 'postponed', 'cancelled'] as const;

/** The activity list (G7): inline edit of status, follow-up, hours and cost while the version is a draft. */
export function ActivitiesTable({ version }: { version: PlanVersion }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const editable = version.abilities.edit;
  const [error, setError] = useState<unknown>(null);
  const locale = currentLocale(i18n.language);
  const save = useMutation({
    mutationFn: ({ a, patch }: { a: Activity; patch: Record<string, unknown> }) =>
      api.patch<PlanVersion>(`/plan-activities/${a.id}`, patch, etagOfVersion(a.version)),
    onSuccess: (r) => {
      qc.setQueryData(['plans', 'version', version.id], r.data);
      setError(null);
    },
    onError: setError,
  });
  const saveNumber = (a: Activity, key: 'estimatedHours' | 'estimatedCost') => (v: number) =>
    save.mutateAsync({ a, patch: { [key]: v } });
  const remove = useMutation({
    mutationFn: (a: Activity) => api.delete(`/plan-activities/${a.id}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['plans', 'version', version.id] }),
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
            w={64}
            locale={locale}
            decimals={1}
            value={a.estimatedHours}
            onSave={saveNumber(a, 'estimatedHours')}
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
            w={104}
            locale={locale}
            decimals={2}
            value={a.estimatedCost}
            onSave={saveNumber(a, 'estimatedCost')}
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
        <ConfirmButton
          size="compact-xs"
          variant="subtle"
          aria-label={t('plans.activity.removeOf', { title: a.title })}
          title={t('plans.activity.removeTitle')}
          message={t('plans.activity.removeText', { title: a.title })}
          confirmLabel={t('plans.activity.remove')}
          onConfirm={() => remove.mutateAsync(a)}
        >
          {t('plans.activity.remove')}
        </ConfirmButton>
      ),
    });

  return (
    <Stack gap="sm">
      {/* A cell has no room for its error: the reasons are listed here. */}
      <ErrorAlert error={error} listFieldErrors />
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
  const { t, i18n } = useTranslation();
  const locale = currentLocale(i18n.language);
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
  // Hours and cost as the user writes them (12,5 / 15 000 in Swedish); said at the field when not a
  // number of 0 or more, before anything is sent.
  const amount = (text: string, decimals: number) =>
    text.trim() === '' ? 0 : parseNumber(text, locale, decimals);
  const hours = amount(f.estimatedHours, 1);
  const cost = amount(f.estimatedCost, 2);
  const [checked, setChecked] = useState(false);
  const notANumber = (v: number | null, key: 'notHours' | 'notAmount') =>
    checked && (v === null || v < 0) ? t(`plans.activity.${key}`) : undefined;
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
        estimatedHours: hours,
        estimatedCost: cost,
      }),
    onSuccess: (v) => {
      qc.setQueryData(['plans', 'version', version.id], v);
      setF(empty);
      setChecked(false);
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
          setChecked(true);
          if (hours === null || hours < 0 || cost === null || cost < 0) return;
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
              // With a start date the quarter is the date's (the server works it out).
              description={f.startOn ? t('plans.activity.quarterFromDate') : undefined}
              disabled={Boolean(f.startOn)}
              value={f.startOn ? String(quarterOf(f.startOn)) : f.quarter}
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
              error={notANumber(hours, 'notHours') ?? fieldError(add.error, 'estimatedHours')}
            />
            <TextInput
              label={t('plans.activity.cost')}
              inputMode="decimal"
              value={f.estimatedCost}
              onChange={on('estimatedCost')}
              error={notANumber(cost, 'notAmount') ?? fieldError(add.error, 'estimatedCost')}
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

/**
 * A number edited in place, written as the UI's language writes it (13 500,50 in Swedish): saved when
 * the field is left with a new number of 0 or more. Anything else is marked at the field and not
 * sent; Escape, or a refusal by the server, puts the stored value back.
 */
function InlineNumber(props: {
  label: string;
  w: number;
  locale: Locale;
  /** At most this many decimals (hours 1, money 2, as the database keeps them). */
  decimals: number;
  value: number;
  onSave: (v: number) => Promise<unknown>;
}) {
  const { t } = useTranslation();
  const shown = formatNumber(props.value, props.locale);
  const [text, setText] = useState(shown);
  const [invalid, setInvalid] = useState(false);
  const [stored, setStored] = useState(props.value);
  // A new stored value (saved here, or by someone else and reloaded) replaces the text.
  if (stored !== props.value) {
    setStored(props.value);
    setText(shown);
    setInvalid(false);
  }
  const revert = () => {
    setText(shown);
    setInvalid(false);
  };
  return (
    <TextInput
      aria-label={props.label}
      size="xs"
      w={props.w}
      inputMode="decimal"
      value={text}
      onChange={(e) => {
        setText(e.currentTarget.value);
        setInvalid(false);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') revert();
        if (e.key === 'Enter') e.currentTarget.blur();
      }}
      // Said under the cell (and tied to it for screen readers), not only as a red border.
      error={
        invalid ? t(props.decimals === 1 ? 'plans.activity.notHours' : 'plans.activity.notAmount') : undefined
      }
      onBlur={() => {
        const v = parseNumber(text, props.locale, props.decimals);
        if (v === null || v < 0) {
          setInvalid(true);
          return;
        }
        if (v === props.value) {
          setText(shown);
          return;
        }
        props.onSave(v).catch(revert);
      }}
    />
  );
}
