// A4: the guided order form: one person, exactly one permission, the units it applies to, the system's
// own fields, the expert-user flag with the person's e-mail (A3). Send at once, or save to My orders.
import {
  Alert,
  Button,
  Checkbox,
  Group,
  MultiSelect,
  Paper,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconInfoCircle } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, etagOfVersion } from '../../api/client.ts';
import { useMe } from '../../api/session.ts';
import type { PersonSummary } from '../../api/types.ts';
import { ErrorAlert, fieldError } from '../../components/ErrorAlert.tsx';
import { PageLoading } from '../../components/Loading.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { usePersonSearch } from '../persons/usePersonSearch.ts';
import classes from './Access.module.css';
import { RuleAlert } from './AccessParts.tsx';
import {
  fieldLabel,
  myAccessQuery,
  type Order,
  orderFormQuery,
  orderQuery,
  permissionsQuery,
} from './accessQueries.ts';

/** `edit`: the id of a saved order to change (its content fills the form). */
export type OrderFormSearch = { personId?: string; unitIds?: string; systemId?: string; edit?: string };
const route = getRouteApi('/app/access/order');

/** The order form, new or (with `?edit=`) for a saved order, which is loaded first. */
export function OrderFormPage() {
  const search = route.useSearch();
  // Fetched afresh, not from the cache: the form is filled once, from the version it will change.
  const saved = useQuery({
    ...orderQuery(search.edit ?? ''),
    enabled: Boolean(search.edit),
    refetchOnMount: 'always',
  });
  if (search.edit) {
    if (saved.isPending || (saved.isFetching && !saved.isFetchedAfterMount)) return <PageLoading />;
    if (saved.isError) return <ErrorAlert error={saved.error} />;
    return <OrderForm key={saved.data.id} search={search} saved={saved.data} />;
  }
  return <OrderForm search={search} />;
}

function OrderForm({ search, saved }: { search: OrderFormSearch; saved?: Order }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const me = useQuery(myAccessQuery);
  const account = useMe();
  const permissions = useQuery(permissionsQuery());

  const [personId, setPersonId] = useState<string | null>(saved?.person.id ?? search.personId ?? null);
  const personSearch = usePersonSearch();
  const [unitIds, setUnitIds] = useState<string[]>(
    saved ? saved.units.map((u) => u.id) : search.unitIds ? search.unitIds.split(',') : [],
  );
  const [systemId, setSystemId] = useState<string | null>(saved?.system.id ?? search.systemId ?? null);
  const [permissionId, setPermissionId] = useState<string | null>(saved?.permission.id ?? null);
  const [fields, setFields] = useState<Record<string, string>>(saved?.fieldValues ?? {});
  const [expertUser, setExpertUser] = useState(saved?.expertUser ?? false);
  const [personEmail, setPersonEmail] = useState(saved?.personEmail ?? '');
  const [validUntil, setValidUntil] = useState(saved?.validUntil ?? '');
  const [message, setMessage] = useState(saved?.message ?? '');
  // The version the form was filled from: a change by someone else since is refused (412), not
  // overwritten, even if the order is reloaded in the background meanwhile.
  const [baseVersion] = useState(saved?.version);
  const [error, setError] = useState<unknown>(null);
  // Required fields left empty, found before sending (in the user's language); a field's message
  // goes once it is filled in.
  const [missing, setMissing] = useState<Record<string, string>>({});
  const filled = (key: string) =>
    setMissing((cur) => {
      if (!(key in cur)) return cur;
      const { [key]: _, ...rest } = cur;
      return rest;
    });
  const errorOf = (key: string) => missing[key] ?? fieldError(error, key);
  const [busy, setBusy] = useState<'send' | 'save' | null>(null);

  const chosenPerson = useQuery({
    queryKey: ['persons', 'one', personId],
    queryFn: ({ signal }) => api.get<PersonSummary>(`/persons/${personId}`, undefined, signal),
    enabled: Boolean(personId),
  });
  const form = useQuery({ ...orderFormQuery(systemId ?? ''), enabled: Boolean(systemId) });

  useEffect(() => {
    if (chosenPerson.data?.email && !personEmail) setPersonEmail(chosenPerson.data.email);
  }, [chosenPerson.data, personEmail]);

  const systems = useMemo(() => {
    const m = new Map<string, string>();
    for (const p of permissions.data?.items ?? [])
      m.set(p.system.id, `${p.system.name} (${p.system.shortName})`);
    return [...m.entries()]
      .map(([value, label]) => ({ value, label }))
      .sort((a, b) => a.label.localeCompare(b.label));
  }, [permissions.data]);
  const systemPermissions = (permissions.data?.items ?? []).filter((p) => p.system.id === systemId);
  const permission = systemPermissions.find((p) => p.id === permissionId);

  const personOptions = useMemo(() => {
    const list = [...personSearch.options];
    if (chosenPerson.data && !list.some((o) => o.value === chosenPerson.data.id))
      list.unshift({
        value: chosenPerson.data.id,
        label: `${chosenPerson.data.displayName} (${chosenPerson.data.employeeId})`,
      });
    return list;
  }, [personSearch.options, chosenPerson.data]);

  const unitOptions = useMemo(() => {
    const m = new Map<string, string>();
    for (const u of me.data?.orderingUnits ?? []) m.set(u.id, u.name);
    for (const u of chosenPerson.data?.units ?? []) if (!m.has(u.id)) m.set(u.id, u.name);
    return [...m.entries()].map(([value, label]) => ({ value, label }));
  }, [me.data, chosenPerson.data]);

  if (me.isPending || permissions.isPending) return <PageLoading />;

  const formKeys = form.data ? new Set(form.data.fields.map((f) => f.key)) : null;
  const submit = async (send: boolean) => {
    const empty: Record<string, string> = {};
    if (!personId) empty.personId = t('access.order.required.person');
    if (unitIds.length === 0) empty.unitIds = t('access.order.required.units');
    if (!systemId) empty.systemId = t('access.order.required.system');
    else if (!permissionId) empty.permissionId = t('access.order.required.permission');
    for (const f of form.data?.fields ?? [])
      if (f.mandatory && !(fields[f.key] ?? '').trim())
        empty[`fields.${f.key}`] = t(
          f.type === 'choice' ? 'access.order.required.choice' : 'access.order.required.field',
          { field: fieldLabel(f, i18n.language) },
        );
    if (expertUser && !personEmail.trim()) empty.personEmail = t('access.order.required.email');
    setMissing(empty);
    setError(null);
    if (Object.keys(empty).length > 0) {
      // Focus the first field to fix, as a browser does for its own required fields.
      requestAnimationFrame(() => document.querySelector<HTMLElement>('form [aria-invalid="true"]')?.focus());
      return;
    }
    setBusy(send ? 'send' : 'save');
    try {
      const body = {
        personId: personId ?? undefined,
        permissionId: permissionId ?? undefined,
        unitIds,
        // The fields of the system's form as it is now (a saved order may hold values of fields
        // the form has since dropped).
        fields: Object.fromEntries(
          Object.entries(fields).filter(([k, v]) => v.trim() !== '' && (!formKeys || formKeys.has(k))),
        ),
        expertUser,
        personEmail: expertUser && personEmail ? personEmail : undefined,
        validUntil: validUntil || undefined,
        message,
        submit: send,
      };
      // A saved order is changed in place, at the version that was loaded (someone else's change is
      // refused, not overwritten).
      const order = saved
        ? await api.put<Order>(`/orders/${saved.id}`, body, etagOfVersion(baseVersion ?? saved.version))
        : await api.post<Order>('/orders', body);
      await queryClient.invalidateQueries({ queryKey: ['access'] });
      notifications.show({
        message: t(send ? 'access.done.submit' : saved ? 'access.done.changed' : 'access.done.saved'),
        color: 'teal',
        closeButtonProps: { 'aria-label': t('common.close') },
      });
      void navigate({ to: '/access/orders/$orderId', params: { orderId: order.id } });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  // Without ordering rights (an administrator orders anywhere) the form can be read, not sent.
  const mayOrder = me.data?.abilities.order ?? false;

  return (
    <>
      <PageHeader
        title={saved ? t('access.order.editTitle', { n: saved.number }) : t('access.order.title')}
        subtitle={saved ? t('access.order.editIntro') : t('access.order.intro')}
        crumbs={
          saved
            ? [
                { label: t('nav.access'), to: '/access' },
                { label: t('access.orderN', { n: saved.number }), to: `/access/orders/${saved.id}` },
              ]
            : [{ label: t('nav.access'), to: '/access' }]
        }
      />
      {!mayOrder && (
        <Alert color="blue" variant="light" mb="md" icon={<IconInfoCircle size={18} aria-hidden="true" />}>
          {t('access.order.noOrderingRights')}
        </Alert>
      )}
      <Paper withBorder p="md" maw={760}>
        <form
          className={classes.form}
          onSubmit={(e) => {
            e.preventDefault();
            if (mayOrder) void submit(true);
          }}
          noValidate
        >
          <Stack gap="md">
            <Title order={2} fz="md">
              {t('access.order.who')}
            </Title>
            <Select
              label={t('access.order.person')}
              description={t('access.order.personHint')}
              placeholder={t('access.order.personPlaceholder')}
              data={personOptions}
              value={personId}
              onChange={(v) => {
                setPersonId(v);
                setPersonEmail('');
                filled('personId');
              }}
              searchable
              searchValue={personSearch.text}
              onSearchChange={personSearch.setText}
              filter={({ options }) => options}
              // Nothing to say before anything is typed (a dropdown would cover the field's error).
              nothingFoundMessage={
                personSearch.text.trim() === ''
                  ? undefined
                  : personSearch.typedEnough
                    ? t('access.order.noPerson')
                    : t('access.order.typeTwo')
              }
              required
              // A2, said as soon as the orderer picks themselves (the server refuses it too).
              error={
                errorOf('personId') ??
                (personId && personId === account.personId ? t('access.rules.A2.title') : undefined)
              }
              clearable
            />
            <MultiSelect
              label={t('access.order.units')}
              description={t('access.order.unitsHint')}
              data={unitOptions}
              value={unitIds}
              onChange={(v) => {
                setUnitIds(v);
                filled('unitIds');
              }}
              required
              error={errorOf('unitIds')}
              searchable
              // Opened by a click, typing or the arrow keys, not by focus: a form that focuses this
              // field to show its error would otherwise cover the error with the list.
              openOnFocus={false}
            />
            <Title order={2} fz="md">
              {t('access.order.what')}
            </Title>
            <Select
              label={t('access.order.system')}
              data={systems}
              value={systemId}
              onChange={(v) => {
                setSystemId(v);
                setPermissionId(null);
                setFields({});
                filled('systemId');
              }}
              searchable
              required
              error={errorOf('systemId')}
            />
            <Select
              label={t('access.order.permission')}
              description={t('access.order.permissionHint')}
              data={systemPermissions.map((p) => ({
                value: p.id,
                label: `${p.name} · ${t(`access.accountType.${p.accountType}`)}`,
              }))}
              value={permissionId}
              onChange={(v) => {
                setPermissionId(v);
                filled('permissionId');
              }}
              disabled={!systemId}
              required
              error={errorOf('permissionId') ?? fieldError(error, 'permissionIds')}
            />
            {permission && (
              <Text size="sm" c="dimmed">
                {permission.description}
                {permission.approvalSteps.length > 0 &&
                  ` ${t('access.order.needsApproval', {
                    steps: permission.approvalSteps.map((s) => t(`access.approver.${s}`)).join(' → '),
                  })}`}
              </Text>
            )}
            {(form.data?.fields ?? []).length > 0 && (
              <Title order={2} fz="md">
                {t('access.order.systemFields')}
              </Title>
            )}
            {(form.data?.fields ?? []).map((f) => {
              const label = fieldLabel(f, i18n.language);
              const value = fields[f.key] ?? '';
              const set = (v: string | null) => {
                setFields((cur) => ({ ...cur, [f.key]: v ?? '' }));
                filled(`fields.${f.key}`);
              };
              const err = errorOf(`fields.${f.key}`);
              if (f.type === 'choice')
                return (
                  <Select
                    key={f.key}
                    label={label}
                    data={f.options ?? []}
                    value={value || null}
                    onChange={set}
                    required={f.mandatory}
                    error={err}
                    clearable={!f.mandatory}
                  />
                );
              return (
                <TextInput
                  key={f.key}
                  label={label}
                  type={f.type === 'email' ? 'email' : f.type === 'date' ? 'date' : 'text'}
                  value={value}
                  onChange={(e) => set(e.currentTarget.value)}
                  required={f.mandatory}
                  error={err}
                />
              );
            })}
            <Title order={2} fz="md">
              {t('access.order.more')}
            </Title>
            <Checkbox
              label={t('access.order.expertUser')}
              description={t('access.order.expertUserHint')}
              checked={expertUser}
              onChange={(e) => setExpertUser(e.currentTarget.checked)}
            />
            {expertUser && (
              <TextInput
                label={t('access.order.personEmail')}
                type="email"
                value={personEmail}
                onChange={(e) => {
                  setPersonEmail(e.currentTarget.value);
                  filled('personEmail');
                }}
                required
                error={errorOf('personEmail')}
              />
            )}
            <TextInput
              label={t('access.order.validUntil')}
              description={t('access.order.validUntilHint')}
              type="date"
              value={validUntil}
              onChange={(e) => setValidUntil(e.currentTarget.value)}
              error={fieldError(error, 'validUntil')}
              w={220}
            />
            <Textarea
              label={t('access.order.message')}
              value={message}
              onChange={(e) => setMessage(e.currentTarget.value)}
              autosize
              minRows={2}
            />
            <RuleAlert error={error} />
            <Group justify="flex-end">
              <Button
                variant="default"
                onClick={() => void submit(false)}
                loading={busy === 'save'}
                disabled={!mayOrder}
              >
                {t(saved ? 'access.order.saveChanges' : 'access.order.save')}
              </Button>
              <Button type="submit" loading={busy === 'send'} disabled={!mayOrder}>
                {t('access.order.send')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
    </>
  );
}
