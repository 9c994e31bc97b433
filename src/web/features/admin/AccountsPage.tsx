import { Button, Checkbox, Group, Modal, Paper, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPencil, IconSearch, IconUserShield } from '@tabler/icons-react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, etagOfVersion } from '../../api/client.ts';
import type { Account, Page } from '../../api/types.ts';
import { AnchorLink } from '../../components/AnchorLink.tsx';
import { type Column, DataTable } from '../../components/DataTable.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import {
  ErrorAlert,
  ForbiddenAdminPage,
  fieldError,
  hasOnlyFieldErrors,
  isForbidden,
} from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { formatDate } from '../../lib/format.ts';
import { useCursorStack } from '../../lib/useCursorStack.ts';
import { roleList } from '../persons/PersonPage.tsx';

const ASSIGNABLE = ['administrator', 'auditor'];
const route = getRouteApi('/app/admin/accounts');

export function AccountsPage() {
  const { t } = useTranslation();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const [text, setText] = useState(search.q ?? '');
  const [debounced] = useDebouncedValue(text.trim(), 300);
  useEffect(() => {
    if ((search.q ?? '') !== debounced)
      void navigate({ search: { q: debounced || undefined }, replace: true });
  }, [debounced, search.q, navigate]);
  const paging = useCursorStack(search.q ?? '');
  const accounts = useQuery({
    queryKey: ['accounts', search.q, paging.cursor],
    queryFn: ({ signal }) =>
      api.get<Page<Account>>('/accounts', { q: search.q, limit: 50, cursor: paging.cursor }, signal),
    placeholderData: keepPreviousData,
  });
  const [editing, setEditing] = useState<Account | null>(null);

  const columns: Column<Account>[] = [
    {
      key: 'username',
      header: t('accounts.col.username'),
      render: (a) => (
        <Text fw={500} fz="sm">
          {a.username}
        </Text>
      ),
    },
    {
      key: 'name',
      header: t('accounts.col.person'),
      render: (a) => (
        <AnchorLink to="/persons/$personId" params={{ personId: a.personId }} search={{}} fz="sm">
          {a.displayName}
        </AnchorLink>
      ),
    },
    { key: 'roles', header: t('accounts.col.roles'), render: (a) => roleList(a.roles, t) },
    {
      key: 'validUntil',
      header: t('accounts.col.validUntil'),
      nowrap: true,
      render: (a) => (a.validUntil ? formatDate(a.validUntil) : t('account.noEnd')),
    },
    {
      key: 'state',
      header: t('accounts.col.state'),
      render: (a) => <StatusBadge status={a.disabled ? 'disabled' : 'active'} size="sm" />,
    },
    {
      key: 'actions',
      header: <span>{t('common.actions')}</span>,
      hideable: false,
      render: (a) => (
        <Button
          size="compact-sm"
          variant="default"
          leftSection={<IconPencil size={14} aria-hidden="true" />}
          onClick={() => setEditing(a)}
          aria-label={t('accounts.editLabel', { name: a.username })}
        >
          {t('common.edit')}
        </Button>
      ),
    },
  ];

  if (isForbidden(accounts.error)) return <ForbiddenAdminPage page="accounts" error={accounts.error} />;
  return (
    <>
      <PageHeader
        title={t('accounts.title')}
        subtitle={t('accounts.intro')}
        crumbs={[{ label: t('nav.admin'), to: '/admin' }]}
      />
      <Paper withBorder p="md">
        <Stack gap="sm">
          <Group role="search" aria-label={t('accounts.searchLabel')}>
            <TextInput
              type="search"
              label={t('accounts.search')}
              leftSection={<IconSearch size={16} aria-hidden="true" />}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              w={360}
              maw="100%"
            />
          </Group>
          <ErrorAlert error={accounts.error} />
          <DataTable
            caption={t('accounts.caption')}
            columnsId="accounts"
            columns={columns}
            rows={accounts.data?.items}
            rowKey={(a) => a.id}
            loading={accounts.isFetching}
            paging={{
              ...paging.table(accounts.data?.nextCursor),
              label: t('table.page', { page: paging.page }),
            }}
            empty={
              <EmptyState
                icon={<IconUserShield size={28} aria-hidden="true" />}
                title={search.q ? t('accounts.noMatch') : t('accounts.empty')}
                description={search.q ? t('accounts.noMatchText') : t('accounts.emptyText')}
              />
            }
          />
        </Stack>
      </Paper>
      <AccountEditModal account={editing} onClose={() => setEditing(null)} />
    </>
  );
}

function AccountEditModal({ account, onClose }: { account: Account | null; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [roles, setRoles] = useState<string[]>([]);
  const [validUntil, setValidUntil] = useState('');
  const [disabled, setDisabled] = useState(false);
  useEffect(() => {
    if (account) {
      setRoles(account.roles.filter((r) => ASSIGNABLE.includes(r)));
      setValidUntil(account.validUntil?.slice(0, 10) ?? '');
      setDisabled(account.disabled);
    }
  }, [account]);
  const save = useMutation({
    mutationFn: (a: Account) =>
      api.patch<Account>(
        `/accounts/${a.id}`,
        { roles, validUntil: validUntil || null, disabled },
        etagOfVersion(a.version),
      ),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['accounts'] });
      close();
    },
  });
  const close = () => {
    save.reset();
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (account) save.mutate(account);
  };
  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened={account !== null}
      onClose={close}
      title={t('accounts.editTitle', { name: account?.username ?? '' })}
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          {!hasOnlyFieldErrors(save.error, ['roles', 'validUntil', 'disabled']) && (
            <ErrorAlert error={save.error} />
          )}
          <Checkbox.Group
            label={t('accounts.roles')}
            description={t('accounts.rolesHint')}
            value={roles}
            onChange={setRoles}
            error={fieldError(save.error, 'roles')}
          >
            <Stack gap={6} mt={6}>
              {ASSIGNABLE.map((r) => (
                <Checkbox key={r} value={r} label={t(`roles.${r}`)} />
              ))}
            </Stack>
          </Checkbox.Group>
          <TextInput
            type="date"
            label={t('accounts.validUntil')}
            description={t('accounts.validUntilHint')}
            value={validUntil}
            onChange={(e) => setValidUntil(e.currentTarget.value)}
            error={fieldError(save.error, 'validUntil')}
          />
          <Switch
            label={t('accounts.disabled')}
            description={t('accounts.disabledHint')}
            checked={disabled}
            onChange={(e) => setDisabled(e.currentTarget.checked)}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
