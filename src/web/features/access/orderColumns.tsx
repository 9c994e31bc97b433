// The columns of an order list, shared by the orders and queues page and a person's Orders tab.
import { Stack, Text } from '@mantine/core';
import type { TFunction } from 'i18next';
import { AnchorLink } from '../../components/AnchorLink.tsx';
import type { Column } from '../../components/DataTable.tsx';
import { formatDate } from '../../lib/format.ts';
import { OrderStateBadge } from './AccessParts.tsx';
import type { OrderSummary } from './accessQueries.ts';

/** Number (linking to the order), state, person (unless the list is one person's), permission, units, orderer, date. */
export function orderColumns(t: TFunction, opts: { withPerson: boolean }): Column<OrderSummary>[] {
  const person: Column<OrderSummary> = {
    key: 'person',
    header: t('access.col.person'),
    render: (o) => (
      <AnchorLink to="/persons/$personId" params={{ personId: o.person.id }} search={{}} fz="sm">
        {o.person.displayName}
      </AnchorLink>
    ),
  };
  return [
    {
      key: 'number',
      header: t('access.col.number'),
      nowrap: true,
      render: (o) => (
        <AnchorLink to="/access/orders/$orderId" params={{ orderId: o.id }} fz="sm" fw={500}>
          {t(o.kind === 'revocation' ? 'access.revocationN' : 'access.orderN', { n: o.number })}
        </AnchorLink>
      ),
    },
    {
      key: 'state',
      header: t('access.col.state'),
      nowrap: true,
      render: (o) => (
        <Stack gap={2} align="flex-start">
          <OrderStateBadge state={o.state} size="sm" />
          {o.waitingForLicences && (
            <Text fz="xs" c="red.9">
              {t('access.waitingForLicences')}
            </Text>
          )}
        </Stack>
      ),
    },
    ...(opts.withPerson ? [person] : []),
    {
      key: 'permission',
      header: t('access.col.permission'),
      render: (o) => (
        <Stack gap={0}>
          <Text fz="sm">{o.permission.name}</Text>
          <Text fz="xs" c="dimmed">
            {o.system.name} · {t(`access.accountType.${o.permission.accountType}`)}
          </Text>
        </Stack>
      ),
    },
    { key: 'units', header: t('access.col.units'), render: (o) => o.units.map((u) => u.name).join(', ') },
    { key: 'orderer', header: t('access.col.orderer'), render: (o) => o.orderer },
    {
      key: 'date',
      header: t('access.col.sent'),
      nowrap: true,
      // A saved order has not been sent: its date is when it was saved, said so.
      render: (o) =>
        o.submittedAt
          ? formatDate(o.submittedAt)
          : t('access.col.savedOn', { date: formatDate(o.createdAt) }),
    },
  ];
}
