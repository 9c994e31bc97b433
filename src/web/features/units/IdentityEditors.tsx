// V3: a unit's identity editors (they create and edit the unit's persons without being administrators),
// appointed by the unit's head or an administrator; and the new-person form they use.
import { Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconUserPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { IdentityEditor, Person } from '../../api/types.ts';
import { AnchorLink } from '../../components/AnchorLink.tsx';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import { type Column, DataTable } from '../../components/DataTable.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert, fieldError, hasOnlyFieldErrors } from '../../components/ErrorAlert.tsx';
import { currentLocale } from '../../i18n/index.ts';
import { formatDateProse } from '../../lib/format.ts';
import { usePersonSearch } from '../persons/usePersonSearch.ts';

const editorsKey = (unitId: string) => ['org-units', 'identity-editors', unitId];

export function IdentityEditors(props: { unitId: string; unitName: string; mayAppoint: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const locale = currentLocale();
  const editors = useQuery({
    queryKey: editorsKey(props.unitId),
    queryFn: ({ signal }) =>
      api.get<{ items: IdentityEditor[] }>(
        `/org-units/${encodeURIComponent(props.unitId)}/identity-editors`,
        undefined,
        signal,
      ),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: editorsKey(props.unitId) });
  const columns: Column<IdentityEditor>[] = [
    {
      key: 'name',
      header: t('identityEditors.col.person'),
      render: (e) => (
        <AnchorLink to="/persons/$personId" params={{ personId: e.person.id }} search={{}} fz="sm" fw={500}>
          {e.person.displayName}
        </AnchorLink>
      ),
    },
    {
      key: 'since',
      header: t('identityEditors.col.since'),
      render: (e) =>
        t('identityEditors.since', { date: formatDateProse(e.appointedAt, locale), by: e.appointedBy }),
    },
    ...(props.mayAppoint
      ? [
          {
            key: 'end',
            header: t('common.actions'),
            render: (e: IdentityEditor) => (
              <ConfirmButton
                size="xs"
                title={t('identityEditors.end.title', { name: e.person.displayName })}
                message={t('identityEditors.end.message', {
                  name: e.person.displayName,
                  unit: props.unitName,
                })}
                confirmLabel={t('identityEditors.end.confirm')}
                onConfirm={async () => {
                  await api.delete(`/identity-editors/${e.id}`);
                  await refresh();
                }}
              >
                {t('identityEditors.end.button')}
              </ConfirmButton>
            ),
          } satisfies Column<IdentityEditor>,
        ]
      : []),
  ];
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        {t('identityEditors.intro')}
      </Text>
      <ErrorAlert error={editors.error} />
      <DataTable
        caption={t('identityEditors.caption', { name: props.unitName })}
        columns={columns}
        rows={editors.data?.items}
        rowKey={(e) => e.id}
        empty={<EmptyState title={t('identityEditors.none')} description={t('identityEditors.noneText')} />}
      />
      {props.mayAppoint && <AppointEditor unitId={props.unitId} onDone={refresh} />}
    </Stack>
  );
}

function AppointEditor(props: { unitId: string; onDone: () => Promise<unknown> }) {
  const { t } = useTranslation();
  const search = usePersonSearch();
  const [personId, setPersonId] = useState<string | null>(null);
  const appoint = useMutation({
    mutationFn: () =>
      api.post(`/org-units/${encodeURIComponent(props.unitId)}/identity-editors`, { personId }),
    onSuccess: async () => {
      setPersonId(null);
      search.setText('');
      await props.onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (personId) appoint.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="xs">
        {!hasOnlyFieldErrors(appoint.error, ['personId']) && <ErrorAlert error={appoint.error} />}
        <Group align="flex-end" gap="sm" wrap="wrap">
          <Select
            label={t('identityEditors.appoint.person')}
            placeholder={t('access.order.personPlaceholder')}
            data={search.options}
            value={personId}
            onChange={setPersonId}
            searchable
            searchValue={search.text}
            onSearchChange={search.setText}
            filter={({ options }) => options}
            nothingFoundMessage={search.typedEnough ? t('access.order.noPerson') : t('access.order.typeTwo')}
            error={fieldError(appoint.error, 'personId')}
            w={340}
            comboboxProps={{ withinPortal: true }}
          />
          <Button type="submit" disabled={!personId} loading={appoint.isPending}>
            {t('identityEditors.appoint.button')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

const PERSON_FIELDS = ['employeeId', 'givenName', 'familyName', 'email', 'unitIds'];

/** V3 (and administrators): a new person who belongs to this unit. */
export function NewPersonButton(props: { unitId: string; unitName: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [opened, setOpened] = useState(false);
  const empty = { employeeId: '', givenName: '', familyName: '', email: '' };
  const [form, setForm] = useState(empty);
  const create = useMutation({
    mutationFn: () =>
      api.post<Person>('/persons', {
        employeeId: form.employeeId,
        givenName: form.givenName,
        familyName: form.familyName,
        email: form.email.trim() || null,
        unitIds: [props.unitId],
      }),
    onSuccess: async (p) => {
      await queryClient.invalidateQueries({ queryKey: ['persons', 'list'] });
      await queryClient.invalidateQueries({ queryKey: ['org-units', 'one', props.unitId] });
      setOpened(false);
      setForm(empty);
      void navigate({ to: '/persons/$personId', params: { personId: p.id }, search: {} });
    },
  });
  const close = () => {
    create.reset();
    setOpened(false);
  };
  const error = create.error;
  const field = (key: keyof typeof empty, label: string, extra: Record<string, unknown> = {}) => (
    <TextInput
      label={label}
      value={form[key]}
      onChange={(e) => setForm({ ...form, [key]: e.currentTarget.value })}
      error={fieldError(error, key)}
      {...extra}
    />
  );
  return (
    <>
      <Button
        variant="default"
        leftSection={<IconUserPlus size={16} aria-hidden="true" />}
        onClick={() => setOpened(true)}
      >
        {t('identityEditors.newPerson.button')}
      </Button>
      <Modal
        closeButtonProps={{ 'aria-label': t('common.close') }}
        opened={opened}
        onClose={close}
        title={t('identityEditors.newPerson.title', { unit: props.unitName })}
        size="md"
      >
        <form
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate();
          }}
          noValidate
        >
          <Stack>
            {!hasOnlyFieldErrors(error, PERSON_FIELDS) && <ErrorAlert error={error} />}
            {field('employeeId', t('person.employeeId'), { required: true, 'data-autofocus': true })}
            {field('givenName', t('person.givenName'), { required: true })}
            {field('familyName', t('person.familyName'), { required: true })}
            {field('email', t('person.email'), { type: 'email', autoComplete: 'off' })}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={create.isPending}>
                {t('identityEditors.newPerson.create')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
