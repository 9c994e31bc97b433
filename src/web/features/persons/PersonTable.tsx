import { Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { PersonSummary } from '../../api/types.ts';
import { AnchorLink } from '../../components/AnchorLink.tsx';
import { type Column, type CursorPaging, DataTable } from '../../components/DataTable.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import type { PersonSort } from './personQueries.ts';

/** Persons as a table: name (link), employee id, e-mail, units, status. */
export function PersonTable(props: {
  caption: string;
  /** The name the user's column choice is remembered under. */
  columnsId: string;
  rows: PersonSummary[] | undefined;
  loading: boolean;
  paging?: CursorPaging;
  empty: React.ReactNode;
  sort?: { value: PersonSort; onChange: (s: PersonSort) => void };
}) {
  const { t } = useTranslation();
  const sort = props.sort;
  const columns: Column<PersonSummary>[] = [
    {
      key: 'name',
      header: t('persons.col.name'),
      sort: sort && {
        direction: sort.value === 'name' ? 'ascending' : sort.value === '-name' ? 'descending' : null,
        onToggle: () => sort.onChange(sort.value === 'name' ? '-name' : 'name'),
      },
      render: (p) => (
        <AnchorLink to="/persons/$personId" params={{ personId: p.id }} search={{}} fw={500} fz="sm">
          {p.familyName}, {p.givenName}
        </AnchorLink>
      ),
    },
    {
      key: 'employeeId',
      header: t('persons.col.employeeId'),
      nowrap: true,
      sort: sort && {
        direction: sort.value === 'employeeId' ? 'ascending' : null,
        onToggle: () => sort.onChange('employeeId'),
      },
      render: (p) => (
        <Text ff="monospace" fz="sm">
          {p.employeeId}
        </Text>
      ),
    },
    {
      key: 'email',
      header: t('persons.col.email'),
      render: (p) =>
        p.email ?? (
          <Text span c="dimmed" fz="sm">
            {t('common.none')}
          </Text>
        ),
    },
    {
      key: 'units',
      header: t('persons.col.units'),
      render: (p) => (
        <Group gap={4} wrap="wrap">
          {p.units.length === 0 && (
            <Text span c="dimmed" fz="sm">
              {t('common.none')}
            </Text>
          )}
          {p.units.map((u, i) => (
            <Text span fz="sm" key={u.id}>
              <AnchorLink to="/units/$unitId" params={{ unitId: u.id }} search={{}} fz="sm">
                {u.name}
              </AnchorLink>
              {u.isPrimary && p.units.length > 1 ? ` (${t('persons.primary')})` : ''}
              {i < p.units.length - 1 ? ',' : ''}
            </Text>
          ))}
        </Group>
      ),
    },
    {
      key: 'status',
      header: t('persons.col.status'),
      render: (p) => <StatusBadge status={p.status} size="sm" />,
    },
  ];
  return (
    <DataTable
      caption={props.caption}
      columnsId={props.columnsId}
      columns={columns}
      rows={props.rows}
      rowKey={(p) => p.id}
      loading={props.loading}
      empty={props.empty}
      paging={props.paging}
    />
  );
}
