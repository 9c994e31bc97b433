import {
  Alert,
  Button,
  Code,
  CopyButton,
  Group,
  NumberInput,
  Paper,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCopy, IconKey } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { ApiToken, CreatedToken, ListOf } from '../../api/types.ts';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import { type Column, DataTable } from '../../components/DataTable.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert, fieldError, hasOnlyFieldErrors } from '../../components/ErrorAlert.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { formatDate } from '../../lib/format.ts';

const tokensKey = ['me', 'tokens'];

function tokenState(tok: ApiToken): 'revoked' | 'expired' | 'active' {
  if (tok.revokedAt) return 'revoked';
  if (new Date(tok.expiresAt).getTime() < Date.now()) return 'expired';
  return 'active';
}

/** The signed-in person's API tokens: list, create (shown once), revoke. */
export function TokensSection() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const tokens = useQuery({ queryKey: tokensKey, queryFn: () => api.get<ListOf<ApiToken>>('/me/tokens') });
  const [name, setName] = useState('');
  const [days, setDays] = useState<number | string>(90);
  const [created, setCreated] = useState<CreatedToken | null>(null);

  const create = useMutation({
    mutationFn: () => api.post<CreatedToken>('/me/tokens', { name, expiresInDays: Number(days) }),
    onSuccess: (res) => {
      setCreated(res);
      setName('');
      void queryClient.invalidateQueries({ queryKey: tokensKey });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setCreated(null);
    create.mutate();
  };
  const revoke = async (tok: ApiToken) => {
    await api.delete(`/me/tokens/${tok.id}`);
    await queryClient.invalidateQueries({ queryKey: tokensKey });
  };

  const columns: Column<ApiToken>[] = [
    {
      key: 'name',
      header: t('tokens.col.name'),
      render: (k) => (
        <Text fw={500} fz="sm">
          {k.name}
        </Text>
      ),
    },
    { key: 'prefix', header: t('tokens.col.prefix'), render: (k) => <Code>{k.prefix}…</Code> },
    { key: 'created', header: t('tokens.col.created'), nowrap: true, render: (k) => formatDate(k.createdAt) },
    { key: 'expires', header: t('tokens.col.expires'), nowrap: true, render: (k) => formatDate(k.expiresAt) },
    {
      key: 'used',
      header: t('tokens.col.lastUsed'),
      nowrap: true,
      render: (k) => (k.lastUsedAt ? formatDate(k.lastUsedAt) : t('tokens.neverUsed')),
    },
    {
      key: 'state',
      header: t('tokens.col.state'),
      render: (k) => <StatusBadge status={tokenState(k)} size="sm" />,
    },
    {
      key: 'actions',
      header: <span>{t('common.actions')}</span>,
      render: (k) =>
        tokenState(k) === 'revoked' ? null : (
          <ConfirmButton
            size="compact-sm"
            title={t('tokens.revokeTitle', { name: k.name })}
            message={t('tokens.revokeText', { name: k.name })}
            confirmLabel={t('tokens.revokeConfirm')}
            onConfirm={() => revoke(k)}
            aria-label={t('tokens.revokeLabel', { name: k.name })}
          >
            {t('tokens.revoke')}
          </ConfirmButton>
        ),
    },
  ];

  return (
    <Paper withBorder p="md">
      <Title order={2} fz="lg" mb={4}>
        {t('tokens.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {t('tokens.intro')}
      </Text>
      <Stack gap="md">
        <form onSubmit={submit} noValidate aria-label={t('tokens.createLabel')}>
          <Group align="flex-start" gap="sm" wrap="wrap">
            <TextInput
              label={t('tokens.name')}
              description={t('tokens.nameHint')}
              required
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={fieldError(create.error, 'name')}
              w={300}
            />
            <NumberInput
              label={t('tokens.days')}
              description={t('tokens.daysHint')}
              required
              min={1}
              max={366}
              // Out of range is said at the field (by the server), not quietly changed.
              clampBehavior="none"
              allowDecimal={false}
              value={days}
              onChange={setDays}
              error={fieldError(create.error, 'expiresInDays')}
              w={180}
            />
            <Button
              type="submit"
              mt={46}
              loading={create.isPending}
              leftSection={<IconKey size={16} aria-hidden="true" />}
            >
              {t('tokens.create')}
            </Button>
          </Group>
        </form>
        {!hasOnlyFieldErrors(create.error, ['name', 'expiresInDays']) && <ErrorAlert error={create.error} />}
        {created && (
          <Alert
            color="yellow"
            variant="light"
            icon={<IconAlertTriangle size={18} aria-hidden="true" />}
            title={t('tokens.createdTitle', { name: created.item.name })}
            role="status"
            withCloseButton
            closeButtonLabel={t('common.close')}
            onClose={() => setCreated(null)}
          >
            <Text size="sm" mb="xs">
              {t('tokens.createdWarning')}
            </Text>
            <Group gap="xs" wrap="nowrap" align="center">
              <TextInput
                label={t('tokens.yourToken')}
                value={created.token}
                readOnly
                onFocus={(e) => e.currentTarget.select()}
                ff="monospace"
                style={{ flex: 1 }}
              />
              <CopyButton value={created.token}>
                {({ copied, copy }) => (
                  <Button
                    mt={24}
                    variant={copied ? 'light' : 'filled'}
                    onClick={copy}
                    leftSection={
                      copied ? (
                        <IconCheck size={16} aria-hidden="true" />
                      ) : (
                        <IconCopy size={16} aria-hidden="true" />
                      )
                    }
                  >
                    {copied ? t('tokens.copied') : t('tokens.copy')}
                  </Button>
                )}
              </CopyButton>
            </Group>
          </Alert>
        )}
        <ErrorAlert error={tokens.error} />
        <DataTable
          caption={t('tokens.caption')}
          columns={columns}
          rows={tokens.data?.items}
          rowKey={(k) => k.id}
          loading={tokens.isPending}
          empty={
            <EmptyState
              icon={<IconKey size={28} aria-hidden="true" />}
              title={t('tokens.empty')}
              description={t('tokens.emptyText')}
            />
          }
        />
      </Stack>
    </Paper>
  );
}
