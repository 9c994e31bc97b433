import { Anchor, Group, Paper, Stack, Text } from '@mantine/core';
import { IconDownload, IconUsers } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { API_BASE } from '../../api/client.ts';
import type { ManagersRow } from '../../api/types.ts';
import { AnchorLink } from '../../components/AnchorLink.tsx';
import { type Column, DataTable } from '../../components/DataTable.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { LifecycleBadge } from './SystemBadges.tsx';
import { managersQuery } from './systemQueries.ts';

/** G8: every system with its system owner, IT system owner, system manager and IT system manager. */
export function ManagersPage() {
  const { t } = useTranslation();
  const { data, error, isPending } = useQuery(managersQuery({}));
  const names = (list: string[]) =>
    list.length > 0 ? (
      list.join(', ')
    ) : (
      <Text span fz="sm" c="red.9" fw={500}>
        {t('systems.managers.missing')}
      </Text>
    );
  const columns: Column<ManagersRow>[] = [
    {
      key: 'name',
      header: t('systems.col.name'),
      render: (r) => (
        <AnchorLink to="/systems/$systemId" params={{ systemId: r.systemId }} search={{}} fw={500} fz="sm">
          {r.name} ({r.shortName})
        </AnchorLink>
      ),
    },
    {
      key: 'object',
      header: t('systems.col.governanceObject'),
      render: (r) => (
        <AnchorLink to="/governance-objects/$objectId" params={{ objectId: r.governanceObject.id }} fz="sm">
          {r.governanceObject.name}
        </AnchorLink>
      ),
    },
    {
      key: 'lifecycle',
      header: t('systems.col.lifecycle'),
      render: (r) => <LifecycleBadge lifecycle={r.lifecycle} size="sm" />,
    },
    { key: 'so', header: t('governance.role.system_owner'), render: (r) => names(r.systemOwners) },
    { key: 'iso', header: t('governance.role.it_system_owner'), render: (r) => names(r.itSystemOwners) },
    { key: 'sm', header: t('governance.role.system_manager'), render: (r) => names(r.systemManagers) },
    { key: 'ism', header: t('governance.role.it_system_manager'), render: (r) => names(r.itSystemManagers) },
  ];
  return (
    <>
      <PageHeader
        title={t('systems.managers.title')}
        subtitle={t('systems.managers.intro')}
        crumbs={[{ label: t('nav.systems'), to: '/systems' }]}
      />
      <Paper withBorder p="md">
        <Stack gap="sm">
          <ErrorAlert error={error} />
          <Group justify="flex-end">
            <Anchor href={`${API_BASE}/systems/managers.csv`} download="systems-managers.csv" fz="sm">
              <Group gap={4} component="span" wrap="nowrap">
                <IconDownload size={16} aria-hidden="true" />
                {t('systems.export')}
              </Group>
            </Anchor>
          </Group>
          <DataTable
            caption={t('systems.managers.title')}
            columnsId="managers"
            columns={columns}
            rows={data?.items}
            rowKey={(r) => r.systemId}
            loading={isPending}
            empty={
              <EmptyState
                icon={<IconUsers size={28} aria-hidden="true" />}
                title={t('systems.empty')}
                description={t('systems.emptyText')}
              />
            }
          />
        </Stack>
      </Paper>
    </>
  );
}
