import { Badge } from '@mantine/core';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { AnchorLink } from '../../components/AnchorLink.tsx';
import { type Column, DataTable } from '../../components/DataTable.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDate } from '../../lib/format.ts';

export interface PersonRole {
  id: string;
  role: string;
  validFrom: string;
  validUntil: string | null;
  current: boolean;
  object: { id: string; name: string };
}

export const personRolesQuery = (personId: string) =>
  queryOptions({
    queryKey: ['persons', 'roles', personId],
    queryFn: ({ signal }) =>
      api.get<{ items: PersonRole[] }>(`/persons/${encodeURIComponent(personId)}/roles`, undefined, signal),
  });

/** G2/G8: the governance roles a person holds today or later, each linking to its governance object. */
export function PersonRoles({ personId }: { personId: string }) {
  const { t } = useTranslation();
  const { data, error, isPending } = useQuery(personRolesQuery(personId));
  const columns: Column<PersonRole>[] = [
    {
      key: 'object',
      header: t('person.roles.object'),
      render: (r) => (
        <AnchorLink to="/governance-objects/$objectId" params={{ objectId: r.object.id }} search={{}} fz="sm">
          {r.object.name}
        </AnchorLink>
      ),
    },
    {
      key: 'role',
      header: t('person.roles.role'),
      render: (r) => t(`governance.role.${r.role}`, { defaultValue: r.role }),
    },
    {
      key: 'period',
      header: t('person.roles.period'),
      nowrap: true,
      render: (r) => (
        <>
          {formatDate(r.validFrom)} – {r.validUntil ? formatDate(r.validUntil) : ''}{' '}
          {!r.current && (
            <Badge size="xs" variant="light" color="grape" radius="sm">
              {t('person.roles.upcoming')}
            </Badge>
          )}
        </>
      ),
    },
  ];
  return (
    <>
      <ErrorAlert error={error} />
      <DataTable
        caption={t('person.roles.caption')}
        columns={columns}
        rows={data?.items}
        rowKey={(r) => r.id}
        loading={isPending}
        empty={<EmptyState title={t('person.roles.empty')} description={t('person.roles.emptyText')} />}
      />
    </>
  );
}
