// G10: a table of grants (who holds which permission where, from when until when, by which order),
// with a revocation (A6) for callers who order for the grant's units. Used by the grants register and
// by a person's page.
import { Anchor, Badge, Group, Stack, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { AnchorLink } from '../../components/AnchorLink.tsx';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import { type Column, DataTable } from '../../components/DataTable.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { formatDate } from '../../lib/format.ts';
import { type Grant, myAccessQuery, type Order } from './accessQueries.ts';

export function GrantsTable(props: {
  caption: string;
  rows: Grant[] | undefined;
  loading: boolean;
  showPerson?: boolean;
  /** The name the user's column choice is remembered under. */
  columnsId: string;
  paging?: Parameters<typeof DataTable<Grant>>[0]['paging'];
  emptyTitle: string;
  emptyText?: string;
}) {
  const { t } = useTranslation();
  const me = useQuery(myAccessQuery);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const ordersFor = new Set((me.data?.orderingUnits ?? []).map((u) => u.id));
  const canRevoke = (g: Grant) =>
    !g.endedOn &&
    !g.openRevocation &&
    g.person.status === 'active' &&
    g.units.every((u) => ordersFor.has(u.id));

  const revoke = async (g: Grant) => {
    const order = await api.post<Order>('/orders', {
      kind: 'revocation',
      personId: g.person.id,
      grantId: g.id,
      submit: true,
    });
    await queryClient.invalidateQueries({ queryKey: ['access'] });
    void navigate({ to: '/access/orders/$orderId', params: { orderId: order.id } });
  };

  const columns: Column<Grant>[] = [
    ...(props.showPerson === false
      ? []
      : [
          {
            key: 'person',
            header: t('access.col.person'),
            render: (g: Grant) => (
              <Group gap={6} wrap="nowrap">
                <AnchorLink to="/persons/$personId" params={{ personId: g.person.id }} search={{}} fz="sm">
                  {g.person.displayName}
                </AnchorLink>
                {g.person.status === 'left' && (
                  <Badge
                    size="xs"
                    color="gray"
                    variant="light"
                    styles={{ root: { flexShrink: 0, maxWidth: 'none' } }}
                  >
                    {t('status.left')}
                  </Badge>
                )}
              </Group>
            ),
          },
        ]),
    {
      key: 'permission',
      header: t('access.col.permission'),
      render: (g) => (
        <Stack gap={0}>
          <Text fz="sm">{g.permission.name}</Text>
          <Anchor component="span" fz="xs" c="dimmed">
            {g.system.name}
          </Anchor>
        </Stack>
      ),
    },
    {
      key: 'type',
      header: t('access.col.accountType'),
      render: (g) => t(`access.accountType.${g.accountType}`),
    },
    { key: 'units', header: t('access.col.units'), render: (g) => g.units.map((u) => u.name).join(', ') },
    {
      key: 'period',
      header: t('access.col.period'),
      nowrap: true,
      render: (g) =>
        `${formatDate(g.validFrom)} – ${g.endedOn ? formatDate(g.endedOn) : g.validUntil ? formatDate(g.validUntil) : ''}`,
    },
    {
      key: 'order',
      header: t('access.col.order'),
      nowrap: true,
      render: (g) => (
        <Stack gap={0}>
          {g.order && (
            <AnchorLink to="/access/orders/$orderId" params={{ orderId: g.order.id }} fz="sm">
              {t('access.orderN', { n: g.order.number })}
            </AnchorLink>
          )}
          {g.endedByOrder && (
            <Text fz="xs" c="dimmed">
              {t('access.endedBy', { n: g.endedByOrder.number })}
            </Text>
          )}
          {g.openRevocation && (
            <AnchorLink to="/access/orders/$orderId" params={{ orderId: g.openRevocation.id }} fz="xs">
              {t('access.revocationPending', { n: g.openRevocation.number })}
            </AnchorLink>
          )}
        </Stack>
      ),
    },
    // The column is there only when the caller may revoke something on this page.
    ...(!props.rows?.some(canRevoke)
      ? []
      : [
          {
            key: 'actions',
            header: t('common.actions'),
            hideable: false,
            render: (g: Grant) =>
              canRevoke(g) ? (
                <ConfirmButton
                  size="xs"
                  title={t('access.revoke.title')}
                  message={t('access.revoke.text', {
                    person: g.person.displayName,
                    permission: g.permission.name,
                    system: g.system.name,
                  })}
                  confirmLabel={t('access.revoke.confirm')}
                  onConfirm={() => revoke(g)}
                >
                  {t('access.revoke.button')}
                </ConfirmButton>
              ) : null,
          },
        ]),
  ];
  return (
    <DataTable
      caption={props.caption}
      columnsId={props.columnsId}
      columns={columns}
      rows={props.rows}
      rowKey={(g) => g.id}
      loading={props.loading}
      paging={props.paging}
      empty={<EmptyState title={props.emptyTitle} description={props.emptyText} />}
    />
  );
}

/** A person's grants ("what can X reach?"), for the person page. Hidden when the caller may not read them. */
export function PersonGrants({ personId }: { personId: string }) {
  const { t } = useTranslation();
  const { data, error, isPending } = useQuery({
    queryKey: ['access', 'grants', { personId, status: 'all' }],
    queryFn: ({ signal }) =>
      api.get<{ items: Grant[] }>('/grants', { personId, status: 'all', limit: 200 }, signal),
    retry: false,
  });
  if (error)
    return (
      <Text size="sm" c="dimmed">
        {t('access.grants.notAllowed')}
      </Text>
    );
  return (
    <GrantsTable
      caption={t('access.grants.personCaption')}
      columnsId="person-grants"
      rows={data?.items}
      loading={isPending}
      showPerson={false}
      emptyTitle={t('access.grants.personEmpty')}
      emptyText={t('access.grants.personEmptyText')}
    />
  );
}
