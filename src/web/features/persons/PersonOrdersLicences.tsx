// A person's page: the orders about them (A4–A6) and the licences they use: the modules they count in
// through their grants (L1) and the software assigned to them (S2).
import { Badge, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { AnchorLink } from '../../components/AnchorLink.tsx';
import { type Column, DataTable } from '../../components/DataTable.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDate } from '../../lib/format.ts';
import { useCursorStack } from '../../lib/useCursorStack.ts';
import { orderListQuery } from '../access/accessQueries.ts';
import { orderColumns } from '../access/orderColumns.tsx';
import { KeyReveal } from '../software/KeyReveal.tsx';
import type { Pool } from '../software/poolsApi.ts';
import type { Assignment } from '../software/softwareApi.ts';

/** The orders and revocations about a person, newest first (administrators, auditors and the person). */
export function PersonOrders({ personId }: { personId: string }) {
  const { t } = useTranslation();
  const paging = useCursorStack(personId);
  const { data, error, isFetching, isPending } = useQuery(
    orderListQuery({ scope: 'all', personId, limit: 25, cursor: paging.cursor }),
  );
  const columns = orderColumns(t, { withPerson: false });
  return (
    <>
      <ErrorAlert error={error} />
      <DataTable
        caption={t('person.orders.caption')}
        columnsId="person-orders"
        columns={columns}
        rows={data?.items}
        rowKey={(o) => o.id}
        loading={isFetching || isPending}
        paging={{ ...paging.table(data?.nextCursor), label: t('table.page', { page: paging.page }) }}
        empty={<EmptyState title={t('person.orders.empty')} description={t('person.orders.emptyText')} />}
      />
    </>
  );
}

interface ModuleUse {
  system: { id: string; name: string };
  module: string;
  pool: Pool | null;
}

/** L1 and S2: the licence pools a person counts in, and the software assigned to them that the reader may see. */
export function PersonLicences({ personId, isSelf }: { personId: string; isSelf: boolean }) {
  const { t } = useTranslation();
  const modules = useQuery({
    queryKey: ['licences', 'person', personId],
    queryFn: ({ signal }) =>
      api.get<{ items: ModuleUse[] }>(
        `/persons/${encodeURIComponent(personId)}/licence-use`,
        undefined,
        signal,
      ),
  });
  const software = useQuery({
    queryKey: ['software', 'person', personId],
    queryFn: ({ signal }) =>
      api.get<{ items: Assignment[] }>(
        `/persons/${encodeURIComponent(personId)}/software`,
        undefined,
        signal,
      ),
  });
  const moduleColumns: Column<ModuleUse>[] = [
    {
      key: 'system',
      header: t('person.licences.system'),
      render: (m) => (
        <AnchorLink to="/systems/$systemId" params={{ systemId: m.system.id }} search={{}} fz="sm">
          {m.system.name}
        </AnchorLink>
      ),
    },
    { key: 'module', header: t('person.licences.module'), render: (m) => m.module },
    {
      key: 'pool',
      header: t('person.licences.pool'),
      render: (m) =>
        m.pool ? (
          <AnchorLink to="/licences/pools/$poolId" params={{ poolId: m.pool.id }} fz="sm">
            {t('person.licences.poolUse', { used: m.pool.used, size: m.pool.size })}
          </AnchorLink>
        ) : (
          <Badge size="sm" variant="light" color="gray">
            {t('person.licences.noPool')}
          </Badge>
        ),
    },
  ];
  const softwareColumns: Column<Assignment>[] = [
    { key: 'title', header: t('software.col.name'), render: (a) => a.title.name },
    {
      key: 'unit',
      header: t('software.col.unit'),
      render: (a) => (
        <AnchorLink to="/licences/units/$unitId" params={{ unitId: a.unit.id }} fz="sm">
          {a.unit.name}
        </AnchorLink>
      ),
    },
    {
      key: 'key',
      header: t('software.col.key'),
      render: (a) =>
        !a.key ? (
          <Text span c="dimmed" fz="sm">
            {t('common.none')}
          </Text>
        ) : isSelf ? (
          <KeyReveal keyId={a.key.id} hint={a.key.hint} />
        ) : (
          // S2: the key is shown in clear to its holder here, and to the coordinator on the unit's page.
          <Text span ff="monospace" fz="sm">
            {a.key.hint}
          </Text>
        ),
    },
    { key: 'since', header: t('software.col.since'), nowrap: true, render: (a) => formatDate(a.assignedAt) },
  ];
  return (
    <Stack gap="lg">
      <Stack gap="xs">
        <Title order={2} size="h4">
          {t('person.licences.modulesTitle')}
        </Title>
        <Text fz="sm" c="dimmed">
          {t('person.licences.modulesIntro')}
        </Text>
        <ErrorAlert error={modules.error} />
        <DataTable
          caption={t('person.licences.modulesTitle')}
          columns={moduleColumns}
          rows={modules.data?.items}
          rowKey={(m) => `${m.system.id}/${m.module}`}
          loading={modules.isPending}
          empty={<EmptyState title={t('person.licences.noModules')} />}
        />
      </Stack>
      <Stack gap="xs">
        <Title order={2} size="h4">
          {t('person.licences.softwareTitle')}
        </Title>
        {!isSelf && (
          <Text fz="sm" c="dimmed">
            {t('person.licences.softwareIntro')}
          </Text>
        )}
        <ErrorAlert error={software.error} />
        <DataTable
          caption={t('person.licences.softwareTitle')}
          columns={softwareColumns}
          rows={software.data?.items}
          rowKey={(a) => a.id}
          loading={software.isPending}
          empty={<EmptyState title={t('person.licences.noSoftware')} />}
        />
      </Stack>
    </Stack>
  );
}
